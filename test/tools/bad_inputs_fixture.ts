import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyFixture } from './fixture.js';

/** A tool run: exit code and both streams. */
export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a tool as users do (`node --import tsx tools/...`) from the repository root. */
export function runTool(tool: string, args: readonly string[], timeoutMs = 60_000): Promise<ToolRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', tool, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** At most `n` calls of `fn` at a time (two cores are shared with the rest of the suite). */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** SHA-256 of a file's bytes; undefined when it is gone. */
export function hashFile(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** SHA-256 of every file below `dirs`, by path. */
export function hashFiles(...dirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(p, hashFile(p)!);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

const ARCH = `type: ResNetSupernet
    in_channels: 1
    input_size: 8
    num_classes: 3
    width_ratios: [1.0, 0.5]
    divisor: 2
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}`;

const TINY = `model:
  type: SPOS
  architecture:
    ${ARCH}
    stages:
      - {depth_choices: [1, 2], base_channels: 4, stride: 2}
  sampler: {type: UniformSampler}
train_dataloader:
  batch_size: 4
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 12, image_size: [8, 8], num_classes: 3}
val_dataloader:
  batch_size: 6
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 6, image_size: [8, 8], num_classes: 3, seed: 1}
optim_wrapper:
  optimizer: {type: SGD, lr: 0.05, momentum: 0.9}
train_cfg: {by_epoch: false, max_iters: 2, val_interval: 0}
val_cfg: {calibrate_sample_num: 4, topk: [1]}
test_cfg: {calibrate_bn: true, calibrate_sample_num: 4}
search_cfg:
  searcher: {type: EvolutionSearch, population_size: 4, top_k: 2, num_mutation: 2, num_crossover: 2, max_generations: 1, seed: 1}
  val_sample_num: 6
default_hooks:
  logger: {type: LoggerHook, interval: 1}
  checkpoint: {type: CheckpointHook, interval: 2, by_epoch: false}
`;

const WIDE_STAGES = 'stages: [{depth_choices: [1, 2], base_channels: 6, stride: 2}]';
const CODE_A = '1252233313000000223212122253130000000000006515000000';
const CODE_B = '1447233323333300331313230025153545153545003252000000';
const CODE_C = '1526421212322232112100000014443444143400006666764600';

export interface BadInputFixture {
  /** Main folder: a trained tiny SPOS supernet (work/iter_2.ckpt) and the bad files. */
  dir: string;
  /** Track-1 folder: a tiny Track-1-space supernet with random weights, its architectures and scores. */
  t1: string;
}

/**
 * Everything the bad-input catalogue points the tools at. Training runs once (2 iterations on
 * synthetic 8x8 images); its log is removed so the fixture holds only files no tool may change.
 */
export async function writeBadInputFixture(): Promise<BadInputFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'bad-inputs-'));
  const file = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  file('tiny.yaml', TINY);
  file('wide.yaml', `_base_: tiny.yaml\nmodel: {architecture: {${WIDE_STAGES}}}\n`);
  const trained = await runTool('tools/train.ts', [join(dir, 'tiny.yaml'), '--work-dir', join(dir, 'work'), '--backend', 'cpu']);
  if (trained.code !== 0) throw new Error(`fixture training failed:\n${trained.stderr}`);
  for (const f of readdirSync(join(dir, 'work'))) if (f.endsWith('.log')) rmSync(join(dir, 'work', f));

  file('notes.txt', 'results I want to keep\n');
  file('broken.yaml', 'model: {type: SPOS\n');
  file('nobase.yaml', '_base_: nothere.yaml\n');
  file('dirbase.yaml', '_base_: work\n');
  file('proto_base.yaml', 'train_cfg:\n  __proto__: {max_iters: 5}\n');
  file('child.yaml', '_base_: [tiny.yaml, proto_base.yaml]\n');
  file('top_prototype.yaml', '_base_: tiny.yaml\nprototype: {polluted: 1}\n');
  file('arch_constructor.yaml', '_base_: tiny.yaml\nmodel: {architecture: {constructor: {polluted: 1}}}\n');
  file('proto_subnet.yaml', 'stage1.depth: {chosen: 1}\n__proto__: {chosen: 2}\n');
  // Valid by schema, refused once built against the supernet: the error must still name this file.
  file('constraint_mmacs.yaml', '_base_: tiny.yaml\nmodel: {sampler: {constraints: {macs: [0, 1000]}}}\n');
  file('fixed_typo.yaml', '_base_: tiny.yaml\nmodel: {sampler: {type: SubspaceSampler, fixed: {stage1.dpth: 1}}}\n');
  file('constructor_subnet.yaml', 'stage1.depth: {chosen: 1, constructor: 2}\n');
  file('search_proto/search_state.json', '{"searcher": "EvolutionSearch", "version": 1, "scored": [{"choices": {"__proto__": {"polluted": 1}}}]}\n');
  file('distill.yaml', `_base_: tiny.yaml
model:
  _delete_: true
  type: Distill
  architecture:
    ${ARCH}
    stages: [{depth_choices: [1, 2], base_channels: 4, stride: 2}]
  teacher:
    architecture:
      ${ARCH.replace(/\n {4}/g, '\n      ')}
      ${WIDE_STAGES}
    checkpoint: ${join(dir, 'work', 'iter_2.ckpt')}
`);

  const fx = writeTinyFixture('track1');
  const t1 = fx.dir;
  const cfg = JSON.parse(readFileSync(fx.config, 'utf8')) as { model: { architecture: { stages: { base_channels: number }[] } } };
  cfg.model.architecture.stages[0]!.base_channels = 24;
  writeFileSync(join(t1, 'wide.yaml'), JSON.stringify(cfg));
  const track1 = (entries: [string, Record<string, unknown>][]) => `{\n${entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
  writeFileSync(join(t1, 'archs.json'), track1([['arch1', { arch: CODE_A }], ['arch2', { arch: CODE_B }], ['arch3', { arch: CODE_C }]]));
  writeFileSync(join(t1, 'pred.json'), track1([['arch1', { arch: CODE_A, acc: 0.5 }], ['arch2', { arch: CODE_B, acc: 0.6 }], ['arch3', { arch: CODE_C, acc: 0.7 }]]));
  writeFileSync(join(t1, 'short_code.json'), track1([['arch1', { arch: CODE_A }], ['arch2', { arch: CODE_B.slice(0, 21) }]]));
  writeFileSync(join(t1, 'zen.json'), track1([['arch1', { arch: CODE_A, acc: 3 }], ['arch2', { arch: CODE_B, acc: 2 }], ['arch3', { arch: CODE_C, acc: 1 }]]));
  writeFileSync(join(t1, 'proto_archs.json'), track1([['arch1', { arch: CODE_A }], ['__proto__', { arch: CODE_B }]]));
  writeFileSync(join(t1, 'proto_shard.json'), track1([['__proto__', { arch: CODE_A, acc: 0.5 }], ['arch2', { arch: CODE_B, acc: 0.6 }]]));
  writeFileSync(join(t1, 'gt_constructor.json'), track1([['arch1', { arch: CODE_A, acc: 0.4 }], ['arch2', { arch: CODE_B, acc: 0.5, constructor: 1 }], ['arch3', { arch: CODE_C, acc: 0.6 }]]));
  return { dir, t1 };
}
