import { parentPort, workerData } from 'node:worker_threads';
import '../transforms/index.js';
import { CompiledPipeline } from '../transforms/pipeline.js';
import { decodeSamples, type DecodeContext, type DecodeRequest } from './decode_samples.js';
import type { WorkerInit } from './pool.js';

const init = workerData as WorkerInit;
const ctx: DecodeContext = {
  pipeline: new CompiledPipeline(init.pipeline, init.channels),
  channels: init.channels,
  seed: init.seed,
  outSize: init.outSize,
};

parentPort!.on('message', async (msg: { id: number; req: DecodeRequest }) => {
  try {
    const result = await decodeSamples(msg.req, ctx);
    parentPort!.postMessage({ id: msg.id, result }, [result.data.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: { name: (err as Error).name, message: (err as Error).message ?? String(err) } });
  }
});
