import { describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import '../../src/register_all.js';
import { MODELS } from '../../src/registry/registries.js';
import type { Classifier } from '../../src/models/types.js';
import { StateDictError } from '../../src/models/module.js';
import { CheckpointMismatchError, loadCheckpointState } from '../../src/engine/checkpoint_fit.js';
import { isUserError } from '../../src/errors.js';
import { closestWeights, selectWeights } from '../../src/algorithms/checkpoint_weights.js';

const net = (base: number) => MODELS.build<Classifier>({
  type: 'ResNetSupernet', in_channels: 1, input_size: 8, num_classes: 3, width_ratios: [1.0, 0.5], divisor: 2,
  stem: { base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true },
  stages: [{ depth_choices: [1, 2], base_channels: base, stride: 2 }],
} as never);

describe('loadCheckpointState', () => {
  it('reports a checkpoint of another config as a user error naming the file, the first parameter and both shapes', async () => {
    await tf.setBackend('cpu');
    const saved = net(4);
    const other = net(6);
    try {
      const state = saved.stateDict();
      let err: unknown;
      try {
        loadCheckpointState(other, state, '/tmp/run/iter_2.ckpt', "model.architecture ('ResNetSupernet')");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CheckpointMismatchError);
      expect(isUserError(err)).toBe(true);
      const e = err as CheckpointMismatchError;
      expect(e.path).toBe('/tmp/run/iter_2.ckpt');
      expect(e.message).toMatch(
        /^Checkpoint \/tmp\/run\/iter_2\.ckpt does not fit model\.architecture \('ResNetSupernet'\): parameter 'stage1\.0\.conv1\.conv\.weight' has shape \[3,3,4,4\] in the checkpoint but \[3,3,4,6\] in the network/,
      );
      expect(e.message).toMatch(/; \d+ more differ \('/);
      expect(e.message).not.toContain('\n');
      expect(e.problems[0]).toEqual({ name: 'stage1.0.conv1.conv.weight', kind: 'shape', given: [3, 3, 4, 4], expected: [3, 3, 4, 6] });
      // A fitting state dict loads as before, and the module's own error keeps its structured problems.
      loadCheckpointState(net(4), state, 'x.ckpt', 'net');
      const missing = { ...state };
      delete missing['fc.bias'];
      expect(() => saved.loadStateDict(missing)).toThrow(StateDictError);
      expect(() => loadCheckpointState(saved, missing, 'x.ckpt', 'net')).toThrow(/parameter 'fc\.bias' of the network the config builds is missing from the checkpoint/);
    } finally {
      saved.dispose();
      other.dispose();
    }
  });

  it('closestWeights takes the prefix holding most names, so a load can say which are missing or extra', async () => {
    await tf.setBackend('cpu');
    const [a, b, c] = [tf.zeros([1]), tf.zeros([2]), tf.zeros([3])];
    const tensors = { 'model/architecture.x': a, 'model/architecture.y': b, 'model/architecture.extra': c, 'optim/x/momentum': a };
    expect(selectWeights(tensors, ['x', 'y', 'z'])).toBeNull();
    expect(closestWeights(tensors, ['x', 'y', 'z'])).toEqual({ x: a, y: b, extra: c });
    expect(closestWeights(tensors, ['z'])).toBeNull();
    tf.dispose([a, b, c]);
  });
});

