import sharp from 'sharp';
import { applyOps, type GeomOp, type Pixels, type Size } from '../transforms/geometry.js';

/** A sharp pipeline over one input. */
type SharpImage = ReturnType<typeof sharp>;

interface Rect {
  top: number;
  left: number;
  height: number;
  width: number;
}

function inside(rect: Rect, size: Size): boolean {
  return rect.top >= 0 && rect.left >= 0 && rect.top + rect.height <= size.height && rect.left + rect.width <= size.width;
}

/** A sharp pass: [pre-extract] -> [resize] -> [post-extract], sharp's fixed order; flips are done after. */
interface Pass {
  pre?: Rect;
  resize?: Size;
  post?: Rect;
  flop: boolean;
}

type Source = { kind: 'file'; image: SharpImage } | { kind: 'pixels'; pixels: Pixels };

async function runPass(source: Source, pass: Pass, channels: 1 | 3): Promise<Pixels> {
  let img =
    source.kind === 'file'
      ? source.image
      : sharp(source.pixels.data, {
          raw: { width: source.pixels.width, height: source.pixels.height, channels: source.pixels.channels as 1 | 3 },
        });
  if (pass.pre) img = img.extract(pass.pre);
  if (pass.resize) img = img.resize({ width: pass.resize.width, height: pass.resize.height, fit: 'fill' });
  if (pass.post) img = img.extract(pass.post);
  // sharp flops before a post-extract, the ops here flip after it: only without one may sharp do it.
  const sharpFlop = pass.flop && !pass.post;
  if (sharpFlop) img = img.flop();
  if (source.kind === 'file') img = channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb').removeAlpha();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  let pixels: Pixels = {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    height: info.height,
    width: info.width,
    channels: info.channels,
  };
  if (pixels.channels !== channels) pixels = toChannels(pixels, channels);
  return pass.flop && !sharpFlop ? applyOps(pixels, [{ op: 'flip' }]) : pixels;
}

/** Grey to RGB by repetition, or RGB(A) to its first `channels` channels, for decoders that keep their own band count. */
function toChannels(img: Pixels, channels: 1 | 3): Pixels {
  const n = img.height * img.width;
  const data = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < channels; k++) data[p * channels + k] = img.data[p * img.channels + Math.min(k, img.channels - 1)]!;
  }
  return { data, height: img.height, width: img.width, channels };
}

/**
 * Decode an image file and apply geometric ops with as few sharp passes as the ops allow
 * (usually one: extract -> resize). Crops reaching outside the image (padding) run in JS.
 */
export async function decodeWithOps(file: string | SharpImage, size: Size, ops: readonly GeomOp[], channels: 1 | 3): Promise<Pixels> {
  let source: Source = { kind: 'file', image: typeof file === 'string' ? openImage(file) : file };
  let pass: Pass = { flop: false };
  let current = size;
  const flush = async () => {
    const pixels: Pixels = await runPass(source, pass, channels);
    source = { kind: 'pixels', pixels };
    pass = { flop: false };
  };
  for (const op of ops) {
    if (op.op === 'flip') {
      pass.flop = !pass.flop;
    } else if (op.op === 'crop') {
      const rect: Rect = { top: op.top, left: op.left, height: op.height, width: op.width };
      if (!inside(rect, current)) {
        await flush();
        const pixels: Pixels = (source as { pixels: Pixels }).pixels;
        source = { kind: 'pixels', pixels: applyOps(pixels, [op]) };
      } else {
        // Flips run after the pass, so a crop of the flipped image is the mirrored crop of the unflipped one.
        if (pass.flop) rect.left = current.width - rect.left - rect.width;
        if (!pass.resize) pass.pre = pass.pre ? { ...rect, top: rect.top + pass.pre.top, left: rect.left + pass.pre.left } : rect;
        else pass.post = pass.post ? { ...rect, top: rect.top + pass.post.top, left: rect.left + pass.post.left } : rect;
      }
    } else {
      if (pass.post) await flush();
      pass.resize = { height: op.height, width: op.width };
    }
    current = op.op === 'flip' ? current : { height: op.height, width: op.width };
  }
  if (source.kind === 'file' || pass.pre || pass.resize || pass.post || pass.flop) await flush();
  return (source as { pixels: Pixels }).pixels;
}

/** A sharp reader of an image file that fails on corrupt data instead of returning partial pixels. */
export function openImage(path: string): SharpImage {
  return sharp(path, { failOn: 'error' });
}

/** Width and height from the file header, without decoding pixels. */
export async function imageSize(image: SharpImage): Promise<Size> {
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new Error('no width/height in the image header');
  return { height: meta.height, width: meta.width };
}
