/** Height and width of a feature map. */
export interface SpatialSize {
  h: number;
  w: number;
}

/** Complexity of a module for the current choices at a given input size (TRACK1.md convention). */
export interface ModuleCost {
  macs: number;
  params: number;
  output: SpatialSize;
}

/** A module that reports its own macs and params analytically. */
export interface Costed {
  cost(input: SpatialSize): ModuleCost;
}

export function isCosted(x: unknown): x is Costed {
  return typeof (x as Partial<Costed>)?.cost === 'function';
}

/** Output size of a conv or pool window (PyTorch floor rule). */
export function windowOutput(input: SpatialSize, kernel: number, stride: number, pad: number): SpatialSize {
  return {
    h: Math.floor((input.h + 2 * pad - kernel) / stride) + 1,
    w: Math.floor((input.w + 2 * pad - kernel) / stride) + 1,
  };
}

/** Run costed parts one after the other: macs and params add up, sizes chain. */
export function chainCosts(input: SpatialSize, parts: Iterable<Costed>): ModuleCost {
  let macs = 0;
  let params = 0;
  let size = input;
  for (const p of parts) {
    const c = p.cost(size);
    macs += c.macs;
    params += c.params;
    size = c.output;
  }
  return { macs, params, output: size };
}
