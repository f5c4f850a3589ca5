import type { Supernet } from '../../models/types.js';
import type { Mutable, SubnetChoices } from '../../mutables/types.js';
import { SAMPLERS } from '../../registry/registries.js';
import { BaseSampler, SAMPLER_BASE_PROPERTIES, SamplerConfigError, type SamplerConfig } from './base.js';
import type { SamplerContext } from './types.js';

/** How the allowed width choices grow: tfrazor's linear rule, or SPOS-MXNet's table. */
export type WarmupSchedule = 'linear' | 'spos_mxnet';

export interface ChannelWarmupSamplerConfig extends SamplerConfig {
  schedule?: WarmupSchedule;
  /** Length of the linear warm-up (schedule linear only). */
  warmup_epochs?: number;
  start_epoch?: number;
  alias_pattern?: string;
}

export const DEFAULT_WARMUP_ALIAS_PATTERN = 'channels$';

/**
 * The linear rule (tfrazor's own): one choice (the widest) before and at `startEpoch`, growing
 * linearly to all `n` by `startEpoch + warmupEpochs`.
 */
export function linearAllowedCount(n: number, epoch: number, warmupEpochs: number, startEpoch = 0): number {
  const e = epoch - startEpoch;
  if (warmupEpochs <= 0 || e >= warmupEpochs) return n;
  if (e <= 0) return 1;
  return Math.min(n, 1 + Math.floor(((n - 1) * e) / warmupEpochs));
}

/**
 * SPOS-MXNet's `epoch_delay_late` (oneshot_nas_network.py:207-215): for epoch e after the start of
 * channel selection, the delay d = table[e] (e itself after the table), and the allowed scales are
 * the widest d + 2. Its stages last 1, 1, 1, 1, 2, 3, 4, 5 and 6 epochs.
 */
export const SPOS_MXNET_EPOCH_DELAY: readonly number[] = [0, 1, 2, 3, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8];

/**
 * SPOS-MXNet's channel selection warm-up: only the widest choice before `startEpoch` (its
 * `epoch_start_cs`), the two widest at it, then widest-first growth by SPOS_MXNET_EPOCH_DELAY
 * (`channel_scale_start = n - delay - 2`, oneshot_nas_network.py:247), all `n` in the end.
 */
export function sposMxnetAllowedCount(n: number, epoch: number, startEpoch = 0): number {
  const e = epoch - startEpoch;
  if (e < 0) return 1;
  const delay = e < SPOS_MXNET_EPOCH_DELAY.length ? SPOS_MXNET_EPOCH_DELAY[e]! : e;
  return Math.min(n, delay + 2);
}

/**
 * Channel warm-up: width choices start at the widest and the allowed set grows widest-first to all
 * choices, by the linear rule over `warmup_epochs` or by SPOS-MXNet's table (`schedule`), after
 * `start_epoch` epochs of widest-only training. Mutables whose alias does not match
 * `alias_pattern` (depths, by default) sample all choices.
 */
export class ChannelWarmupSampler extends BaseSampler {
  readonly schedule: WarmupSchedule;
  readonly warmupEpochs: number;
  readonly startEpoch: number;
  private readonly pattern: RegExp;
  /** The epoch whose allowed set was used last (the warm-up stage), saved for resume and logs. */
  private stageEpoch = 0;

  constructor(cfg: ChannelWarmupSamplerConfig) {
    super(cfg);
    this.schedule = cfg.schedule ?? 'linear';
    if (this.schedule === 'linear' && cfg.warmup_epochs === undefined) {
      throw new SamplerConfigError('ChannelWarmupSampler: schedule linear needs warmup_epochs (the epochs over which all width choices become allowed).');
    }
    if (this.schedule === 'spos_mxnet' && cfg.warmup_epochs !== undefined) {
      throw new SamplerConfigError(`ChannelWarmupSampler: schedule spos_mxnet takes its stage lengths from SPOS-MXNet's table; remove warmup_epochs (${cfg.warmup_epochs}).`);
    }
    this.warmupEpochs = cfg.warmup_epochs ?? 0;
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
    return widestFirst.slice(0, this.allowedCount(widestFirst.length, epoch));
  }

  /** Number of a warmed-up mutable's `n` choices allowed at an epoch (widest first). */
  allowedCount(n: number, epoch: number): number {
    return this.schedule === 'spos_mxnet'
      ? sposMxnetAllowedCount(n, epoch, this.startEpoch)
      : linearAllowedCount(n, epoch, this.warmupEpochs, this.startEpoch);
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
  description: 'Uniform sampling whose width choices grow widest-first from the widest to all (linear rule, or SPOS-MXNet\'s table).',
  properties: {
    schedule: {
      enum: ['linear', 'spos_mxnet'],
      default: 'linear',
      description: "How the allowed width choices grow: 'linear' over warmup_epochs, or 'spos_mxnet' (two widest at start_epoch, then SPOS-MXNet's stage table).",
    },
    warmup_epochs: {
      type: 'integer',
      minimum: 0,
      description: 'Epochs over which the linear schedule grows the allowed width choices from the widest to all.',
    },
    start_epoch: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Epochs of widest-only training before the warm-up begins.',
    },
    alias_pattern: {
      type: 'string',
      'x-regex': true,
      default: DEFAULT_WARMUP_ALIAS_PATTERN,
      description: "Regular expression of the mutable aliases the warm-up restricts ('.' for all, depths too).",
    },
    ...SAMPLER_BASE_PROPERTIES,
  },
  if: { properties: { schedule: { const: 'spos_mxnet' } }, required: ['schedule'] },
  then: {
    description: "schedule spos_mxnet takes its stage lengths from SPOS-MXNet's table, so warmup_epochs must not be set",
    not: { required: ['warmup_epochs'] },
  },
  else: { required: ['warmup_epochs'] },
  additionalProperties: false,
};

SAMPLERS.register('ChannelWarmupSampler', ChannelWarmupSampler, { schema: CHANNEL_WARMUP_SAMPLER_SCHEMA });
