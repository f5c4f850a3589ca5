import type { Classifier } from '../models/types.js';
import { loadCheckpointState } from '../engine/checkpoint_fit.js';
import { AlgorithmConfigError } from './errors.js';
import { closestWeights, readCheckpointTensors, resolveCheckpointPath, selectWeights } from './checkpoint_weights.js';

/** Load a checkpoint's weights into `net` (any prefix, e.g. a trained network's `architecture.`), strictly. */
export function initFromCheckpoint(net: Classifier, path: string, where: string): void {
  const tensors = readCheckpointTensors(path);
  try {
    const names = Object.keys(net.stateDict());
    const weights = selectWeights(tensors, names) ?? closestWeights(tensors, names);
    if (!weights) {
      throw new AlgorithmConfigError(`Checkpoint ${path} (${where}) holds none of the supernet's ${names.length} variables (e.g. '${names[0]}').`, 'algorithm', 'init_checkpoint');
    }
    loadCheckpointState(net, weights, resolveCheckpointPath(path), `the supernet (${where})`);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

