import type { Supernet } from '../../models/types.js';
import type { Mutable, SubnetChoices } from '../../mutables/types.js';
import { SAMPLERS } from '../../registry/registries.js';
import { BaseSampler, SAMPLER_BASE_PROPERTIES, SamplerConfigError, type SamplerConfig } from './base.js';
import type { SamplerContext } from './types.js';

export interface ChannelWarmupSamplerConfig extends SamplerConfig {
  warmup_epochs: number;
  start_epoch?: number;
  alias_pattern?: string;
}

export const DEFAULT_WARMUP_ALIAS_PATTERN = 'channels$';

/**
 * Number of a mutable's choices allowed at `epoch`, widest first: one (the widest) before and at
 * the start of the warm-up, growing linearly to all `n` by `start + warmupEpochs`.
 */
export function allowedCount(n: number, epoch: number, warmupEpochs: number, startEpoch = 0): number {
  const e = epoch - startEpoch;
  if (warmupEpochs <= 0 || e >= warmupEpochs) return n;
  if (e <= 0) return 1;
  return Math.min(n, 1 + Math.floor(((n - 1) * e) / warmupEpochs));
}

/**
 * SPOS-MXNet's channel selection warm-up: width choices start at the widest and the allowed set
 * grows to all choices over `warmup_epochs` (after `start_epoch` epochs of widest-only training).
 * Mutables whose alias does not match `alias_pattern` (depths, by default) sample all choices.
 */
export class ChannelWarmupSampler extends BaseSampler {
  readonly warmupEpochs: number;
  readonly startEpoch: number;
  private readonly pattern: RegExp;
  /** The epoch whose allowed set was used last (the warm-up stage), saved for resume and logs. */
  private stageEpoch = 0;

  constructor(cfg: ChannelWarmupSamplerConfig) {
    super(cfg);
    this.warmupEpochs = cfg.warmup_epochs;
    this.startEpoch = cfg.start_epoch ?? 0;
    const pattern = cfg.alias_pattern ?? DEFAULT_WARMUP_ALIAS_PATTERN;
    try {
      this.pattern = new RegExp(pattern);
    } catch (e) {
      throw new SamplerConfigError(`ChannelWarmupSampler: alias_pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(e as Error).message}).`);
    }
  }

  /** Whether the warm-up restricts this mutable. */
  isWarmedUp(m: Mutable): boolean {
    return this.pattern.test(m.alias);
  }

  /** Choices of a mutable allowed at an epoch, widest first for warmed-up mutables. */
  allowedChoices(m: Mutable, epoch: number): number[] {
    if (m.isFixed) return [m.currentChoice];
    if (!this.isWarmedUp(m)) return [...m.choices];
    const widestFirst = [...m.choices].sort((a, b) => b - a);
    return widestFirst.slice(0, allowedCount(widestFirst.length, epoch, this.warmupEpochs, this.startEpoch));
  }

  protected draw(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    this.stageEpoch = ctx.epoch;
    return Object.fromEntries(
      supernet.mutator.mutables.map((m) => [m.alias, ctx.rng.choice(this.allowedChoices(m, ctx.epoch))]),
    );
  }

  override min(supernet: Supernet, ctx: SamplerContext): SubnetChoices {
    this.stageEpoch = ctx.epoch;
    return Object.fromEntries(
      supernet.mutator.mutables.map((m) => [m.alias, Math.min(...this.allowedChoices(m, ctx.epoch))]),
    );
  }

  override getState(): Record<string, unknown> {
    return { ...super.getState(), stage_epoch: this.stageEpoch };
  }

  override setState(state: Record<string, unknown>): void {
    super.setState(state);
    this.stageEpoch = typeof state.stage_epoch === 'number' ? state.stage_epoch : 0;
  }
}

export const CHANNEL_WARMUP_SAMPLER_SCHEMA = {
  type: 'object',
  description: 'Uniform sampling whose width choices grow from the widest to all over warm-up epochs (SPOS-MXNet).',
  properties: {
    warmup_epochs: {
      type: 'integer',
      minimum: 0,
      description: 'Epochs over which the allowed width choices grow from the widest to all.',
    },
    start_epoch: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Epochs of widest-only training before the warm-up begins.',
    },
    alias_pattern: {
      type: 'string',
      default: DEFAULT_WARMUP_ALIAS_PATTERN,
      description: "Regular expression of the mutable aliases the warm-up restricts ('.' for all, depths too).",
    },
    ...SAMPLER_BASE_PROPERTIES,
  },
  required: ['warmup_epochs'],
  additionalProperties: false,
};

SAMPLERS.register('ChannelWarmupSampler', ChannelWarmupSampler, { schema: CHANNEL_WARMUP_SAMPLER_SCHEMA });
