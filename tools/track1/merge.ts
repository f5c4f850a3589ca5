// Join Track-1 shard outputs: npx tsx tools/track1/merge.ts OUT SHARD_FILES... [--archs ORIGINAL.json]
import { MergeError, Track1FormatError, mergeShards, readTrack1File, writeTrack1File } from '../../src/track1/index.js';

const USAGE = 'Usage: npx tsx tools/track1/merge.ts OUT.json SHARD.json... [--archs ORIGINAL.json] [--debug]';

class UsageError extends Error {}

function main(argv: string[]): void {
  const positional: string[] = [];
  let archs: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--archs') {
      archs = argv[++i];
      if (archs === undefined) throw new UsageError('--archs needs a file.');
    } else if (a.startsWith('--archs=')) archs = a.slice('--archs='.length);
    else if (a === '--debug') continue;
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      return;
    } else if (a.startsWith('--')) throw new UsageError(`Unknown option ${a}.`);
    else positional.push(a);
  }
  const [out, ...shardPaths] = positional;
  if (out === undefined || shardPaths.length === 0) throw new UsageError('Give the output file and at least one shard file.');
  if (shardPaths.includes(out) || out === archs) throw new UsageError(`The output ${out} is also an input; choose another output path.`);
  const shards = shardPaths.map((path) => ({ path, entries: readTrack1File(path, { requireAcc: true }) }));
  const original = archs === undefined ? undefined : { path: archs, entries: readTrack1File(archs) };
  if (!original) {
    console.error('merge: no --archs given, so shards are interleaved in the order listed and missing or unknown keys cannot be detected.');
  }
  const merged = mergeShards(shards, original);
  writeTrack1File(out, merged);
  console.error(`merge: wrote ${merged.length} architectures from ${shards.length} shard(s) to ${out}.`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError || e instanceof MergeError || e instanceof Track1FormatError) {
    console.error(`merge: ${e.message}`);
    if (e instanceof UsageError) console.error(USAGE);
    if (process.argv.includes('--debug')) console.error(e.stack);
    process.exit(2);
  }
  throw e;
}
