import { tf, type Tensor } from '../../tf.js';
import { Rng } from '../../services/rng.js';

/**
 * How ops are built: `rng` seeds weight init (a seeded build is reproducible); with
 * `allocate: false` no tensors are made, so a model can be walked for its complexity only.
 */
export interface BuildContext {
  rng: Rng;
  allocate: boolean;
}

export function buildContext(opts: Partial<BuildContext> & { seed?: number } = {}): BuildContext {
  return { rng: opts.rng ?? new Rng(opts.seed ?? 0), allocate: opts.allocate ?? true };
}

function seedFrom(rng: Rng): number {
  return rng.int(2 ** 31);
}

/** Kaiming normal, fan_out mode, ReLU gain (torchvision ResNet init). */
export function kaimingNormalFanOut(shape: number[], fanOut: number, rng: Rng): Tensor {
  return tf.randomNormal(shape, 0, Math.sqrt(2 / fanOut), 'float32', seedFrom(rng));
}

/** PyTorch nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias. */
export function linearDefault(shape: number[], fanIn: number, rng: Rng): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform(shape, -bound, bound, 'float32', seedFrom(rng));
}
