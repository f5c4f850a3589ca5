import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { tf } from '../../tf.js';
import { ModelFilesError } from './file_io_handler.js';

/**
 * Weight quantization of a saved TF.js model, as tensorflowjs_converter's `--quantize_uint8` does:
 * each float32 weight stored as uint8 with its own affine `min` and `scale` in the manifest
 * (`quantization: {dtype: 'uint8', min, scale}`), which every TF.js loader dequantizes on load
 * (value = q * scale + min). About 4x smaller weights; computation stays float32.
 */
export function quantizeLayersModelUint8(srcDir: string, dstDir: string): { floatBytes: number; uint8Bytes: number } {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(readFileSync(join(srcDir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  } catch (e) {
    throw new ModelFilesError(`Cannot read the TF.js model ${join(srcDir, 'model.json')}: ${(e as Error).message}.`);
  }
  const groups = json.weightsManifest ?? [];
  const data = Buffer.concat(groups.flatMap((g) => g.paths.map((p) => readFileSync(join(srcDir, p)))));
  const specs = groups.flatMap((g) => g.weights);
  const out: Buffer[] = [];
  const newSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const s of specs) {
    if (s.quantization) throw new ModelFilesError(`${srcDir}: weight '${s.name}' is already quantized.`);
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (s.dtype !== 'float32') {
      const bytes = count * 4;
      out.push(data.subarray(offset, offset + bytes));
      newSpecs.push(s);
      offset += bytes;
      continue;
    }
    const v = new Float32Array(data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + count * 4));
    offset += count * 4;
    let min = Infinity;
    let max = -Infinity;
    for (const x of v) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (count === 0) min = max = 0;
    const scale = max > min ? (max - min) / 255 : 1;
    const q = Uint8Array.from(v, (x) => Math.round((x - min) / scale));
    out.push(Buffer.from(q.buffer));
    newSpecs.push({ ...s, quantization: { dtype: 'uint8', min, scale } });
  }
  const weights = Buffer.concat(out);
  mkdirSync(dstDir, { recursive: true });
  const write = (path: string, buf: Buffer) => {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, buf);
    renameSync(tmp, path);
  };
  write(join(dstDir, 'weights.bin'), weights);
  write(join(dstDir, 'model.json'), Buffer.from(JSON.stringify({ ...json, convertedBy: 'tfrazor export_subnet (uint8 weights)', weightsManifest: [{ paths: ['weights.bin'], weights: newSpecs }] })));
  return { floatBytes: data.byteLength, uint8Bytes: weights.byteLength };
}
