import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import type { Classifier, Supernet } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { ALGORITHMS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { TrainContext } from './types.js';
import type { SubnetSampler } from './samplers/types.js';
import { AlgorithmConfigError } from './errors.js';
import {
  ARCHITECTURE_PROPERTY,
  SamplingAlgorithm,
  DEFAULT_DISTILL_LOSS,
  DEFAULT_LOSS,
  DEFAULT_SAMPLER,
  buildLoss,
  buildSampler,
  requireSupernet,
  type AlgorithmConfig,
} from './base.js';
import { initFromCheckpoint } from './init_checkpoint.js';
import { TEACHER_SCHEMA, buildTeacher, type TeacherConfig } from './teacher.js';

export interface SupernetDistillConfig extends AlgorithmConfig {
  teacher: TeacherConfig;
  sampler?: TypedConfig;
  loss?: TypedConfig;
  distill_loss?: TypedConfig;
  loss_weights?: { ce?: number; kd?: number };
  num_samples?: number;
  init_checkpoint?: string | null;
}

/**
 * The Track-1 demo's supernet training: each step trains `num_samples` random subnets on the same
 * batch (the demo's dynamic_batch_size, 4), each with `ce * loss(labels) + kd * distill_loss(frozen
 * teacher logits)`, sums their gradients and takes one optimizer step. The teacher is a trained
 * network outside this module (built, loaded and frozen as Distill's); the supernet may start from
 * a trained network's weights (`init_checkpoint`, e.g. the teacher's, reordered by
 * tools/reorder_channels.ts as the demo reorders them).
 */
export class SupernetDistill extends SamplingAlgorithm {
  readonly supernet: Supernet;
  readonly teacher: Classifier;
  readonly sampler: SubnetSampler;
  readonly loss: Loss;
  readonly distillLoss: Loss;
  readonly ceWeight: number;
  readonly kdWeight: number;
  readonly numSamples: number;

  constructor(cfg: SupernetDistillConfig) {
    super(cfg);
    this.supernet = requireSupernet(this.architecture, 'SupernetDistill', cfg.architecture.type);
    if (cfg.init_checkpoint) initFromCheckpoint(this.supernet, cfg.init_checkpoint, 'model.init_checkpoint');
    this.teacher = buildTeacher(cfg.teacher);
    if (this.teacher.numClasses !== this.supernet.numClasses) {
      throw new AlgorithmConfigError(`The teacher predicts ${this.teacher.numClasses} classes but the supernet ${this.supernet.numClasses}.`, 'SupernetDistill', 'teacher');
    }
    this.sampler = buildSampler(cfg.sampler, this.supernet);
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
    this.distillLoss = buildLoss(cfg.distill_loss, DEFAULT_DISTILL_LOSS);
    this.ceWeight = cfg.loss_weights?.ce ?? 1;
    this.kdWeight = cfg.loss_weights?.kd ?? 1;
    this.numSamples = cfg.num_samples ?? 4;
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    const target = tf.tidy(() => this.teacher.forward(batch.images));
    try {
      let total = 0;
      for (let i = 0; i < this.numSamples; i++) {
        this.supernet.mutator.set(this.sampler.sample(this.supernet, ctx));
        total += ctx.optim.accumulate(() => {
          const logits = this.supernet.forward(batch.images);
          const ce = tf.mul(this.loss.forward(logits, batch.labels), this.ceWeight);
          return tf.add(ce, tf.mul(this.distillLoss.forward(logits, target), this.kdWeight)) as Scalar;
        });
      }
      ctx.optim.step();
      return { loss: total / this.numSamples };
    } finally {
      target.dispose();
    }
  }


  override dispose(): void {
    super.dispose();
    this.teacher.dispose();
  }
}

export const SUPERNET_DISTILL_SCHEMA = {
  type: 'object',
  description: 'The Track-1 demo: random subnets distilled from a frozen trained teacher, optionally from pretrained weights.',
  properties: {
    architecture: ARCHITECTURE_PROPERTY,
    teacher: TEACHER_SCHEMA,
    sampler: { 'x-kind': 'samplers', default: DEFAULT_SAMPLER, description: 'Draws the subnets of a step.' },
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss of each subnet.' },
    distill_loss: { 'x-kind': 'losses', default: DEFAULT_DISTILL_LOSS, description: "Loss of each subnet's logits against the teacher's." },
    loss_weights: {
      type: 'object',
      properties: {
        ce: { type: 'number', minimum: 0, default: 1, description: 'Weight of the ground-truth loss.' },
        kd: { type: 'number', minimum: 0, default: 1, description: 'Weight of the distillation loss.' },
      },
      additionalProperties: false,
      default: { ce: 1, kd: 1 },
    },
    num_samples: { type: 'integer', minimum: 1, default: 4, description: 'Random subnets per step (the demo: dynamic_batch_size 4).' },
    init_checkpoint: { type: ['string', 'null'], default: null, description: 'Checkpoint (or work_dir) whose weights initialise the supernet; null: random init.' },
  },
  required: ['architecture', 'teacher'],
  additionalProperties: false,
};

ALGORITHMS.register('SupernetDistill', SupernetDistill, { schema: SUPERNET_DISTILL_SCHEMA });
