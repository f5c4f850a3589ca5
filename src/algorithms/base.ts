import type { Scalar } from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '../tf.js';
import { Module } from '../models/module.js';
import { isSupernet, type Classifier, type Supernet } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { LOSSES, MODELS, SAMPLERS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { Algorithm, TrainContext } from './types.js';
import type { SubnetSampler } from './samplers/types.js';
import { AlgorithmConfigError } from './errors.js';
import { locateError, locationOf } from '../config/locations.js';
import './samplers/index.js';

export interface AlgorithmConfig {
  architecture: TypedConfig;
}

export const ARCHITECTURE_PROPERTY = {
  'x-kind': 'models',
  description: 'The network trained by the algorithm (a supernet for NAS algorithms).',
};

export const DEFAULT_LOSS: TypedConfig = { type: 'CrossEntropyLoss' };
export const DEFAULT_DISTILL_LOSS: TypedConfig = { type: 'KLDivergence' };
export const DEFAULT_SAMPLER: TypedConfig = { type: 'UniformSampler' };

export function buildLoss(cfg: TypedConfig | undefined, fallback: TypedConfig): Loss {
  return LOSSES.build<Loss>(cfg ?? fallback);
}

/** The sampler of `model.sampler`, checked against the supernet it will draw from (constraints it can meet). */
export function buildSampler(cfg: TypedConfig | undefined, supernet?: Supernet): SubnetSampler {
  const sampler = SAMPLERS.build<SubnetSampler>(cfg ?? DEFAULT_SAMPLER);
  try {
    if (supernet) sampler.check?.(supernet, locationOf(cfg)?.path ?? 'model.sampler');
  } catch (err) {
    throw locateError(err, cfg);
  }
  return sampler;
}

/** The architecture as a supernet, or a clear error naming the algorithm that needs one. */
export function requireSupernet(arch: Classifier, algorithm: string, archType: string): Supernet {
  if (!isSupernet(arch)) {
    throw new AlgorithmConfigError(
      `${algorithm} trains a weight-sharing supernet, but model.architecture '${archType}' has no mutator. ` +
        'Use a supernet architecture, or ImageClassifier to train a fixed network.',
      algorithm,
      'architecture',
    );
  }
  return arch;
}

/** Module holding the architecture as its child `architecture` (so weights save as `architecture.*`). */
export abstract class BaseAlgorithm extends Module implements Algorithm {
  readonly architecture: Classifier;

  constructor(cfg: AlgorithmConfig) {
    super();
    this.architecture = this.addModule('architecture', MODELS.build<Classifier>(cfg.architecture));
  }

  /** Logits of the active network (validation and search call this). */
  forward(x: Tensor4D): Tensor {
    return this.architecture.forward(x);
  }

  abstract trainStep(batch: Batch, ctx: TrainContext): Record<string, number>;

  getState(): Record<string, unknown> {
    return {};
  }

  setState(_state: Record<string, unknown>): void {}
}

/** A supernet algorithm that draws subnets: its sampler's state is the algorithm's resumable state. */
export abstract class SamplingAlgorithm extends BaseAlgorithm {
  abstract readonly sampler: SubnetSampler;

  override getState(): Record<string, unknown> {
    return { sampler: this.sampler.getState() };
  }

  override setState(state: Record<string, unknown>): void {
    if (state.sampler) this.sampler.setState(state.sampler as Record<string, unknown>);
  }
}

/** A loss function for OptimWrapper.accumulate: forward the architecture and compare. */
export function supervisedLoss(arch: Classifier, loss: Loss, batch: Batch): () => Scalar {
  return () => loss.forward(arch.forward(batch.images), batch.labels);
}
