import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf.js';
import { extractProxyGraph, type ProxyGraph } from './graph.js';
import { initProxyParams, disposeParams, type ProxyParams } from './params.js';
import type { WeightRecord } from './forward.js';
import { PROXY_INIT_SCHEMA, ProxyError, type ProxyBatch, type ProxyInit, type ProxyInput, type ProxyScore, type ZeroCostProxy } from './types.js';

/** Settings every network proxy has. */
export interface NetworkProxyConfig {
  type?: string;
  seed: number;
  batch_size: number;
  init: ProxyInit;
}

/** Schema of the shared settings, with a proxy's own defaults. */
export function networkProxySchema(defaults: { batch_size: number; init: ProxyInit }, extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    properties: {
      seed: { type: 'integer', default: 0, description: 'Seed of the weights (and of random inputs); equal seeds give equal scores.' },
      batch_size: { type: 'integer', minimum: 1, default: defaults.batch_size, description: 'Images per subnet.' },
      init: { ...PROXY_INIT_SCHEMA, default: defaults.init },
      ...extra,
    },
    additionalProperties: false,
  };
}

/**
 * A proxy that runs the subnet as a network: it sets the subnet, reads its structure, makes fresh
 * weights (or slices the supernet's), calls `compute`, and restores the supernet's previous subnet.
 */
export abstract class NetworkProxy<C extends NetworkProxyConfig = NetworkProxyConfig> implements ZeroCostProxy {
  abstract readonly name: string;
  readonly cfg: C;

  constructor(cfg: Partial<C>, defaults: C) {
    const { type: _type, ...rest } = cfg;
    this.cfg = { ...defaults, ...rest } as C;
  }

  /** Training images read per subnet (0 for proxies on random inputs). */
  get batchSize(): number {
    return this.usesData ? this.cfg.batch_size : 0;
  }

  /** Whether the proxy reads the training batch (else it makes its own inputs). */
  protected get usesData(): boolean {
    return true;
  }

  score(input: ProxyInput): ProxyScore {
    const start = performance.now();
    const mutator = input.supernet.mutator;
    const before = mutator.current();
    mutator.set(input.choices);
    try {
      const graph = extractProxyGraph(input.supernet);
      // tf.grads leaves a few backend temporaries outside its own scope; the tidy collects them.
      const score = tf.tidy(() => this.compute(graph, input));
      return { score, seconds: (performance.now() - start) / 1000 };
    } finally {
      mutator.set(before);
    }
  }

  protected abstract compute(graph: ProxyGraph, input: ProxyInput): number;

  /** Fresh weights per `cfg.init` and `seed` (default cfg.seed), disposed after `fn`. */
  protected withParams<T>(graph: ProxyGraph, fn: (params: ProxyParams) => T, seed = this.cfg.seed): T {
    const params = initProxyParams(graph, this.cfg.init, seed);
    try {
      return fn(params);
    } finally {
      disposeParams(params);
    }
  }

  /** The first batch_size images and labels of the input's batch (the caller disposes them). */
  protected batchOf(input: ProxyInput): ProxyBatch {
    const b = input.batch;
    if (!b) throw new ProxyError(`${this.name} reads ${this.cfg.batch_size} training images per subnet, but no batch was given.`);
    const have = b.images.shape[0];
    if (have < this.cfg.batch_size) throw new ProxyError(`${this.name}: batch_size is ${this.cfg.batch_size} but the batch holds ${have} images.`);
    return {
      images: tf.slice(b.images, [0, 0, 0, 0], [this.cfg.batch_size, -1, -1, -1]) as Tensor4D,
      labels: tf.slice(b.labels, [0], [this.cfg.batch_size]) as Tensor1D,
    };
  }
}

/** A record of the params with `names` replaced by `values` (the tensors tf.grads differentiates). */
export function withWeights(params: ProxyParams, names: readonly string[], values: readonly Tensor[]): WeightRecord {
  const rec: WeightRecord = Object.fromEntries(params);
  names.forEach((n, i) => {
    rec[n] = values[i]!;
  });
  return rec;
}

/** Sum of a tensor as a JS number. */
export function sumOf(t: Tensor): number {
  return tf.tidy(() => tf.sum(t).dataSync()[0]!);
}
