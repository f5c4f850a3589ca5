import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import { codeSpaceOfSupernet } from '../../src/track1/supernet_code_space.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { buildProxy, loadProxyBatch } from '../../src/proxies/index.js';
import { main } from '../../tools/analysis/proxies.js';
import { lastJson, sink, writeTinyFixture } from '../tools/fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The tiny fixture and an archs file of four subnets of its space. */
function fixtureWithArchs() {
  const fx = writeTinyFixture('mini');
  const space = codeSpaceOfSupernet(fx.architecture);
  const subnets = [
    { 'stage1.depth': 1, 'stage1.out_channels': 1.0, 'stage1.block1.mid_channels': 0.5, 'stage1.block2.mid_channels': 1.0, 'stage2.depth': 2, 'stage2.out_channels': 0.5, 'stage2.block1.mid_channels': 1.0, 'stage2.block2.mid_channels': 0.5 },
    { 'stage1.depth': 2, 'stage1.out_channels': 0.5, 'stage1.block1.mid_channels': 0.5, 'stage1.block2.mid_channels': 0.5, 'stage2.depth': 1, 'stage2.out_channels': 1.0, 'stage2.block1.mid_channels': 1.0, 'stage2.block2.mid_channels': 1.0 },
    { 'stage1.depth': 2, 'stage1.out_channels': 1.0, 'stage1.block1.mid_channels': 1.0, 'stage1.block2.mid_channels': 1.0, 'stage2.depth': 2, 'stage2.out_channels': 1.0, 'stage2.block1.mid_channels': 1.0, 'stage2.block2.mid_channels': 1.0 },
    { 'stage1.depth': 1, 'stage1.out_channels': 0.5, 'stage1.block1.mid_channels': 0.5, 'stage1.block2.mid_channels': 1.0, 'stage2.depth': 1, 'stage2.out_channels': 0.5, 'stage2.block1.mid_channels': 0.5, 'stage2.block2.mid_channels': 1.0 },
  ];
  const archs = join(fx.dir, 'archs.json');
  writeFileSync(archs, JSON.stringify(Object.fromEntries(subnets.map((s, i) => [`arch${i + 1}`, { arch: space.encode(s) }]))));
  return { fx, space, archs };
}

describe('tools/analysis/proxies.ts', () => {
  it('writes Track-1 JSON with acc = the proxy score of the same train images, sharded, and resumes as a no-op', async () => {
    const { fx, space, archs } = fixtureWithArchs();
    const out = join(fx.dir, 'naswot_0.json');
    const args = [fx.config, '--archs', archs, '--out', out, '--proxy', '{type: NASWOT, batch_size: 8}', '--shard', '0/2', '--backend', 'cpu'];
    const o1 = sink();
    expect(await main(args, o1)).toBe(0);
    expect(lastJson(o1.text)).toMatchObject({ scored: 2, resumed: 0, batch_size: 8, proxy: { type: 'NASWOT', batch_size: 8, seed: 0, init: 'kaiming' } });
    const scored = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { arch: string; acc: number }>;
    expect(Object.keys(scored)).toEqual(['arch1', 'arch3']);

    const { config } = await loadConfig(fx.config);
    const net = MODELS.build<Supernet>(fx.architecture as never);
    const batch = await loadProxyBatch(config, 8);
    const proxy = buildProxy({ type: 'NASWOT', batch_size: 8 });
    for (const v of Object.values(scored)) expect(v.acc).toBe(proxy.score({ supernet: net, choices: space.decode(v.arch), batch }).score);
    tf.dispose([batch.images, batch.labels]);
    net.dispose();

    const o2 = sink();
    expect(await main(args, o2)).toBe(0);
    expect(lastJson(o2.text)).toMatchObject({ scored: 0, resumed: 2 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(scored);
  });

  it('keeps one journal per proxy setting, reads --proxy NAME and --seed, and names the registered proxies for an unknown one', async () => {
    const { fx, archs } = fixtureWithArchs();
    const out = join(fx.dir, 'scores.json');
    const common = [fx.config, '--archs', archs, '--out', out, '--backend', 'cpu'];
    const run = async (...extra: string[]) => {
      const o = sink();
      expect(await main([...common, ...extra], o)).toBe(0);
      return { report: lastJson(o.text), acc: Object.values(JSON.parse(readFileSync(out, 'utf8')) as Record<string, { acc: number }>).map((v) => v.acc) };
    };
    const zen0 = await run('--proxy', 'ZenScore', '--cfg-options', 'proxy_cfg.batch_size=4');
    expect(zen0.report).toMatchObject({ scored: 4, batch_size: 0 });
    const zen1 = await run('--proxy', 'ZenScore', '--cfg-options', 'proxy_cfg.batch_size=4', '--seed', '1');
    expect(zen1.report).toMatchObject({ scored: 4, proxy: { seed: 1 } });
    expect(zen1.acc).not.toEqual(zen0.acc);
    const macs = await run('--proxy', 'MACs');
    expect(macs.report).toMatchObject({ scored: 4 });
    expect(macs.acc[2]).toBe(Math.max(...macs.acc));
    await expect(main([...common, '--proxy', 'ZenScor'], sink())).rejects.toThrow(/Unknown proxies type 'ZenScor'.*ZenScore/);
  });
});
