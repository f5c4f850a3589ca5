import type { Mutable } from './types.js';
import type { ChannelSource, ValueSource } from './sources.js';

/**
 * A value computed from other mutables (e.g. the expanded width of an inverted residual block =
 * input width x expand ratio). It is not searched itself: the mutator samples its sources.
 */
export class DerivedMutable implements ChannelSource, ValueSource {
  readonly maxValue: number;
  readonly minValue: number;

  constructor(
    readonly alias: string,
    readonly sources: readonly Mutable[],
    private readonly compute: (...values: number[]) => number,
  ) {
    const all = cartesian(sources.map((s) => s.choices)).map((vals) => compute(...vals));
    this.maxValue = Math.max(...all);
    this.minValue = Math.min(...all);
  }

  get currentValue(): number {
    return this.compute(...this.sources.map((s) => s.currentChoice));
  }

  get currentChannels(): number {
    return this.currentValue;
  }

  get maxChannels(): number {
    return this.maxValue;
  }
}

function cartesian(lists: readonly (readonly number[])[]): number[][] {
  return lists.reduce<number[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}
