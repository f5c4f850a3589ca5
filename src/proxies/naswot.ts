import { LuDecomposition, Matrix } from 'ml-matrix';
import { tf, type Tensor4D } from '../tf.js';
import { PROXIES } from '../registry/registries.js';
import { NetworkProxy, networkProxySchema, type NetworkProxyConfig } from './base.js';
import { forwardGraph } from './forward.js';
import type { ProxyGraph } from './graph.js';
import type { ProxyParams } from './params.js';
import type { ProxyInput } from './types.js';

const DEFAULTS: NetworkProxyConfig = { seed: 0, batch_size: 64, init: 'kaiming' };

/** log |det K| by LU decomposition (numpy's `slogdet` magnitude); -Infinity for a singular K. */
export function logAbsDet(k: number[][]): number {
  const u = new LuDecomposition(new Matrix(k)).upperTriangularMatrix;
  let sum = 0;
  for (let i = 0; i < k.length; i++) sum += Math.log(Math.abs(u.get(i, i)));
  return sum;
}

/** The NASWOT kernel K (n x n) of a network with these weights on `images`, summed over every ReLU. */
export function naswotKernel(graph: ProxyGraph, params: ProxyParams, images: Tensor4D): number[][] {
  const n = images.shape[0];
  const k = Array.from({ length: n }, () => new Float64Array(n));
  tf.tidy(() => {
    forwardGraph(graph, Object.fromEntries(params), images, {
      bn: 'batch', residual: true,
      hooks: {
        act: (x) => {
          const agree = tf.tidy(() => {
            const code = tf.reshape(tf.cast(tf.greater(x, 0), 'float32'), [n, -1]);
            const off = tf.sub(1, code);
            return tf.add(tf.matMul(code, code, false, true), tf.matMul(off, off, false, true)).dataSync();
          });
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i]![j]! += agree[i * n + j]!;
        },
      },
    });
  });
  return k.map((row) => [...row]);
}

/**
 * NASWOT (Mellor et al., ICML 2021, "Neural Architecture Search without Training"): each image's
 * binary code is which inputs of every ReLU are positive; K[i][j] = number of units where images
 * i and j agree (N_A minus their Hamming distance), summed over the ReLU layers; score = log |det K|.
 * One training batch, train-mode BN, the network with its residuals, at initialisation.
 */
export class Naswot extends NetworkProxy {
  readonly name = 'NASWOT';

  constructor(cfg: Partial<NetworkProxyConfig> = {}) {
    super(cfg, DEFAULTS);
  }

  protected compute(graph: ProxyGraph, input: ProxyInput): number {
    const batch = this.batchOf(input);
    return logAbsDet(this.withParams(graph, (params) => naswotKernel(graph, params, batch.images)));
  }
}

PROXIES.register('NASWOT', Naswot, { schema: networkProxySchema(DEFAULTS) });
