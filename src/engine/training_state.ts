import { tf, type Tensor } from '../tf.js';
import type { Module } from '../models/module.js';
import type { Algorithm } from '../algorithms/types.js';
import type { LoaderState } from '../datasets/types.js';
import type { Rng, RngState } from '../services/rng.js';
import type { DefaultOptimWrapper } from './optim/optim_wrapper.js';
import type { OptimizerState } from './optim/optimizer.js';
import { CHECKPOINT_FORMAT_VERSION, CheckpointError, type Checkpoint, type TensorData } from './checkpoint.js';
import { loadCheckpointState } from './checkpoint_fit.js';

const MODEL = 'model/';
const OPTIM = 'optim/';

/** The live objects whose state a training checkpoint captures and restores. */
export interface TrainingParts {
  algorithm: Algorithm;
  optim: DefaultOptimWrapper;
  rng: Rng;
  loaderState: LoaderState;
  epoch: number;
  iter: number;
  /** The validated config, stored as a snapshot for reference. */
  config?: unknown;
  /** Anything else worth keeping (last validation metrics...). */
  extra?: Record<string, unknown>;
}

/** Where training stands after a restore. */
export interface RestoredPosition {
  epoch: number;
  iter: number;
  loaderState: LoaderState;
}

function tensorData(v: Tensor): TensorData {
  const values = v.dataSync();
  if (v.dtype === 'int32') return { dtype: 'int32', shape: [...v.shape], values: new Int32Array(values as Int32Array) };
  if (v.dtype === 'float32') return { dtype: 'float32', shape: [...v.shape], values: new Float32Array(values as Float32Array) };
  throw new CheckpointError(`Cannot store a ${v.dtype} tensor in a checkpoint (float32 and int32 only).`, '');
}

/** Weights (parameters and buffers) of a module as checkpoint tensors named `model/<dotted name>`. */
export function modelTensors(model: Module): Record<string, TensorData> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([name, v]) => [`${MODEL}${name}`, tensorData(v)]));
}

export function captureCheckpoint(parts: TrainingParts): Checkpoint {
  const tensors = modelTensors(parts.algorithm);
  const optimState = parts.optim.getState().optimizer;
  for (const [param, slots] of Object.entries(optimState.slots)) {
    for (const [slot, data] of Object.entries(slots)) {
      tensors[`${OPTIM}${param}/${slot}`] = { dtype: 'float32', shape: data.shape, values: data.values };
    }
  }
  return {
    meta: { epoch: parts.epoch, iter: parts.iter, time: new Date().toISOString(), version: CHECKPOINT_FORMAT_VERSION },
    tensors,
    state: {
      optimizer: { steps: optimState.steps, lr: parts.optim.lr },
      rng: parts.rng.getState(),
      loader: parts.loaderState,
      algorithm: parts.algorithm.getState(),
      config: parts.config ?? null,
      ...(parts.extra ? { extra: parts.extra } : {}),
    },
  };
}

/**
 * Copy checkpoint weights into `model`. With `prefix` (e.g. 'architecture.') only names under it
 * are used, without the prefix, so an algorithm's checkpoint loads into a bare architecture.
 */
export function loadModelWeights(model: Module, ckpt: Checkpoint, options: { prefix?: string; strict?: boolean; path?: string } = {}): void {
  const prefix = MODEL + (options.prefix ?? '');
  const state: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    if (name.startsWith(prefix)) state[name.slice(prefix.length)] = tf.tensor(t.values, t.shape, t.dtype);
  }
  try {
    const strict = options.strict ?? true;
    // With the file known, a mismatch is the user's choice of checkpoint and is reported as such.
    if (options.path !== undefined) loadCheckpointState(model, state, options.path, 'the model of this config', { strict });
    else model.loadStateDict(state, { strict });
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
}

/** Restore weights, optimizer slots, RNG and algorithm state; returns where training stands. */
export function restoreCheckpoint(ckpt: Checkpoint, parts: Pick<TrainingParts, 'algorithm' | 'optim' | 'rng'>, path?: string): RestoredPosition {
  loadModelWeights(parts.algorithm, ckpt, { path });
  const slots: OptimizerState['slots'] = {};
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    if (!name.startsWith(OPTIM)) continue;
    const cut = name.lastIndexOf('/');
    const param = name.slice(OPTIM.length, cut);
    (slots[param] ??= {})[name.slice(cut + 1)] = { shape: t.shape, values: t.values as Float32Array };
  }
  const state = ckpt.state as {
    optimizer: { steps: Record<string, number> };
    rng: RngState;
    loader: LoaderState;
    algorithm: Record<string, unknown>;
  };
  parts.optim.setState({ optimizer: { slots, steps: state.optimizer.steps } });
  parts.rng.setState(state.rng);
  parts.algorithm.setState(state.algorithm);
  return { epoch: ckpt.meta.epoch, iter: ckpt.meta.iter, loaderState: state.loader };
}
