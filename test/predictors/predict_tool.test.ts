import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeSpaceOfSupernet } from '../../src/track1/supernet_code_space.js';
import { main } from '../../tools/predict.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Supernet } from '../../src/models/types.js';
import { buildProxy } from '../../src/proxies/index.js';
import { lastJson, sink, writeTinyFixture } from '../tools/fixture.js';

/** Every subnet of the tiny fixture's space with a made-up accuracy and a made-up proxy score. */
function labelledFixture() {
  const fx = writeTinyFixture('mini');
  const space = codeSpaceOfSupernet(fx.architecture);
  const codes: string[] = [];
  for (const d1 of [1, 2]) for (const d2 of [1, 2]) for (const w1 of [1.0, 0.5]) for (const w2 of [1.0, 0.5]) for (const m of [1.0, 0.5]) {
    codes.push(space.encode({
      'stage1.depth': d1, 'stage1.out_channels': w1, 'stage1.block1.mid_channels': m, 'stage1.block2.mid_channels': 1.0,
      'stage2.depth': d2, 'stage2.out_channels': w2, 'stage2.block1.mid_channels': 1.0, 'stage2.block2.mid_channels': m,
    }));
  }
  const acc = (i: number) => 0.5 + 0.01 * i + 0.003 * Math.sin(i);
  const write = (name: string, entries: [string, Record<string, unknown>][]) => {
    const path = join(fx.dir, name);
    writeFileSync(path, JSON.stringify(Object.fromEntries(entries)));
    return path;
  };
  return {
    fx,
    train: write('train.json', codes.slice(0, 20).map((c, i) => [`arch${i + 1}`, { arch: c, acc: acc(i) }])),
    archs: write('archs.json', codes.slice(20).map((c, i) => [`arch${i + 21}`, { arch: c }])),
    proxy: write('proxy.json', codes.map((c, i) => [`arch${i + 1}`, { arch: c, acc: i }])),
  };
}

describe('tools/predict.ts', () => {
  it('fits on labelled subnets and predicts others as Track-1 JSON (keys and order kept, acc_std from the GP)', async () => {
    const { fx, train, archs, proxy } = labelledFixture();
    const model = join(fx.dir, 'gp.json');
    const o1 = sink();
    expect(await main(['fit', fx.config, '--train', train, '--out', model, '--feature', `zen=${proxy}`], o1)).toBe(0);
    expect(lastJson(o1.text)).toMatchObject({ subnets: 20, predictor: { type: 'GPNAS' } });
    expect((lastJson(o1.text).features as string[]).slice(-3)).toEqual(['log10_macs', 'log10_params', 'zen']);
    const out = join(fx.dir, 'pred.json');
    expect(await main(['predict', fx.config, model, '--archs', archs, '--out', out, '--feature', `zen=${proxy}`], sink())).toBe(0);
    const pred = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { arch: string; acc: number; acc_std: number }>;
    expect(Object.keys(pred)).toEqual(Object.keys(JSON.parse(readFileSync(archs, 'utf8'))));
    // The accuracies rise with the proxy column, so predictions beyond the training range keep rising.
    const accs = Object.values(pred).map((v) => v.acc);
    expect(accs[accs.length - 1]!).toBeGreaterThan(accs[0]!);
    for (const v of Object.values(pred)) expect(v.acc_std).toBeGreaterThan(0);
  });

  it('takes --predictor and --features, and refuses a model whose features are not all given', async () => {
    const { fx, train, archs, proxy } = labelledFixture();
    const model = join(fx.dir, 'ridge.json');
    const o = sink();
    expect(await main(['fit', fx.config, '--train', train, '--out', model, '--predictor', '{type: Ridge, alphas: [0.1]}', '--features', 'none', '--feature', `zen=${proxy}`], o)).toBe(0);
    expect(lastJson(o.text)).toMatchObject({ predictor: { type: 'Ridge', alphas: [0.1] }, features: ['zen'] });
    await expect(main(['predict', fx.config, model, '--archs', archs, '--out', join(fx.dir, 'p.json')], sink())).rejects.toThrow(/fitted on features zen/);
    await expect(main(['fit', fx.config, '--train', train, '--out', model, '--predictor', 'Gpnas'], sink())).rejects.toThrow(/Did you mean 'GPNAS'/);
  });

  it('PredictorScore makes a fitted model a proxy-like scorer, computing its named features with the given proxies', async () => {
    const { fx, train, archs } = labelledFixture();
    const space = codeSpaceOfSupernet(fx.architecture);
    const net = MODELS.build<Supernet>(fx.architecture as never);
    const all = { ...JSON.parse(readFileSync(train, 'utf8')), ...JSON.parse(readFileSync(archs, 'utf8')) } as Record<string, { arch: string }>;
    const macsFile = join(fx.dir, 'macs.json');
    writeFileSync(macsFile, JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, { arch: v.arch, acc: net.complexity(space.decode(v.arch)).macs }]))));
    const model = join(fx.dir, 'm.json');
    expect(await main(['fit', fx.config, '--train', train, '--out', model, '--predictor', 'Ridge', '--features', 'choices', '--feature', `m=${macsFile}`], sink())).toBe(0);
    const out = join(fx.dir, 'pred.json');
    expect(await main(['predict', fx.config, model, '--archs', archs, '--out', out, '--feature', `m=${macsFile}`], sink())).toBe(0);
    const pred = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { arch: string; acc: number }>;
    const scorer = buildProxy({ type: 'PredictorScore', model, features: { m: { type: 'MACs' } } });
    expect(scorer.batchSize).toBe(0);
    for (const v of Object.values(pred)) expect(scorer.score({ supernet: net, choices: space.decode(v.arch) }).score).toBeCloseTo(v.acc, 12);
    expect(() => buildProxy({ type: 'PredictorScore', model })).toThrow(/uses the features m/);
    net.dispose();
  });
});
