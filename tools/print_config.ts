// Print a config fully merged (bases, --cfg-options) and validated, with defaults filled in, as YAML.
// Usage: npx tsx tools/print_config.ts CONFIG [--cfg-options key.path=value ...] [--debug]
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Document, isScalar, visit } from 'yaml';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';

/** Deep copy with `type` first in every mapping, so each object reads as "Name: its arguments". */
function typeFirst(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(typeFirst);
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeFirst(x)] as const);
  entries.sort(([a], [b]) => Number(b === 'type') - Number(a === 'type'));
  return Object.fromEntries(entries);
}

/** YAML of a config: block mappings, lists of scalars on one line (`[1, 2, 3]`). */
export function configToYaml(config: Record<string, unknown>): string {
  const doc = new Document(typeFirst(config), { aliasDuplicateObjects: false });
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc.toString({ flowCollectionPadding: false });
}

export async function main(argv: string[], stdout: { write(text: string): unknown } = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {}, {
    tool: 'print_config',
    usage: 'CONFIG [--cfg-options KEY=VALUE ...]',
    summary: 'Print a config as the tools see it: _base_ files merged, --cfg-options applied, validated, every default filled in.',
    arguments: { CONFIG: 'A YAML config.' },
    examples: ['configs/mnist/resnet_mini_bignas.yaml --cfg-options train_cfg.max_epochs=3'],
  });
  if (args.positionals.length !== 1) {
    throw new UsageError('Usage: print_config.ts CONFIG [--cfg-options key.path=value ...] [--debug]');
  }
  const { config } = await loadConfig(args.positionals[0]!, args.cfgOptions);
  stdout.write(configToYaml(config));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
