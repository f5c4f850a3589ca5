// Checks issue 16 asks to run in CI, kept in the test suite so that CI runs exactly `npm test`:
// the linter, and examples/plugin as a standalone package that imports the built 'tfrazor',
// registers its own class and trains it from its own config with the `tfrazor` command.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const npm = (args: string[], cwd = '.') => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 280_000 });
const tail = (r: ReturnType<typeof npm>) => `${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-3000);

describe('the package as contributors and plugin authors meet it', () => {
  it('npm run lint passes', () => {
    const r = npm(['run', 'lint']);
    expect(r.status, tail(r)).toBe(0);
  }, 120_000);

  it('examples/plugin builds against the compiled package and trains its own class', () => {
    const build = npm(['run', 'build']);
    expect(build.status, tail(build)).toBe(0);
    const install = npm(['install', '--no-audit', '--no-fund', '--ignore-scripts'], 'examples/plugin');
    expect(install.status, tail(install)).toBe(0);
    const test = npm(['test'], 'examples/plugin');
    expect(test.status, tail(test)).toBe(0);
    expect(test.stdout).toMatch(/check_training: TinyMLP trained by tfrazor from this package, top-1 \d+\.\d+%/);
  }, 300_000);
});
