import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** Also append every line (at the same level) to this file. */
  file?: string;
  /** Where lines go (default: process.stderr, so stdout stays for results). */
  stream?: { write(text: string): unknown };
}

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v);
}

/** Levelled, timestamped lines to stderr and optionally to a log file. */
export class Logger {
  readonly level: LogLevel;
  readonly file?: string;
  private readonly stream: { write(text: string): unknown };

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? 'info';
    this.file = options.file;
    this.stream = options.stream ?? process.stderr;
    if (this.file) mkdirSync(dirname(this.file), { recursive: true });
  }

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(this.level);
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warn(message: string): void {
    this.log('warn', message);
  }

  error(message: string): void {
    this.log('error', message);
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string): void {
    if (!this.enabled(level)) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`;
    this.stream.write(line);
    // Appended synchronously so the log is complete even if the process dies right after.
    if (this.file) appendFileSync(this.file, line);
  }
}
