import { isSupernet } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { ALGORITHMS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { TrainContext } from './types.js';
import { AlgorithmConfigError } from './errors.js';
import { ARCHITECTURE_PROPERTY, BaseAlgorithm, DEFAULT_LOSS, buildLoss, supervisedLoss, type AlgorithmConfig } from './base.js';
import { SUBNET_SPEC_SCHEMA, fixSubnet, resolveSubnet, type SubnetSpec } from './subnet.js';

export interface ImageClassifierConfig extends AlgorithmConfig {
  subnet?: SubnetSpec;
  loss?: TypedConfig;
}

/**
 * Plain supervised training of one network: a fixed net, or one subnet of a supernet frozen by
 * `subnet` (stand-alone training of a subnet, the ground truth of ranking studies). A supernet
 * without `subnet` trains its max subnet (frozen likewise).
 */
export class ImageClassifier extends BaseAlgorithm {
  readonly loss: Loss;

  constructor(cfg: ImageClassifierConfig) {
    super(cfg);
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
    const arch = this.architecture;
    if (isSupernet(arch)) {
      const choices = cfg.subnet !== undefined ? resolveSubnet(cfg.subnet, arch, 'model.subnet') : arch.mutator.setMax();
      fixSubnet(arch, choices);
    } else if (cfg.subnet !== undefined) {
      throw new AlgorithmConfigError(
        `model.subnet is set but model.architecture '${cfg.architecture.type}' is not a supernet (it has no mutator).`,
        'ImageClassifier',
        'subnet',
      );
    }
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    const loss = ctx.optim.accumulate(supervisedLoss(this.architecture, this.loss, batch));
    ctx.optim.step();
    return { loss };
  }
}

export const IMAGE_CLASSIFIER_SCHEMA = {
  type: 'object',
  description: 'Supervised training of one network (optionally one fixed subnet of a supernet).',
  properties: {
    architecture: ARCHITECTURE_PROPERTY,
    subnet: { ...SUBNET_SPEC_SCHEMA, description: `Subnet to train stand-alone when the architecture is a supernet (default: its max subnet). ${SUBNET_SPEC_SCHEMA.description}` },
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss.' },
  },
  required: ['architecture'],
  additionalProperties: false,
};

ALGORITHMS.register('ImageClassifier', ImageClassifier, { schema: IMAGE_CLASSIFIER_SCHEMA });
