import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { main as searchMain } from '../../tools/search.js';
import { lastJson, sink, writeTinyFixture } from '../tools/fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const macsOf = (workDir: string) =>
  (JSON.parse(readFileSync(join(workDir, 'candidates.json'), 'utf8')) as { candidates: { macs: number; generation: number }[] }).candidates;

describe('tools/search.ts with search_cfg.prior', () => {
  it('builds any registered proxy as the prior: generation 0 spends supernet scores on the subnets it ranks best', async () => {
    const fx = writeTinyFixture();
    const common = [fx.config, fx.checkpoint, '--backend', 'cpu', '--cfg-options', 'search_cfg.calibrate_sample_num=8', 'search_cfg.val_sample_num=8', 'search_cfg.searcher.max_generations=1'];
    const plainDir = join(fx.dir, 'plain');
    expect(await searchMain([...common, '--work-dir', plainDir], sink())).toBe(0);
    const priorDir = join(fx.dir, 'prior');
    const o = sink();
    expect(await searchMain([...common, 'search_cfg.prior={type: MACs}', 'search_cfg.searcher.prior_oversample=4', '--work-dir', priorDir], o)).toBe(0);
    expect(lastJson(o.text)).toMatchObject({ num_candidates: macsOf(plainDir).length });
    const gen0 = (dir: string) => macsOf(dir).filter((c) => c.generation === 0).map((c) => c.macs);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(gen0(priorDir))).toBeGreaterThan(mean(gen0(plainDir)));

    const zenDir = join(fx.dir, 'zen');
    expect(await searchMain([...common, 'search_cfg.prior={type: SNIP, batch_size: 8}', '--work-dir', zenDir], sink())).toBe(0);
    await expect(searchMain([...common, 'search_cfg.prior={type: Zen}', '--work-dir', zenDir], sink())).rejects.toThrow(/Unknown proxies type 'Zen'/);
  });
});
