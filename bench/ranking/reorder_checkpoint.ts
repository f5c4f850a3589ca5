// Reorder a trained ResNet checkpoint's BasicBlock mid channels by L1 importance, as the Track-1
// demo does before it turns its pretrained network into the supernet (src/algorithms/
// reorder_channels.ts). Writes the weights only (no optimizer slots, no training state), so the file
// initialises a new run. Usage: npx tsx bench/ranking/reorder_checkpoint.ts IN.ckpt|WORK_DIR OUT.ckpt
import 'reflect-metadata';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tf, type Tensor } from '../../src/tf.js';
import { encodeCheckpoint, CHECKPOINT_FORMAT_VERSION } from '../../src/engine/checkpoint.js';
import { readCheckpointTensors, resolveCheckpointPath } from '../../src/algorithms/checkpoint_weights.js';
import { reorderMidChannelsByL1 } from '../../src/algorithms/reorder_channels.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('Usage: reorder_checkpoint.ts IN.ckpt|WORK_DIR OUT.ckpt');
  process.exit(2);
}
if (existsSync(output)) {
  console.error(`${output} exists; give a new file.`);
  process.exit(2);
}
const all = readCheckpointTensors(input);
// Network weights only: optimizer slots (optim/...) stay out.
const weights: Record<string, Tensor> = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('optim')));
const { state, blocks } = reorderMidChannelsByL1(weights);
const tensors = Object.fromEntries(Object.entries(state).map(([k, t]) => [k, { dtype: t.dtype as 'float32' | 'int32', shape: t.shape, values: t.dataSync() as Float32Array | Int32Array }]));
writeFileSync(`${output}.tmp`, encodeCheckpoint({ meta: { epoch: 0, iter: 0, time: new Date().toISOString(), version: CHECKPOINT_FORMAT_VERSION }, tensors, state: {} }));
renameSync(`${output}.tmp`, output);
console.log(`${resolveCheckpointPath(input)} -> ${output}: reordered the mid channels of ${blocks.length} BasicBlocks (${blocks.join(', ')})`);
tf.disposeVariables();
