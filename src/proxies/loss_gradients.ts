import { tf, type Tensor2D } from '../tf.js';
import { PROXIES } from '../registry/registries.js';
import { NetworkProxy, networkProxySchema, sumOf, withWeights, type NetworkProxyConfig } from './base.js';
import { crossEntropy, forwardGraph } from './forward.js';
import type { ProxyGraph } from './graph.js';
import { weightNames, type ProxyParams } from './params.js';
import type { ProxyBatch, ProxyInput } from './types.js';

const DEFAULTS: NetworkProxyConfig = { seed: 0, batch_size: 64, init: 'kaiming' };

/**
 * Gradients of the mean cross-entropy of one training batch with respect to every conv and linear
 * weight, the network with train-mode BN and its residuals (zero-cost-nas's measures read them);
 * the caller disposes the returned tensors.
 */
export function lossGradients(graph: ProxyGraph, params: ProxyParams, batch: ProxyBatch): { names: string[]; grads: tf.Tensor[] } {
  const names = weightNames(graph);
  const grads = tf.grads((...ws: tf.Tensor[]) => {
    const { y } = forwardGraph(graph, withWeights(params, names, ws), batch.images, { bn: 'batch', residual: true });
    return crossEntropy(y as Tensor2D, batch.labels);
  })(names.map((n) => params.get(n)!));
  return { names, grads };
}

/** SNIP of a network with these weights on this batch: sum over conv and linear weights of |w * dL/dw|. */
export function snipOf(graph: ProxyGraph, params: ProxyParams, batch: ProxyBatch): number {
  return tf.tidy(() => {
    const { names, grads } = lossGradients(graph, params, batch);
    return names.reduce((s, n, i) => s + sumOf(tf.abs(tf.mul(grads[i]!, params.get(n)!))), 0);
  });
}

/** grad-norm of a network with these weights on this batch: sum over conv and linear layers of ||dL/dw||. */
export function gradNormOf(graph: ProxyGraph, params: ProxyParams, batch: ProxyBatch): number {
  return tf.tidy(() => lossGradients(graph, params, batch).grads.reduce((s, g) => s + Math.sqrt(sumOf(tf.square(g))), 0));
}

/**
 * SNIP (Lee et al., ICLR 2019) as zero-cost-nas sums it (Abdelfattah et al., ICLR 2021): the sum
 * over conv and linear weights of |w * dL/dw|, the saliency of a weight mask at 1, for the mean
 * cross-entropy of one training batch at initialisation.
 */
export class Snip extends NetworkProxy {
  readonly name = 'SNIP';

  constructor(cfg: Partial<NetworkProxyConfig> = {}) {
    super(cfg, DEFAULTS);
  }

  protected compute(graph: ProxyGraph, input: ProxyInput): number {
    const batch = this.batchOf(input);
    try {
      return this.withParams(graph, (params) => snipOf(graph, params, batch));
    } finally {
      tf.dispose([batch.images, batch.labels]);
    }
  }
}

/**
 * grad-norm as zero-cost-nas sums it: the sum over conv and linear layers of the Euclidean norm of
 * dL/dw (per layer, then summed), for the mean cross-entropy of one training batch at initialisation.
 */
export class GradNorm extends NetworkProxy {
  readonly name = 'GradNorm';

  constructor(cfg: Partial<NetworkProxyConfig> = {}) {
    super(cfg, DEFAULTS);
  }

  protected compute(graph: ProxyGraph, input: ProxyInput): number {
    const batch = this.batchOf(input);
    try {
      return this.withParams(graph, (params) => gradNormOf(graph, params, batch));
    } finally {
      tf.dispose([batch.images, batch.labels]);
    }
  }
}

PROXIES.register('SNIP', Snip, { schema: networkProxySchema(DEFAULTS) });
PROXIES.register('GradNorm', GradNorm, { schema: networkProxySchema(DEFAULTS) });
