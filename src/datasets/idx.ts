import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetFormatError, DatasetNotFoundError } from './errors.js';

const IDX_UBYTE = 0x08;

/** Read an IDX file (the MNIST format), gunzipping `.gz` ones; tries `path` then `path.gz`. */
function readIdx(path: string, dims: number, help: string): { data: Uint8Array; shape: number[]; file: string } {
  const file = existsSync(path) ? path : existsSync(`${path}.gz`) ? `${path}.gz` : null;
  if (!file) throw new DatasetNotFoundError(path, 'IDX file', help);
  let buf: Buffer = readFileSync(file);
  if (file.endsWith('.gz')) buf = gunzipSync(buf);
  const expected = `IDX ubyte with ${dims} dimension(s) (magic 0x0000080${dims})`;
  if (buf.length < 4 + 4 * dims || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== IDX_UBYTE || buf[3] !== dims) {
    throw new DatasetFormatError(file, expected);
  }
  const shape = Array.from({ length: dims }, (_, d) => buf.readUInt32BE(4 + 4 * d));
  const header = 4 + 4 * dims;
  const size = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== header + size) {
    throw new DatasetFormatError(file, `${expected}, ${header + size} bytes for shape [${shape}], found ${buf.length}`);
  }
  return { data: new Uint8Array(buf.buffer, buf.byteOffset + header, size), shape, file };
}

/** Images (N x H x W uint8) and labels of an IDX pair such as MNIST's train or t10k files. */
export function readIdxPair(
  imagesPath: string,
  labelsPath: string,
  help: string,
): { images: Uint8Array; labels: Uint8Array; count: number; height: number; width: number } {
  const images = readIdx(imagesPath, 3, help);
  const labels = readIdx(labelsPath, 1, help);
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new DatasetFormatError(labels.file, `${count} labels to match '${images.file}', found ${labels.shape[0]}`);
  }
  return { images: images.data, labels: labels.data, count, height, width };
}
