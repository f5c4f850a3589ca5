// A catalogue of mistakes a new user makes with the tools. Each runs the tool's main as its
// command does (runCli), in this process to keep start-up out of the time, and a few run as real
// processes too. Every one must exit 2 with one `error:` paragraph naming what was wrong (file,
// path, value), print no stack trace, fail before any training or scoring, leave every file that
// existed unchanged, and leave Object.prototype as it was.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { runCli } from '../../src/cli/run.js';
import { hashFile, hashFiles, limiter, runTool, writeBadInputFixture, type BadInputFixture, type ToolRun } from './bad_inputs_fixture.js';
import { sink } from './fixture.js';

interface BadInput {
  /** What the user did. */
  name: string;
  tool: string;
  /** Arguments; {dir} and {t1} are the fixture folders, {new} a fresh path for this case's outputs. */
  args: string[];
  /** Texts (with the same placeholders) or patterns the error message must contain. */
  says: (string | RegExp)[];
  /** Also run as a real process (one case of each kind). */
  spawn?: true;
}

const CPU = ['--backend', 'cpu'];
const CKPT = '{dir}/work/iter_2.ckpt';
const T1 = ['{t1}/tiny.yaml', '{t1}/epoch_1.ckpt'];
const SCORE = [...T1, '--archs', '{t1}/archs.json', '--calib-samples', '4', '--val-samples', '4', ...CPU];

const CATALOGUE: BadInput[] = [
  // A config path that does not exist, or is a folder.
  { name: 'train: a typo in the config name', tool: 'tools/train.ts', args: ['{dir}/tny.yaml', '--work-dir', '{new}'], says: ['{dir}/tny.yaml was not found', "Did you mean '{dir}/tiny.yaml'?"], spawn: true },
  { name: 'test: the config is a folder', tool: 'tools/test.ts', args: ['{dir}/work', CKPT, ...CPU], says: ['{dir}/work is a folder', 'tiny.yaml'] },
  { name: 'search: the config folder does not exist', tool: 'tools/search.ts', args: ['{dir}/configs/tiny.yaml', CKPT, ...CPU], says: ['the folder {dir}/configs does not exist'] },
  { name: 'export_subnet: the config is a folder', tool: 'tools/export_subnet.ts', args: ['{dir}', CKPT, '--max', '--out', '{new}', ...CPU], says: ['Config file {dir} is a folder'] },
  { name: 'print_config: a typo in the config name', tool: 'tools/print_config.ts', args: ['{dir}/wde.yaml'], says: ["Did you mean '{dir}/wide.yaml'?"] },
  { name: 'complexity: .yml instead of .yaml', tool: 'tools/analysis/complexity.ts', args: ['{dir}/tiny.yml', '--max'], says: ['{dir}/tiny.yml was not found', "'{dir}/tiny.yaml'"] },
  { name: 'track1/score: the config is a folder', tool: 'tools/track1/score.ts', args: ['{t1}', '{t1}/epoch_1.ckpt', '--archs', '{t1}/archs.json', '--out', '{new}/s.json', ...CPU], says: ['Config file {t1} is a folder'] },
  { name: 'print_config: a _base_ that does not exist', tool: 'tools/print_config.ts', args: ['{dir}/nobase.yaml'], says: ["Base config 'nothere.yaml' listed in _base_ of {dir}/nobase.yaml was not found"] },
  { name: 'print_config: a _base_ that is a folder', tool: 'tools/print_config.ts', args: ['{dir}/dirbase.yaml'], says: ['Base config {dir}/work (listed in _base_ of {dir}/dirbase.yaml) is a folder'] },
  { name: 'print_config: a YAML syntax error', tool: 'tools/print_config.ts', args: ['{dir}/broken.yaml'], says: ['Cannot parse {dir}/broken.yaml as YAML'] },

  // Reserved keys: __proto__, constructor, prototype.
  { name: 'print_config: --cfg-options __proto__.polluted=1', tool: 'tools/print_config.ts', args: ['{dir}/tiny.yaml', '--cfg-options', '__proto__.polluted=1'], says: ["--cfg-options item '__proto__.polluted=1': key '__proto__' at __proto__ is not allowed"], spawn: true },
  { name: 'train: --cfg-options train_cfg.__proto__.max_iters=5', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', ...CPU, '--cfg-options', 'train_cfg.__proto__.max_iters=5'], says: ["'train_cfg.__proto__.max_iters=5'", 'at train_cfg.__proto__'] },
  { name: 'test: --cfg-options constructor.prototype.polluted=1', tool: 'tools/test.ts', args: ['{dir}/tiny.yaml', CKPT, ...CPU, '--cfg-options', 'constructor.prototype.polluted=1'], says: ["key 'constructor' at constructor is not allowed"] },
  { name: 'search: a prototype key inside a --cfg-options value', tool: 'tools/search.ts', args: ['{dir}/tiny.yaml', CKPT, ...CPU, '--cfg-options', 'search_cfg={prototype: {polluted: 1}}'], says: ["key 'prototype' at search_cfg.prototype"] },
  { name: 'print_config: __proto__ in a _base_ file', tool: 'tools/print_config.ts', args: ['{dir}/child.yaml'], says: ["Key '__proto__' at train_cfg.__proto__ in {dir}/proto_base.yaml is not allowed"] },
  { name: 'train: a top-level prototype key', tool: 'tools/train.ts', args: ['{dir}/top_prototype.yaml', '--work-dir', '{new}', ...CPU], says: ["Key 'prototype' at prototype in {dir}/top_prototype.yaml"] },
  { name: 'complexity: a constructor key in model.architecture', tool: 'tools/analysis/complexity.ts', args: ['{dir}/arch_constructor.yaml', '--max'], says: ["Key 'constructor' at model.architecture.constructor in {dir}/arch_constructor.yaml"] },
  { name: 'test: __proto__ in a --subnet file', tool: 'tools/test.ts', args: ['{dir}/tiny.yaml', CKPT, '--subnet', '{dir}/proto_subnet.yaml', ...CPU], says: ["Key '__proto__' at __proto__ in {dir}/proto_subnet.yaml"] },
  { name: 'export_subnet: constructor in a --subnet file', tool: 'tools/export_subnet.ts', args: ['{dir}/tiny.yaml', CKPT, '--subnet', '{dir}/constructor_subnet.yaml', '--out', '{new}', ...CPU], says: ["Key 'constructor' at stage1.depth.constructor in {dir}/constructor_subnet.yaml"] },
  { name: 'complexity: __proto__ in a --subnet file', tool: 'tools/analysis/complexity.ts', args: ['{dir}/tiny.yaml', '--subnet', '{dir}/proto_subnet.yaml'], says: ['{dir}/proto_subnet.yaml', "'__proto__'"] },
  { name: 'train: __proto__ in a --subnet file', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--subnet', '{dir}/proto_subnet.yaml', '--work-dir', '{new}', ...CPU], says: ["Key '__proto__' at __proto__ in {dir}/proto_subnet.yaml"] },
  { name: 'track1/score: __proto__ as an architecture key', tool: 'tools/track1/score.ts', args: [...T1, '--archs', '{t1}/proto_archs.json', '--out', '{new}/s.json', ...CPU], says: ["Key '__proto__' at __proto__ in {t1}/proto_archs.json"] },
  { name: 'rank_consistency: constructor in a ground-truth entry', tool: 'tools/analysis/rank_consistency.ts', args: ['{t1}/pred.json', '{t1}/gt_constructor.json'], says: ["Key 'constructor' at arch2.constructor in {t1}/gt_constructor.json"] },
  { name: 'track1/merge: __proto__ in a shard', tool: 'tools/track1/merge.ts', args: ['{new}/submission.json', '{t1}/proto_shard.json'], says: ["Key '__proto__' at __proto__ in {t1}/proto_shard.json"], spawn: true },
  { name: 'complexity: __proto__ in --archs', tool: 'tools/analysis/complexity.ts', args: ['{t1}/tiny.yaml', '--archs', '{t1}/proto_archs.json', '--out', '{new}/c.json'], says: ['{t1}/proto_archs.json', "'__proto__'"] },
  { name: 'search: __proto__ in the search checkpoint it resumes from', tool: 'tools/search.ts', args: ['{dir}/tiny.yaml', CKPT, '--work-dir', '{dir}/search_proto', ...CPU], says: ["at scored.0.choices.__proto__ in {dir}/search_proto/search_state.json"] },

  // --cfg-options items without '='.
  { name: 'train: --cfg-options key without a value', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', '--cfg-options', 'train_cfg.max_iters'], says: ["--cfg-options item 'train_cfg.max_iters' has no '='"], spawn: true },
  { name: 'search: the second --cfg-options item has no =', tool: 'tools/search.ts', args: ['{dir}/tiny.yaml', CKPT, '--cfg-options', 'search_cfg.val_sample_num=4', 'search_cfg.searcher.max_generations'], says: ["item 'search_cfg.searcher.max_generations' has no '='"] },
  { name: 'print_config: an unquoted value with spaces', tool: 'tools/print_config.ts', args: ['{dir}/tiny.yaml', '--cfg-options', 'model.sampler.constraints={macs:', '[0,', '1000]}'], says: ["item '[0,' has no '='", 'Quote a value'] },
  { name: 'track1/score: --cfg-options =3', tool: 'tools/track1/score.ts', args: [...SCORE, '--out', '{new}/s.json', '--cfg-options', '=3'], says: ["--cfg-options item '=3' is not of the form key.path=value"] },

  // Mistakes in the config that used to surface as crashes deep inside an op or a training step.
  { name: 'train: a sampling constraint in MMACs instead of MACs', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', ...CPU, '--cfg-options', 'model.sampler.constraints={macs: [0, 1000]}'], says: ['model.sampler.constraints (macs in [0, 1000]) cannot be met', 'smallest subnet', '(config: model.sampler.constraints, set by --cfg-options.)'], spawn: true },
  { name: 'train: a sampling constraint in MMACs, written in a config file', tool: 'tools/train.ts', args: ['{dir}/constraint_mmacs.yaml', '--work-dir', '{new}', ...CPU], says: ['model.sampler.constraints (macs in [0, 1000]) cannot be met', '(config: model.sampler.constraints, in {dir}/constraint_mmacs.yaml.)'] },
  { name: 'train: a few-shot sampler fixing a mutable that does not exist', tool: 'tools/train.ts', args: ['{dir}/fixed_typo.yaml', '--work-dir', '{new}', ...CPU], says: ["model.sampler.fixed names 'stage1.dpth', which is not a mutable", 'stage1.depth', '(config: model.sampler.fixed, in {dir}/fixed_typo.yaml.)'], spawn: true },
  { name: 'train: a BigNAS params constraint above the largest subnet', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', ...CPU, '--cfg-options', 'model.type=BigNAS', 'model.sampler.constraints={params: [1.0e9, null]}'], says: ['model.sampler.constraints (params in [1000000000, inf])', 'above the largest subnet'] },
  { name: 'train: an invalid alias_pattern regex', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', ...CPU, '--cfg-options', 'model.sampler={type: ChannelWarmupSampler, warmup_epochs: 1, alias_pattern: "(["}'], says: ['model.sampler.alias_pattern', 'got "(["', 'expected a valid regular expression'] },
  { name: 'train: an even stem kernel_size', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', ...CPU, '--cfg-options', 'model.architecture.stem.kernel_size=4'], says: ['model.architecture.stem.kernel_size (set by --cfg-options): got 4, expected an odd integer'] },
  { name: 'complexity: an even stem kernel_size', tool: 'tools/analysis/complexity.ts', args: ['{dir}/tiny.yaml', '--max', '--cfg-options', 'model.architecture.stem.kernel_size=2'], says: ['model.architecture.stem.kernel_size (set by --cfg-options): got 2, expected an odd integer'] },
  { name: 'train: num_classes smaller than the dataset', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{new}', ...CPU, '--cfg-options', 'model.architecture.num_classes=2'], says: ['train_dataloader has 3 classes', 'model.architecture.num_classes is 2'] },
  { name: 'test: RGB data for a 1-channel network', tool: 'tools/test.ts', args: ['{dir}/tiny.yaml', CKPT, ...CPU, '--cfg-options', 'train_dataloader.dataset.channels=3', 'val_dataloader.dataset.channels=3'], says: ['train_dataloader gives images with 3 channel(s)', 'model.architecture.in_channels=3'] },
  { name: 'search: a macs constraint below the smallest subnet', tool: 'tools/search.ts', args: ['{dir}/tiny.yaml', CKPT, '--work-dir', '{new}', ...CPU, '--cfg-options', 'search_cfg.searcher.constraints={macs: [0, 1000]}'], says: ['search_cfg.searcher.constraints.macs is [0, 1000]', 'below the smallest subnet'] },
  { name: 'train: a Distill teacher checkpoint of another architecture', tool: 'tools/train.ts', args: ['{dir}/distill.yaml', '--work-dir', '{new}', ...CPU], says: [`Checkpoint ${CKPT} does not fit model.teacher.architecture`, "parameter 'stage1.0.conv1.conv.weight'"] },

  // Output paths that cannot be written.
  { name: 'train: --work-dir below an existing file', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{dir}/notes.txt/run', ...CPU], says: ['{dir}/notes.txt is a file, not a folder'] },
  { name: 'search: --work-dir is an existing file', tool: 'tools/search.ts', args: ['{dir}/tiny.yaml', CKPT, '--work-dir', '{dir}/notes.txt', ...CPU], says: ['--work-dir {dir}/notes.txt is an existing file'] },
  { name: 'export_subnet: --out names an existing file', tool: 'tools/export_subnet.ts', args: ['{dir}/tiny.yaml', CKPT, '--max', '--out', '{dir}/notes.txt', ...CPU], says: ['--out {dir}/notes.txt is an existing file, but it names a folder'], spawn: true },
  { name: 'export_subnet: --out below an existing file', tool: 'tools/export_subnet.ts', args: ['{dir}/tiny.yaml', CKPT, '--max', '--out', '{dir}/notes.txt/export', ...CPU], says: ['{dir}/notes.txt is a file, not a folder'] },
  { name: 'track1/score: --out below an existing file', tool: 'tools/track1/score.ts', args: [...SCORE, '--out', '{dir}/notes.txt/scores.json'], says: ['{dir}/notes.txt is a file, not a folder'], spawn: true },
  { name: 'track1/score: --out is the --archs file', tool: 'tools/track1/score.ts', args: [...SCORE, '--out', '{t1}/archs.json'], says: ['--out {t1}/archs.json is the --archs file itself'] },
  { name: 'track1/score: --out is an existing folder', tool: 'tools/track1/score.ts', args: [...SCORE, '--out', '{dir}/work'], says: ['--out {dir}/work is an existing folder'] },
  { name: 'track1/merge: OUT is one of the shards', tool: 'tools/track1/merge.ts', args: ['{t1}/pred.json', '{t1}/pred.json'], says: ['The output {t1}/pred.json is the SHARD 1 file itself'] },
  { name: 'track1/merge: OUT below an existing file', tool: 'tools/track1/merge.ts', args: ['{dir}/notes.txt/submission.json', '{t1}/pred.json'], says: ['{dir}/notes.txt is a file, not a folder'] },
  { name: 'rank_consistency: --plot below an existing file', tool: 'tools/analysis/rank_consistency.ts', args: ['{t1}/pred.json', '{t1}/pred.json', '--plot', '{dir}/notes.txt/x.svg'], says: ['--plot {dir}/notes.txt/x.svg', '{dir}/notes.txt is a file'], spawn: true },
  { name: 'complexity: --out below an existing file', tool: 'tools/analysis/complexity.ts', args: ['{t1}/tiny.yaml', '--archs', '{t1}/archs.json', '--out', '{dir}/notes.txt/c.json'], says: ['{dir}/notes.txt is a file, not a folder'] },

  // A checkpoint that does not fit the config (stage width 6 instead of 4).
  { name: 'test: a checkpoint of another width', tool: 'tools/test.ts', args: ['{dir}/wide.yaml', CKPT, ...CPU], says: [`Checkpoint ${CKPT} does not fit model.architecture`, "parameter 'stage1.0.conv1.conv.weight' has shape [3,3,4,4] in the checkpoint but [3,3,4,6]"], spawn: true },
  { name: 'test: a work dir whose latest checkpoint is of another width', tool: 'tools/test.ts', args: ['{dir}/wide.yaml', '{dir}/work', ...CPU], says: [`Checkpoint ${CKPT} does not fit`] },
  { name: 'search: a checkpoint of another width', tool: 'tools/search.ts', args: ['{dir}/wide.yaml', CKPT, '--work-dir', '{new}', ...CPU], says: [`Checkpoint ${CKPT} does not fit`, "'stage1.0.conv1.conv.weight'"] },
  { name: 'export_subnet: a checkpoint of another width', tool: 'tools/export_subnet.ts', args: ['{dir}/wide.yaml', CKPT, '--max', '--out', '{new}', ...CPU], says: [`Checkpoint ${CKPT} does not fit`] },
  { name: 'track1/score: a checkpoint of another width', tool: 'tools/track1/score.ts', args: ['{t1}/wide.yaml', '{t1}/epoch_1.ckpt', '--archs', '{t1}/archs.json', '--out', '{new}/s.json', ...CPU], says: ['Checkpoint {t1}/epoch_1.ckpt does not fit', "parameter 'stage1.0.conv1.conv.weight' has shape [3,3,16,16] in the checkpoint but [3,3,16,24]"] },
  { name: 'train: --resume PATH of another width', tool: 'tools/train.ts', args: ['{dir}/wide.yaml', '--work-dir', '{new}', '--resume', CKPT, ...CPU], says: [`Checkpoint ${CKPT} does not fit the model of this config`, "parameter 'architecture.stage1.0.conv1.conv.weight'"] },
  { name: 'train: --resume in the work dir after editing base_channels', tool: 'tools/train.ts', args: ['{dir}/tiny.yaml', '--work-dir', '{dir}/work', '--resume', ...CPU, '--cfg-options', 'model.architecture.stages.0.base_channels=6'], says: [`Checkpoint ${CKPT} does not fit`] },

  // Zero-cost proxies (tools/analysis/proxies.ts) and predictors (tools/predict.ts).
  { name: 'proxies: a typo in the proxy name', tool: 'tools/analysis/proxies.ts', args: ['{t1}/tiny.yaml', '--archs', '{t1}/archs.json', '--proxy', 'ZenScor', '--out', '{new}/z.json', ...CPU], says: ["Unknown proxies type 'ZenScor'", "Did you mean 'ZenScore'?"] },
  { name: 'proxies: a batch size below 1', tool: 'tools/analysis/proxies.ts', args: ['{t1}/tiny.yaml', '--archs', '{t1}/archs.json', '--proxy', '{type: SNIP, batch_size: -1}', '--out', '{new}/z.json', ...CPU], says: ['proxy_cfg.batch_size', 'got -1', 'expected a number >= 1'] },
  { name: 'proxies: --out is the --archs file', tool: 'tools/analysis/proxies.ts', args: ['{t1}/tiny.yaml', '--archs', '{t1}/archs.json', '--proxy', 'MACs', '--out', '{t1}/archs.json', ...CPU], says: ['--out {t1}/archs.json is the --archs file itself'], spawn: true },
  { name: 'proxies: an architecture code of the wrong length', tool: 'tools/analysis/proxies.ts', args: ['{t1}/tiny.yaml', '--archs', '{t1}/short_code.json', '--proxy', 'MACs', '--out', '{new}/z.json', ...CPU], says: ['{t1}/short_code.json, key "arch2"', 'it has 21 characters, expected 52'] },
  { name: 'predict: fit on architectures without accuracies', tool: 'tools/predict.ts', args: ['fit', '{t1}/tiny.yaml', '--train', '{t1}/archs.json', '--out', '{new}/m.json'], says: ['{t1}/archs.json, key "arch1": missing "acc" field'] },
  { name: 'predict: a typo in the predictor name', tool: 'tools/predict.ts', args: ['fit', '{t1}/tiny.yaml', '--train', '{t1}/pred.json', '--out', '{new}/m.json', '--predictor', 'GPNA'], says: ["Unknown predictors type 'GPNA'", "Did you mean 'GPNAS'?"] },
  { name: 'predict: fit --out is the --train file', tool: 'tools/predict.ts', args: ['fit', '{t1}/tiny.yaml', '--train', '{t1}/pred.json', '--out', '{t1}/pred.json'], says: ['--out {t1}/pred.json is the --train file itself'], spawn: true },
  { name: 'predict: fit --out is a --feature file', tool: 'tools/predict.ts', args: ['fit', '{t1}/tiny.yaml', '--train', '{t1}/pred.json', '--feature', 'zen={t1}/zen.json', '--out', '{t1}/zen.json'], says: ['--out {t1}/zen.json is the --feature zen file itself'] },
  { name: 'predict: fit --out is an existing folder', tool: 'tools/predict.ts', args: ['fit', '{t1}/tiny.yaml', '--train', '{t1}/pred.json', '--out', '{dir}/work'], says: ['--out {dir}/work is an existing folder'] },
  { name: 'predict: a text file as the fitted model', tool: 'tools/predict.ts', args: ['predict', '{t1}/tiny.yaml', '{dir}/notes.txt', '--archs', '{t1}/archs.json', '--out', '{new}/o.json'], says: ['Cannot read predictor file {dir}/notes.txt'] },

  // Checkpoint paths.
  { name: 'test: a checkpoint that does not exist', tool: 'tools/test.ts', args: ['{dir}/tiny.yaml', '{dir}/work/iter_3.ckpt', ...CPU], says: ['Cannot read checkpoint {dir}/work/iter_3.ckpt'] },
  { name: 'test: a text file as the checkpoint', tool: 'tools/test.ts', args: ['{dir}/tiny.yaml', '{dir}/notes.txt', ...CPU], says: ['Checkpoint {dir}/notes.txt is corrupt or truncated'] },
];

type ToolMain = (argv: string[], ...out: { write(text: string): unknown }[]) => Promise<number> | number;
const MAINS: Record<string, () => Promise<{ main: ToolMain }>> = {
  'tools/train.ts': () => import('../../tools/train.js'),
  'tools/test.ts': () => import('../../tools/test.js'),
  'tools/search.ts': () => import('../../tools/search.js'),
  'tools/export_subnet.ts': () => import('../../tools/export_subnet.js'),
  'tools/print_config.ts': () => import('../../tools/print_config.js'),
  'tools/analysis/complexity.ts': () => import('../../tools/analysis/complexity.js'),
  'tools/analysis/rank_consistency.ts': () => import('../../tools/analysis/rank_consistency.js'),
  'tools/track1/score.ts': () => import('../../tools/track1/score.js'),
  'tools/track1/merge.ts': () => import('../../tools/track1/merge.js'),
  'tools/analysis/proxies.ts': () => import('../../tools/analysis/proxies.js'),
  'tools/predict.ts': () => import('../../tools/predict.js'),
};

/** A tool's main as its command runs it (runCli: exit code, error report), in this process: no start-up per case. */
async function runInProcess(tool: string, args: string[]): Promise<ToolRun> {
  const { main } = await MAINS[tool]!();
  const stdout = sink();
  const stderr = sink();
  const code = await runCli((argv) => main(argv, stdout, sink()), args, stderr);
  process.exitCode = undefined;
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Everything Object.prototype holds, to compare before and after each case. */
const prototypeSnapshot = () => JSON.stringify(Object.getOwnPropertyNames(Object.prototype).sort());

let fx: BadInputFixture;
let baseline: Map<string, string>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  fx = await writeBadInputFixture();
  baseline = hashFiles(fx.dir, fx.t1);
}, 120_000);

function expectRefused(c: BadInput, i: number, run: ToolRun): void {
  const fill = placeholders(i);
  const report = `${c.tool} ${c.args.map(fill).join(' ')}\n${run.stderr}`;
  expect(run.code, report).toBe(2);
  expect(run.stderr, report).not.toMatch(/^\s+at /m);
  const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
  expect(errors, report).toHaveLength(1);
  const message = run.stderr.slice(run.stderr.indexOf('error: '));
  expect(message.trim(), report).not.toMatch(/\n\s*\n/);
  for (const s of c.says) {
    if (typeof s === 'string') expect(message, report).toContain(fill(s));
    else expect(message, report).toMatch(s);
  }
  for (const [path, hash] of baseline) expect(hashFile(path), `${path} changed after: ${c.name}`).toBe(hash);
}

const placeholders = (i: number) => (s: string) =>
  s.replaceAll('{dir}', fx.dir).replaceAll('{t1}', fx.t1).replaceAll('{new}', join(fx.dir, 'cases', String(i)));

describe(`bad inputs: ${CATALOGUE.length} mistakes, each exit 2 with one clear paragraph and nothing lost`, () => {
  it('the catalogue holds at least 40 distinct cases over every tool', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map((c) => c.name)).size).toBe(CATALOGUE.length);
    const tools = new Set(CATALOGUE.map((c) => c.tool));
    for (const t of Object.keys(MAINS)) expect(tools.has(t), t).toBe(true);
  });

  for (const [i, c] of CATALOGUE.entries()) {
    it(c.name, async () => {
      const before = prototypeSnapshot();
      const run = await runInProcess(c.tool, c.args.map(placeholders(i)));
      expectRefused(c, i, run);
      expect(prototypeSnapshot()).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});

// The same checks on real processes (node --import tsx tools/...) for one case of each kind of mistake.
const SPAWNED = CATALOGUE.map((c, i) => [c, i] as const).filter(([c]) => c.spawn);
const twoAtATime = limiter(2);
describe.concurrent(`bad inputs as real commands (${SPAWNED.length} of them)`, () => {
  for (const [c, i] of SPAWNED) {
    it(c.name, async () => {
      const run = await twoAtATime(() => runTool(c.tool, c.args.map(placeholders(i + CATALOGUE.length))));
      expectRefused(c, i + CATALOGUE.length, run);
    });
  }
});
