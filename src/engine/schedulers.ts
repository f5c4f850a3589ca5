import { SCHEDULERS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';

/** Keys every parameter scheduler shares (mmengine semantics). */
export interface SchedulerWindow {
  /** First step (epoch or iteration) at which the scheduler acts. */
  begin: number;
  /** Step at which it stops; its last value is held afterwards. null: never stops. */
  end: number | null;
  /** Steps count epochs (true) or iterations (false). */
  by_epoch: boolean;
  /** With by_epoch, convert begin/end/periods to iterations and update every iteration. */
  convert_to_iter_based: boolean;
}

const WINDOW_PROPERTIES = {
  begin: { description: 'First step (epoch or iteration, see by_epoch) at which the scheduler acts.', type: 'integer', minimum: 0, default: 0 },
  end: { description: 'Step at which the scheduler stops (exclusive); its last value is held afterwards. null: never stops.', type: ['integer', 'null'], minimum: 1, default: null },
  by_epoch: { description: 'Count steps in epochs (true) or iterations (false).', type: 'boolean', default: true },
  convert_to_iter_based: { description: 'With by_epoch: convert the epoch numbers to iterations and update every iteration instead of every epoch.', type: 'boolean', default: false },
};

export class SchedulerConfigError extends Error {
  override readonly name = 'SchedulerConfigError';
  readonly isUserError = true;
}

/**
 * A learning-rate scheduler as a pure function of the step, so resuming at any iteration gives the
 * same value as an uninterrupted run. Chained schedulers are applied in list order, each to the
 * previous one's output, inside its window [begin, end).
 */
export abstract class LrScheduler {
  readonly window: SchedulerWindow;

  constructor(cfg: Partial<SchedulerWindow>) {
    this.window = { begin: 0, end: null, by_epoch: true, convert_to_iter_based: false, ...cfg };
    if (this.window.end !== null && this.window.end <= this.window.begin) {
      throw new SchedulerConfigError(`${this.constructor.name}: end (${this.window.end}) must be greater than begin (${this.window.begin}).`);
    }
  }

  /** Value at local step `s` (0 at begin) given the value `lr` coming from earlier schedulers. */
  protected abstract valueAt(s: number, lr: number, baseLr: number): number;

  /** This scheduler with epoch numbers converted to iterations (`convert_to_iter_based`). */
  protected abstract scaled(itersPerEpoch: number): LrScheduler;

  /** Iteration-based equivalent of this scheduler, given the train loader's length. */
  toIterBased(itersPerEpoch: number): LrScheduler {
    if (!this.window.by_epoch || !this.window.convert_to_iter_based) return this;
    return this.scaled(itersPerEpoch);
  }

  protected scaledWindow(itersPerEpoch: number): SchedulerWindow {
    const { begin, end } = this.window;
    return { begin: begin * itersPerEpoch, end: end === null ? null : end * itersPerEpoch, by_epoch: false, convert_to_iter_based: false };
  }

  /** Apply at global iteration `iter` to `lr` (the chain's running value). */
  apply(iter: number, lr: number, baseLr: number, itersPerEpoch: number): number {
    const step = this.window.by_epoch ? Math.floor(iter / itersPerEpoch) : iter;
    const { begin, end } = this.window;
    if (step < begin) return lr;
    const last = end === null ? step : Math.min(step, end - 1);
    return this.valueAt(last - begin, lr, baseLr);
  }
}

export interface LinearLRConfig extends SchedulerWindow {
  start_factor: number;
  end_factor: number;
}

/** Linear change of the factor from start_factor at begin to end_factor at end - 1 (warm-up). */
export class LinearLR extends LrScheduler {
  readonly start: number;
  readonly endFactor: number;

  constructor(cfg: Partial<LinearLRConfig>) {
    super(cfg);
    if (this.window.end === null) throw new SchedulerConfigError('LinearLR: end is required (the step where the factor reaches end_factor).');
    this.start = cfg.start_factor ?? 1 / 3;
    this.endFactor = cfg.end_factor ?? 1;
  }

  protected valueAt(s: number, lr: number): number {
    const total = this.window.end! - this.window.begin - 1;
    const f = total <= 0 ? this.endFactor : this.start + ((this.endFactor - this.start) * Math.min(s, total)) / total;
    return lr * f;
  }

  protected scaled(n: number): LrScheduler {
    return new LinearLR({ ...this.scaledWindow(n), start_factor: this.start, end_factor: this.endFactor });
  }
}

export interface CosineAnnealingLRConfig extends SchedulerWindow {
  T_max: number | null;
  eta_min: number;
  eta_min_ratio: number | null;
}

/** Half-cosine from the incoming value down to eta_min over T_max steps. */
export class CosineAnnealingLR extends LrScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  readonly etaMinRatio: number | null;

  constructor(cfg: Partial<CosineAnnealingLRConfig>) {
    super(cfg);
    const tMax = cfg.T_max ?? (this.window.end === null ? null : this.window.end - this.window.begin);
    if (tMax === null) throw new SchedulerConfigError('CosineAnnealingLR: give T_max or end (T_max defaults to end - begin).');
    this.tMax = tMax;
    this.etaMin = cfg.eta_min ?? 0;
    this.etaMinRatio = cfg.eta_min_ratio ?? null;
  }

  protected valueAt(s: number, lr: number, baseLr: number): number {
    const etaMin = this.etaMinRatio === null ? this.etaMin : this.etaMinRatio * baseLr;
    return etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * Math.min(s, this.tMax)) / this.tMax))) / 2;
  }

  protected scaled(n: number): LrScheduler {
    return new CosineAnnealingLR({ ...this.scaledWindow(n), T_max: this.tMax * n, eta_min: this.etaMin, eta_min_ratio: this.etaMinRatio });
  }
}

export interface MultiStepLRConfig extends SchedulerWindow {
  milestones: number[];
  gamma: number;
}

/** Multiply by gamma at each milestone (steps counted from begin). */
export class MultiStepLR extends LrScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(cfg: Partial<MultiStepLRConfig> & { milestones: number[] }) {
    super(cfg);
    this.milestones = [...cfg.milestones].sort((a, b) => a - b);
    this.gamma = cfg.gamma ?? 0.1;
  }

  protected valueAt(s: number, lr: number): number {
    return lr * this.gamma ** this.milestones.filter((m) => m <= s).length;
  }

  protected scaled(n: number): LrScheduler {
    return new MultiStepLR({ ...this.scaledWindow(n), milestones: this.milestones.map((m) => m * n), gamma: this.gamma });
  }
}

/** The configured schedulers in order; the learning rate at an iteration is a pure function of it. */
export class LrSchedule {
  private readonly schedulers: LrScheduler[];

  constructor(
    schedulers: readonly LrScheduler[],
    readonly baseLr: number,
    readonly itersPerEpoch: number,
  ) {
    this.schedulers = schedulers.map((s) => s.toIterBased(itersPerEpoch));
  }

  static build(cfgs: readonly TypedConfig[] | TypedConfig | null | undefined, baseLr: number, itersPerEpoch: number): LrSchedule {
    const list = cfgs === null || cfgs === undefined ? [] : Array.isArray(cfgs) ? cfgs : [cfgs];
    return new LrSchedule(list.map((c) => SCHEDULERS.build<LrScheduler>(c)), baseLr, itersPerEpoch);
  }

  lrAt(iter: number): number {
    return this.schedulers.reduce((lr, s) => s.apply(iter, lr, this.baseLr, this.itersPerEpoch), this.baseLr);
  }
}

const number = (description: string, extra: Record<string, unknown> = {}) => ({ description, type: 'number', ...extra });

SCHEDULERS.register('LinearLR', LinearLR, {
  schema: {
    type: 'object',
    properties: {
      ...WINDOW_PROPERTIES,
      start_factor: number('Factor of the base learning rate at begin.', { minimum: 0, maximum: 1, default: 1 / 3 }),
      end_factor: number('Factor reached at end - 1 and held afterwards.', { minimum: 0, maximum: 1, default: 1 }),
    },
    required: ['end'],
    additionalProperties: false,
  },
});

SCHEDULERS.register('CosineAnnealingLR', CosineAnnealingLR, {
  schema: {
    type: 'object',
    properties: {
      ...WINDOW_PROPERTIES,
      T_max: { description: 'Steps of the half cosine (default end - begin).', type: ['integer', 'null'], minimum: 1, default: null },
      eta_min: number('Value reached at T_max.', { minimum: 0, default: 0 }),
      eta_min_ratio: { description: 'eta_min as a fraction of the base learning rate (overrides eta_min).', type: ['number', 'null'], minimum: 0, default: null },
    },
    required: [],
    additionalProperties: false,
  },
});

SCHEDULERS.register('MultiStepLR', MultiStepLR, {
  schema: {
    type: 'object',
    properties: {
      ...WINDOW_PROPERTIES,
      milestones: { description: 'Steps (counted from begin) at which the value is multiplied by gamma.', type: 'array', items: { type: 'integer', minimum: 0 } },
      gamma: number('Multiplicative decay at each milestone.', { exclusiveMinimum: 0, default: 0.1 }),
    },
    required: ['milestones'],
    additionalProperties: false,
  },
});
