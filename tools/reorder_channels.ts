// Reorder a trained ResNet checkpoint's BasicBlock mid channels by L1 importance, as the Track-1
// demo does before it turns its pretrained network into the supernet (src/algorithms/
// reorder_channels.ts): a width choice then keeps the most important channels. Writes the network
// weights only (no optimizer slots, no training state), so the file initialises a new run through
// `model.init_checkpoint`. Usage:
//   npx tsx tools/reorder_channels.ts IN.ckpt|WORK_DIR OUT.ckpt [--debug]
import 'reflect-metadata';
import { existsSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError, parseToolArgs, runCli } from '../src/cli/index.js';
import { prepareOutputFile } from '../src/cli/outputs.js';
import { displayFile } from '../src/config/paths.js';
import { readCheckpointTensors, resolveCheckpointPath } from '../src/algorithms/checkpoint_weights.js';
import { reorderMidChannelsByL1 } from '../src/algorithms/reorder_channels.js';
import { CheckpointError, encodeCheckpoint, CHECKPOINT_FORMAT_VERSION } from '../src/engine/checkpoint.js';
import { tf, type Tensor } from '../src/tf.js';

const USAGE = 'usage: npx tsx tools/reorder_channels.ts IN.ckpt|WORK_DIR OUT.ckpt [--debug]';

export function main(argv: string[], stdout: { write(text: string): unknown } = process.stdout): number {
  const args = parseToolArgs(argv, {}, {
    tool: 'reorder_channels',
    usage: 'IN.ckpt|WORK_DIR OUT.ckpt',
    summary: "Sort every BasicBlock's mid channels by the L1 norm of their filters (most important first), " +
      "as the Track-1 demo prepares a pretrained network to initialise a supernet; set OUT.ckpt as the supernet config's model.init_checkpoint.",
    arguments: { 'IN.ckpt|WORK_DIR': 'A trained ResNet checkpoint, or a work dir (its latest checkpoint).', 'OUT.ckpt': 'The reordered weights to write (a new file).' },
    examples: ['work_dirs/teacher_max work_dirs/teacher_max_reordered.ckpt'],
  });
  const [input, output] = args.positionals;
  if (input === undefined || output === undefined || args.positionals.length !== 2) throw new UsageError(USAGE);
  // A new file only: an existing one may be the checkpoint a run resumes from.
  if (existsSync(output)) throw new UsageError(`${displayFile(output)} exists; give a new file for the reordered weights (nothing was written).`);
  const source = resolveCheckpointPath(input);
  prepareOutputFile(output, 'OUT.ckpt', { 'IN.ckpt': source });
  const all = readCheckpointTensors(source);
  let state: Record<string, Tensor> = {};
  try {
    // Network weights only: optimizer slots (optim/...) stay out.
    const weights: Record<string, Tensor> = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('optim')));
    const reordered = reorderMidChannelsByL1(weights);
    state = reordered.state;
    const blocks = reordered.blocks;
    if (blocks.length === 0) {
      throw new CheckpointError(`${displayFile(source)} holds no BasicBlock (conv1/bn1/conv2 weights of a ResNet block), so there are no mid channels to reorder; give a checkpoint of a ResNet with BasicBlocks.`, source);
    }
    const tensors = Object.fromEntries(Object.entries(state).map(([k, t]) => [k, { dtype: t.dtype as 'float32' | 'int32', shape: t.shape, values: t.dataSync() as Float32Array | Int32Array }]));
    writeFileSync(`${output}.tmp`, encodeCheckpoint({ meta: { epoch: 0, iter: 0, time: new Date().toISOString(), version: CHECKPOINT_FORMAT_VERSION }, tensors, state: {} }));
    renameSync(`${output}.tmp`, output);
    stdout.write(`${displayFile(source)} -> ${displayFile(output)}: reordered the mid channels of ${blocks.length} BasicBlocks (${blocks.join(', ')})\n`);
    return 0;
  } finally {
    tf.dispose([...Object.values(all), ...Object.values(state)]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
