import { Registry } from './registry.js';

// One registry per kind. Typed loosely here (unknown) so that this file has no dependency on the
// modules that register into it; each kind's builder narrows the type where it builds.
export const MODELS = new Registry<unknown>('models');
export const MUTABLES = new Registry<unknown>('mutables');
export const OPS = new Registry<unknown>('ops');
export const ALGORITHMS = new Registry<unknown>('algorithms');
export const MUTATORS = new Registry<unknown>('mutators');
export const DATASETS = new Registry<unknown>('datasets');
export const TRANSFORMS = new Registry<unknown>('transforms');
export const LOSSES = new Registry<unknown>('losses');
export const OPTIMIZERS = new Registry<unknown>('optimizers');
export const SCHEDULERS = new Registry<unknown>('schedulers');
export const HOOKS = new Registry<unknown>('hooks');
export const METRICS = new Registry<unknown>('metrics');
export const SEARCHERS = new Registry<unknown>('searchers');
export const SAMPLERS = new Registry<unknown>('samplers');
/** Zero-cost proxies: any of them scores a subnet, so any can be a search prior or a rank-loss prior. */
export const PROXIES = new Registry<unknown>('proxies');
export const PREDICTORS = new Registry<unknown>('predictors');

export const REGISTRIES = {
  models: MODELS,
  mutables: MUTABLES,
  ops: OPS,
  algorithms: ALGORITHMS,
  mutators: MUTATORS,
  datasets: DATASETS,
  transforms: TRANSFORMS,
  losses: LOSSES,
  optimizers: OPTIMIZERS,
  schedulers: SCHEDULERS,
  hooks: HOOKS,
  metrics: METRICS,
  searchers: SEARCHERS,
  samplers: SAMPLERS,
  proxies: PROXIES,
  predictors: PREDICTORS,
} as const;

export type RegistryKind = keyof typeof REGISTRIES;
