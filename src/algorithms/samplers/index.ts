// Importing this module registers the subnet samplers.
export * from './types.js';
export * from './constraints.js';
export * from './base.js';
export * from './uniform.js';
export * from './channel_warmup.js';
export * from './strict_fair.js';
export * from './subspace.js';
