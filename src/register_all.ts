// Importing this module fills every core registry (each area registers its own classes).
import './mutables/index.js';
import './models/index.js';
import './datasets/index.js';
import './engine/index.js';
import './algorithms/index.js';
import './evaluation/index.js';
import './search/index.js';
import './proxies/index.js';
import './predictors/index.js';
