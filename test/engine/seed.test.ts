import { describe, expect, it } from 'vitest';
import { applySeed } from '../../src/engine/seed.js';

describe('applySeed', () => {
  it('sets the runner seed and the initial-weight seed of the architecture', () => {
    const config: Record<string, unknown> = {
      randomness: { seed: 0, deterministic: true },
      model: { type: 'SPOS', architecture: { type: 'ResNetSupernet', init_seed: 0 } },
    };
    applySeed(config, 7);
    expect(config.randomness).toEqual({ seed: 7, deterministic: true });
    expect((config.model as { architecture: { init_seed: number } }).architecture.init_seed).toBe(7);
  });

  it('seeds a bare network and leaves networks without init_seed alone', () => {
    const bare: Record<string, unknown> = { model: { type: 'FixedNet', init_seed: 0 } };
    applySeed(bare, 3);
    expect((bare.model as { init_seed: number }).init_seed).toBe(3);
    const plugin: Record<string, unknown> = { model: { type: 'ImageClassifier', architecture: { type: 'myplugin/TinyMLP' } } };
    applySeed(plugin, 3);
    expect((plugin.model as { architecture: object }).architecture).toEqual({ type: 'myplugin/TinyMLP' });
  });
});
