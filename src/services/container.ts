import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { join } from 'node:path';
import { Logger, type LogLevel } from './logger.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import { TOKENS } from './tokens.js';

export interface ServiceOptions {
  /** When set, the log is also written to `<workDir>/<timestamp>.log`. */
  workDir?: string;
  logLevel?: LogLevel;
  /** Replace the default progress reporter (tests, quiet tools). */
  progress?: ProgressReporter;
}

export interface Services {
  container: DependencyContainer;
  logger: Logger;
  progress: ProgressReporter;
}

let current: DependencyContainer = rootContainer;

function logFileName(): string {
  return `${new Date().toISOString().replace(/[:.]/g, '').replace('T', '_').slice(0, 15)}.log`;
}

/**
 * A child container with the logger and progress reporter registered under their tokens; it becomes
 * the container `resolve` uses. Other areas register the backend and checkpoint store into it.
 */
export function createServices(options: ServiceOptions = {}): Services {
  const container = rootContainer.createChildContainer();
  const progress = options.progress ?? createProgressReporter();
  const logger = new Logger({
    level: options.logLevel ?? 'info',
    file: options.workDir ? join(options.workDir, logFileName()) : undefined,
    // Through the progress reporter, so a bar is cleared and redrawn around each line.
    stream: progress.write ? { write: (text: string) => progress.write!(text) } : undefined,
  });
  container.registerInstance(TOKENS.logger, logger);
  container.registerInstance(TOKENS.progress, progress);
  current = container;
  return { container, logger, progress };
}

/** Resolve a service by its token from the container of the last `createServices` call. */
export function resolve<T>(token: InjectionToken<unknown>): T {
  return current.resolve(token) as T;
}

/** The logger of the current services; a default one (info, stderr) when none were created. */
export function getLogger(): Logger {
  if (!current.isRegistered(TOKENS.logger, true)) current.registerInstance(TOKENS.logger, new Logger());
  return resolve<Logger>(TOKENS.logger);
}

/** The progress reporter of the current services; a default one when none were created. */
export function getProgress(): ProgressReporter {
  if (!current.isRegistered(TOKENS.progress, true)) current.registerInstance(TOKENS.progress, createProgressReporter());
  return resolve<ProgressReporter>(TOKENS.progress);
}
