// The README's search command on the MNIST configs must stay quick and must not score candidates
// on test labels: a small evolution search on a held-out part of the train split.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load_config.js';
import { selectIndices, type SplitConfig } from '../../src/datasets/split.js';

interface Section {
  max_samples?: number | null;
  dataset: { type: string; subset: string; split?: SplitConfig };
}

describe.each(['configs/mnist/resnet_mini_bignas.yaml', 'configs/mnist/resnet_mini_spos.yaml'])('%s', (file) => {
  it('validates and searches on a held-out part of the train split, disjoint from the images it trains on', async () => {
    const { config } = await loadConfig(file);
    const train = config.train_dataloader as Section;
    const val = config.val_dataloader as Section;
    const test = config.test_dataloader as Section;
    expect(val.dataset.subset).toBe('train');
    expect(val.dataset.split?.part).toBe('val');
    expect(train.dataset.split?.part).toBe('train');
    expect({ ...train.dataset.split, part: 'val' }).toEqual(val.dataset.split);
    expect(test.dataset.subset).toBe('test');
    const held = selectIndices(60_000, val.dataset.split!);
    const trained = new Set(selectIndices(60_000, train.dataset.split!));
    expect(held).toHaveLength(5000);
    expect(held.some((i) => trained.has(i))).toBe(false);
    expect(trained.size).toBe(55_000);
  });

  it('has a small search: at most 60 candidates on at most 1,000 held-out images, 256 for calibration', async () => {
    const { config } = await loadConfig(file);
    const search = config.search_cfg as { searcher: Record<string, number | string>; val_sample_num: number; calibrate_sample_num: number };
    expect(search.searcher.type).toBe('EvolutionSearch');
    expect(Number(search.searcher.population_size) * Number(search.searcher.max_generations)).toBeLessThanOrEqual(60);
    expect(search.val_sample_num).toBeLessThanOrEqual(1000);
    expect(search.calibrate_sample_num).toBeLessThanOrEqual(256);
  });
});

