export { createServices, resolve, getLogger, getProgress, type ServiceOptions, type Services } from './container.js';
export { Logger, LOG_LEVELS, isLogLevel, type LogLevel, type LoggerOptions } from './logger.js';
export { BarProgress, LineProgress, createProgressReporter, type ProgressReporter, type ProgressPayload } from './progress.js';
export { TOKENS } from './tokens.js';
export { Rng, type RngState } from './rng.js';
