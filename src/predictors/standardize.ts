/** Per-column z-scoring fitted on training rows; constant columns keep scale 1 (they carry no information). */
export interface Standardizer {
  mean: number[];
  scale: number[];
}

export function fitStandardizer(x: readonly (readonly number[])[]): Standardizer {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const row of x) row.forEach((v, j) => (mean[j]! += v / n));
  for (const row of x) row.forEach((v, j) => (scale[j]! += (v - mean[j]!) ** 2 / n));
  return { mean, scale: scale.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1)) };
}

export function standardize(s: Standardizer, x: readonly (readonly number[])[]): number[][] {
  return x.map((row) => row.map((v, j) => (v - s.mean[j]!) / s.scale[j]!));
}

/** Mean and standard deviation of targets (1 when constant). */
export function targetScale(y: readonly number[]): { mean: number; std: number } {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const v = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
  return { mean, std: v > 1e-24 ? Math.sqrt(v) : 1 };
}
