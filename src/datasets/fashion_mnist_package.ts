import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError } from './errors.js';
import type { ImageArrays } from './dataset.js';

const PIXELS = 28 * 28;
const PER_CLASS = 7000;
const TRAIN_PER_CLASS = 6000;
const NUM_CLASSES = 10;

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Images of one class file `{"data":[[784 ints],...]}`. A byte scanner instead of JSON.parse,
 * which takes ~1 s per 16 MB file; empty arrays (the package has a few) are skipped.
 */
function scanClassFile(path: string): Uint8Array {
  const text = readFileSync(path);
  const out = new Uint8Array(PER_CLASS * PIXELS);
  const n = text.length;
  let images = 0;
  let i = text.indexOf(OPEN, text.indexOf(OPEN) + 1);
  while (i >= 0 && i < n && images < PER_CLASS) {
    // i is at the '[' of one image; read integers until its ']'
    let count = 0;
    let value = -1;
    let base = images * PIXELS;
    i++;
    for (; i < n; i++) {
      const ch = text[i]!;
      if (ch >= ZERO && ch <= NINE) {
        value = value < 0 ? ch - ZERO : value * 10 + (ch - ZERO);
      } else if (ch === COMMA || ch === CLOSE) {
        if (value >= 0) {
          if (value > 255 || count >= PIXELS) break;
          out[base + count++] = value;
          value = -1;
        }
        if (ch === CLOSE) break;
      }
    }
    if (text[i] !== CLOSE || (count !== PIXELS && count !== 0)) {
      throw new DatasetFormatError(path, `{"data": [[784 integers 0..255], ...]}; image ${images} is not`);
    }
    if (count === PIXELS) images++;
    i = text.indexOf(OPEN, i);
  }
  if (images < PER_CLASS) throw new DatasetFormatError(path, `${PER_CLASS} images of ${PIXELS} values, found ${images}`);
  return out;
}

let classFiles: Uint8Array[] | null = null;

function allClassFiles(): Uint8Array[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json')), 'src', 'clothes');
  classFiles ??= Array.from({ length: NUM_CLASSES }, (_, c) => scanClassFile(join(dir, `${c}.json`)));
  return classFiles;
}

/** The package's images in a documented split: per class, the first 6,000 train, the last 1,000 test. */
export function readFashionMnistPackage(subset: 'train' | 'test'): ImageArrays {
  const files = allClassFiles();
  const perClass = subset === 'train' ? TRAIN_PER_CLASS : PER_CLASS - TRAIN_PER_CLASS;
  const first = subset === 'train' ? 0 : TRAIN_PER_CLASS;
  const count = perClass * NUM_CLASSES;
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let c = 0; c < NUM_CLASSES; c++) {
    const all = files[c]!;
    images.set(all.subarray(first * PIXELS, (first + perClass) * PIXELS), c * perClass * PIXELS);
    labels.fill(c, c * perClass, (c + 1) * perClass);
  }
  return { images, labels, count, height: 28, width: 28, channels: 1 };
}
