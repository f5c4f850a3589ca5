import { Rng } from '../services/rng.js';
import { withDefaults } from './defaults.js';
import { COMMON_DATASET_PROPERTIES, InMemoryImages, type CommonDatasetConfig } from './dataset.js';

export interface SyntheticConfig extends CommonDatasetConfig {
  num_samples: number;
  image_size: [number, number];
  channels: number;
  num_classes: number;
  seed: number;
}

export const SYNTHETIC_SCHEMA = {
  type: 'object',
  properties: {
    num_samples: { type: 'integer', minimum: 1, default: 256, description: 'Number of images.' },
    image_size: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 2,
      maxItems: 2,
      default: [28, 28],
      description: 'Image [height, width].',
    },
    channels: { type: 'integer', minimum: 1, default: 1, description: 'Channels per pixel.' },
    num_classes: { type: 'integer', minimum: 1, default: 10, description: 'Labels are drawn from [0, num_classes).' },
    seed: { type: 'integer', default: 0, description: 'Seed of the pixels and labels.' },
    ...COMMON_DATASET_PROPERTIES,
  },
  additionalProperties: false,
};

/** Seeded random uint8 images and labels, for tests and benchmarks. */
export class Synthetic extends InMemoryImages {
  constructor(cfg: Partial<SyntheticConfig> = {}) {
    const c = withDefaults<SyntheticConfig>(SYNTHETIC_SCHEMA, cfg);
    const [height, width] = c.image_size;
    const rng = new Rng(`synthetic:${c.seed}`);
    const images = new Uint8Array(c.num_samples * height * width * c.channels);
    for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
    const labels = Int32Array.from({ length: c.num_samples }, () => rng.int(c.num_classes));
    const classes = Array.from({ length: c.num_classes }, (_, k) => String(k));
    super({ images, labels, count: c.num_samples, height, width, channels: c.channels }, classes, c);
  }
}
