import { PROXIES } from '../registry/registries.js';
import type { ProxyInput, ProxyScore, ZeroCostProxy } from './types.js';

const SCHEMA = { type: 'object', properties: {}, additionalProperties: false };

/** Multiply-accumulates of the subnet (TRACK1.md's convention), counted analytically: "bigger is better". */
export class MacsProxy implements ZeroCostProxy {
  readonly name = 'MACs';
  readonly batchSize = 0;

  score(input: ProxyInput): ProxyScore {
    const start = performance.now();
    const score = input.supernet.complexity(input.choices).macs;
    return { score, seconds: (performance.now() - start) / 1000 };
  }
}

/** Trainable parameters of the subnet, counted analytically. */
export class ParamsProxy implements ZeroCostProxy {
  readonly name = 'Params';
  readonly batchSize = 0;

  score(input: ProxyInput): ProxyScore {
    const start = performance.now();
    const score = input.supernet.complexity(input.choices).params;
    return { score, seconds: (performance.now() - start) / 1000 };
  }
}

PROXIES.register('MACs', MacsProxy, { schema: SCHEMA });
PROXIES.register('Params', ParamsProxy, { schema: SCHEMA });
