// ImageFolder throughput: decode + RandomResizedCrop(224) + flip (+ normalize into a float batch) through
// the data loader, against sharp decoding alone, on the same ~200 JPEGs of 500x375 in one run.
// Usage: npx tsx bench/data_throughput.ts [--images 200] [--batch 32] [--rounds 2]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { buildDataLoader } from '../src/datasets/index.js';
import { Rng } from '../src/services/rng.js';
import { tf } from '../src/tf.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '200' },
    batch: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '2' },
  },
});
const numImages = Number(values.images);
const batchSize = Number(values.batch);
const rounds = Number(values.rounds);
const WIDTH = 500;
const HEIGHT = 375;
const CLASSES = 4;

/** Photo-like content (smooth shading plus noise) so JPEG decoding costs what it costs on real photos. */
async function makeJpegs(root: string): Promise<void> {
  const rng = new Rng(0);
  for (let c = 0; c < CLASSES; c++) mkdirSync(join(root, `class_${c}`));
  for (let i = 0; i < numImages; i++) {
    const data = new Uint8Array(WIDTH * HEIGHT * 3);
    const phase = rng.random() * 6;
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const o = (y * WIDTH + x) * 3;
        const base = 128 + 100 * Math.sin(x / 37 + phase) * Math.cos(y / 23 - phase);
        for (let k = 0; k < 3; k++) data[o + k] = Math.max(0, Math.min(255, base + 40 * (rng.random() - 0.5) + 30 * k));
      }
    }
    await sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(join(root, `class_${i % CLASSES}`, `${i}.jpg`));
  }
}

/** Wall-clock rate and process CPU time (all threads) per image: the CPU figure holds on a busy machine. */
interface Rate {
  imgPerSec: number;
  cpuMsPerImg: number;
}

async function measure(count: number, run: () => Promise<void>): Promise<Rate> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { imgPerSec: count / ((performance.now() - start) / 1000), cpuMsPerImg: (used.user + used.system) / 1000 / count };
}

function best(rates: Rate[]): Rate {
  return rates.reduce((a, b) => (b.cpuMsPerImg < a.cpuMsPerImg ? b : a));
}

async function sharpDecodeOnly(paths: string[]): Promise<Rate> {
  // As many decodes in flight as the loader keeps (libuv runs 4 at a time by default).
  const inFlight = 16;
  return measure(paths.length, async () => {
    for (let i = 0; i < paths.length; i += inFlight) {
      await Promise.all(paths.slice(i, i + inFlight).map((p) => sharp(p).raw().toBuffer()));
    }
  });
}

async function loaderThroughput(root: string, numWorkers: number): Promise<Rate> {
  const loader = buildDataLoader(
    {
      batch_size: batchSize,
      shuffle: true,
      num_workers: numWorkers,
      prefetch: 2,
      dataset: {
        type: 'ImageFolder',
        data_root: root,
        pipeline: [
          { type: 'RandomResizedCrop', size: 224 },
          { type: 'RandomHorizontalFlip' },
          { type: 'ToTensor' },
          { type: 'Normalize', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
        ],
      },
    },
    { seed: 0 },
  );
  // One warm-up epoch starts the workers and fills caches; the next is timed.
  const rates: Rate[] = [];
  for (let round = 0; round <= rounds; round++) {
    const rate = await measure(loader.numSamples, async () => {
      for await (const batch of loader) tf.dispose([batch.images, batch.labels]);
    });
    if (round > 0) rates.push(rate);
  }
  await loader.close();
  return best(rates);
}

const root = mkdtempSync(join(tmpdir(), 'tfrazor-bench-'));
try {
  await makeJpegs(root);
  const paths = Array.from({ length: numImages }, (_, i) => join(root, `class_${i % CLASSES}`, `${i}.jpg`));
  await sharpDecodeOnly(paths);
  const decodeRates: Rate[] = [];
  for (let r = 0; r < rounds; r++) decodeRates.push(await sharpDecodeOnly(paths));
  const decode = best(decodeRates);
  const inProcess = await loaderThroughput(root, 0);
  const pooled = await loaderThroughput(root, 2);
  const cores = availableParallelism();
  const show = (r: Rate) =>
    `${r.imgPerSec.toFixed(0).padStart(5)} img/s wall, ${r.cpuMsPerImg.toFixed(2).padStart(6)} CPU ms/img ` +
    `(= ${(1000 * cores / r.cpuMsPerImg).toFixed(0)} img/s on ${cores} idle cores)`;
  console.log(
    `${numImages} JPEGs ${WIDTH}x${HEIGHT}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}, sharp concurrency ${sharp.concurrency()}, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
  );
  console.log(`sharp decode only (full size, raw RGB):                ${show(decode)}`);
  console.log(`loader, num_workers 0, decode+RRC224+flip+normalize:  ${show(inProcess)}`);
  console.log(`loader, num_workers 2, decode+RRC224+flip+normalize:  ${show(pooled)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
