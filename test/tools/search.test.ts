import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { main as searchMain } from '../../tools/search.js';
import { lastJson, sink, writeTinyFixture } from './fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tools/search.ts', () => {
  it('runs an evolution search under a macs constraint, writes its outputs, and a rerun resumes to the same result', async () => {
    const fx = writeTinyFixture();
    const workDir = join(fx.dir, 'search');
    const argv = [
      fx.config, fx.checkpoint, '--work-dir', workDir, '--backend', 'cpu',
      '--cfg-options', 'search_cfg.searcher.constraints={macs: [0, 200000]}', 'search_cfg.calibrate_sample_num=8',
    ];
    const o1 = sink();
    expect(await searchMain(argv, o1)).toBe(0);
    const r1 = lastJson(o1.text) as { best: { acc: number; macs: number }; num_candidates: number };
    for (const f of ['best_subnet.yaml', 'candidates.json', 'pareto.svg', 'search_state.json']) expect(existsSync(join(workDir, f))).toBe(true);
    const cands = JSON.parse(readFileSync(join(workDir, 'candidates.json'), 'utf8')) as { candidates: { macs: number; acc: number; pareto: boolean }[] };
    expect(cands.candidates).toHaveLength(r1.num_candidates);
    expect(cands.candidates.every((c) => c.macs <= 200000)).toBe(true);
    expect(cands.candidates.some((c) => c.pareto)).toBe(true);
    expect(r1.best.acc).toBe(Math.max(...cands.candidates.map((c) => c.acc)));
    const bestOnFront = cands.candidates.find((c) => c.pareto && c.acc === r1.best.acc && c.macs === r1.best.macs);
    expect(bestOnFront).toBeDefined();
    const best = parse(readFileSync(join(workDir, 'best_subnet.yaml'), 'utf8')) as Record<string, { chosen: number }>;
    expect(Object.values(best).every((v) => typeof v.chosen === 'number')).toBe(true);
    const pareto = readFileSync(join(workDir, 'pareto.svg'), 'utf8');
    expect(pareto).toMatch(/^<svg|<\?xml/);
    // The plot names the method and config, says what the score is, in one unit, and draws the limit.
    expect(pareto).toMatch(/>EvolutionSearch on tiny\.yaml: \d+ candidates; best [\d.]+% at [\d.]+ M MACs</);
    expect(pareto).toMatch(/>top-1 on \d+ val_dataloader images, BN re-calibrated \(%\)</);
    expect(pareto).toContain('>MACs limit 0.20 M</text>');

    const o2 = sink();
    expect(await searchMain(argv, o2)).toBe(0);
    expect(lastJson(o2.text)).toEqual(r1);
  });
});
