// Print a config fully merged (bases, --cfg-options) and validated, with defaults filled in, as YAML.
// Usage: npx tsx tools/print_config.ts CONFIG [--cfg-options key.path=value ...] [--debug]
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';

export async function main(argv: string[], stdout: { write(text: string): unknown } = process.stdout): Promise<number> {
  const args = parseToolArgs(argv);
  if (args.positionals.length !== 1) {
    throw new UsageError('Usage: print_config.ts CONFIG [--cfg-options key.path=value ...] [--debug]');
  }
  const { config } = await loadConfig(args.positionals[0]!, args.cfgOptions);
  stdout.write(stringify(config, { aliasDuplicateObjects: false }));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
