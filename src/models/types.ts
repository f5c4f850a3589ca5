import type { Tensor, Tensor4D } from '../tf.js';
import type { Module } from './module.js';
import type { Mutator, SubnetChoices } from '../mutables/types.js';

/** Multiply-accumulates and trainable parameters, counted by the convention of TRACK1.md. */
export interface Complexity {
  macs: number;
  params: number;
}

/** An image classifier: NHWC float32 images in, logits [N, classes] out. */
export interface Classifier extends Module {
  forward(x: Tensor4D): Tensor;
  readonly numClasses: number;
  /** Input [H, W, C] the model is configured for. */
  readonly inputShape: [number, number, number];
}

/** A weight-sharing supernet: a classifier whose active subnet is chosen by its mutator. */
export interface Supernet extends Classifier {
  readonly mutator: Mutator;
  /** Complexity of a subnet (default: the current one), analytically, without tensors. */
  complexity(choices?: SubnetChoices): Complexity;
}

export function isSupernet(m: Classifier): m is Supernet {
  return (m as unknown as Partial<Supernet>).mutator !== undefined;
}
