import { MutableValue, type MutableValueConfig } from './mutable_value.js';
import type { ChannelSource } from './sources.js';
import { MutableDefinitionError } from './errors.js';
import { channelsForRatio } from './make_divisible.js';

export interface MutableChannelConfig extends MutableValueConfig {
  /**
   * With a base width, choices are ratios of it (channels = make_divisible(int(ratio * base)));
   * without, choices are absolute channel counts.
   */
  base_channels?: number;
  divisor?: number;
}

/**
 * A width choice. Every layer that must share a width (the residual path of a stage) holds the
 * same instance, which makes that instance the channel unit of those layers.
 */
export class MutableChannel extends MutableValue implements ChannelSource {
  readonly baseChannels: number | undefined;
  readonly maxChannels: number;
  readonly minChannels: number;
  private readonly channelsByChoice: Map<number, number>;

  constructor(cfg: MutableChannelConfig) {
    super(cfg);
    this.baseChannels = cfg.base_channels;
    const divisor = cfg.divisor ?? 8;
    this.channelsByChoice = new Map(
      this.choices.map((c) => [c, cfg.base_channels === undefined ? c : channelsForRatio(c, cfg.base_channels, divisor)]),
    );
    for (const [choice, n] of this.channelsByChoice) {
      if (!Number.isInteger(n) || n < 1) {
        throw new MutableDefinitionError(`Mutable channel '${this.alias}': choice ${choice} gives ${n} channels; expected a positive integer (absolute widths) or a ratio with base_channels.`, this.alias);
      }
    }
    this.maxChannels = Math.max(...this.channelsByChoice.values());
    this.minChannels = Math.min(...this.channelsByChoice.values());
  }

  /** Channels of a choice (a ratio with base_channels, else the width itself). */
  channelsOf(choice: number): number {
    return this.channelsByChoice.get(this.resolve(choice))!;
  }

  get currentChannels(): number {
    return this.channelsByChoice.get(this.currentChoice)!;
  }
}
