import { tf, type Tensor, type Tensor4D, type Variable } from '../../src/tf.js';
import { Module } from '../../src/models/module.js';
import type { Complexity, Supernet } from '../../src/models/types.js';
import { MutableValue } from '../../src/mutables/mutable_value.js';
import { Mutator } from '../../src/mutables/mutator.js';
import type { SubnetChoices } from '../../src/mutables/types.js';
import { MODELS } from '../../src/registry/registries.js';
import type { OptimWrapper } from '../../src/engine/types.js';
import type { Scalar } from '@tensorflow/tfjs';
import { Rng } from '../../src/services/rng.js';
import type { TrainContext } from '../../src/algorithms/types.js';

export interface TinyConfig {
  in_features?: number;
  classes?: number;
  widths?: number[];
  depths?: number[];
  seed?: number;
}

/**
 * A two-layer-deep MLP supernet on flattened images: hidden width `hidden.out_channels` (first c
 * units of shared weights) and depth `depth` (1 or 2 hidden layers). No BN, so forward passes are
 * deterministic and gradients can be compared exactly.
 */
export class TinySupernet extends Module implements Supernet {
  readonly mutator: Mutator;
  readonly numClasses: number;
  readonly inputShape: [number, number, number];
  readonly width: MutableValue;
  readonly depth: MutableValue;
  private readonly inF: number;
  private readonly w1: Variable;
  private readonly w2: Variable;
  private readonly w3: Variable;
  private readonly b3: Variable;

  constructor(cfg: TinyConfig = {}) {
    super();
    const inF = (this.inF = cfg.in_features ?? 4);
    this.numClasses = cfg.classes ?? 3;
    this.inputShape = [2, 2, inF / 4];
    const widths = cfg.widths ?? [2, 3, 4];
    const hMax = Math.max(...widths);
    this.width = new MutableValue({ alias: 'hidden.out_channels', choices: widths });
    this.depth = new MutableValue({ alias: 'depth', choices: cfg.depths ?? [1, 2] });
    const rng = new Rng(cfg.seed ?? 1);
    const init = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal() * 0.5), shape);
    this.w1 = this.registerParameter('w1', init([inF, hMax]));
    this.w2 = this.registerParameter('w2', init([hMax, hMax]));
    this.w3 = this.registerParameter('w3', init([hMax, this.numClasses]));
    this.b3 = this.registerParameter('b3', tf.zeros([this.numClasses]));
    this.mutator = new Mutator([this.width, this.depth]);
  }

  forward(x: Tensor4D): Tensor {
    return tf.tidy(() => {
      const c = this.width.currentChoice;
      let h = tf.relu(tf.matMul(tf.reshape(x, [x.shape[0], this.inF]), tf.slice(this.w1, [0, 0], [this.inF, c])));
      if (this.depth.currentChoice >= 2) h = tf.relu(tf.matMul(h, tf.slice(this.w2, [0, 0], [c, c])));
      return tf.add(tf.matMul(h, tf.slice(this.w3, [0, 0], [c, this.numClasses])), this.b3);
    });
  }

  complexity(choices?: SubnetChoices): Complexity {
    const c = choices?.['hidden.out_channels'] ?? this.width.currentChoice;
    const d = choices?.depth ?? this.depth.currentChoice;
    const macs = this.inF * c + (d >= 2 ? c * c : 0) + c * this.numClasses;
    return { macs, params: macs + this.numClasses };
  }
}

MODELS.register('test/TinySupernet', TinySupernet, { override: true });

/** A plain net (no mutator) for the error paths. */
export class TinyFixedNet extends Module {
  readonly numClasses = 3;
  readonly inputShape: [number, number, number] = [2, 2, 1];
  private readonly w: Variable;
  constructor() {
    super();
    this.w = this.registerParameter('w', tf.ones([4, 3]));
  }
  forward(x: Tensor4D): Tensor {
    return tf.tidy(() => tf.matMul(tf.reshape(x, [x.shape[0], 4]), this.w));
  }
}
MODELS.register('test/TinyFixedNet', TinyFixedNet, { override: true });

/**
 * OptimWrapper of the contract that records what the algorithm did: the active subnet and loss of
 * each accumulate call, the summed gradients, and the number of steps. `applyLr` makes step() plain SGD; `keepGrads` keeps the sums for inspection.
 */
export class RecordingOptimWrapper implements OptimWrapper {
  readonly calls: { choices: SubnetChoices; loss: number }[] = [];
  grads: Record<string, Tensor> = {};
  steps = 0;
  readonly lr: number;

  constructor(
    private readonly model: Module,
    private readonly supernet?: Supernet,
    private readonly opts: { applyLr?: number; keepGrads?: boolean } = {},
  ) {
    this.lr = opts.applyLr ?? 0;
  }

  accumulate(lossFn: () => Scalar): number {
    const vars = this.model.parameters().filter((v) => v.trainable);
    const { value, grads } = tf.variableGrads(lossFn, vars);
    const loss = value.dataSync()[0]!;
    value.dispose();
    for (const [name, g] of Object.entries(grads)) {
      const prev = this.grads[name];
      this.grads[name] = prev ? tf.add(prev, g) : g;
      if (prev) {
        prev.dispose();
        g.dispose();
      }
    }
    this.calls.push({ choices: this.supernet?.mutator.current() ?? {}, loss });
    return loss;
  }

  step(): void {
    this.steps++;
    const lr = this.opts.applyLr ?? 0;
    if (lr > 0) {
      const byName = new Map(this.model.parameters().map((v) => [v.name, v]));
      tf.tidy(() => {
        for (const [name, g] of Object.entries(this.grads)) byName.get(name)!.assign(tf.sub(byName.get(name)!, tf.mul(g, lr)));
      });
    }
    if (!this.opts.keepGrads) this.clear();
  }

  clear(): void {
    for (const g of Object.values(this.grads)) g.dispose();
    this.grads = {};
  }
}

export function context(optim: OptimWrapper, rng = new Rng(7), epoch = 0): TrainContext {
  return { epoch, iter: 0, maxIters: 100, maxEpochs: 10, itersPerEpoch: 10, rng, optim };
}

export function tinyBatch(n = 6, seed = 3): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const rng = new Rng(seed);
  const images = tf.tensor4d(Array.from({ length: n * 4 }, () => rng.normal()), [n, 2, 2, 1]);
  const labels = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32');
  return { images, labels };
}
