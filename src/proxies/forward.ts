import { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf.js';
import type { ProxyGraph, ProxyOp } from './graph.js';

/** Weights by name, as plain tensors, so a proxy can differentiate with respect to any of them. */
export type WeightRecord = Record<string, Tensor>;

export interface ForwardHooks {
  /** Sees (and may replace) each conv's output before its BN: Fisher adds a zero tensor here to read dL/dy. */
  conv?: (name: string, y: Tensor4D) => Tensor4D;
  /** Sees (and may replace) each linear layer's output. */
  linear?: (name: string, y: Tensor2D) => Tensor2D;
  /** Sees the input of every ReLU / ReLU6 (NASWOT's activation codes). */
  act?: (x: Tensor) => void;
  /** Sees each train-mode BN's batch mean and biased variance over `count` values per channel. */
  bn?: (name: string, mean: Tensor1D, variance: Tensor1D, count: number) => void;
}

export interface ForwardOptions {
  /** 'batch': train-mode BN normalising by the batch's statistics (PyTorch `train()`); 'identity': every BN removed. */
  bn: 'batch' | 'identity';
  /** false drops every shortcut and identity addition (Zen-NAS's `no_reslink`); the block's final ReLU stays. */
  residual: boolean;
  /** 'features' stops before global pooling (Zen-NAS's `forward_pre_GAP`); default 'logits'. */
  until?: 'features' | 'logits';
  /**
   * Divide each conv output by its mean absolute value, taken as a constant, and carry the log of
   * the product of those divisors: the result is the true output over exp(logScale). Synflow's
   * all-positive networks without BN overflow float32 otherwise (zero-cost-nas runs them in float64).
   */
  rescale?: boolean;
  hooks?: ForwardHooks;
}

export interface ForwardResult {
  y: Tensor;
  /** Natural log of the factor the true output was divided by (0 unless `rescale`). */
  logScale: number;
}

interface Scaled {
  t: Tensor;
  logScale: number;
}

/** Smallest float32 normal number: thresholds below it cannot be represented in a float32 tensor. */
const F32_TINY = 1.2e-38;

/** Run a proxy graph on NHWC images with the given weights; call inside tf.tidy (or tf.grads). */
export function forwardGraph(graph: ProxyGraph, w: WeightRecord, x: Tensor4D, options: ForwardOptions): ForwardResult {
  const hooks = options.hooks ?? {};
  const act = (v: Scaled, fn: 'relu' | 'relu6'): Scaled => {
    hooks.act?.(v.t);
    if (fn === 'relu') return { t: tf.relu(v.t), logScale: v.logScale };
    // relu6 clips the true value at 6: 6 / scale in the scaled units, or saturation when that underflows.
    const limit = 6 * Math.exp(-v.logScale);
    if (limit >= F32_TINY) return { t: tf.clipByValue(v.t, 0, Math.min(limit, 3.4e38)), logScale: v.logScale };
    return { t: tf.mul(tf.step(v.t), 6), logScale: 0 };
  };
  const run = (ops: readonly ProxyOp[], input: Scaled): Scaled => {
    let v = input;
    for (const o of ops) {
      if (v.t.rank === 2 && o.op !== 'linear') throw new Error(`forwardGraph: op '${o.op}' after global pooling.`);
      switch (o.op) {
        case 'conv': {
          const pad = Math.floor(o.kernel / 2);
          const filter = w[`${o.name}.weight`] as Tensor4D;
          let y = o.depthwise
            ? tf.depthwiseConv2d(v.t as Tensor4D, filter, o.stride, pad)
            : tf.conv2d(v.t as Tensor4D, filter, o.stride, pad);
          if (hooks.conv) y = hooks.conv(o.name, y);
          let logScale = v.logScale;
          if (options.rescale) {
            const s = tf.tidy(() => tf.mean(tf.abs(y)).dataSync()[0]!);
            if (s > 0 && Number.isFinite(s)) {
              y = tf.div(y, s);
              logScale += Math.log(s);
            }
          }
          v = { t: y, logScale };
          break;
        }
        case 'bn': {
          if (options.bn === 'identity') break;
          const { mean, variance } = tf.moments(v.t, [0, 1, 2]);
          const count = v.t.shape[0]! * v.t.shape[1]! * v.t.shape[2]!;
          hooks.bn?.(o.name, mean as Tensor1D, variance as Tensor1D, count);
          const xhat = tf.mul(tf.sub(v.t, mean), tf.rsqrt(tf.add(variance, o.eps)));
          v = { t: tf.add(tf.mul(xhat, w[`${o.name}.gamma`]!), w[`${o.name}.beta`]!), logScale: v.logScale };
          break;
        }
        case 'act':
          v = act(v, o.fn);
          break;
        case 'max_pool':
          v = { t: tf.maxPool(v.t as Tensor4D, o.size, o.stride, o.pad), logScale: v.logScale };
          break;
        case 'residual': {
          const a = run(o.branch, v);
          let sum = a;
          if (options.residual) {
            const b = o.shortcut ? run(o.shortcut, v) : v;
            const top = Math.max(a.logScale, b.logScale);
            const part = (s: Scaled) => (s.logScale === top ? s.t : tf.mul(s.t, Math.exp(s.logScale - top)));
            sum = { t: tf.add(part(a), part(b)), logScale: top };
          }
          v = o.post === 'relu' ? act(sum, 'relu') : sum;
          break;
        }
        case 'gap':
          if (options.until === 'features') return v;
          v = { t: tf.mean(v.t, [1, 2]), logScale: v.logScale };
          break;
        case 'linear': {
          const bias = o.bias ? w[`${o.name}.bias`] : undefined;
          let y = tf.matMul(v.t as Tensor2D, w[`${o.name}.weight`] as Tensor2D);
          if (bias) y = tf.add(y, v.logScale === 0 ? bias : tf.mul(bias, Math.exp(-v.logScale)));
          if (hooks.linear) y = hooks.linear(o.name, y as Tensor2D);
          v = { t: y, logScale: v.logScale };
          break;
        }
      }
    }
    return v;
  };
  const out = run(graph.ops, { t: x, logScale: 0 });
  return { y: out.t, logScale: out.logScale };
}

/** Mean softmax cross-entropy of logits against integer labels (PyTorch `F.cross_entropy`). */
export function crossEntropy(logits: Tensor2D, labels: Tensor1D): Tensor {
  const onehot = tf.oneHot(tf.cast(labels, 'int32') as Tensor1D, logits.shape[1]);
  return tf.losses.softmaxCrossEntropy(onehot, logits);
}
