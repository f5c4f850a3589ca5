// Plain-JS entry of a decode worker: Node cannot start a worker from a .ts file, so this registers
// the tsx loader (when the code runs from TypeScript sources) and then imports the real worker.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
