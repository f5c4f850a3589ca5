#!/usr/bin/env node
// The `tfrazor` command of the package: `tfrazor train CONFIG ...` runs tools/train's main, and so
// on for every tool, with the same options and exit codes as `npx tsx tools/<tool>.ts`.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setCommandNamer } from '../src/cli/help.js';
import { runCli } from '../src/cli/run.js';

/** Command name -> tool path under tools/ (without extension). */
export const COMMANDS: Record<string, { tool: string; summary: string }> = {
  train: { tool: 'train', summary: 'train a supernet, a distillation or one subnet from a config' },
  test: { tool: 'test', summary: 'top-1/top-5 of one subnet (BN re-calibrated) or an exported network' },
  search: { tool: 'search', summary: 'evolution or random search under macs/params constraints' },
  export: { tool: 'export_subnet', summary: 'export one subnet as a stand-alone network and a TF.js model' },
  'print-config': { tool: 'print_config', summary: 'print a config merged, overridden and validated, with defaults' },
  complexity: { tool: 'analysis/complexity', summary: 'MACs and params of subnets, counted analytically' },
  'rank-consistency': { tool: 'analysis/rank_consistency', summary: "Kendall's tau etc. of predicted vs ground-truth accuracies" },
  proxies: { tool: 'analysis/proxies', summary: 'zero-cost proxy scores of a Track-1 JSON' },
  'latency-table': { tool: 'analysis/latency_table', summary: 'measure a latency lookup table of a space (onnxruntime-node)' },
  predict: { tool: 'predict', summary: 'fit a performance predictor and predict subnets' },
  'reorder-channels': { tool: 'reorder_channels', summary: "sort a ResNet checkpoint's BasicBlock channels by L1 importance (Track-1 demo init)" },
  'track1-score': { tool: 'track1/score', summary: 'score a Track-1 JSON with a supernet, sharded and resumable' },
  'track1-merge': { tool: 'track1/merge', summary: 'join Track-1 shard outputs into one submission' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width + 2)}${c.summary}`);
  return `Usage: tfrazor COMMAND [arguments] [options]    (tfrazor COMMAND --help for its options)\n\nCommands:\n${lines.join('\n')}\n`;
}

interface Output {
  write(text: string): unknown;
}

/** Run `tfrazor argv...`; resolves with the exit code. */
export async function tfrazor(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? err : out).write(usage());
    return name === undefined ? 2 : 0;
  }
  // The tool's own path works too (`tfrazor export_subnet`, `tfrazor track1/score`).
  const command = COMMANDS[name] ?? Object.values(COMMANDS).find((c) => c.tool === name);
  if (!command) {
    err.write(`error: Unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  setCommandNamer((tool) => `tfrazor ${Object.entries(COMMANDS).find(([, c]) => c.tool === tool)?.[0] ?? tool}`);
  const { main } = (await import(/* @vite-ignore */ `./${command.tool}.js`)) as { main: (argv: string[], stdout?: Output) => Promise<number> | number };
  return runCli((args) => main(args, out), rest, err, out);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await tfrazor(process.argv.slice(2));
}
