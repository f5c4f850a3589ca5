/** The Track-1 ResNet48 search space as the code sees it (see docs/track1.md). */

/** Maximum number of blocks per stage; the code reserves two digits per block up to this. */
export const TRACK1_MAX_DEPTHS = [5, 5, 8, 5] as const;

/** Allowed depth per stage, inclusive. */
export const TRACK1_DEPTH_RANGES: readonly (readonly [number, number])[] = [
  [2, 5],
  [2, 5],
  [2, 8],
  [2, 5],
];

/** Width ratio of code digit d (1..7) is TRACK1_RATIOS[d - 1]. */
export const TRACK1_RATIOS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7] as const;

/** Base width of each stage's residual path and of the stem (TRACK1.md). */
export const TRACK1_STAGE_BASE_CHANNELS = [64, 128, 256, 512] as const;
export const TRACK1_STEM_BASE_CHANNELS = 64;

/** The only input size the official list uses (size digit `1`). */
export const TRACK1_INPUT_SIZE = 224;

export const TRACK1_STAGE_COUNT = TRACK1_MAX_DEPTHS.length;

/** Mutator alias of a stage's depth (stages 1-based). */
export const depthAlias = (stage: number): string => `stage${stage}.depth`;
/** Mutator alias of a stage's residual width (shared by all its blocks and, for stage 1, the stem). */
export const outAlias = (stage: number): string => `stage${stage}.out_channels`;
/** Mutator alias of the first conv's output width of a block (stage and block 1-based). */
export const midAlias = (stage: number, block: number): string =>
  `stage${stage}.block${block}.mid_channels`;

/** Every alias a decoded code fills, in code order. */
export function track1Aliases(): string[] {
  const aliases: string[] = [];
  for (let s = 1; s <= TRACK1_STAGE_COUNT; s++) aliases.push(depthAlias(s));
  for (let s = 1; s <= TRACK1_STAGE_COUNT; s++) {
    aliases.push(outAlias(s));
    for (let b = 1; b <= TRACK1_MAX_DEPTHS[s - 1]; b++) aliases.push(midAlias(s, b));
  }
  return aliases;
}

/** Code digit (1..7) of a ratio, or undefined if the ratio is not one of TRACK1_RATIOS. */
export function ratioDigit(ratio: number): number | undefined {
  // Ratios may come from YAML or arithmetic, so compare with a tolerance far below their spacing.
  const i = TRACK1_RATIOS.findIndex((r) => Math.abs(r - ratio) < 1e-6);
  return i < 0 ? undefined : i + 1;
}
