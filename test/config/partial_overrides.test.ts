import { describe, expect, it } from 'vitest';
import { loadConfigFromText } from '../../src/cli/load_config.js';
import { ConfigError } from '../../src/config/errors.js';
import { join } from 'node:path';

const BASE = join(process.cwd(), 'configs/mnist/resnet_mini_bignas.yaml');
// The mnist config with its search_cfg taken out, as docs/search.md's example met it.
const NO_SEARCH = `_base_: [${JSON.stringify(BASE)}]\nsearch_cfg: {_delete_: true}\n`;

describe('--cfg-options into a typed section', () => {
  it("merges a partial searcher into the schema's default type instead of asking for 'type'", async () => {
    const { config } = await loadConfigFromText(NO_SEARCH, join(process.cwd(), 'x.yaml'), ['search_cfg.searcher.max_generations=10']);
    const searcher = (config.search_cfg as { searcher: Record<string, unknown> }).searcher;
    expect(searcher.type).toBe('EvolutionSearch');
    expect(searcher.max_generations).toBe(10);
    // The class's own defaults were filled in after the merge.
    expect(searcher.population_size).toBe(50);
  });

  it('keeps keys the file gave and overrides one of them', async () => {
    const { config } = await loadConfigFromText(`_base_: [${JSON.stringify(BASE)}]\n`, join(process.cwd(), 'x.yaml'), ['search_cfg.searcher.max_generations=2']);
    const searcher = (config.search_cfg as { searcher: Record<string, unknown> }).searcher;
    expect(searcher).toMatchObject({ type: 'EvolutionSearch', population_size: 10, max_generations: 2 });
  });

  it('names --cfg-options, not the file, for a section the command line created without a type', async () => {
    // `model` has no default class to merge into.
    const err = await loadConfigFromText('randomness: {seed: 0}\n', join(process.cwd(), 'x.yaml'), ['model.num_random_samples=3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/Missing key 'type' at model \(set by --cfg-options\)/);
    expect((err as Error).message).not.toMatch(/x\.yaml/);
  });

  it('merges a sampler given only by its arguments into the default sampler', async () => {
    const text = `_base_: [${JSON.stringify(BASE)}]\nmodel: {sampler: {_delete_: true}}\n`;
    const { config } = await loadConfigFromText(text, join(process.cwd(), 'x.yaml'), ['model.sampler.max_retries=7']);
    expect((config.model as { sampler: unknown }).sampler).toMatchObject({ type: 'UniformSampler', max_retries: 7 });
  });

  it("reports a bad value inside the merged default at its --cfg-options path", async () => {
    const err = await loadConfigFromText(NO_SEARCH, join(process.cwd(), 'x.yaml'), ['search_cfg.searcher.max_generations=0']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/search_cfg\.searcher\.max_generations.*--cfg-options/);
  });
});
