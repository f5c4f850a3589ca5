/**
 * Round `value` to a multiple of `divisor` (at least `minValue`), adding one more step when the
 * rounding lost more than 10%: the MobileNet rule used by the Track-1 space (TRACK1.md).
 */
export function makeDivisible(value: number, divisor = 8, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Channels of a width ratio applied to a base width: make_divisible(int(ratio * base)). */
export function channelsForRatio(ratio: number, baseChannels: number, divisor = 8): number {
  return makeDivisible(Math.trunc(ratio * baseChannels), divisor);
}
