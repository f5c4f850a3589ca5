import { MODELS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import { isSupernet, type Classifier, type Complexity, type Supernet } from './types.js';
import { buildContext } from './ops/build_context.js';
import { SupernetConfigError } from './errors.js';
import './index.js';

function isTyped(v: unknown): v is TypedConfig {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as TypedConfig).type === 'string';
}

/**
 * The supernet config inside a merged config: `model.architecture` (an algorithm's network), or
 * `model` itself when it names a model, or the file's top level when that names one.
 */
export function findArchitectureConfig(config: Record<string, unknown>, file: string): TypedConfig {
  const model = config.model as Record<string, unknown> | undefined;
  for (const [path, candidate] of [['model.architecture', model?.architecture], ['model', model], ['(top level)', config]] as const) {
    if (isTyped(candidate) && MODELS.has(candidate.type)) return candidate;
    if (path === 'model.architecture' && candidate !== undefined && !isTyped(candidate)) {
      throw new SupernetConfigError(`${file}: model.architecture must be a mapping with a 'type', got ${JSON.stringify(candidate)}.`, path, candidate);
    }
  }
  throw new SupernetConfigError(`${file} defines no network: expected model.architecture (or model) with a 'type' registered in MODELS (${MODELS.names().join(', ')}).`, 'model.architecture', undefined);
}

/** Build a supernet for counting only: no tensors are allocated, so even Track-1 builds instantly. */
export function buildSupernetForCounting(cfg: TypedConfig, file = 'config'): Supernet {
  const net = MODELS.build<Classifier>(cfg, { ctx: buildContext({ allocate: false }) });
  if (!isSupernet(net)) {
    throw new SupernetConfigError(`${file}: '${cfg.type}' is not a supernet (it has no mutator), so it has no subnets to count.`, 'model.architecture.type', cfg.type);
  }
  return net;
}

/** Complexity of many subnets; the mutator's state is restored afterwards. */
export function complexityOfSubnets(net: Supernet, subnets: Iterable<Record<string, number>>): Complexity[] {
  const before = net.mutator.current();
  try {
    const out: Complexity[] = [];
    for (const s of subnets) {
      net.mutator.set(s);
      out.push(net.complexity());
    }
    return out;
  } finally {
    net.mutator.set(before);
  }
}
