import { tf, type Tensor, type Tensor4D } from '../tf.js';
import { PROXIES } from '../registry/registries.js';
import { NetworkProxy, networkProxySchema, sumOf, withWeights, type NetworkProxyConfig } from './base.js';
import { forwardGraph } from './forward.js';
import type { ProxyGraph } from './graph.js';
import { weightNames, type ProxyParams } from './params.js';

const DEFAULTS: NetworkProxyConfig = { seed: 0, batch_size: 1, init: 'kaiming' };

/** ln(synflow) of a network with these weights (their signs are dropped), on `images` all-ones inputs. */
export function logSynflowOf(graph: ProxyGraph, signed: ProxyParams, images = 1): number {
  return tf.tidy(() => {
    const params: ProxyParams = new Map([...signed].map(([k, v]) => [k, tf.abs(v)]));
    const names = weightNames(graph);
    const [h, w, c] = graph.inputShape;
    const ones = tf.ones([images, h, w, c]) as Tensor4D;
    let logScale = 0;
    const grads = tf.grads((...ws: Tensor[]) => {
      const out = forwardGraph(graph, withWeights(params, names, ws), ones, { bn: 'identity', residual: true, rescale: true });
      logScale = out.logScale;
      return tf.sum(out.y);
    })(names.map((n) => params.get(n)!));
    const scaled = names.reduce((s, n, i) => s + sumOf(tf.abs(tf.mul(grads[i]!, params.get(n)!))), 0);
    return Math.log(scaled) + logScale;
  });
}

/**
 * Synflow (Tanaka et al., NeurIPS 2020) as zero-cost-nas computes it: BN removed, every weight and
 * bias replaced by its absolute value, an all-ones input, R = sum of the logits, score = sum over
 * conv and linear weights of |w * dR/dw|. Reported as its natural log: the product of a deep
 * network's positive layer gains overflows float32 (zero-cost-nas runs it in float64), so each conv
 * output is divided by its mean and the log of those factors added back exactly. No data is read;
 * `batch_size` is the number of all-ones images (zero-cost-nas uses 1).
 */
export class Synflow extends NetworkProxy {
  readonly name = 'Synflow';

  constructor(cfg: Partial<NetworkProxyConfig> = {}) {
    super(cfg, DEFAULTS);
  }

  protected override get usesData(): boolean {
    return false;
  }

  protected compute(graph: ProxyGraph): number {
    return this.withParams(graph, (params) => logSynflowOf(graph, params, this.cfg.batch_size));
  }
}

PROXIES.register('Synflow', Synflow, { schema: networkProxySchema(DEFAULTS) });
