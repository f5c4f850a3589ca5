import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TypedConfig } from '../../registry/registry.js';
import { PipelineError } from '../errors.js';
import type { Size } from '../transforms/geometry.js';
import type { DecodeRequest, DecodeResult } from './decode_samples.js';

/** What each worker is started with. */
export interface WorkerInit {
  entry: string;
  pipeline: TypedConfig[];
  channels: 1 | 3;
  seed: number;
  outSize: Size;
}

interface Pending {
  resolve(result: DecodeResult): void;
  reject(err: Error): void;
}

/** A fixed set of decode workers; each request goes to the worker with the fewest requests open. */
export class DecodePool {
  private readonly workers: { worker: Worker; open: Map<number, Pending> }[] = [];
  /** Set when a worker died: later requests fail with it instead of waiting forever. */
  private failure: Error | null = null;
  private nextId = 0;
  private closed = false;

  constructor(size: number, init: Omit<WorkerInit, 'entry'>) {
    // The worker module has this module's extension: .ts under tsx/vitest, .js when compiled.
    const ext = extname(fileURLToPath(import.meta.url));
    const entry = new URL(`./worker${ext}`, import.meta.url).href;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker_boot.mjs', import.meta.url), { workerData: { ...init, entry } });
      const open = new Map<number, Pending>();
      worker.on('message', (msg: { id: number; result?: DecodeResult; error?: { name: string; message: string } }) => {
        const pending = open.get(msg.id);
        if (!pending) return;
        open.delete(msg.id);
        if (open.size === 0) worker.unref();
        if (msg.result) pending.resolve(msg.result);
        else pending.reject(new PipelineError(msg.error?.message ?? 'A decode worker failed.'));
      });
      const failAll = (err: Error) => {
        this.failure ??= err;
        for (const p of open.values()) p.reject(err);
        open.clear();
      };
      worker.on('error', failAll);
      worker.on('exit', (code) => {
        if (!this.closed) failAll(new PipelineError(`A decode worker exited (code ${code}) with batches still to decode.`));
      });
      worker.unref();
      this.workers.push({ worker, open });
    }
  }

  get size(): number {
    return this.workers.length;
  }

  decode(req: DecodeRequest): Promise<DecodeResult> {
    if (this.closed) return Promise.reject(new PipelineError('The data loader was closed: its decode workers are gone.'));
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers.reduce((best, w) => (w.open.size < best.open.size ? w : best));
    const id = this.nextId++;
    return new Promise<DecodeResult>((resolve, reject) => {
      // A worker holds the process open only while it has work, so an idle loader never blocks exit.
      if (slot.open.size === 0) slot.worker.ref();
      slot.open.set(id, { resolve, reject });
      slot.worker.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }
}
