/** Height and width of an image in pixels. */
export interface Size {
  height: number;
  width: number;
}

/**
 * One geometric step, in the coordinates of the image as it is at that step. A crop may reach
 * outside the image (padding): those pixels are 0.
 */
export type GeomOp =
  | { op: 'crop'; top: number; left: number; height: number; width: number }
  | { op: 'resize'; height: number; width: number }
  | { op: 'flip' };

/** An HWC uint8 image. */
export interface Pixels {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/** Size after an op. */
export function opOutputSize(size: Size, op: GeomOp): Size {
  return op.op === 'flip' ? size : { height: op.height, width: op.width };
}

function crop(img: Pixels, top: number, left: number, height: number, width: number): Pixels {
  const { channels: c } = img;
  const data = new Uint8Array(height * width * c);
  const y0 = Math.max(0, -top);
  const y1 = Math.min(height, img.height - top);
  const x0 = Math.max(0, -left);
  const x1 = Math.min(width, img.width - left);
  if (x1 > x0) {
    for (let y = y0; y < y1; y++) {
      const src = ((y + top) * img.width + (x0 + left)) * c;
      data.set(img.data.subarray(src, src + (x1 - x0) * c), (y * width + x0) * c);
    }
  }
  return { data, height, width, channels: c };
}

/** Bilinear resize with half-pixel centres (align_corners = false), edges clamped. */
function resize(img: Pixels, height: number, width: number): Pixels {
  const { channels: c } = img;
  const data = new Uint8Array(height * width * c);
  const sy = img.height / height;
  const sx = img.width / width;
  const xs0 = new Int32Array(width);
  const xs1 = new Int32Array(width);
  const wx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
    xs0[x] = Math.floor(fx);
    xs1[x] = Math.min(xs0[x]! + 1, img.width - 1);
    wx[x] = fx - xs0[x]!;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const a = (y0 * img.width + xs0[x]!) * c;
      const b = (y0 * img.width + xs1[x]!) * c;
      const d = (y1 * img.width + xs0[x]!) * c;
      const e = (y1 * img.width + xs1[x]!) * c;
      const w = wx[x]!;
      for (let k = 0; k < c; k++) {
        const top = img.data[a + k]! + (img.data[b + k]! - img.data[a + k]!) * w;
        const bottom = img.data[d + k]! + (img.data[e + k]! - img.data[d + k]!) * w;
        data[(y * width + x) * c + k] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { data, height, width, channels: c };
}

function flip(img: Pixels): Pixels {
  const { height, width, channels: c } = img;
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * c;
      const dst = (y * width + (width - 1 - x)) * c;
      for (let k = 0; k < c; k++) data[dst + k] = img.data[src + k]!;
    }
  }
  return { data, height, width, channels: c };
}

/** Apply ops in order to an in-memory image (the path of MNIST, CIFAR and Synthetic samples). */
export function applyOps(img: Pixels, ops: readonly GeomOp[]): Pixels {
  let out = img;
  for (const op of ops) {
    if (op.op === 'crop') out = crop(out, op.top, op.left, op.height, op.width);
    else if (op.op === 'resize') out = op.height === out.height && op.width === out.width ? out : resize(out, op.height, op.width);
    else out = flip(out);
  }
  return out;
}
