import type { Rng } from '../../services/rng.js';
import { withDefaults } from '../defaults.js';
import { PipelineError } from '../errors.js';
import type { GeomOp, Size } from './geometry.js';
import type { ChannelAffineTransform, GeometricTransform, TensorTransform } from './types.js';

type SizeSpec = number | [number, number];

const SIZE_PROP = (description: string) => ({
  oneOf: [
    { type: 'integer', minimum: 1 },
    { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2 },
  ],
  description,
});

function toSize(spec: SizeSpec): Size {
  return typeof spec === 'number' ? { height: spec, width: spec } : { height: spec[0], width: spec[1] };
}

/** torchvision's rounding of a centred offset. */
function centred(outer: number, inner: number): number {
  return Math.round((outer - inner) / 2);
}

export interface RandomResizedCropConfig {
  size: SizeSpec;
  scale: [number, number];
  ratio: [number, number];
}

export const RANDOM_RESIZED_CROP_SCHEMA = {
  type: 'object',
  properties: {
    size: SIZE_PROP('Output size: an integer (square) or [height, width].'),
    scale: {
      type: 'array', items: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, minItems: 2, maxItems: 2,
      default: [0.08, 1.0], description: 'Range of the crop area as a fraction of the image area.',
    },
    ratio: {
      type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 2, maxItems: 2,
      default: [3 / 4, 4 / 3], description: 'Range of the crop aspect ratio (width / height), drawn log-uniformly.',
    },
  },
  required: ['size'],
  additionalProperties: false,
};

/** Crop a random area and aspect ratio, then resize to size (torchvision's algorithm, 10 tries then a centre crop). */
export class RandomResizedCrop implements GeometricTransform {
  readonly stage = 'geometric' as const;
  readonly random = true;
  private readonly cfg: RandomResizedCropConfig;

  constructor(cfg: Partial<RandomResizedCropConfig>) {
    this.cfg = withDefaults<RandomResizedCropConfig>(RANDOM_RESIZED_CROP_SCHEMA, cfg);
  }

  plan(size: Size, rng: Rng): GeomOp[] {
    const { height: H, width: W } = size;
    const [s0, s1] = this.cfg.scale;
    const [r0, r1] = this.cfg.ratio;
    const area = H * W;
    let crop: { top: number; left: number; height: number; width: number } | null = null;
    for (let attempt = 0; attempt < 10 && !crop; attempt++) {
      const target = area * (s0 + (s1 - s0) * rng.random());
      const aspect = Math.exp(Math.log(r0) + (Math.log(r1) - Math.log(r0)) * rng.random());
      const w = Math.round(Math.sqrt(target * aspect));
      const h = Math.round(Math.sqrt(target / aspect));
      if (w > 0 && h > 0 && w <= W && h <= H) {
        crop = { top: rng.int(H - h + 1), left: rng.int(W - w + 1), height: h, width: w };
      }
    }
    if (!crop) {
      const inRatio = W / H;
      let w = W;
      let h = H;
      if (inRatio < Math.min(r0, r1)) h = Math.round(W / Math.min(r0, r1));
      else if (inRatio > Math.max(r0, r1)) w = Math.round(H * Math.max(r0, r1));
      crop = { top: Math.floor((H - h) / 2), left: Math.floor((W - w) / 2), height: h, width: w };
    }
    return [{ op: 'crop', ...crop }, { op: 'resize', ...toSize(this.cfg.size) }];
  }

  outputSize(): Size {
    return toSize(this.cfg.size);
  }
}

export interface ResizeConfig {
  size: SizeSpec;
}

export const RESIZE_SCHEMA = {
  type: 'object',
  properties: {
    size: SIZE_PROP('[height, width], or an integer: the shorter side becomes size, keeping the aspect ratio.'),
  },
  required: ['size'],
  additionalProperties: false,
};

/** Resize to [height, width], or the shorter side to an integer size (torchvision's Resize). */
export class Resize implements GeometricTransform {
  readonly stage = 'geometric' as const;
  readonly random = false;
  private readonly size: SizeSpec;

  constructor(cfg: Partial<ResizeConfig>) {
    this.size = withDefaults<ResizeConfig>(RESIZE_SCHEMA, cfg).size;
  }

  outputSize(size: Size | null): Size | null {
    if (typeof this.size !== 'number') return toSize(this.size);
    if (!size) return null;
    const s = this.size;
    return size.height <= size.width
      ? { height: s, width: Math.floor((s * size.width) / size.height) }
      : { height: Math.floor((s * size.height) / size.width), width: s };
  }

  plan(size: Size): GeomOp[] {
    return [{ op: 'resize', ...this.outputSize(size)! }];
  }
}

export interface CenterCropConfig {
  size: SizeSpec;
}

export const CENTER_CROP_SCHEMA = {
  type: 'object',
  properties: { size: SIZE_PROP('Output size: an integer (square) or [height, width]; a larger size pads with 0.') },
  required: ['size'],
  additionalProperties: false,
};

/** Crop the centre to size. */
export class CenterCrop implements GeometricTransform {
  readonly stage = 'geometric' as const;
  readonly random = false;
  private readonly size: Size;

  constructor(cfg: Partial<CenterCropConfig>) {
    this.size = toSize(withDefaults<CenterCropConfig>(CENTER_CROP_SCHEMA, cfg).size);
  }

  plan(size: Size): GeomOp[] {
    const { height, width } = this.size;
    return [{ op: 'crop', top: centred(size.height, height), left: centred(size.width, width), height, width }];
  }

  outputSize(): Size {
    return this.size;
  }
}

export interface RandomCropConfig {
  size: SizeSpec;
  padding: number;
}

export const RANDOM_CROP_SCHEMA = {
  type: 'object',
  properties: {
    size: SIZE_PROP('Output size: an integer (square) or [height, width].'),
    padding: { type: 'integer', minimum: 0, default: 0, description: 'Zero padding added on every side before cropping (CIFAR: 4).' },
  },
  required: ['size'],
  additionalProperties: false,
};

/** Pad by `padding` zeros on each side, then crop size at a random position. */
export class RandomCrop implements GeometricTransform {
  readonly stage = 'geometric' as const;
  readonly random = true;
  private readonly size: Size;
  private readonly padding: number;

  constructor(cfg: Partial<RandomCropConfig>) {
    const c = withDefaults<RandomCropConfig>(RANDOM_CROP_SCHEMA, cfg);
    this.size = toSize(c.size);
    this.padding = c.padding;
  }

  plan(size: Size, rng: Rng): GeomOp[] {
    const { height, width } = this.size;
    const p = this.padding;
    const slackY = size.height + 2 * p - height;
    const slackX = size.width + 2 * p - width;
    if (slackY < 0 || slackX < 0) {
      throw new PipelineError(
        `RandomCrop size [${height}, ${width}] exceeds the padded image [${size.height + 2 * p}, ${size.width + 2 * p}]: ` +
          'use a smaller size, more padding, or a Resize before it.',
      );
    }
    return [{ op: 'crop', top: rng.int(slackY + 1) - p, left: rng.int(slackX + 1) - p, height, width }];
  }

  outputSize(): Size {
    return this.size;
  }
}

export interface RandomHorizontalFlipConfig {
  prob: number;
}

export const RANDOM_HORIZONTAL_FLIP_SCHEMA = {
  type: 'object',
  properties: { prob: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Probability of mirroring left-right.' } },
  additionalProperties: false,
};

/** Mirror left-right with probability prob. */
export class RandomHorizontalFlip implements GeometricTransform {
  readonly stage = 'geometric' as const;
  readonly random = true;
  private readonly prob: number;

  constructor(cfg: Partial<RandomHorizontalFlipConfig> = {}) {
    this.prob = withDefaults<RandomHorizontalFlipConfig>(RANDOM_HORIZONTAL_FLIP_SCHEMA, cfg).prob;
  }

  plan(_size: Size, rng: Rng): GeomOp[] {
    return rng.random() < this.prob ? [{ op: 'flip' }] : [];
  }

  outputSize(size: Size | null): Size | null {
    return size;
  }
}

export interface ToTensorConfig {
  scale: boolean;
}

export const TO_TENSOR_SCHEMA = {
  type: 'object',
  properties: {
    scale: { type: 'boolean', default: true, description: 'Divide by 255 (values in [0, 1]); false keeps 0..255.' },
  },
  additionalProperties: false,
};

/** uint8 pixels to float32 NHWC values; added at the end of a pipeline that lacks it. */
export class ToTensor implements TensorTransform {
  readonly stage = 'tensor' as const;
  readonly scale: number;

  constructor(cfg: Partial<ToTensorConfig> = {}) {
    this.scale = withDefaults<ToTensorConfig>(TO_TENSOR_SCHEMA, cfg).scale ? 1 / 255 : 1;
  }
}

export interface NormalizeConfig {
  mean: number[];
  std: number[];
}

export const NORMALIZE_SCHEMA = {
  type: 'object',
  properties: {
    mean: { type: 'array', items: { type: 'number' }, minItems: 1, description: 'Per-channel mean (one value: all channels), in the units ToTensor gives.' },
    std: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 1, description: 'Per-channel standard deviation, same units.' },
  },
  required: ['mean', 'std'],
  additionalProperties: false,
};

/** (x - mean[c]) / std[c] per channel, after ToTensor. */
export class Normalize implements ChannelAffineTransform {
  readonly stage = 'affine' as const;
  private readonly cfg: NormalizeConfig;

  constructor(cfg: Partial<NormalizeConfig>) {
    this.cfg = withDefaults<NormalizeConfig>(NORMALIZE_SCHEMA, cfg);
    if (!this.cfg.std || this.cfg.std.some((s) => !(s > 0))) {
      throw new PipelineError(`Normalize std must be positive numbers, got ${JSON.stringify(this.cfg.std)}.`);
    }
  }

  affine(channels: number): { mul: Float64Array; add: Float64Array } {
    const { mean, std } = this.cfg;
    for (const [name, values] of [['mean', mean], ['std', std]] as const) {
      if (values.length !== 1 && values.length !== channels) {
        throw new PipelineError(`Normalize ${name} has ${values.length} values for images of ${channels} channel(s): give 1 or ${channels}.`);
      }
    }
    const at = (values: number[], c: number) => values[values.length === 1 ? 0 : c]!;
    const mul = Float64Array.from({ length: channels }, (_, c) => 1 / at(std, c));
    const add = Float64Array.from({ length: channels }, (_, c) => -at(mean, c) / at(std, c));
    return { mul, add };
  }
}
