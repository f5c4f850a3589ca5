// A short training run under a real pseudo-terminal (util-linux `script`): the screen, replayed
// through a small terminal model, must show every log line whole, the bar with its elapsed time,
// and the final summary intact; line wrap must stay on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenOf } from './screen.js';

const COLS = 80;
const CONFIG = `
model:
  type: SPOS
  architecture:
    type: ResNetSupernet
    in_channels: 1
    input_size: 8
    num_classes: 3
    width_ratios: [1.0, 0.5]
    stem: {base_channels: 4, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: true}
    stages:
      - {depth_choices: [1, 2], base_channels: 8, stride: 2}
train_dataloader:
  batch_size: 4
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 160, image_size: [8, 8], num_classes: 3}
val_dataloader:
  batch_size: 6
  num_workers: 0
  dataset: {type: Synthetic, num_samples: 12, image_size: [8, 8], num_classes: 3, seed: 1}
optim_wrapper:
  optimizer: {type: SGD, lr: 0.05, momentum: 0.9}
train_cfg: {by_epoch: true, max_epochs: 1, val_interval: 1}
val_cfg: {calibrate_sample_num: 8, topk: [1]}
default_hooks:
  logger: {type: LoggerHook, interval: 5}
  checkpoint: {type: CheckpointHook, interval: 1, max_keep: 1}
`;

describe('terminal output', () => {
  it('the screen model wraps, erases and honours auto-wrap off (so the test can see the old bug)', () => {
    expect(screenOf('abcdefgh\r\n12', 4).lines).toEqual(['abcdefgh', '12']);
    expect(screenOf('bar 1\r\x1b[2Kbar 2\r\nlog\r\n', 10).lines).toEqual(['bar 2', 'log', '']);
    expect(screenOf('\x1b[?7labcdefgh', 4)).toEqual({ lines: ['abch'], wrapOn: false });
    expect(screenOf('bar 9%log line\r\n', 40).lines[0]).toBe('bar 9%log line');
  });

  it('a training run in a pseudo-terminal shows each log line whole, the bar and the summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-'));
    const config = join(dir, 'tiny.yaml');
    writeFileSync(config, CONFIG);
    const work = join(dir, 'work');
    const command = `stty cols ${COLS} rows 50; exec ${process.execPath} --import tsx tools/train.ts ${config} --work-dir ${work} --backend cpu`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout).toBe(0);
    const { lines, wrapOn } = screenOf(run.stdout, COLS);
    expect(wrapOn).toBe(true);
    expect(run.stdout).not.toContain('\x1b[?25l'); // the cursor is never hidden

    const logFile = readdirSync(work).find((f) => f.endsWith('.log'))!;
    const logged = readFileSync(join(work, logFile), 'utf8').trim().split('\n');
    expect(logged.filter((l) => l.includes('Epoch(train)'))).toHaveLength(8);
    for (const line of logged) expect(lines, `log line shown whole: ${line}`).toContain(line);

    const bar = lines.filter((l) => l.startsWith('train ['));
    expect(bar.length).toBe(1);
    expect(bar[0]).toMatch(/^train \[█{24}\] 100% 40\/40 elapsed \d+s ETA 0s/);
    expect(bar[0]!.length).toBeLessThan(COLS);
    const summary = lines.slice(lines.findIndex((l) => l.startsWith('max subnet:')));
    expect(summary[0]).toMatch(/^max subnet: top1 \d+\.\d\d%  \(\d+\.\d\d M MACs, \d\.\d{3} M params\)$/);
    expect(summary[1]).toMatch(/^min subnet: top1 \d+\.\d\d%/);
    expect(summary[2]).toBe(`work_dir: ${work} (final_metrics.json, scalars.jsonl, checkpoints)`);
  }, 90_000);
});
