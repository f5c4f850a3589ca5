import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { ConfigError } from '../../src/config/errors.js';
import { UserError } from '../../src/errors.js';
import { RegistryError } from '../../src/registry/registry.js';

function sink() {
  let text = '';
  return { get text() { return text; }, write: (t: string) => (text += t) };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('runCli', () => {
  it('returns the main function’s code (0 by default)', async () => {
    expect(await runCli(() => undefined, [], sink())).toBe(0);
    expect(await runCli(async () => 3, [], sink())).toBe(3);
  });

  it('prints user errors as a paragraph without a stack and exits 2', async () => {
    for (const err of [
      new ConfigError('Bad key at a.b in x.yaml.'),
      new RegistryError('Unknown models type.', 'models', 'X'),
      new UserError('No such file.'),
      Object.assign(new Error('Marked by another area.'), { isUserError: true }),
    ]) {
      const s = sink();
      expect(await runCli(() => { throw err; }, [], s)).toBe(2);
      expect(s.text).toBe(`error: ${err.message}\n`);
    }
  });

  it('prints every problem of a validation error, each as its own paragraph', async () => {
    const first = new ConfigError('First problem.');
    first.more.push(new ConfigError('Second problem.'));
    const s = sink();
    await runCli(() => { throw first; }, [], s);
    expect(s.text).toBe('error: First problem.\n\nerror: Second problem.\n');
  });

  it('shows the stack with --debug, and for other errors exits 1 with the stack', async () => {
    const s = sink();
    expect(await runCli(() => { throw new UserError('oops'); }, ['--debug'], s)).toBe(2);
    expect(s.text).toMatch(/at .*run\.test\.ts/);
    const t = sink();
    expect(await runCli(() => { throw new TypeError('bug'); }, [], t)).toBe(1);
    expect(t.text).toMatch(/TypeError: bug\n\s+at /);
    expect(process.exitCode).toBe(1);
  });
});
