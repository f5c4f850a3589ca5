// Seconds per subnet of Track-1-style scoring (set subnet, BN re-calibration, validation on fixed
// preloaded batches), split by phase, with the same SubnetScorer the tools use. Weights are the
// seeded initial ones unless --checkpoint is given (timing does not depend on them). Usage:
//   npx tsx bench/subnet_scoring.ts CONFIG [--checkpoint CKPT] [--archs TRACK1.json | --random N]
//     [--num N] [--calib-samples N] [--val-samples N] [--backend B] [--cfg-options k=v ...]
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseToolArgs } from '../src/cli/args.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';
import { initBackend } from '../src/backend/index.js';
import { tf } from '../src/tf.js';
import { MODELS } from '../src/registry/registries.js';
import type { Supernet } from '../src/models/types.js';
import type { TypedConfig } from '../src/registry/registry.js';
import type { SubnetChoices } from '../src/mutables/types.js';
import { Rng } from '../src/services/rng.js';
import { SubnetScorer, TimingTotals } from '../src/evaluation/subnet_scorer.js';
import { loadArchitecture, loaderFor } from '../src/evaluation/setup.js';
import { decodeTrack1Code } from '../src/track1/codec.js';
import { sortByArch } from '../src/track1/scoring_loop.js';
import { DynamicConv2d } from '../src/models/ops/dynamic_conv2d.js';

await runCli(async (argv) => {
  const args = parseToolArgs(argv, {
    checkpoint: { type: 'string' }, archs: { type: 'string' }, random: { type: 'string' }, num: { type: 'string' },
    'calib-samples': { type: 'string' }, 'val-samples': { type: 'string' }, 'no-weight-cache': { type: 'boolean' },
  });
  const { config } = await loadConfig(args.positionals[0]!, args.cfgOptions);
  const backend = await initBackend(args.backend, () => undefined);
  const ckpt = args.values.checkpoint as string | undefined;
  const model = config.model as { architecture: TypedConfig };
  const net = (ckpt ? loadArchitecture(config, ckpt) : MODELS.build(model.architecture)) as Supernet;
  const num = Number(args.values.num ?? 10);
  let subnets: SubnetChoices[];
  if (args.values.archs) {
    const entries = Object.entries(JSON.parse(readFileSync(args.values.archs as string, 'utf8')) as Record<string, { arch: string }>)
      .slice(0, num).map(([key, value]) => ({ key, value }));
    subnets = sortByArch(entries).map((e) => decodeTrack1Code(e.value.arch));
  } else {
    const rng = new Rng(0);
    subnets = Array.from({ length: num }, () => ({ ...net.mutator.sample(rng) }));
  }
  const calibSamples = Number(args.values['calib-samples'] ?? 256);
  const valSamples = Number(args.values['val-samples'] ?? 512);
  const t0 = performance.now();
  const scorer = await SubnetScorer.fromLoaders(net, {
    valLoader: loaderFor(config, 'val_dataloader'), valSamples,
    calibLoader: calibSamples > 0 ? loaderFor(config, 'train_dataloader') : undefined, calibSamples, topk: [1],
    cacheWeights: args.values['no-weight-cache'] !== true,
  });
  const preloadS = (performance.now() - t0) / 1000;
  await scorer.score(subnets[0]!);
  const tensorsBefore = tf.memory().numTensors;
  const totals = new TimingTotals();
  let macs = 0;
  for (const s of subnets) {
    totals.add((await scorer.score(s)).timings);
    macs += net.complexity(s).macs;
  }
  const tensorsScored = tf.memory().numTensors;
  scorer.dispose();
  // Cost of slicing every active conv weight once (what a per-subnet weight cache would save per batch).
  const convs = net.namedModules().map(([, m]) => m).filter((m): m is DynamicConv2d => m instanceof DynamicConv2d);
  const ts = performance.now();
  for (const s of subnets) {
    net.mutator.set(s);
    // wasm and cpu kernels run synchronously, so the op calls themselves are the cost.
    tf.tidy(() => { for (const c of convs) c.activeWeight(); });
  }
  const sliceS = (performance.now() - ts) / 1000 / subnets.length;
  const tensorsAfter = tf.memory().numTensors;
  const p = totals.perSubnet();
  const meanMacs = macs / subnets.length;
  const report = {
    backend: backend.name, weight_cache: args.values['no-weight-cache'] !== true, subnets: subnets.length, input: net.inputShape, calib_samples: scorer.calibSamples, val_samples: scorer.valSamples,
    preload_s: preloadS, mean_mmacs: meanMacs / 1e6,
    seconds_per_subnet: { total: p.total, set: p.set, calibrate: p.calib, validate: p.val },
    calib_img_per_s: scorer.calibSamples / p.calib, val_img_per_s: scorer.valSamples / p.val,
    val_gflops: (2 * meanMacs * scorer.valSamples) / p.val / 1e9,
    weight_slicing_s_per_pass: sliceS,
    tensors_before: tensorsBefore,
    tensors_after_scoring: tensorsScored,
    tensors_after_dispose: tensorsAfter,
  };
  console.log(JSON.stringify(report));
  return 0;
});
