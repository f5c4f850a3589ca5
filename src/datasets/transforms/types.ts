import type { Rng } from '../../services/rng.js';
import type { GeomOp, Size } from './geometry.js';

/** Changes the geometry of a sample (crop, resize, flip); runs before ToTensor. */
export interface GeometricTransform {
  readonly stage: 'geometric';
  /** Whether plan draws from the rng (a pipeline without one needs no per-sample rng). */
  readonly random: boolean;
  /** The ops for an image of `size`; randomness comes only from rng. */
  plan(size: Size, rng: Rng): GeomOp[];
  /** Output size for an input size, or null where it depends on the input and the input is unknown. */
  outputSize(size: Size | null): Size | null;
}

/** Turns uint8 pixels into float32 values (times `scale`). */
export interface TensorTransform {
  readonly stage: 'tensor';
  readonly scale: number;
}

/** A per-channel affine map on float values (Normalize); runs after ToTensor. */
export interface ChannelAffineTransform {
  readonly stage: 'affine';
  /** out = in * mul[c] + add[c] for an image of `channels` channels. */
  affine(channels: number): { mul: Float64Array; add: Float64Array };
}

/** What a registered transform class must implement. */
export type Transform = GeometricTransform | TensorTransform | ChannelAffineTransform;
