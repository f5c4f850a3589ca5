import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The libtorch kernels of native/src/binding.cc; tensors are Float32Array views plus shapes. */
export interface TorchAddon {
  conv2dForward(x: Float32Array, xShape: number[], filter: Float32Array, filterShape: number[],
    bias: Float32Array | null, biasShape: number[], activation: number, geometry: number[],
    out: Float32Array, outShape: number[]): void;
  conv2dBackwardInput(dy: Float32Array, dyShape: number[], filter: Float32Array, filterShape: number[],
    geometry: number[], dx: Float32Array, dxShape: number[]): void;
  conv2dBackwardFilter(x: Float32Array, xShape: number[], dy: Float32Array, dyShape: number[],
    geometry: number[], dfilter: Float32Array, dfilterShape: number[]): void;
  batchNormTrain(x: Float32Array, xShape: number[], gamma: Float32Array | null, beta: Float32Array | null,
    channelShape: number[], eps: number, activation: number, y: Float32Array, mean: Float32Array,
    variance: Float32Array): void;
  batchNormBackward(dy: Float32Array, x: Float32Array, xShape: number[], gamma: Float32Array | null,
    mean: Float32Array, variance: Float32Array, channelShape: number[], eps: number, activation: number,
    y: Float32Array | null, dx: Float32Array, dgamma: Float32Array | null, dbeta: Float32Array | null): void;
  maxPool(x: Float32Array, xShape: number[], geometry: number[], out: Float32Array, outShape: number[]): void;
  maxPoolGrad(dy: Float32Array, dyShape: number[], x: Float32Array, xShape: number[], geometry: number[],
    dx: Float32Array): void;
  addRelu(a: Float32Array, b: Float32Array, shape: number[], out: Float32Array): void;
  reluGrad(dy: Float32Array, y: Float32Array, shape: number[], dx: Float32Array): void;
  batchMatMul(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], transposeA: boolean,
    transposeB: boolean, out: Float32Array, outShape: number[]): void;
  setThreads(n: number): void;
  threads(): number;
  version(): string;
}

export type AddonLoad = { ok: true; addon: TorchAddon; path: string } | { ok: false; reason: string };

const ADDON_RELATIVE = join('native', 'build', 'Release', 'tfrazor_torch.node');

// The package root is the nearest folder above this file with native/ in it (src/ or dist/ layouts).
function addonPath(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, ADDON_RELATIVE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

let cached: AddonLoad | undefined;

/** Loads the addon built by scripts/build_native.mjs (npm ci), once; says why when it cannot. */
export function loadTorchAddon(): AddonLoad {
  if (cached) return cached;
  const path = process.env.TFRAZOR_TORCH_ADDON ?? addonPath();
  if (path === undefined) {
    cached = { ok: false, reason: 'the libtorch engine is not built (apt-get install libtorch-dev, then npm run build:native)' };
    return cached;
  }
  try {
    const addon = createRequire(import.meta.url)(path) as TorchAddon;
    cached = { ok: true, addon, path };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    cached = { ok: false, reason: `the libtorch engine at ${path} failed to load (${message})` };
  }
  return cached;
}
