// The Track-1 code codec, submission format and sharded scoring (no registrations: plain functions).
export * from './space.js';
export * from './errors.js';
export * from './codec.js';
export * from './atomic_write.js';
export * from './format.js';
export * from './shard.js';
export * from './journal.js';
export * from './scoring_loop.js';
export * from './merge.js';
export * from './code_space.js';
