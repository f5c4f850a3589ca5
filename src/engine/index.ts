// Importing this module registers the engine of the core namespace.
import './optim/sgd.js';
import './optim/adamw.js';
import './schedulers.js';
import './losses.js';
