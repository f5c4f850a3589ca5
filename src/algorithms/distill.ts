import type { Scalar } from '@tensorflow/tfjs';
import { tf, type Tensor } from '../tf.js';
import { isSupernet, type Classifier } from '../models/types.js';
import type { Batch } from '../datasets/types.js';
import type { Loss } from '../engine/types.js';
import { ALGORITHMS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { TrainContext } from './types.js';
import { AlgorithmConfigError } from './errors.js';
import {
  ARCHITECTURE_PROPERTY,
  BaseAlgorithm,
  DEFAULT_DISTILL_LOSS,
  DEFAULT_LOSS,
  buildLoss,
  type AlgorithmConfig,
} from './base.js';
import { SUBNET_SPEC_SCHEMA, fixSubnet, resolveSubnet, type SubnetSpec } from './subnet.js';
import { TEACHER_SCHEMA, buildTeacher, type TeacherConfig } from './teacher.js';

export interface DistillConfig extends AlgorithmConfig {
  subnet?: SubnetSpec;
  teacher: TeacherConfig;
  loss?: TypedConfig;
  distill_loss?: TypedConfig;
  loss_weights?: { ce?: number; kd?: number };
}

/**
 * Knowledge distillation: a frozen teacher (built from its config and checkpoint, in eval mode,
 * outside this module's parameters and state dict) guides the student `architecture` with
 * `ce * loss(student, labels) + kd * distill_loss(student, teacher)`.
 */
export class Distill extends BaseAlgorithm {
  readonly teacher: Classifier;
  readonly loss: Loss;
  readonly distillLoss: Loss;
  readonly ceWeight: number;
  readonly kdWeight: number;

  constructor(cfg: DistillConfig) {
    super(cfg);
    const student = this.architecture;
    if (cfg.subnet !== undefined) {
      if (!isSupernet(student)) {
        throw new AlgorithmConfigError(`model.subnet is set but the student '${cfg.architecture.type}' is not a supernet.`, 'Distill', 'subnet');
      }
      fixSubnet(student, resolveSubnet(cfg.subnet, student, 'model.subnet'));
    }
    this.teacher = buildTeacher(cfg.teacher);
    if (this.teacher.numClasses !== student.numClasses) {
      throw new AlgorithmConfigError(
        `The teacher predicts ${this.teacher.numClasses} classes but the student ${student.numClasses}; distillation needs the same classes.`,
        'Distill',
        'teacher',
      );
    }
    this.loss = buildLoss(cfg.loss, DEFAULT_LOSS);
    this.distillLoss = buildLoss(cfg.distill_loss, DEFAULT_DISTILL_LOSS);
    this.ceWeight = cfg.loss_weights?.ce ?? 1;
    this.kdWeight = cfg.loss_weights?.kd ?? 1;
  }

  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    // Outside any gradient tape: the teacher's logits are constants of the student's loss.
    const target = tf.tidy(() => this.teacher.forward(batch.images));
    let parts: Tensor | undefined;
    try {
      const loss = ctx.optim.accumulate(() => {
        const logits = this.architecture.forward(batch.images);
        const ce = tf.mul(this.loss.forward(logits, batch.labels), this.ceWeight);
        const kd = tf.mul(this.distillLoss.forward(logits, target), this.kdWeight);
        parts?.dispose();
        parts = tf.keep(tf.stack([ce, kd]));
        return tf.add(ce, kd) as Scalar;
      });
      ctx.optim.step();
      const [ce, kd] = parts!.dataSync();
      return { loss, loss_ce: ce!, loss_kd: kd! };
    } finally {
      target.dispose();
      parts?.dispose();
    }
  }

  override dispose(): void {
    super.dispose();
    this.teacher.dispose();
  }
}

export const DISTILL_SCHEMA = {
  type: 'object',
  description: 'Knowledge distillation of a student (the architecture) from a frozen teacher.',
  properties: {
    architecture: { ...ARCHITECTURE_PROPERTY, description: 'The student network (a fixed net, or a supernet with `subnet`).' },
    subnet: { ...SUBNET_SPEC_SCHEMA, description: `Student subnet when the student is a supernet. ${SUBNET_SPEC_SCHEMA.description}` },
    teacher: TEACHER_SCHEMA,
    loss: { 'x-kind': 'losses', default: DEFAULT_LOSS, description: 'Ground-truth loss of the student.' },
    distill_loss: { 'x-kind': 'losses', default: DEFAULT_DISTILL_LOSS, description: "Loss of the student's logits against the teacher's." },
    loss_weights: {
      type: 'object',
      description: 'Weights of the ground-truth (ce) and distillation (kd) losses.',
      properties: {
        ce: { type: 'number', minimum: 0, default: 1, description: 'Weight of the ground-truth loss.' },
        kd: { type: 'number', minimum: 0, default: 1, description: 'Weight of the distillation loss.' },
      },
      additionalProperties: false,
      default: { ce: 1, kd: 1 },
    },
  },
  required: ['architecture', 'teacher'],
  additionalProperties: false,
};

ALGORITHMS.register('Distill', Distill, { schema: DISTILL_SCHEMA });
