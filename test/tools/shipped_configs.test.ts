import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load_config.js';
import { loadConfigFile } from '../../src/config/load.js';
import { loadSubnet } from '../../src/mutables/subnet_yaml.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => relative(process.cwd(), join(e.parentPath, e.name)))
    .sort();
}

const all = yamlFiles(join(process.cwd(), 'configs'));
const pieces = all.filter((f) => f.split('/').includes('_base_'));
// Subnet files (mmrazor's `{alias: {chosen: v}}`) live under `subnets/` beside the configs using them.
const subnets = all.filter((f) => f.split('/').includes('subnets'));
const full = all.filter((f) => !pieces.includes(f) && !subnets.includes(f));

// Every shipped config must pass what print_config checks, so a user's first run never fails on it.
describe('shipped configs', () => {
  it('every _base_ piece loads (YAML and its own bases)', () => {
    for (const f of pieces) expect(() => loadConfigFile(f), f).not.toThrow();
  });

  it.each(subnets)('%s is a subnet file', (f) => {
    expect(() => loadSubnet(f), f).not.toThrow();
  });

  it.each(full)('%s validates', async (f) => {
    const { config } = await loadConfig(f);
    expect(config.model).toBeDefined();
  });
});
