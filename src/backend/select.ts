import 'reflect-metadata';
import { container } from 'tsyringe';
import { similarNames } from '../registry/registry.js';
import { TOKENS } from '../services/tokens.js';
import { tf } from '../tf.js';
import { BackendUnavailableError, UnknownBackendError } from './errors.js';
import { availableParallelism, loadavg } from 'node:os';
import { loadTorchAddon, type AddonLoad } from './torch/addon.js';
import { activeTorchKernels, registerTorchKernels, removeTorchKernels } from './torch/register.js';
import { registerWasmTrainingKernels } from './wasm/register.js';

/** Engines in the order they are tried; 'torch' is libtorch kernels on the wasm host backend. */
export const BACKEND_NAMES = ['tensorflow', 'torch', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The backend in use and why it was chosen; registered as the TOKENS.backend service. */
export interface BackendChoice {
  name: BackendName;
  reason: string;
  /** Native threads of the engine (torch), where it has a setting. */
  threads?: number;
}

export interface InitBackendOptions {
  /** Loads an optional package by name; tests replace it to simulate installed or absent ones. */
  importModule?: (name: string) => Promise<unknown>;
  /** Threads of the torch engine; default $TFRAZOR_THREADS, else the cores left free (freeCores). */
  threads?: number;
  /** Loads the libtorch addon; tests replace it to simulate a missing or broken build. */
  loadTorch?: () => AddonLoad;
}

// Native engines are optional: never dependencies, loaded only if the user installed one.
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

const defaultLog = (msg: string): void => console.error(`[tfrazor] ${msg}`);
const importByName = (name: string): Promise<unknown> => import(name);

let current: BackendChoice | null = null;

/** Validates a `--backend` value. */
export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new UnknownBackendError(value, BACKEND_NAMES, similarNames(value, [...BACKEND_NAMES], 1)[0]);
}

/** The command that adds the native TensorFlow engine, pinned to the installed tfjs version. */
export function nativeInstallHint(): string {
  const v = tf.version_core;
  return `Install it with \`npm install @tensorflow/tfjs-node-gpu@${v}\` (CUDA GPU) or ` +
    `\`npm install @tensorflow/tfjs-node@${v}\` (CPU), matching @tensorflow/tfjs ${v}.`;
}

/**
 * Chooses and activates the engine: forced by `requested`, else the first that loads of
 * tfjs-node-gpu, tfjs-node (both 'tensorflow'), the libtorch addon ('torch', on the wasm host),
 * wasm (with the training kernels), cpu. Logs the choice and the reason; calling again with the
 * same request (and thread count) is a no-op.
 */
export async function initBackend(requested?: BackendName | string,
    log: (msg: string) => void = defaultLog, options: InitBackendOptions = {}): Promise<BackendChoice> {
  const forced = requested === undefined ? undefined : parseBackendName(requested);
  const threads = options.threads ?? defaultThreads();
  if (current !== null && (forced === undefined || forced === current.name) &&
      tf.getBackend() === tfjsBackendOf(current.name) && (current.threads === undefined || current.threads === threads)) {
    return current;
  }
  const loaders: Loaders = { importModule: options.importModule ?? importByName, loadTorch: options.loadTorch ?? loadTorchAddon };
  const choice = forced === undefined
    ? await chooseAutomatically(loaders, threads)
    : await activateForced(forced, loaders, threads);
  current = choice;
  container.register(TOKENS.backend, { useValue: choice });
  log(`backend: ${choice.name} (${choice.reason})`);
  return choice;
}

/** For tests: switch to `name` (wasm gets the training kernels) and wait until it is ready. */
export async function useBackend(name: BackendName): Promise<BackendChoice> {
  return initBackend(name, () => undefined);
}

/** The TensorFlow.js backend an engine runs on. */
export function tfjsBackendOf(name: BackendName): string {
  return name === 'torch' ? 'wasm' : name;
}

let processDefaultThreads: number | undefined;

/** $TFRAZOR_THREADS, else the cores left free at start-up (decided once per process). */
function defaultThreads(): number {
  const fromEnv = Number(process.env.TFRAZOR_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  processDefaultThreads ??= freeCores();
  return processDefaultThreads;
}

/**
 * Every core on an idle machine; on a busy one only those the 1-minute load average leaves free
 * (at least 1). OpenMP threads wait for each other after every kernel, so a thread that other
 * processes keep preempting stalls the step: measured on 2 cores with one other busy process,
 * 491 ms per step with 2 threads against 40 ms with 1.
 */
export function freeCores(cores = availableParallelism(), load = loadavg()[0]!): number {
  // A core counts as taken once the load on it passes 0.75.
  return Math.max(1, Math.min(cores, Math.round(cores - load + 0.25)));
}

interface Loaders {
  importModule: (name: string) => Promise<unknown>;
  loadTorch: () => AddonLoad;
}

async function chooseAutomatically({ importModule, loadTorch }: Loaders, threads: number): Promise<BackendChoice> {
  const skipped: string[] = [];
  const native = await tryNative(importModule);
  if (native.ok) return { name: 'tensorflow', reason: `${native.detail}; chosen first, native is fastest` };
  skipped.push(native.detail);
  const torch = await tryTorch(importModule, loadTorch, threads);
  if (torch.ok) return { name: 'torch', reason: `${skipped.join('; ')}; ${torch.detail}`, threads };
  skipped.push(torch.detail);
  const wasm = await tryWasm(importModule);
  if (wasm.ok) return { name: 'wasm', reason: `${skipped.join('; ')}; ${wasm.detail}` };
  skipped.push(wasm.detail);
  await activate('cpu');
  return { name: 'cpu', reason: `${skipped.join('; ')}; falling back to the pure-JS cpu backend` };
}

async function activateForced(name: BackendName, { importModule, loadTorch }: Loaders,
    threads: number): Promise<BackendChoice> {
  if (name === 'torch') {
    const torch = await tryTorch(importModule, loadTorch, threads);
    if (!torch.ok) {
      throw new BackendUnavailableError(name, torch.detail,
        'Install libtorch (`apt-get install libtorch-dev`, or set TFRAZOR_TORCH_DIR to a pip torch folder), then build the engine with `npm run build:native`.');
    }
    return { name, reason: `forced by --backend; ${torch.detail}`, threads };
  }
  if (name === 'tensorflow') {
    const native = await tryNative(importModule);
    if (!native.ok) throw new BackendUnavailableError(name, native.detail, nativeInstallHint());
    return { name, reason: `forced by --backend; ${native.detail}` };
  }
  if (name === 'wasm') {
    const wasm = await tryWasm(importModule);
    if (!wasm.ok) {
      throw new BackendUnavailableError(name, wasm.detail,
        'Reinstall the dependencies with `npm ci` (@tensorflow/tfjs-backend-wasm is a dependency).');
    }
    return { name, reason: `forced by --backend; ${wasm.detail}` };
  }
  await activate('cpu');
  return { name, reason: 'forced by --backend; pure-JS cpu backend' };
}

interface Attempt { ok: boolean; detail: string }

async function tryNative(importModule: (name: string) => Promise<unknown>): Promise<Attempt> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      await importModule(pkg);
      if (await activate('tensorflow')) return { ok: true, detail: `${pkg} loaded` };
      failures.push(`${pkg} loaded but its 'tensorflow' backend did not start`);
    } catch (err) {
      failures.push(`${pkg} ${describeLoadFailure(err, pkg)}`);
    }
  }
  return { ok: false, detail: failures.join(', ') };
}

async function tryTorch(importModule: (name: string) => Promise<unknown>, loadTorch: () => AddonLoad,
    threads: number): Promise<Attempt> {
  const load = loadTorch();
  if (!load.ok) return { ok: false, detail: load.reason };
  const wasm = await tryWasm(importModule);
  if (!wasm.ok) return { ok: false, detail: `libtorch needs the wasm host backend: ${wasm.detail}` };
  load.addon.setThreads(threads);
  registerTorchKernels(load.addon);
  const kernels = activeTorchKernels().length;
  return {
    ok: true,
    detail: `libtorch ${load.addon.version()} with ${load.addon.threads()} thread(s) serves ${kernels} kernels ` +
      '(convs and their gradients, train-mode batch norm with its activation, residual add + relu, max pooling, matmul); other ops on wasm' +
      threadNote(load.addon.threads()),
  };
}

/** Why the thread count is what it is, when it is not simply every core of an idle machine. */
export function threadNote(threads: number, cores = availableParallelism(), load = loadavg()[0]!): string {
  const free = freeCores(cores, load);
  if (threads > free) {
    return `; load average ${load.toFixed(1)} on ${cores} cores: other processes compete for these threads, ` +
      `which can slow every step many times over (--threads ${free} avoids it)`;
  }
  if (threads < cores) return ` (of ${cores} cores; load average ${load.toFixed(1)}; --threads or TFRAZOR_THREADS sets it)`;
  return '';
}

async function tryWasm(importModule: (name: string) => Promise<unknown>): Promise<Attempt> {
  try {
    await importModule('@tensorflow/tfjs-backend-wasm');
    if (!(await activate('wasm'))) return { ok: false, detail: 'the wasm backend failed to start' };
    removeTorchKernels();
    registerWasmTrainingKernels();
    return { ok: true, detail: 'wasm with the tfrazor training kernels (conv gradients, Tile, transposed matmul, leading-axis Sum/Mean, FusedBatchNorm)' };
  } catch (err) {
    return { ok: false, detail: `@tensorflow/tfjs-backend-wasm ${describeLoadFailure(err, '@tensorflow/tfjs-backend-wasm')}` };
  }
}

async function activate(name: string): Promise<boolean> {
  if (tf.findBackendFactory(name) === undefined && tf.findBackend(name) === undefined) return false;
  const ok = await tf.setBackend(name);
  await tf.ready();
  return ok && tf.getBackend() === name;
}

function describeLoadFailure(err: unknown, pkg: string): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  if (notFound && message.includes(pkg)) return 'is not installed';
  return `failed to load (${message})`;
}
