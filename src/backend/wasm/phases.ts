// Geometry of a strided convolution's input gradient split into stride phases, along one axis.
// Input row h = Q*stride + rho (rho in [0, stride)) sits at padded position h + padBefore, so it
// receives the filter taps r, r + stride, ... with r = (rho + padBefore) mod stride: each phase is a
// stride-1 correlation of dy with that flipped sub-filter, computed for Q in [0, ceil(size/stride)).

export interface AxisPhase {
  /** Output rows of this phase are size rows h = Q*stride + rho. */
  rho: number;
  /** First filter tap (in effective, dilated filter coordinates) of this phase. */
  firstTap: number;
  /** Number of taps r, r + stride, ... inside the effective filter; 0 means a zero phase. */
  taps: number;
  /** Signed padding of dy before and after, for a stride-1 correlation producing `rows` outputs. */
  padBefore: number;
  padAfter: number;
}

export interface AxisPlan {
  stride: number;
  /** Output rows per phase: ceil(size / stride); rows at or past `size` are dropped. */
  rows: number;
  phases: AxisPhase[];
}

export function planAxis(size: number, dySize: number, filterSize: number, stride: number,
    padBefore: number): AxisPlan {
  const rows = Math.ceil(size / stride);
  const phases: AxisPhase[] = [];
  for (let rho = 0; rho < stride; rho++) {
    const r = (rho + padBefore) % stride;
    const q0 = Math.floor((rho + padBefore) / stride);
    const taps = r < filterSize ? Math.ceil((filterSize - r) / stride) : 0;
    const before = taps - 1 - q0;
    const after = rows - 1 + taps - dySize - before;
    phases.push({ rho, firstTap: r, taps, padBefore: before, padAfter: after });
  }
  return { stride, rows, phases };
}
