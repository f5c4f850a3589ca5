import { PipelineError } from '../errors.js';
import { writeSample } from '../loader/write_sample.js';
import type { Size } from '../transforms/geometry.js';
import type { CompiledPipeline } from '../transforms/pipeline.js';
import { decodeWithOps, imageSize, openImage } from './sharp_ops.js';

/** Samples of one batch (or a part of it) to decode: dataset indices and their files. */
export interface DecodeRequest {
  paths: string[];
  indices: number[];
  epoch: number;
}

export interface DecodeResult {
  /** NHWC float32 values of the decoded samples; slots that failed are left 0. */
  data: Float32Array;
  failed: { slot: number; reason: string }[];
}

/** What a decoder needs besides the request; the same in the main thread and in each worker. */
export interface DecodeContext {
  pipeline: CompiledPipeline;
  channels: 1 | 3;
  seed: number;
  outSize: Size;
}

/** Decode and transform samples concurrently (sharp runs them on libvips threads). */
export async function decodeSamples(req: DecodeRequest, ctx: DecodeContext): Promise<DecodeResult> {
  const { outSize, channels, pipeline } = ctx;
  const sampleSize = outSize.height * outSize.width * channels;
  const data = new Float32Array(req.paths.length * sampleSize);
  const failed: DecodeResult['failed'] = [];
  await Promise.all(
    req.paths.map(async (path, slot) => {
      let pixels;
      try {
        const image = openImage(path);
        const size = await imageSize(image);
        pixels = await decodeWithOps(image, size, pipeline.plan(size, ctx.seed, req.epoch, req.indices[slot]!), channels);
      } catch (err) {
        failed.push({ slot, reason: err instanceof Error ? err.message : String(err) });
        return;
      }
      if (pixels.height !== outSize.height || pixels.width !== outSize.width) {
        throw new PipelineError(
          `Image '${path}' came out of the pipeline as ${pixels.height}x${pixels.width}, the batch expects ` +
            `${outSize.height}x${outSize.width}: end the pipeline with a transform of fixed size.`,
        );
      }
      writeSample(pixels, pipeline.mul, pipeline.add, data, slot * sampleSize);
    }),
  );
  return { data, failed };
}
