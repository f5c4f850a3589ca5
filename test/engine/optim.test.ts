import { describe, expect, it } from 'vitest';
import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import '../../src/engine/index.js';
import { DefaultOptimWrapper } from '../../src/engine/optim/optim_wrapper.js';
import { Module } from '../../src/models/module.js';
import { TinyNet } from './fixtures.js';

class Quad extends Module {
  readonly w: tf.Variable;
  constructor(init: number[]) {
    super();
    this.w = this.registerParameter('w', tf.tensor1d(init));
  }
}

// loss = 0.5 * sum(a * w^2) has gradient a * w.
const quadLoss = (m: Quad, a: number[]) => () => tf.mul(0.5, tf.sum(tf.mul(tf.tensor1d(a), tf.square(m.w)))) as Scalar;

function values(m: Quad): number[] {
  return Array.from(m.w.dataSync());
}

describe('SGD', () => {
  it('matches PyTorch momentum, weight decay and nesterov updates by hand', () => {
    for (const nesterov of [false, true]) {
      const m = new Quad([1, -2]);
      const ow = new DefaultOptimWrapper({ optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9, nesterov, weight_decay: 0.01 } }, m);
      let w = [1, -2];
      let buf: number[] | null = null;
      for (let s = 0; s < 3; s++) {
        ow.accumulate(quadLoss(m, [2, 3]));
        ow.step();
        const g = w.map((x, i) => [2, 3][i]! * x + 0.01 * x);
        buf = buf === null ? g : buf.map((b, i) => 0.9 * b + g[i]!);
        const d = nesterov ? g.map((x, i) => x + 0.9 * buf![i]!) : buf;
        w = w.map((x, i) => x - 0.1 * d[i]!);
        expect(values(m)[0]).toBeCloseTo(w[0]!, 5);
        expect(values(m)[1]).toBeCloseTo(w[1]!, 5);
      }
    }
  });

  it('sums gradients of several accumulate calls before one step', () => {
    const a = new Quad([1, 2]);
    const b = new Quad([1, 2]);
    const oa = new DefaultOptimWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, a);
    const ob = new DefaultOptimWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, b);
    oa.accumulate(quadLoss(a, [1, 1]));
    oa.accumulate(quadLoss(a, [2, 4]));
    oa.step();
    ob.accumulate(quadLoss(b, [3, 5]));
    ob.step();
    expect(values(a)).toEqual(values(b));
    expect(values(a)[0]).toBeCloseTo(1 - 0.1 * 3, 6);
  });

  it('clips the summed gradient to max_norm', () => {
    const m = new Quad([3, 4]);
    const ow = new DefaultOptimWrapper({ optimizer: { type: 'SGD', lr: 1 }, clip_grad: { max_norm: 1 } }, m);
    ow.accumulate(quadLoss(m, [1, 1]));
    ow.step();
    expect(ow.lastGradNorm).toBeCloseTo(5, 5);
    expect(values(m)[0]).toBeCloseTo(3 - 0.6, 5);
    expect(values(m)[1]).toBeCloseTo(4 - 0.8, 5);
  });
});

describe('AdamW', () => {
  it('matches the decoupled-decay update by hand over three steps', () => {
    const m = new Quad([1, -2]);
    const ow = new DefaultOptimWrapper({ optimizer: { type: 'AdamW', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1 } }, m);
    let w = [1, -2];
    let mm = [0, 0];
    let vv = [0, 0];
    for (let t = 1; t <= 3; t++) {
      ow.accumulate(quadLoss(m, [2, 3]));
      ow.step();
      const g = w.map((x, i) => [2, 3][i]! * x);
      w = w.map((x) => x * (1 - 0.01 * 0.1));
      mm = mm.map((x, i) => 0.9 * x + 0.1 * g[i]!);
      vv = vv.map((x, i) => 0.999 * x + 0.001 * g[i]! ** 2);
      w = w.map((x, i) => x - (0.01 * (mm[i]! / (1 - 0.9 ** t))) / (Math.sqrt(vv[i]! / (1 - 0.999 ** t)) + 1e-8));
      expect(values(m)[0]).toBeCloseTo(w[0]!, 5);
      expect(values(m)[1]).toBeCloseTo(w[1]!, 5);
    }
  });
});

/** Two parameters; the loss of `onlyA` does not involve b, so b gets no gradient. */
class TwoParams extends Module {
  readonly a: tf.Variable;
  readonly b: tf.Variable;
  constructor() {
    super();
    this.a = this.registerParameter('a', tf.tensor1d([1, -2]));
    this.b = this.registerParameter('b', tf.tensor1d([0.5, 3]));
  }
}

describe('parameters without a gradient (an inactive supernet path)', () => {
  const optimizers = [
    { type: 'SGD', lr: 0.1, momentum: 0.9, weight_decay: 0.1 },
    { type: 'SGD', lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.1 },
    { type: 'AdamW', lr: 0.1, weight_decay: 0.1 },
  ];
  for (const optimizer of optimizers) {
    it(`are left untouched, slots and step count included (${optimizer.type}${optimizer.nesterov ? ' nesterov' : ''})`, () => {
      const m = new TwoParams();
      const ow = new DefaultOptimWrapper({ optimizer }, m);
      // Step 1 uses both, so b has a momentum buffer (or Adam moments) and a step count.
      ow.accumulate(() => tf.sum(tf.add(tf.square(m.a), tf.square(m.b))) as Scalar);
      ow.step();
      const bAfterFirst = Array.from(m.b.dataSync());
      const aAfterFirst = Array.from(m.a.dataSync());
      const stateB = (st: ReturnType<typeof ow.getState>) => ({
        slots: Object.fromEntries(Object.entries(st.optimizer.slots.b ?? {}).map(([k, v]) => [k, Array.from(v.values)])),
        steps: st.optimizer.steps.b,
      });
      const before = stateB(ow.getState());
      expect(Object.keys(before.slots).length).toBeGreaterThan(0);
      // Steps 2 and 3 involve only a: decay, momentum and Adam moments must not move b.
      for (let s = 0; s < 2; s++) {
        ow.accumulate(() => tf.sum(tf.square(m.a)) as Scalar);
        ow.step();
      }
      expect(Array.from(m.b.dataSync())).toEqual(bAfterFirst);
      expect(stateB(ow.getState())).toEqual(before);
      expect(Array.from(m.a.dataSync())).not.toEqual(aAfterFirst);
      ow.dispose();
      m.dispose();
    });
  }
});

describe('OptimWrapper', () => {
  it('exempts norm parameters and biases from weight decay with zero multipliers', () => {
    const net = new TinyNet();
    const ow = new DefaultOptimWrapper(
      { optimizer: { type: 'SGD', lr: 0.1, weight_decay: 0.5 }, paramwise_cfg: { norm_decay_mult: 0, bias_decay_mult: 0 } },
      net,
    );
    const decay = Object.fromEntries(ow.params.map((p) => [p.name, p.weightDecay]));
    expect(decay).toEqual({ 'fc1.weight': 0.5, 'fc1.bias': 0, 'bn.weight': 0, 'bn.bias': 0, 'fc2.weight': 0.5, 'fc2.bias': 0 });
    net.dispose();
    ow.dispose();
  });

  it('restores optimizer state exactly and leaks no tensors', () => {
    const run = (split: boolean) => {
      const m = new Quad([0.3, -0.7]);
      let ow = new DefaultOptimWrapper({ optimizer: { type: 'AdamW', lr: 0.05 } }, m);
      for (let s = 0; s < 6; s++) {
        if (split && s === 3) {
          const state = ow.getState();
          ow.dispose();
          ow = new DefaultOptimWrapper({ optimizer: { type: 'AdamW', lr: 0.05 } }, m);
          ow.setState(structuredClone(state));
        }
        ow.accumulate(quadLoss(m, [1, 2]));
        ow.step();
      }
      const out = values(m);
      ow.dispose();
      m.dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    expect(run(true)).toEqual(run(false));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects optimizer state of another model', () => {
    const m = new Quad([1, 2]);
    const ow = new DefaultOptimWrapper({ optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 } }, m);
    expect(() => ow.setState({ optimizer: { slots: { x: { momentum_buffer: { shape: [2], values: new Float32Array(2) } } }, steps: {} } })).toThrow(/not a trainable parameter/);
  });
});
