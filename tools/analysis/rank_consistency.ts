// Rank consistency of supernet-predicted vs stand-alone accuracies:
// npx tsx tools/analysis/rank_consistency.ts PRED.json GT.json [--json] [--plot OUT.svg|OUT.png]
//   [--bootstrap N]  (adds a seeded 90 % percentile-bootstrap interval of Kendall tau over N resamples)
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, parseToolArgs, runCli } from '../../src/cli/index.js';
import { prepareOutputFile } from '../../src/cli/outputs.js';
import { scatterSvg, writePlot } from '../../src/evaluation/plots.js';
import { bootstrapKendall } from '../../src/evaluation/rank_bootstrap.js';
import { compareTrack1Files } from '../../src/evaluation/rank_consistency.js';
import { readTrack1File } from '../../src/track1/index.js';

const USAGE = 'usage: npx tsx tools/analysis/rank_consistency.ts PRED.json GT.json [--json] [--plot OUT.svg|OUT.png] [--bootstrap N]';

const some = (keys: string[]): string => keys.slice(0, 5).map((k) => `"${k}"`).join(', ') + (keys.length > 5 ? ', ...' : '');
const fmt = (v: number): string => (Number.isNaN(v) ? 'NaN (a side is constant)' : v.toFixed(4));

export async function main(argv: string[]): Promise<number> {
  const args = parseToolArgs(argv, {
    json: { type: 'boolean', description: 'Print one JSON object of the metrics instead of text.' },
    plot: { type: 'string', value: 'OUT.svg|OUT.png', description: 'Draw predicted vs ground-truth accuracy as a scatter plot.' },
    bootstrap: { type: 'string', value: 'N', description: "Add a seeded 90 % percentile-bootstrap interval of Kendall's tau over N resamples." },
  }, {
    tool: 'analysis/rank_consistency',
    usage: 'PRED.json GT.json [options]',
    summary: "Rank consistency (Kendall's tau, Spearman, Pearson) of supernet-predicted against stand-alone accuracies of the same Track-1 keys.",
    arguments: { 'PRED.json': 'Track-1 JSON with predicted acc.', 'GT.json': 'Track-1 JSON with ground-truth acc.' },
    examples: ['submission.json ground_truth.json --json --plot scatter.svg'],
  });
  if (args.positionals.length !== 2) throw new UsageError(`Give exactly two files, PRED.json and GT.json.\n${USAGE}`);
  const [predPath, truthPath] = args.positionals as [string, string];
  const resamples = args.values.bootstrap === undefined ? 0 : Number(args.values.bootstrap);
  if (!Number.isInteger(resamples) || resamples < 0) {
    throw new UsageError(`--bootstrap takes a whole number of resamples (e.g. 1000), got "${args.values.bootstrap}".\n${USAGE}`);
  }
  const plot = args.values.plot as string | undefined;
  const predicted = { path: predPath, entries: readTrack1File(predPath, { requireAcc: true }) };
  const truth = { path: truthPath, entries: readTrack1File(truthPath, { requireAcc: true }) };
  if (plot !== undefined) prepareOutputFile(plot, '--plot');
  const { metrics, pairs } = compareTrack1Files(predicted, truth);
  // Missing keys go to stderr so that --json leaves exactly one object on stdout.
  if (pairs.onlyInPredicted.length > 0) console.error(`${pairs.onlyInPredicted.length} key(s) only in ${predPath}: ${some(pairs.onlyInPredicted)}`);
  if (pairs.onlyInTruth.length > 0) console.error(`${pairs.onlyInTruth.length} key(s) only in ${truthPath}: ${some(pairs.onlyInTruth)}`);

  if (plot !== undefined) {
    const svg = scatterSvg({
      points: Array.from(pairs.keys, (_, i) => ({ x: pairs.truth[i]!, y: pairs.predicted[i]! })),
      xLabel: `ground-truth accuracy (acc in ${basename(truthPath)})`,
      yLabel: `predicted score (acc in ${basename(predPath)})`,
      // y = x only where both sides are accuracies; a proxy or likelihood has its own scale.
      identity: pairs.predicted.every((v) => v >= 0 && v <= 1),
      fit: true,
      title:
        `${basename(predPath)} vs ${basename(truthPath)}: Kendall tau ${metrics.kendall_tau.toFixed(4)}, ` +
        `|Pearson| ${metrics.abs_pearson.toFixed(4)}, Spearman ${metrics.spearman.toFixed(4)} (n = ${metrics.n})`,
    });
    await writePlot(plot, svg);
  }
  const ci = resamples > 0 ? bootstrapKendall(pairs.predicted, pairs.truth, { samples: resamples }) : undefined;
  if (args.values.json) {
    const { n, kendall_tau, pearson, abs_pearson, spearman } = metrics;
    console.log(JSON.stringify({ n, kendall_tau, pearson, abs_pearson, spearman, ...(ci ? { kendall_tau_ci: ci } : {}) }));
    return 0;
  }
  console.log(
    [
      `pairs compared   ${metrics.n}   (${predPath} vs ${truthPath})`,
      `Kendall tau-b    ${fmt(metrics.kendall_tau)}   leaderboard B`,
      ...(ci ? [`  ${Math.round(ci.level * 100)} % interval  ${fmt(ci.low)} .. ${fmt(ci.high)}   (bootstrap, ${ci.samples} resamples)`] : []),
      `Pearson          ${fmt(metrics.pearson)}`,
      `|Pearson|        ${fmt(metrics.abs_pearson)}   leaderboard A`,
      `Spearman         ${fmt(metrics.spearman)}`,
      ...(plot ? [`plot             ${plot}`] : []),
    ].join('\n'),
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
