// Join Track-1 shard outputs: npx tsx tools/track1/merge.ts OUT SHARD_FILES... [--archs ORIGINAL.json]
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError, parseToolArgs, runCli } from '../../src/cli/index.js';
import { prepareOutputFile } from '../../src/cli/outputs.js';
import { mergeShards, readTrack1File, writeTrack1File } from '../../src/track1/index.js';

const USAGE = 'usage: npx tsx tools/track1/merge.ts OUT.json SHARD.json... [--archs ORIGINAL.json] [--debug]';

export function main(argv: string[]): number {
  const args = parseToolArgs(argv, {
    archs: { type: 'string', value: 'ORIGINAL.json', description: 'The unsharded architectures file: keeps its order and checks that no key is missing.' },
  }, {
    tool: 'track1/merge',
    usage: 'OUT.json SHARD.json... [--archs ORIGINAL.json]',
    summary: 'Join the outputs of sharded Track-1 scoring (tools/track1/score.ts --shard i/n) into one submission.',
    arguments: { 'OUT.json': 'The merged file to write.', 'SHARD.json...': 'The shard outputs.' },
    examples: ['submission.json scores.*.json --archs data/track1/CVPR_2022_NAS_Track1_test.json'],
  });
  const archs = args.values.archs as string | undefined;
  const [out, ...shardPaths] = args.positionals;
  if (out === undefined || shardPaths.length === 0) throw new UsageError(`Give the output file and at least one shard file.\n${USAGE}`);
  // Checked before any shard is read: the output must not be one of the inputs it is made from.
  const inputs: Record<string, string | undefined> = { '--archs': archs, ...Object.fromEntries(shardPaths.map((p, i) => [`SHARD ${i + 1}`, p])) };
  prepareOutputFile(out, 'the output', inputs);
  const shards = shardPaths.map((path) => ({ path, entries: readTrack1File(path, { requireAcc: true }) }));
  const original = archs === undefined ? undefined : { path: archs, entries: readTrack1File(archs) };
  if (!original) {
    console.error('merge: no --archs given: shards are interleaved in the order listed, and keys missing from every shard cannot be detected.');
  }
  const merged = mergeShards(shards, original);
  writeTrack1File(out, merged);
  console.error(`merge: wrote ${merged.length} architectures from ${shards.length} shard(s) to ${out}.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
