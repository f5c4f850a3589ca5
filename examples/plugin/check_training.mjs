// The plugin package's own test (npm test, after npm run build): `tfrazor train` on this folder's
// config must import the plugin, build myplugin/TinyMLP, train it and beat chance clearly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const work = mkdtempSync(join(tmpdir(), 'tinymlp-'));
const bin = join('node_modules', '.bin', 'tfrazor');
const run = spawnSync(bin, ['train', 'tiny_mlp.yaml', '--work-dir', work, '--backend', 'cpu'], { encoding: 'utf8', timeout: 300_000 });
process.stderr.write(run.stderr);
process.stdout.write(run.stdout);
const fail = (why) => {
  console.error(`check_training: ${why}`);
  process.exit(1);
};
if (run.status !== 0) fail(`tfrazor train exited ${run.status}`);
const final = JSON.parse(readFileSync(join(work, 'final_metrics.json'), 'utf8'));
const top1 = final.metrics.top1;
if (!(top1 > 0.5)) fail(`top-1 ${top1} after one epoch; a working TinyMLP reaches about 0.8`);
if (!/network: top1 \d+\.\d\d%/.test(run.stdout)) fail('no summary line');
console.log(`check_training: TinyMLP trained by tfrazor from this package, top-1 ${(100 * top1).toFixed(2)}%`);
