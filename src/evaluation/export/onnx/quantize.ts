import type { Tensor4D } from '../../../tf.js';
import { runDeployGraph, type DeployGraph } from '../deploy_graph.js';
import { ONNX_INPUT } from './onnx_model.js';

/** uint8 affine parameters of one activation tensor: real = scale * (q - zeroPoint). */
export interface ActivationQuant {
  scale: number;
  zeroPoint: number;
  min: number;
  max: number;
}

export interface QuantParams {
  /** By deploy-graph tensor name ('input' for the images). */
  activations: Record<string, ActivationQuant>;
  calibrationSamples: number;
}

/** uint8 parameters covering [min, max] widened to hold 0 (so zero padding and ReLU zeros are exact). */
export function uint8Params(min: number, max: number): ActivationQuant {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  return { scale, zeroPoint, min: lo, max: hi };
}

/**
 * Static calibration: run the deploy graph on calibration images (NHWC, preprocessed as for
 * evaluation) and keep each tensor's min and max over all of them (onnxruntime's MinMax method).
 */
export function calibrateActivations(graph: DeployGraph, batches: readonly Tensor4D[]): QuantParams {
  const range = new Map<string, [number, number]>();
  const see = (name: string, v: { min: number; max: number }) => {
    const r = range.get(name);
    range.set(name, r ? [Math.min(r[0], v.min), Math.max(r[1], v.max)] : [v.min, v.max]);
  };
  const minMax = (data: ArrayLike<number>) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max };
  };
  let samples = 0;
  for (const x of batches) {
    samples += x.shape[0];
    see(ONNX_INPUT, minMax(x.dataSync()));
    runDeployGraph(graph, x, (n, y) => see(n.name, minMax(y.dataSync()))).dispose();
  }
  const activations: Record<string, ActivationQuant> = {};
  for (const [name, [lo, hi]] of range) activations[name] = uint8Params(lo, hi);
  return { activations, calibrationSamples: samples };
}
