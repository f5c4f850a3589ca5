import { UserError } from '../errors.js';
/** Correlation and rank-correlation coefficients of paired samples (predicted vs true accuracy). */

export class RankMetricError extends UserError {
}

function checkPairs(x: ArrayLike<number>, y: ArrayLike<number>, what: string): number {
  if (x.length !== y.length) throw new RankMetricError(`${what}: x has ${x.length} values but y has ${y.length}.`);
  if (x.length < 2) throw new RankMetricError(`${what}: needs at least 2 pairs, got ${x.length}.`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new RankMetricError(`${what}: the pair at index ${i} is (${x[i]}, ${y[i]}); every value must be a finite number.`);
    }
  }
  return x.length;
}

/** Pearson's r; NaN when either side is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = checkPairs(x, y, 'pearson');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding can push |r| a hair above 1 for perfectly linear data.
  return Number.isNaN(r) ? r : Math.max(-1, Math.min(1, r));
}

/** Distinct values of v ascending, and for each element the index of its value among them. */
function denseRanks(v: ArrayLike<number>): { distinct: Float64Array; rank: Int32Array } {
  // Native typed-array sort (no comparator) plus binary search is several times faster than sorting indices.
  const sorted = Float64Array.from(v as ArrayLike<number>).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
  const distinct = sorted.subarray(0, m);
  const rank = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    let lo = 0;
    let hi = m - 1;
    const t = v[i]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { distinct, rank };
}

/** Ranks 1..n, tied values sharing the average of their ranks. */
export function averageRanks(v: ArrayLike<number>): Float64Array {
  const { distinct, rank } = denseRanks(v);
  const count = new Float64Array(distinct.length);
  for (let i = 0; i < rank.length; i++) count[rank[i]!]!++;
  const avg = new Float64Array(distinct.length);
  let before = 0;
  for (let k = 0; k < distinct.length; k++) {
    avg[k] = before + (count[k]! + 1) / 2;
    before += count[k]!;
  }
  return Float64Array.from(rank, (k) => avg[k]!);
}

/** Spearman's rho: Pearson's r of the average ranks (ties handled). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPairs(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

/** Sum of t(t-1)/2 over the runs of equal neighbours (by `equal`) of a sorted sequence of length n. */
function tiedPairs(n: number, equal: (i: number, j: number) => boolean): number {
  let total = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && equal(i - 1, i)) run++;
    else {
      total += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return total;
}

/**
 * Kendall's tau-b in O(n log n) (Knight 1966): sort by (x, y), count the pairs whose y order is
 * inverted with a merge sort (the discordant pairs), and correct for ties in x, y and both.
 * tau_b = (n0 - n1 - n2 + n3 - 2 * swaps) / sqrt((n0 - n1) (n0 - n2)); NaN when either side is constant.
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = checkPairs(x, y, 'kendallTauB');
  // Replace values by dense ranks so that one native sort of rx * m + ry orders the pairs by (x, y).
  const rx = denseRanks(x).rank;
  const { distinct: yLevels, rank: ry } = denseRanks(y);
  const m = yLevels.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = rx[i]! * m + ry[i]!;
  keys.sort();
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = Math.floor(keys[i]! / m);
    ys[i] = keys[i]! - xs[i]! * m;
  }
  const n0 = (n * (n - 1)) / 2;
  const n1 = tiedPairs(n, (i, j) => xs[i] === xs[j]);
  const n3 = tiedPairs(n, (i, j) => keys[i] === keys[j]);
  const swaps = countInversionsAndSort(ys);
  const n2 = tiedPairs(n, (i, j) => ys[i] === ys[j]);
  const tau = (n0 - n1 - n2 + n3 - 2 * swaps) / Math.sqrt((n0 - n1) * (n0 - n2));
  return Number.isNaN(tau) ? tau : Math.max(-1, Math.min(1, tau));
}

/** Sorts `a` ascending in place (bottom-up merge sort) and returns the number of strict inversions. */
function countInversionsAndSort(a: Float64Array): number {
  const n = a.length;
  let src: Float64Array = a;
  let dst: Float64Array = new Float64Array(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Taking from the right only when strictly smaller leaves equal values uninverted (ties are not discordant).
        if (src[j]! < src[i]!) {
          swaps += mid - i;
          dst[k++] = src[j++]!;
        } else dst[k++] = src[i++]!;
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  if (src !== a) a.set(src);
  return swaps;
}

/** Everything the Track-1 leaderboards look at, for one set of pairs. */
export interface RankConsistency {
  n: number;
  kendall_tau: number;
  pearson: number;
  abs_pearson: number;
  spearman: number;
}

/** Kendall tau-b (leaderboard B), Pearson and |Pearson| (leaderboard A) and Spearman of predicted vs true values. */
export function rankConsistency(predicted: ArrayLike<number>, truth: ArrayLike<number>): RankConsistency {
  const r = pearson(predicted, truth);
  return {
    n: predicted.length,
    kendall_tau: kendallTauB(predicted, truth),
    pearson: r,
    abs_pearson: Math.abs(r),
    spearman: spearman(predicted, truth),
  };
}
