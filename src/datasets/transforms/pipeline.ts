import { TRANSFORMS } from '../../registry/registries.js';
import type { TypedConfig } from '../../registry/registry.js';
import { Rng } from '../../services/rng.js';
import { PipelineError } from '../errors.js';
import { opOutputSize, type GeomOp, type Size } from './geometry.js';
import type { GeometricTransform, Transform } from './types.js';

/** The rng of one sample: a function of seed, epoch and sample index only, so resume and workers are exact. */
export function sampleRng(seed: number, epoch: number, index: number): Rng {
  return new Rng(`${seed}:${epoch}:${index}`);
}

/**
 * A dataset's `pipeline:` compiled into geometric steps and one fused per-channel affine map
 * (ToTensor scale then each Normalize), applied while copying pixels into the batch.
 */
export class CompiledPipeline {
  readonly geometric: GeometricTransform[] = [];
  readonly random: boolean;
  /** Float value of pixel p in channel c: p * mul[c] + add[c]. */
  readonly mul: Float64Array;
  readonly add: Float64Array;

  constructor(configs: readonly TypedConfig[], readonly channels: number) {
    let scale: number | null = null;
    const affines: Transform[] = [];
    configs.forEach((cfg, i) => {
      const t = TRANSFORMS.build<Transform>(cfg);
      const where = `pipeline[${i}] (${cfg.type})`;
      if (t.stage === 'geometric') {
        if (scale !== null) throw new PipelineError(`${where} is a geometric transform after ToTensor: move it before ToTensor.`);
        this.geometric.push(t);
      } else if (t.stage === 'tensor') {
        if (scale !== null) throw new PipelineError(`${where}: the pipeline has two ToTensor steps; keep one.`);
        scale = t.scale;
      } else if (t.stage === 'affine') {
        if (scale === null) throw new PipelineError(`${where} comes before ToTensor: put ToTensor first (Normalize works on its float values).`);
        affines.push(t);
      } else {
        throw new PipelineError(`${where} is not a transform this loader can run (no geometric, tensor or affine stage).`);
      }
    });
    this.random = this.geometric.some((t) => t.random);
    this.mul = new Float64Array(channels).fill(scale ?? 1 / 255);
    this.add = new Float64Array(channels);
    for (const t of affines) {
      if (t.stage !== 'affine') continue;
      const { mul, add } = t.affine(channels);
      for (let c = 0; c < channels; c++) {
        this.mul[c] = this.mul[c]! * mul[c]!;
        this.add[c] = this.add[c]! * mul[c]! + add[c]!;
      }
    }
  }

  /** Geometric ops for sample `index` of `epoch`, whose decoded size is `size`. */
  plan(size: Size, seed: number, epoch: number, index: number): GeomOp[] {
    if (this.geometric.length === 0) return [];
    const rng = this.random ? sampleRng(seed, epoch, index) : (null as unknown as Rng);
    const ops: GeomOp[] = [];
    let current = size;
    for (const t of this.geometric) {
      for (const op of t.plan(current, rng)) {
        ops.push(op);
        current = opOutputSize(current, op);
      }
    }
    return ops;
  }

  /** Output size for an input size (null input: images of different sizes); null if it varies. */
  outputSize(size: Size | null): Size | null {
    return this.geometric.reduce<Size | null>((s, t) => t.outputSize(s), size);
  }
}
