import { tf, type Tensor } from '../tf.js';
import { Rng } from '../services/rng.js';
import { flatOps, type ProxyGraph } from './graph.js';
import { ProxyError, type ProxyInit } from './types.js';

/** Weights of a proxy graph by `<op name>.<weight>`: conv `weight` [k, k, in, out] (depthwise [k, k, c, 1]), BN `gamma`/`beta`, linear `weight` [in, out] and `bias`. */
export type ProxyParams = Map<string, Tensor>;

/**
 * Fresh weights for a graph, deterministic for `seed`: each tensor draws its own seed from one
 * stream in op order. 'kaiming' is the supernet families' init (Kaiming normal fan-out with the
 * subnet's own widths, PyTorch-default uniform linear), 'gaussian' Zen-NAS's N(0, 1) for every
 * conv and linear weight with zero biases; BN gamma is 1 and beta 0 in both. 'supernet' slices the
 * supernet's shared weights, so it must be called while the subnet is active. The caller disposes.
 */
export function initProxyParams(graph: ProxyGraph, init: ProxyInit, seed: number): ProxyParams {
  const params: ProxyParams = new Map();
  const rng = new Rng(seed);
  const nextSeed = () => rng.int(2 ** 31);
  try {
    for (const o of flatOps(graph.ops)) {
      if (o.op === 'conv') {
        const shape = [o.kernel, o.kernel, o.cin, o.depthwise ? 1 : o.cout];
        if (init === 'supernet') params.set(`${o.name}.weight`, tf.tidy(() => tf.clone(needWeights(o.module.activeWeight(), o.name))));
        else if (init === 'gaussian') params.set(`${o.name}.weight`, tf.randomNormal(shape, 0, 1, 'float32', nextSeed()));
        else {
          const fanOut = (o.depthwise ? o.cin : o.cout) * o.kernel * o.kernel;
          params.set(`${o.name}.weight`, tf.randomNormal(shape, 0, Math.sqrt(2 / fanOut), 'float32', nextSeed()));
        }
      } else if (o.op === 'bn') {
        if (init === 'supernet') {
          params.set(`${o.name}.gamma`, tf.slice(needWeights(o.module.gamma, o.name), 0, o.channels));
          params.set(`${o.name}.beta`, tf.slice(needWeights(o.module.beta, o.name), 0, o.channels));
        } else {
          params.set(`${o.name}.gamma`, tf.ones([o.channels]));
          params.set(`${o.name}.beta`, tf.zeros([o.channels]));
        }
      } else if (init === 'supernet') {
        params.set(`${o.name}.weight`, tf.slice(needWeights(o.module.weight, o.name), [0, 0], [o.cin, o.cout]));
        if (o.bias) params.set(`${o.name}.bias`, tf.slice(needWeights(o.module.bias, o.name), 0, o.cout));
      } else if (init === 'gaussian') {
        params.set(`${o.name}.weight`, tf.randomNormal([o.cin, o.cout], 0, 1, 'float32', nextSeed()));
        if (o.bias) params.set(`${o.name}.bias`, tf.zeros([o.cout]));
      } else {
        const bound = 1 / Math.sqrt(o.cin);
        params.set(`${o.name}.weight`, tf.randomUniform([o.cin, o.cout], -bound, bound, 'float32', nextSeed()));
        if (o.bias) params.set(`${o.name}.bias`, tf.randomUniform([o.cout], -bound, bound, 'float32', nextSeed()));
      }
    }
  } catch (e) {
    disposeParams(params);
    throw e;
  }
  return params;
}

function needWeights<T>(v: T | undefined, name: string): T {
  if (!v) throw new ProxyError(`init: supernet needs a supernet with weights, but '${name}' was built without tensors.`);
  return v;
}

/** Names of the weights whose proxy statistics are summed: conv and linear weights (zero-cost-nas's `get_layer_metric_array`). */
export function weightNames(graph: ProxyGraph): string[] {
  return flatOps(graph.ops).filter((o) => o.op !== 'bn').map((o) => `${o.name}.weight`);
}

export function disposeParams(params: ProxyParams): void {
  for (const t of params.values()) t.dispose();
  params.clear();
}
