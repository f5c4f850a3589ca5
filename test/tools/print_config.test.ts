import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/run.js';
import { registerSectionSchema } from '../../src/config/sections.js';
import { MODELS } from '../../src/registry/registries.js';
import { main } from '../../tools/print_config.js';
import { writeConfigs } from '../config/tmp_configs.js';

class Dummy {}
MODELS.register('PcNet', Dummy, {
  schema: {
    type: 'object',
    properties: {
      depths: { type: 'array', items: { type: 'integer' }, description: 'blocks per stage' },
      width: { type: 'integer', default: 16 },
    },
    additionalProperties: false,
  },
});
registerSectionSchema('pc_loop', {
  type: 'object',
  properties: { net: { 'x-kind': 'models' }, max_epochs: { type: 'integer', default: 5 } },
  additionalProperties: false,
});

function sink() {
  let text = '';
  return { get text() { return text; }, write: (t: string) => (text += t) };
}

async function printConfig(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runCli((a) => main(a, out), argv, err);
  return { code, out: out.text, err: err.text };
}

afterEach(() => {
  process.exitCode = 0;
});

const dir = writeConfigs({
  '_base_/loop.yaml': 'pc_loop:\n  net: {type: PcNet, depths: [1, 2]}\n',
  'ok.yaml': '_base_: [./_base_/loop.yaml]\nwork_dir: out\n',
  'typo.yaml': '_base_: [./_base_/loop.yaml]\npc_loop: {max_epoch: 3}\n',
  'unknown.yaml': 'pc_loop: {net: {type: PcNte}}\n',
  'wrong_type.yaml': '_base_: [./_base_/loop.yaml]\npc_loop: {net: {depths: [1, two]}}\n',
  'missing_base.yaml': '_base_: [../_base_/nope.yaml]\n',
});

describe('tools/print_config', () => {
  it('prints the merged config with defaults and --cfg-options applied', async () => {
    const r = await printConfig([join(dir, 'ok.yaml'), '--cfg-options', 'pc_loop.net.depths.1=7', 'pc_loop.max_epochs=9']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Sections registered by other areas appear with their defaults as well.
    expect(parse(r.out)).toMatchObject({ pc_loop: { net: { type: 'PcNet', depths: [1, 7], width: 16 }, max_epochs: 9 }, work_dir: 'out' });
  });

  it('shows the test_cfg and search_cfg defaults a config without them gets', async () => {
    const r = await printConfig(['configs/track1/resnet48_bignas.yaml']);
    expect(r.code).toBe(0);
    const printed = parse(r.out) as Record<string, unknown>;
    expect(printed.test_cfg).toMatchObject({ calibrate_bn: true, calibrate_sample_num: 2000 });
    expect(printed.search_cfg).toMatchObject({ searcher: { type: 'EvolutionSearch', population_size: 50, max_generations: 20 } });
  });

  it('exits 2 on a key typo, suggesting the valid key', async () => {
    const r = await printConfig([join(dir, 'typo.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: Unknown key 'max_epoch' at pc_loop in .*typo\.yaml\. Did you mean 'max_epochs'\?/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown type, naming the nearest registered one', async () => {
    const r = await printConfig([join(dir, 'unknown.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: Unknown models type 'PcNte' at pc_loop\.net\.type in .*unknown\.yaml\. Did you mean 'PcNet'\?/);
  });

  it('exits 2 on a wrong value type, with the dotted path, value and expected type', async () => {
    const r = await printConfig([join(dir, 'wrong_type.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: Wrong type at pc_loop\.net\.depths\.1 in .*wrong_type\.yaml: got "two" \(string\), expected integer/);
  });

  it('exits 2 on a missing _base_ file, naming the including file and the path tried', async () => {
    const r = await printConfig([join(dir, 'missing_base.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`listed in _base_ of ${join(dir, 'missing_base.yaml')} was not found (looked for ${join(dir, '../_base_/nope.yaml')})`);
  });

  it('exits 2 on wrong usage', async () => {
    expect((await printConfig([])).code).toBe(2);
  });

  it('runs as a command: exit 2 without a stack, and the stack with --debug', async () => {
    const run = promisify(execFile);
    const cmd = ['tsx', 'tools/print_config.ts', join(dir, 'missing_base.yaml')];
    const plain = await run('npx', cmd).catch((e) => e);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^error: Base config '..\/_base_\/nope.yaml' listed in _base_/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await run('npx', [...cmd, '--debug']).catch((e) => e);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at .*load\.ts/);
  });
});
