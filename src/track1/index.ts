// The Track-1 code codec, submission format and sharded scoring (no registrations: plain functions).
export * from './space.js';
export * from './errors.js';
export * from './codec.js';
