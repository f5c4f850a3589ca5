import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/services/logger.js';
import { createServices, getLogger, getProgress, resolve } from '../../src/services/container.js';
import { LineProgress } from '../../src/services/progress.js';
import { TOKENS } from '../../src/services/tokens.js';

function sink() {
  const lines: string[] = [];
  return { lines, write: (t: string) => lines.push(t) };
}

describe('Logger', () => {
  it('drops lines below its level and prefixes time and level', () => {
    const s = sink();
    const log = new Logger({ level: 'warn', stream: s });
    log.info('hidden');
    log.warn('shown');
    log.error('also');
    expect(s.lines).toHaveLength(2);
    expect(s.lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z WARN  shown\n$/);
    expect(new Logger({ level: 'silent', stream: s }).enabled('error')).toBe(false);
  });

  it('appends to a file sink as well', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrazor-log-'));
    const file = join(dir, 'sub', 'run.log');
    const log = new Logger({ level: 'debug', file, stream: sink() });
    log.debug('one');
    log.info('two');
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(2).join(' ').trim())).toEqual([
      'one',
      'two',
    ]);
  });
});

describe('createServices', () => {
  it('registers logger and progress under their tokens and logs into work_dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrazor-svc-'));
    const progress = new LineProgress(sink());
    const services = createServices({ workDir: dir, logLevel: 'debug', progress });
    expect(resolve(TOKENS.logger)).toBe(services.logger);
    expect(getLogger()).toBe(services.logger);
    expect(getProgress()).toBe(progress);
    expect(services.container.resolve(TOKENS.progress)).toBe(progress);
    expect(services.logger.level).toBe('debug');
    services.logger.info('hello');
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(logs).toHaveLength(1);
    expect(readFileSync(join(dir, logs[0]!), 'utf8')).toContain('hello');
  });

  it('lets other areas register further services into the same container', () => {
    const { container } = createServices({ progress: new LineProgress(sink()) });
    const store = { kind: 'store' };
    container.registerInstance(TOKENS.checkpointStore, store);
    expect(resolve(TOKENS.checkpointStore)).toBe(store);
  });
});
