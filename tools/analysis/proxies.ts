// Score every architecture of a Track-1 JSON with a zero-cost proxy: `acc` = the proxy's score
// (larger = better expected), computed on a fresh network per subnet (no training). Resumable and
// shardable like tools/track1/score.ts: results go to a progress journal as they come, and the
// same command continues after a kill. Usage:
//   npx tsx tools/analysis/proxies.ts CONFIG --archs FILE --proxy NAME|'{type: NAME, ...}' --out FILE
//     [--shard i/n] [--seed S] [--checkpoint CKPT] [--order input|arch] [--progress FILE]
//     [--backend B] [--cfg-options proxy_cfg.batch_size=32 ...] [--debug]
// Without --proxy the config's `proxy_cfg` section is used. --checkpoint is needed for `init: supernet`.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../../src/cli/args.js';
import { prepareOutputFile } from '../../src/cli/outputs.js';
import { loadConfig } from '../../src/cli/load_config.js';
import { runCli } from '../../src/cli/run.js';
import { initBackend } from '../../src/backend/index.js';
import { createServices, getProgress } from '../../src/services/container.js';
import { formatDuration } from '../../src/services/progress.js';
import { tf } from '../../src/tf.js';
import { PROXIES } from '../../src/registry/registries.js';
import type { TypedConfig } from '../../src/registry/registry.js';
import { buildSupernetForCounting, findArchitectureConfig } from '../../src/models/complexity.js';
import { isSupernet, type Supernet } from '../../src/models/types.js';
import { EvaluationSetupError, loadArchitecture } from '../../src/evaluation/setup.js';
import { codeSpaceOfConfig } from '../../src/track1/supernet_code_space.js';
import { readTrack1File } from '../../src/track1/format.js';
import { parseShard, selectShard } from '../../src/track1/shard.js';
import { defaultProgressPath, runScoringLoop } from '../../src/track1/scoring_loop.js';
import { buildProxy, loadProxyBatch, type ProxyBatch } from '../../src/proxies/index.js';

const USAGE =
  "Usage: analysis/proxies.ts CONFIG --archs FILE --out FILE [--proxy NAME|'{type: NAME, ...}'] [--shard i/n] [--seed S] " +
  '[--checkpoint CKPT] [--order input|arch] [--progress FILE] [--backend tensorflow|torch|wasm|cpu] [--cfg-options key.path=value ...] [--debug]';

interface Output {
  write(text: string): unknown;
}

/** `--proxy ZenScore` or `--proxy '{type: ZenScore, batch_size: 32}'` as a `proxy_cfg` override. */
function proxyOverride(text: string): string {
  return text.trimStart().startsWith('{') ? `proxy_cfg=${text}` : `proxy_cfg={type: ${JSON.stringify(text)}}`;
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    archs: { type: 'string', value: 'FILE.json', description: 'The Track-1 JSON of architectures to score (required).' },
    out: { type: 'string', value: 'FILE.json', description: "Where to write it with acc = the proxy's score (required)." },
    proxy: { type: 'string', value: "NAME|'{type: NAME, ...}'", description: "The zero-cost proxy (ZenScore, SNIP, GradNorm, ...; default: the config's proxy_cfg)." },
    shard: { type: 'string', value: 'i/n', description: 'Score only part i of n (0-based), deterministic (default 0/1).' },
    checkpoint: { type: 'string', value: 'CKPT', description: 'Supernet weights, for proxies with init: supernet.' },
    order: { type: 'string', value: 'input|arch', description: "Score in the file's order (input, default) or in code order (arch)." },
    progress: { type: 'string', value: 'FILE', description: 'The resume journal (default OUT.<proxy hash>.progress.jsonl next to --out).' },
  }, {
    tool: 'analysis/proxies',
    usage: "CONFIG --archs FILE.json --out FILE.json [--proxy NAME|'{type: NAME, ...}'] [options]",
    summary:
      "Score every architecture of a Track-1 JSON with a zero-cost proxy (acc = the score, larger = better expected) on a fresh network per subnet. " +
      'Resumable and shardable like track1/score: the same command continues after a kill.',
    arguments: { CONFIG: 'The config whose supernet gives the space (its proxy_cfg is the default proxy).' },
    examples: ['configs/track1/resnet48_bignas.yaml --archs data/track1/CVPR_2022_NAS_Track1_test.json --proxy ZenScore --out zen.json --shard 0/8'],
  });
  const archsPath = args.values.archs as string | undefined;
  const outPath = args.values.out as string | undefined;
  if (args.positionals.length !== 1 || !archsPath || !outPath) throw new UsageError(USAGE);
  const order = (args.values.order as string | undefined) ?? 'input';
  if (order !== 'arch' && order !== 'input') throw new UsageError(`--order must be 'input' or 'arch', got '${order}'.`);
  const proxyText = args.values.proxy as string | undefined;
  const overrides = [...(proxyText ? [proxyOverride(proxyText)] : []), ...args.cfgOptions];
  const { config } = await loadConfig(args.positionals[0]!, overrides);
  const proxyCfg = config.proxy_cfg as TypedConfig | undefined;
  if (!proxyCfg) throw new UsageError(`No proxy: give --proxy NAME (one of ${PROXIES.names().join(', ')}) or a proxy_cfg section in the config.`);
  const schema = PROXIES.get(proxyCfg.type).schema as { properties?: Record<string, unknown> };
  if (args.seed !== undefined && schema.properties?.seed) proxyCfg.seed = args.seed;
  const proxy = buildProxy(proxyCfg);

  const shard = parseShard((args.values.shard as string | undefined) ?? '0/1');
  const codes = codeSpaceOfConfig(config);
  const entries = selectShard(readTrack1File(archsPath, { validateCodes: codes }), shard);
  prepareOutputFile(outPath, '--out', { '--archs': archsPath, CONFIG: args.positionals[0], '--checkpoint': args.values.checkpoint as string | undefined });
  const { logger } = createServices({ logLevel: args.debug ? 'debug' : 'info' });
  await initBackend(args.backend, (msg) => logger.info(msg), { threads: args.threads });

  const checkpoint = args.values.checkpoint as string | undefined;
  let supernet: Supernet;
  if (checkpoint) {
    const arch = loadArchitecture(config, checkpoint);
    if (!isSupernet(arch)) throw new EvaluationSetupError('Proxies score subnets of a supernet config (model.architecture with a mutator).');
    supernet = arch;
  } else {
    if (proxyCfg.init === 'supernet') throw new UsageError('init: supernet scores the shared weights of a trained supernet: give --checkpoint CKPT.');
    supernet = buildSupernetForCounting(findArchitectureConfig(config, args.positionals[0]!), args.positionals[0]!);
  }
  let batch: ProxyBatch | undefined;
  if (proxy.batchSize > 0) batch = await loadProxyBatch(config, proxy.batchSize, args.seed);
  logger.info(
    `${proxy.name} on ${entries.length} architectures (shard ${shard.index}/${shard.count})` +
      (batch ? `, the same ${proxy.batchSize} train images for every subnet.` : ', no data read.'),
  );

  // One journal per proxy setting, so a run never resumes from another proxy's (or setting's) scores.
  const tag = `${proxyCfg.type}-${createHash('sha256').update(JSON.stringify(proxyCfg)).digest('hex').slice(0, 8)}`;
  const progressPath = prepareOutputFile((args.values.progress as string | undefined) ?? defaultProgressPath(`${outPath}.${tag}`),
    args.values.progress !== undefined ? '--progress' : 'the progress file', { '--archs': archsPath, '--out': outPath });
  const progress = getProgress();
  let seconds = 0;
  let started = false;
  try {
    const summary = await runScoringLoop({
      entries,
      progressPath,
      outPath,
      order,
      score: async (list) => list.map((e) => {
        const res = proxy.score({ supernet, choices: codes.decode(e.value.arch), batch });
        seconds += res.seconds;
        return res.score;
      }),
      onProgress: (p) => {
        if (!started) {
          if (p.resumed > 0) logger.info(`Resuming: ${p.resumed} of ${p.total} already scored in the progress file.`);
          progress.start(p.total - p.resumed, `proxy ${proxy.name}`);
          started = true;
        }
        progress.update(p.scoredThisRun, {
          'subnets/min': Number(p.perMinute.toFixed(1)),
          eta: p.etaMs === undefined ? '?' : formatDuration(p.etaMs / 1000),
          s_per_subnet: p.scoredThisRun > 0 ? Number((seconds / p.scoredThisRun).toFixed(4)) : 0,
        });
      },
    });
    progress.stop();
    const perSubnet = summary.scoredThisRun > 0 ? seconds / summary.scoredThisRun : 0;
    const report = {
      out: outPath, proxy: proxyCfg, scored: summary.scoredThisRun, resumed: summary.resumed, total: entries.length,
      seconds_per_subnet: perSubnet, batch_size: proxy.batchSize,
    };
    stdout.write(
      `${proxy.name}: scored ${summary.scoredThisRun} (resumed ${summary.resumed}) of ${entries.length} -> ${outPath}; ` +
        `${perSubnet.toFixed(4)} s/subnet\n${JSON.stringify(report)}\n`,
    );
  } finally {
    progress.stop();
    if (batch) tf.dispose([batch.images, batch.labels]);
    supernet.dispose();
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
