/**
 * The network the Track-1 demo builds from a code, transcribed from its model.py
 * (CVPR_2022_Track1_demo@fa470ffc): make_divisible at :10-17, the code parsing and the block widths
 * at :159-194. Independent of tfrazor's codec and supernet, so tests can compare the two.
 */

/** model.py:10-17: max(min_val, int(v + divisor / 2) // divisor * divisor), plus divisor if that lost over 10%. */
export function demoMakeDivisible(v: number, divisor = 8, minVal = divisor): number {
  let n = Math.max(minVal, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

export interface DemoLayer {
  kind: 'conv' | 'fc';
  in: number;
  out: number;
  kernel: number;
  stride: number;
}

const CHANNEL_RATIOS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7]; // config 'c' (model.py:138), digit d -> [d - 1]
const BASE_CHANNELS = [64, 128, 256, 512]; // model.py:139
const STRIDES = [1, 2, 2, 2]; // model.py:170

/** Every conv (stem, then per block conv1, conv2 and the downsample conv if any) and the fc, in order. */
export function demoLayers(arch: string): DemoLayer[] {
  const ratio = (digit: string) => CHANNEL_RATIOS[Number(digit) - 1]!;
  const depths = [...arch.slice(1, 5)].map(Number);
  const conv0 = demoMakeDivisible(BASE_CHANNELS[0]! * ratio(arch[5]!));
  const layers: DemoLayer[] = [{ kind: 'conv', in: 3, out: conv0, kernel: 7, stride: 2 }];
  let blocksCode = arch.slice(6);
  let inChannel = conv0;
  depths.forEach((d, si) => {
    let idx = 0;
    while (idx < blocksCode.length && blocksCode[idx] === '0') idx++; // model.py:176-181: skip padding
    blocksCode = blocksCode.slice(idx);
    let codeStr = blocksCode.slice(0, d * 2);
    blocksCode = blocksCode.slice(d * 2);
    let s = STRIDES[si]!;
    for (let b = 0; b < d; b++) {
      const codes = codeStr.slice(0, 2);
      codeStr = codeStr.slice(2);
      const planes = [inChannel, ...[...codes].map((c) => demoMakeDivisible(BASE_CHANNELS[si]! * ratio(c)))];
      layers.push({ kind: 'conv', in: planes[0]!, out: planes[1]!, kernel: 3, stride: s });
      layers.push({ kind: 'conv', in: planes[1]!, out: planes[2]!, kernel: 3, stride: 1 });
      // BasicBlock (model.py:64-67): a 1x1 downsample conv when the block strides or changes width.
      if (s !== 1 || planes[0] !== planes[2]) layers.push({ kind: 'conv', in: planes[0]!, out: planes[2]!, kernel: 1, stride: s });
      inChannel = planes[2]!;
      s = 1;
    }
  });
  layers.push({ kind: 'fc', in: inChannel, out: 1000, kernel: 0, stride: 0 });
  return layers;
}
