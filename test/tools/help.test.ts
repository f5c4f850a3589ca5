// Every tool answers --help / -h with exit 0: usage, then one line per option it accepts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { SHARED_OPTIONS } from '../../src/cli/args.js';
import { runTool } from './bad_inputs_fixture.js';

interface Case {
  tool: string;
  /** Its own options, each of which the help must list with a description. */
  options: string[];
}

const CASES: Case[] = [
  { tool: 'train', options: ['resume', 'arch', 'subnet'] },
  { tool: 'test', options: ['arch', 'subnet', 'max', 'min', 'calib-samples', 'val-samples'] },
  { tool: 'search', options: [] },
  { tool: 'export_subnet', options: ['arch', 'subnet', 'max', 'min', 'calib-samples', 'out', 'no-tfjs'] },
  { tool: 'print_config', options: [] },
  { tool: 'predict', options: ['train', 'archs', 'out', 'predictor', 'features', 'feature'] },
  { tool: 'analysis/complexity', options: ['archs', 'out', 'subnet', 'arch', 'max', 'min'] },
  { tool: 'analysis/rank_consistency', options: ['json', 'plot', 'bootstrap'] },
  { tool: 'analysis/proxies', options: ['archs', 'out', 'proxy', 'shard', 'checkpoint', 'order', 'progress'] },
  { tool: 'analysis/latency_table', options: ['out', 'samples', 'calibrate', 'validate', 'rounds', 'runs', 'warmup'] },
  { tool: 'track1/score', options: ['archs', 'out', 'shard', 'calib-samples', 'val-samples', 'order', 'progress', 'score'] },
  { tool: 'track1/merge', options: ['archs'] },
  { tool: 'reorder_channels', options: [] },
];

function sink() {
  const out = { text: '', write: (t: string) => ((out.text += t), true) };
  return out;
}

/** The description printed after `--name` on its help line (or the next line when the label is long). */
function descriptionOf(help: string, name: string): string | undefined {
  const lines = help.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^  (-\\w, )?--${name}( |$)`).test(l));
  if (i < 0) return undefined;
  const rest = lines[i]!.replace(new RegExp(`^  (-\\w, )?--${name}( \\S+)?( \\.\\.\\.)?`), '').trim();
  return rest || lines[i + 1]?.trim() || '';
}

describe('--help', () => {
  for (const c of CASES) {
    it(`tools/${c.tool}.ts --help and -h print usage and every option, exit 0`, async () => {
      const { main } = (await import(/* @vite-ignore */ join(process.cwd(), `tools/${c.tool}.ts`))) as { main: (argv: string[]) => Promise<number> | number };
      for (const flag of ['--help', '-h']) {
        const out = sink();
        const err = sink();
        // Help wins over anything else on the line, even arguments that would be errors.
        const code = await runCli((argv) => main(argv), [flag, '--no-such-option'], err, out);
        expect(code).toBe(0);
        expect(err.text).toBe('');
        expect(out.text).toMatch(/^Usage: /);
        for (const name of [...c.options, ...Object.keys(SHARED_OPTIONS)]) {
          const description = descriptionOf(out.text, name);
          expect(description, `--${name} in the help of ${c.tool}`).toBeDefined();
          expect(description!.length, `description of --${name} (${c.tool})`).toBeGreaterThan(10);
        }
        expect(out.text).toContain(`Usage: npx tsx tools/${c.tool}.ts `);
      }
    });
  }

  it('covers every tool under tools/', () => {
    const tools = readdirSync('tools', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && f !== 'tfrazor.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(CASES.map((c) => c.tool).sort()).toEqual(tools.sort());
  });

  it('works as a real process, before any config is read', async () => {
    const run = await runTool('tools/train.ts', ['-h']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npx tsx tools/train.ts CONFIG');
    expect(run.stdout).toMatch(/--threads N +Threads of the torch engine/);
    expect(run.stderr).toBe('');
  });

  it('does not take a --cfg-options value or a word after -- for a help flag', async () => {
    const { main } = await import('../../tools/print_config.ts');
    const out = sink();
    const err = sink();
    const code = await runCli((argv) => main(argv, out), ['nothere.yaml', '--', '--help'], err, out);
    expect(code).toBe(2);
    expect(out.text).not.toContain('Usage');
  });
});
