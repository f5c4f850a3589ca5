import { tf, type Tensor } from '../tf.js';

const BN_KEYS = ['gamma', 'beta', 'running_mean', 'running_var'] as const;

/**
 * The Track-1 demo's channel reorder before supernet training (`hnas/models/resnet.py`,
 * `BasicBlock.reorder_weights`): in every BasicBlock the mid channels (conv1's outputs, its BN, and
 * conv2's inputs) are sorted by the L1 norm of conv2's weights over each input channel, largest
 * first, so that channel slicing from index 0 keeps the most important ones. The network computes
 * the same function before and after. Works on a state dict (names as tfrazor's ResNet supernet
 * writes them, any prefix; conv weights HWIO); returns a new dict, the input is left as it is.
 * BasicBlocks are found as `<block>.conv1.conv.weight` with a `<block>.conv2` and no `<block>.conv3`.
 */
export function reorderMidChannelsByL1(state: Record<string, Tensor>): { state: Record<string, Tensor>; blocks: string[] } {
  const out: Record<string, Tensor> = { ...state };
  const blocks: string[] = [];
  for (const name of Object.keys(state)) {
    const m = /^(.*)\.conv1\.conv\.weight$/.exec(name);
    if (!m) continue;
    const block = m[1]!;
    const w2 = state[`${block}.conv2.conv.weight`];
    if (!w2 || state[`${block}.conv3.conv.weight`]) continue;
    const order = tf.tidy(() => {
      const importance = tf.sum(tf.abs(w2), [0, 1, 3]);
      return Array.from(tf.topk(importance, importance.shape[0]!).indices.dataSync());
    });
    const idx = tf.tensor1d(order, 'int32');
    out[name] = tf.gather(state[name]!, idx, 3);
    out[`${block}.conv2.conv.weight`] = tf.gather(w2, idx, 2);
    for (const k of BN_KEYS) {
      const key = `${block}.conv1.bn.${k}`;
      if (state[key]) out[key] = tf.gather(state[key]!, idx, 0);
    }
    idx.dispose();
    blocks.push(block);
  }
  return { state: out, blocks };
}
