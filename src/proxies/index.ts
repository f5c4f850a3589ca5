// Importing this module registers every zero-cost proxy in PROXIES.
import './zen_score.js';
import './loss_gradients.js';
import './fisher.js';
import './synflow.js';
import './naswot.js';
import './complexity_proxies.js';
import './proxy_cfg.js';

export * from './types.js';
export { ZenScore, zenScoreOf } from './zen_score.js';
export { Snip, GradNorm, snipOf, gradNormOf } from './loss_gradients.js';
export { Fisher, fisherOf } from './fisher.js';
export { Synflow, logSynflowOf } from './synflow.js';
export { Naswot, logAbsDet, naswotKernel } from './naswot.js';
export { MacsProxy, ParamsProxy } from './complexity_proxies.js';
export { buildProxy, proxyScorer, type SubnetScoreFn } from './scorer.js';
export { loadProxyBatch } from './batch.js';
