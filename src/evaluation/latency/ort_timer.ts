import type { DeployGraph } from '../export/deploy_graph.js';
import { buildOnnxModel, ONNX_INPUT } from '../export/onnx/onnx_model.js';
import { loadOnnxRuntime, type OrtModule } from '../export/onnx/runtime.js';
import { UserError } from '../../errors.js';

export interface TimingOptions {
  /** Untimed runs first (allocations, caches). */
  warmup: number;
  /** Timed runs; the median is reported (robust to the spikes of a shared machine). */
  runs: number;
}

/** Times batch-1 inference of deploy graphs in onnxruntime-node on the CPU with a fixed thread count. */
export class OrtTimer {
  readonly runtime: string;

  private constructor(private readonly ort: OrtModule, readonly threads: number) {
    this.runtime = `onnxruntime-node cpu, ${threads} thread(s)`;
  }

  static async create(threads = 1): Promise<OrtTimer> {
    const rt = await loadOnnxRuntime();
    if (!rt.ok) throw new UserError(`Latency on onnxruntime needs it installed: ${rt.reason}`);
    return new OrtTimer(rt.ort, threads);
  }

  /** Median milliseconds of one session.run of the graph on a batch-1 input (session creation excluded). */
  async median(graph: DeployGraph, opts: TimingOptions, outputDims?: number[]): Promise<number> {
    const model = buildOnnxModel(graph, { outputDims });
    const session = await this.ort.InferenceSession.create(model, {
      intraOpNumThreads: this.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
    });
    const [h, w, c] = graph.input_shape;
    const input = new this.ort.Tensor('float32', Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i)), [1, c, h, w]);
    const feeds = { [ONNX_INPUT]: input };
    for (let i = 0; i < opts.warmup; i++) await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await session.release?.();
    return median(times);
  }
}

export function median(v: readonly number[]): number {
  return quantile(v, 0.5);
}

/** Linear-interpolated quantile of a sample. */
export function quantile(v: readonly number[], q: number): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
