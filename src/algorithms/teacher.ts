import { isSupernet, type Classifier } from '../models/types.js';
import { MODELS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import { AlgorithmConfigError } from './errors.js';
import { SUBNET_SPEC_SCHEMA, fixSubnet, resolveSubnet, type SubnetSpec } from './subnet.js';
import { closestWeights, readCheckpointTensors, resolveCheckpointPath, selectWeights } from './checkpoint_weights.js';
import { loadCheckpointState } from '../engine/checkpoint_fit.js';

export interface TeacherConfig {
  architecture: TypedConfig;
  checkpoint?: string;
  subnet?: SubnetSpec;
}

export const TEACHER_SCHEMA = {
  type: 'object',
  description: 'The frozen teacher: its architecture config, its trained weights and, for a supernet, its subnet.',
  properties: {
    architecture: { 'x-kind': 'models', description: 'Teacher network config.' },
    checkpoint: {
      type: 'string',
      description: 'Checkpoint with the teacher weights (a tools/train.ts checkpoint); without it the teacher keeps random weights.',
    },
    subnet: { ...SUBNET_SPEC_SCHEMA, description: `Teacher subnet when the teacher is a supernet (default: its max subnet). ${SUBNET_SPEC_SCHEMA.description}` },
  },
  required: ['architecture'],
  additionalProperties: false,
};

/** Build the teacher, load its weights, fix its subnet (default: the max one), and freeze it in eval mode. */
export function buildTeacher(cfg: TeacherConfig): Classifier {
  const teacher = MODELS.build<Classifier>(cfg.architecture);
  if (isSupernet(teacher)) {
    const choices = cfg.subnet !== undefined ? resolveSubnet(cfg.subnet, teacher, 'model.teacher.subnet') : teacher.mutator.setMax();
    fixSubnet(teacher, choices);
  } else if (cfg.subnet !== undefined) {
    throw new AlgorithmConfigError(`model.teacher.subnet is set but the teacher '${cfg.architecture.type}' is not a supernet.`, 'Distill', 'teacher.subnet');
  }
  if (cfg.checkpoint !== undefined) {
    const path = cfg.checkpoint;
    const tensors = readCheckpointTensors(path);
    try {
      const names = Object.keys(teacher.stateDict());
      const weights = selectWeights(tensors, names) ?? closestWeights(tensors, names);
      if (!weights) {
        throw new AlgorithmConfigError(
          `Checkpoint ${path} (model.teacher.checkpoint) holds no weights of the teacher '${cfg.architecture.type}': ` +
            `none of its ${Object.keys(tensors).length} tensors fits all ${names.length} teacher variables (e.g. '${names[0]}'). ` +
            'Check that model.teacher.architecture is the config the checkpoint was trained with.',
          'Distill',
          'teacher.checkpoint',
        );
      }
      loadCheckpointState(teacher, weights, resolveCheckpointPath(path), `model.teacher.architecture ('${cfg.architecture.type}')`);
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  }
  // Frozen: no optimizer or gradient tape can reach the teacher's variables.
  for (const v of teacher.parameters()) v.trainable = false;
  return teacher.eval();
}
