import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf.js';
import { PROXIES } from '../registry/registries.js';
import { NetworkProxy, networkProxySchema, type NetworkProxyConfig } from './base.js';
import { crossEntropy, forwardGraph, type ForwardHooks } from './forward.js';
import { flatOps, type ProxyGraph } from './graph.js';
import type { ProxyParams } from './params.js';
import type { ProxyBatch, ProxyInput } from './types.js';

const DEFAULTS: NetworkProxyConfig = { seed: 0, batch_size: 64, init: 'kaiming' };

/** Fisher of a network with these weights on this batch (see Fisher). */
export function fisherOf(graph: ProxyGraph, params: ProxyParams, batch: ProxyBatch): number {
  const fanIn = new Map(flatOps(graph.ops).flatMap((o) => {
    if (o.op === 'conv') return [[o.name, (o.depthwise ? 1 : o.cin) * o.kernel * o.kernel] as const];
    return o.op === 'linear' ? [[o.name, o.cin] as const] : [];
  }));
  return tf.tidy(() => {
    const w = Object.fromEntries(params);
    const loss = (hooks: ForwardHooks) =>
      crossEntropy(forwardGraph(graph, w, batch.images, { bn: 'batch', residual: true, hooks }).y as Tensor2D, batch.labels);
    // Pass 1 records each layer's output a; pass 2 adds a zero tensor there, whose gradient is dL/da.
    const outputs: { name: string; a: Tensor }[] = [];
    loss({ conv: (name, y) => (outputs.push({ name, a: y }), y), linear: (name, y) => (outputs.push({ name, a: y }), y) });
    const grads = tf.grads((...dummies: Tensor[]) => {
      let k = 0;
      return loss({
        conv: (_name, y) => tf.add(y, dummies[k++]!) as Tensor4D,
        linear: (_name, y) => tf.add(y, dummies[k++]!) as Tensor2D,
      });
    })(outputs.map((o) => tf.zerosLike(o.a)));
    let score = 0;
    outputs.forEach(({ name, a }, i) => {
      const g = grads[i]!;
      const perImage = a.rank > 2 ? tf.sum(tf.mul(a, g), [1, 2]) : tf.mul(a, g);
      const del = tf.mul(tf.mean(tf.square(perImage), 0), 0.5);
      score += tf.sum(tf.abs(del)).dataSync()[0]! * fanIn.get(name)!;
    });
    return score;
  });
}

/**
 * Fisher (Theis et al. 2018; Turner et al., ICLR 2020) as zero-cost-nas computes it: for every conv
 * and linear layer, with its output a and the loss gradient g = dL/da, the per-channel
 * del_k = 0.5 * mean over images of (sum over positions of a * g)^2; zero-cost-nas spreads each
 * channel's value over that channel's weights (in/groups * k * k of a conv, in of a linear) before
 * summing, so the score is the sum over layers and channels of del_k times that fan-in. Mean
 * cross-entropy of one training batch, train-mode BN, at initialisation.
 */
export class Fisher extends NetworkProxy {
  readonly name = 'Fisher';

  constructor(cfg: Partial<NetworkProxyConfig> = {}) {
    super(cfg, DEFAULTS);
  }

  protected compute(graph: ProxyGraph, input: ProxyInput): number {
    const batch = this.batchOf(input);
    return this.withParams(graph, (params) => fisherOf(graph, params, batch));
  }
}

PROXIES.register('Fisher', Fisher, { schema: networkProxySchema(DEFAULTS) });
