import { PROXIES } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import { ProxyError, type ProxyBatch, type ZeroCostProxy } from './types.js';

/** A subnet's score, larger is better (what search priors and rank-loss priors consume). */
export type SubnetScoreFn = (choices: SubnetChoices) => number;

/** Build a registered proxy from `{type: Name, ...kwargs}`. */
export function buildProxy(cfg: TypedConfig): ZeroCostProxy {
  return PROXIES.build<ZeroCostProxy>(cfg);
}

/**
 * Any registered proxy as a plain scorer of subnets of `supernet`: the form a search prior or a
 * rank-loss prior takes. `batch` must hold at least `proxy.batchSize` training images when the
 * proxy reads data.
 */
export function proxyScorer(proxy: ZeroCostProxy, context: { supernet: Supernet; batch?: ProxyBatch }): SubnetScoreFn {
  if (proxy.batchSize > 0 && !context.batch) {
    throw new ProxyError(`${proxy.name} reads ${proxy.batchSize} training images per subnet; give it a batch (e.g. loadProxyBatch).`);
  }
  return (choices) => proxy.score({ supernet: context.supernet, choices, batch: context.batch }).score;
}
