import type { InjectionToken } from 'tsyringe';

// Explicit injection tokens: tsx/esbuild do not emit decorator metadata, so services are
// resolved by token, never by reflected constructor types.
export const TOKENS = {
  backend: Symbol.for('tfrazor.backend') as InjectionToken<unknown>,
  logger: Symbol.for('tfrazor.logger') as InjectionToken<unknown>,
  progress: Symbol.for('tfrazor.progress') as InjectionToken<unknown>,
  checkpointStore: Symbol.for('tfrazor.checkpointStore') as InjectionToken<unknown>,
  rng: Symbol.for('tfrazor.rng') as InjectionToken<unknown>,
} as const;
