import { tf } from '../../tf.js';
import { compileDeployGraph, type DeployGraph } from '../export/deploy_graph.js';
import { buildOnnxModel, ONNX_INPUT } from '../export/onnx/onnx_model.js';
import { loadOnnxRuntime, type OrtModule } from '../export/onnx/runtime.js';
import { UserError } from '../../errors.js';

export interface TimingOptions {
  /** Untimed runs first (allocations, caches). */
  warmup: number;
  /** Timed runs; the median is reported (robust to the spikes of a shared machine). */
  runs: number;
}

/** Times batch-1 inference of a deploy graph on one runtime. */
export interface LatencyTimer {
  /** The runtime in words, recorded in the table. */
  readonly runtime: string;
  /** Median milliseconds of one batch-1 inference (set-up excluded). */
  median(graph: DeployGraph, opts: TimingOptions, outputDims?: number[]): Promise<number>;
}

/** Times batch-1 inference of deploy graphs in onnxruntime-node on the CPU with a fixed thread count. */
export class OrtTimer implements LatencyTimer {
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

/**
 * Times batch-1 inference with the running tfjs engine (wasm, torch, cpu...): the graph's weights
 * uploaded once, each run read back to the host (dataSync), as an application would.
 */
export class TfjsTimer implements LatencyTimer {
  /** @param engine tfrazor's name of the engine (e.g. torch, which serves its kernels through the wasm backend). */
  constructor(readonly engine: string = tf.getBackend()) {}

  get runtime(): string {
    return `tfjs, engine ${this.engine}`;
  }

  async median(graph: DeployGraph, opts: TimingOptions): Promise<number> {
    const compiled = compileDeployGraph(graph);
    const [h, w, c] = graph.input_shape;
    const x = tf.tensor4d(Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i)), [1, h, w, c]);
    try {
      const once = () => {
        const y = compiled.run(x);
        y.dataSync();
        y.dispose();
      };
      for (let i = 0; i < opts.warmup; i++) once();
      const times: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const t0 = process.hrtime.bigint();
        once();
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return median(times);
    } finally {
      x.dispose();
      compiled.dispose();
    }
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
