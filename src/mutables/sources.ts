/** What a dynamic op reads to know how many channels are active now and how many it stores. */
export interface ChannelSource {
  readonly currentChannels: number;
  readonly maxChannels: number;
}

/** What a dynamic op reads for a scalar choice (depth, kernel size). */
export interface ValueSource {
  readonly currentValue: number;
  readonly maxValue: number;
}

/** A width that never changes (input image channels, class count, fixed layers). */
export function fixedChannels(n: number): ChannelSource {
  return { currentChannels: n, maxChannels: n };
}

export function fixedValue(v: number): ValueSource {
  return { currentValue: v, maxValue: v };
}
