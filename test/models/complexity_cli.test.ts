import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../tools/analysis/complexity.js';
import { saveSubnet } from '../../src/mutables/index.js';

const TRACK1 = 'configs/_base_/supernets/resnet48_track1.yaml';
const CODE = '1252233313000000223212122253130000000000006515000000';

function capture(): { text: () => string; write: (t: string) => void } {
  let buf = '';
  return { text: () => buf, write: (t: string) => { buf += t; } };
}

describe('tools/analysis/complexity.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cx-'));

  it('--max / --min / --arch print one JSON line each', async () => {
    const out = capture();
    await main([TRACK1, '--max', '--min', '--arch', CODE], out);
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ subnet: 'max', macs: 5_282_238_464, params: 34_043_688 });
    expect(lines[1].subnet).toBe('min');
    expect(lines[2].subnet).toBe(CODE);
    expect(lines[2].macs).toBeGreaterThan(lines[1].macs);
  });

  it('--archs writes macs and params in input order', async () => {
    const archs = join(dir, 'archs.json');
    const outPath = join(dir, 'out.json');
    const maxCode = `1${'5585'}1${'11'.repeat(5)}${'11'.repeat(5)}${'11'.repeat(8)}${'11'.repeat(5)}`;
    writeFileSync(archs, JSON.stringify({ b: { arch: maxCode, acc: 0 }, a: { arch: CODE } }));
    await main([TRACK1, '--archs', archs, '--out', outPath], capture(), capture());
    const result = JSON.parse(readFileSync(outPath, 'utf8'));
    expect(Object.keys(result)).toEqual(['b', 'a']);
    expect(result.b).toEqual({ arch: maxCode, macs: 5_282_238_464, params: 34_043_688 });
    expect(result.a.arch).toBe(CODE);
  });

  it('--subnet reads a subnet file; bad inputs name the file and key', async () => {
    const subnet = join(dir, 'min.yaml');
    saveSubnet(subnet, { 'stage1.depth': 2, 'stage3.depth': 2 });
    const out = capture();
    await main([TRACK1, '--subnet', subnet], out);
    expect(JSON.parse(out.text()).macs).toBeLessThan(5_282_238_464);

    const archs = join(dir, 'bad.json');
    writeFileSync(archs, JSON.stringify({ ok: { arch: CODE }, broken: { arch: CODE.replace(/^1252/, '1292') } }));
    await expect(main([TRACK1, '--archs', archs, '--out', join(dir, 'x.json')], capture(), capture())).rejects.toThrow(/key "broken"/);
    await expect(main([TRACK1], capture())).rejects.toThrow(/Usage/);
  });

  it('imports the config\'s custom_imports, so a plugin\'s supernet is counted', async () => {
    // A plugin that registers the core ResNetSupernet under its own name: counting it through the
    // plugin name must give the same figures as the core name.
    const root = process.cwd();
    writeFileSync(join(dir, 'cx_plugin.ts'), [
      `import { MODELS } from ${JSON.stringify(join(root, 'src/registry/registries.js'))};`,
      `await import(${JSON.stringify(join(root, 'src/register_all.js'))});`,
      "const core = MODELS.get('ResNetSupernet');",
      "MODELS.register('cxplugin/ResNet', core.ctor, { schema: core.schema, override: true });",
    ].join('\n'));
    const space = readFileSync('configs/_base_/supernets/resnet_mini.yaml', 'utf8');
    writeFileSync(join(dir, 'plugin_space.yaml'),
      `custom_imports: [./cx_plugin.ts]\n${space.replace('type: ResNetSupernet', 'type: cxplugin/ResNet')}`);
    const viaPlugin = capture();
    await main([join(dir, 'plugin_space.yaml'), '--max'], viaPlugin);
    const core = capture();
    await main(['configs/_base_/supernets/resnet_mini.yaml', '--max'], core);
    expect(viaPlugin.text()).toBe(core.text());
    expect(JSON.parse(core.text()).macs).toBeGreaterThan(0);
  });
});
