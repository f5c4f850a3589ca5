// MACs and params of subnets of a config's supernet, counted analytically (no tensors).
// Usage:
//   npx tsx tools/analysis/complexity.ts CONFIG --archs FILE.json --out OUT.json
//   npx tsx tools/analysis/complexity.ts CONFIG [--subnet SUBNET.yaml] [--arch CODE] [--max] [--min]
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../../src/cli/args.js';
import { importConfigPlugins } from '../../src/cli/load_config.js';
import { runCli } from '../../src/cli/run.js';
import { loadConfigFile } from '../../src/config/load.js';
import { applyOverrides } from '../../src/config/overrides.js';
import { validateBuildable } from '../../src/config/validate.js';
import { prepareOutputFile } from '../../src/cli/outputs.js';
import { buildSupernetForCounting, complexityOfSubnets, findArchitectureConfig } from '../../src/models/complexity.js';
import type { Complexity } from '../../src/models/types.js';
import { loadSubnet } from '../../src/mutables/subnet_yaml.js';
import type { ResNetCodeSpace } from '../../src/track1/code_space.js';
import { codeSpaceOfSupernet } from '../../src/track1/supernet_code_space.js';
import { Track1FormatError, readTrack1File } from '../../src/track1/format.js';
import { Track1CodeError } from '../../src/track1/errors.js';
import { writeFileAtomic } from '../../src/track1/atomic_write.js';

const USAGE =
  'Usage: complexity.ts CONFIG (--archs FILE.json --out OUT.json | --subnet SUBNET.yaml | --arch CODE | --max | --min) ' +
  '[--cfg-options key.path=value ...] [--debug]';

interface Output {
  write(text: string): unknown;
}

const line = (name: string, c: Complexity) => `${JSON.stringify({ subnet: name, macs: c.macs, params: c.params })}\n`;

/** Decode one code, naming the file and key when it is invalid. */
function decodeEntry(space: ResNetCodeSpace, file: string, key: string, code: string): Record<string, number> {
  try {
    return space.decode(code);
  } catch (err) {
    if (err instanceof Track1CodeError) throw new Track1FormatError(file, key, err.message);
    throw err;
  }
}

export async function main(argv: string[], stdout: Output = process.stdout, stderr: Output = process.stderr): Promise<number> {
  const args = parseToolArgs(argv, {
    archs: { type: 'string', value: 'FILE.json', description: 'A Track-1 JSON of architectures to count (with --out).' },
    out: { type: 'string', value: 'OUT.json', description: 'Where to write the Track-1 JSON with macs and params filled in (with --archs).' },
    subnet: { type: 'string', multiple: true, value: 'FILE.yaml', description: 'Count a subnet file (repeatable).' },
    arch: { type: 'string', multiple: true, value: 'CODE', description: 'Count a Track-1 architecture code (repeatable).' },
    max: { type: 'boolean', default: false, description: 'Count the largest subnet.' },
    min: { type: 'boolean', default: false, description: 'Count the smallest subnet.' },
  }, {
    tool: 'analysis/complexity',
    usage: 'CONFIG (--archs FILE.json --out OUT.json | --subnet FILE.yaml | --arch CODE | --max | --min) [options]',
    summary: "MACs and params of subnets of a config's supernet, counted analytically (no tensors, no data); one JSON line per subnet.",
    arguments: { CONFIG: 'A YAML config with model.architecture (only the network is validated).' },
    examples: ['configs/track1/resnet48_bignas.yaml --max --min'],
  });
  const v = args.values;
  if (args.positionals.length !== 1) throw new UsageError(USAGE);
  if ((v.archs === undefined) !== (v.out === undefined)) throw new UsageError(`--archs and --out go together. ${USAGE}`);
  const subnets = (v.subnet as string[] | undefined) ?? [];
  const codes = (v.arch as string[] | undefined) ?? [];
  if (v.archs === undefined && subnets.length === 0 && codes.length === 0 && !v.max && !v.min) throw new UsageError(USAGE);

  const file = resolve(args.positionals[0]!);
  const tracked = loadConfigFile(file);
  applyOverrides(tracked, args.cfgOptions);
  await importConfigPlugins(tracked);
  const archCfg = findArchitectureConfig(tracked.data, file);
  const model = tracked.data.model as Record<string, unknown> | undefined;
  // Only the network is validated: a config for counting need not be complete enough to train.
  validateBuildable('models', archCfg, archCfg === model?.architecture ? 'model.architecture' : archCfg === model ? 'model' : '', tracked.origins);
  if (typeof v.out === 'string') {
    prepareOutputFile(v.out, '--out', { '--archs': v.archs as string | undefined, CONFIG: file });
  }
  const net = buildSupernetForCounting(archCfg, file);
  // Codes are read in the format of this supernet's space; built only when codes are given.
  let space: ResNetCodeSpace | undefined;
  const codeSpace = (): ResNetCodeSpace => (space ??= codeSpaceOfSupernet(archCfg));

  if (v.max) stdout.write(line('max', net.complexity(net.mutator.setMax())));
  if (v.min) stdout.write(line('min', net.complexity(net.mutator.setMin())));
  for (const path of subnets) stdout.write(line(path, net.complexity(loadSubnet(path, net.mutator))));
  for (const code of codes) stdout.write(line(code, net.complexity(codeSpace().decode(code))));

  if (typeof v.archs === 'string' && typeof v.out === 'string') {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const entries = readTrack1File(v.archs);
    const counts = complexityOfSubnets(net, entries.map((e) => decodeEntry(codeSpace(), v.archs as string, e.key, e.value.arch)));
    const out = Object.fromEntries(entries.map((e, i) => [e.key, { arch: e.value.arch, macs: counts[i]!.macs, params: counts[i]!.params }]));
    writeFileAtomic(v.out, `${JSON.stringify(out, null, 1)}\n`);
    const used = process.cpuUsage(cpu);
    const seconds = (x: number) => x.toFixed(2);
    stderr.write(`${entries.length} architectures counted in ${seconds((performance.now() - start) / 1000)} s (cpu ${seconds((used.user + used.system) / 1e6)} s) -> ${v.out}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
