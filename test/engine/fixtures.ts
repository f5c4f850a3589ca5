import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../../src/tf.js';
import type { Scalar } from '@tensorflow/tfjs';
import { Module } from '../../src/models/module.js';
import type { Classifier } from '../../src/models/types.js';
import type { Batch, DataLoader, LoaderState } from '../../src/datasets/types.js';
import type { Algorithm, TrainContext } from '../../src/algorithms/types.js';
import { ALGORITHMS, MODELS } from '../../src/registry/registries.js';
import { CrossEntropyLoss } from '../../src/engine/losses.js';
import { Rng } from '../../src/services/rng.js';

export class TinyLinear extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(inF: number, outF: number, rng: Rng) {
    super();
    const w = Array.from({ length: inF * outF }, () => rng.normal() * 0.3);
    this.weight = this.registerParameter('weight', tf.tensor2d(w, [inF, outF]));
    this.bias = this.registerParameter('bias', tf.zeros([outF]));
  }
  forward(x: Tensor): Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight as unknown as tf.Tensor2D), this.bias);
  }
}

/** Norm-like layer (class name contains Norm) with a running-mean buffer updated in training. */
export class TinyBatchNorm extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly runningMean: tf.Variable;
  constructor(features: number) {
    super();
    this.weight = this.registerParameter('weight', tf.ones([features]));
    this.bias = this.registerParameter('bias', tf.zeros([features]));
    this.runningMean = this.registerBuffer('running_mean', tf.zeros([features]));
  }
  forward(x: Tensor): Tensor {
    if (this.training) {
      const mean = tf.mean(x, 0);
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 0.9), tf.mul(mean, 0.1)));
    }
    return tf.add(tf.mul(x, this.weight), this.bias);
  }
}

export interface TinyNetConfig {
  hidden?: number;
  classes?: number;
  seed?: number;
}

/** 4x4x1 images -> linear -> norm -> relu -> linear logits. */
export class TinyNet extends Module implements Classifier {
  readonly numClasses: number;
  readonly inputShape: [number, number, number] = [4, 4, 1];
  readonly fc1: TinyLinear;
  readonly bn: TinyBatchNorm;
  readonly fc2: TinyLinear;
  constructor(cfg: TinyNetConfig = {}) {
    super();
    const rng = new Rng(cfg.seed ?? 1);
    const hidden = cfg.hidden ?? 8;
    this.numClasses = cfg.classes ?? 3;
    this.fc1 = this.addModule('fc1', new TinyLinear(16, hidden, rng));
    this.bn = this.addModule('bn', new TinyBatchNorm(hidden));
    this.fc2 = this.addModule('fc2', new TinyLinear(hidden, this.numClasses, rng));
  }
  forward(x: Tensor4D): Tensor {
    return tf.tidy(() => this.fc2.forward(tf.relu(this.bn.forward(this.fc1.forward(tf.reshape(x, [x.shape[0], 16]))))));
  }
}

/** Plain supervised algorithm for engine tests (one path, one step). */
export class TinyAlgorithm extends Module implements Algorithm {
  readonly architecture: TinyNet;
  readonly loss = new CrossEntropyLoss({});
  steps = 0;
  constructor(cfg: { architecture: TinyNetConfig & { type?: string } }) {
    super();
    this.architecture = this.addModule('architecture', MODELS.build<TinyNet>({ type: 'test/TinyNet', ...cfg.architecture }));
  }
  forward(x: Tensor4D): Tensor {
    return this.architecture.forward(x);
  }
  trainStep(batch: Batch, ctx: TrainContext): Record<string, number> {
    // Draw from the runner's rng so that exact resume also covers the rng state.
    const scale = 1 + 0.01 * ctx.rng.random();
    const loss = ctx.optim.accumulate(() => tf.mul(this.loss.forward(this.architecture.forward(batch.images), batch.labels), scale) as Scalar);
    ctx.optim.step();
    this.steps += 1;
    return { loss };
  }
  getState(): Record<string, unknown> {
    return { steps: this.steps };
  }
  setState(state: Record<string, unknown>): void {
    this.steps = state.steps as number;
  }
}

if (!MODELS.has('test/TinyNet')) {
  MODELS.register('test/TinyNet', TinyNet, { schema: { type: 'object', properties: { hidden: { type: 'integer' }, classes: { type: 'integer' }, seed: { type: 'integer' } }, additionalProperties: false } });
  ALGORITHMS.register('test/TinyAlgorithm', TinyAlgorithm);
}

/** Synthetic separable data: class c has a bright pixel block at position c; order shuffled per epoch from the seed. */
export class TinyLoader implements DataLoader {
  readonly numClasses = 3;
  readonly length: number;
  private readonly images: Float32Array;
  private readonly labels: Int32Array;
  private state: LoaderState = { epoch: 0, batchIndex: 0 };

  constructor(readonly numSamples = 24, readonly batchSize = 4, private readonly seed = 7) {
    this.length = Math.ceil(numSamples / batchSize);
    const rng = new Rng(seed);
    this.images = new Float32Array(numSamples * 16);
    this.labels = new Int32Array(numSamples);
    for (let i = 0; i < numSamples; i++) {
      const c = i % 3;
      this.labels[i] = c;
      for (let p = 0; p < 16; p++) this.images[i * 16 + p] = rng.random() * 0.2 + (p % 3 === c ? 1 : 0);
    }
  }

  private order(epoch: number): number[] {
    return new Rng(`${this.seed}:${epoch}`).shuffle(Array.from({ length: this.numSamples }, (_, i) => i));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    const order = this.order(this.state.epoch);
    while (this.state.batchIndex < this.length) {
      const idx = order.slice(this.state.batchIndex * this.batchSize, (this.state.batchIndex + 1) * this.batchSize);
      const img = new Float32Array(idx.length * 16);
      idx.forEach((s, j) => img.set(this.images.subarray(s * 16, s * 16 + 16), j * 16));
      this.state = { epoch: this.state.epoch, batchIndex: this.state.batchIndex + 1 };
      yield {
        images: tf.tensor4d(img, [idx.length, 4, 4, 1]),
        labels: tf.tensor1d(idx.map((s) => this.labels[s]!), 'int32') as Tensor1D,
      };
    }
    this.state = { epoch: this.state.epoch + 1, batchIndex: 0 };
  }

  getState(): LoaderState {
    return { ...this.state };
  }

  setState(state: LoaderState): void {
    this.state = { ...state };
  }

  async close(): Promise<void> {}
}
