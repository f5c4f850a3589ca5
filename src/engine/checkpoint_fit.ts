import type { Tensor } from '../tf.js';
import { StateDictError, type Module, type StateDictProblem } from '../models/module.js';
import { displayFile } from '../config/paths.js';
import { CheckpointError } from './checkpoint.js';

/** A checkpoint whose tensors do not fit the network the config builds (names or shapes differ). */
export class CheckpointMismatchError extends CheckpointError {
  override readonly name = 'CheckpointMismatchError';

  constructor(message: string, path: string, readonly problems: StateDictProblem[]) {
    super(message, path);
  }
}

function describe(p: StateDictProblem): string {
  if (p.kind === 'shape') return `parameter '${p.name}' has shape [${p.given}] in the checkpoint but [${p.expected}] in the network the config builds`;
  if (p.kind === 'missing') return `parameter '${p.name}' of the network the config builds is missing from the checkpoint`;
  return `the checkpoint holds '${p.name}', which the network the config builds does not have`;
}

/** One paragraph naming the checkpoint, the first parameter that does not fit and how many more differ. */
export function mismatchMessage(path: string, target: string, problems: readonly StateDictProblem[]): string {
  const [first, ...rest] = problems;
  const more = rest.length === 0 ? '' : `; ${rest.length} more differ (${rest.slice(0, 3).map((p) => `'${p.name}'`).join(', ')}${rest.length > 3 ? ', ...' : ''})`;
  return (
    `Checkpoint ${displayFile(path)} does not fit ${target}: ${first ? describe(first) : 'its tensors do not match'}${more}. ` +
    'It was written for another config (e.g. other base_channels, width_ratios, depth_choices or num_classes); ' +
    'give the config it was trained with, or a checkpoint of this config.'
  );
}

/**
 * `module.loadStateDict(state)` for weights read from the checkpoint at `path`: a state dict that
 * does not fit is the user's choice of checkpoint, reported as a CheckpointMismatchError naming
 * the file and the parameter. `target` says what was loaded into, e.g. "model.architecture ('ResNetSupernet')".
 */
export function loadCheckpointState(module: Module, state: Record<string, Tensor>, path: string, target: string, options: { strict?: boolean } = {}): void {
  try {
    module.loadStateDict(state, options);
  } catch (e) {
    if (e instanceof StateDictError) throw new CheckpointMismatchError(mismatchMessage(path, target, e.problems), path, e.problems);
    throw e;
  }
}
