import { describe, expect, it } from 'vitest';
import { BarProgress, createProgressReporter, formatDuration, formatPayload, LineProgress, releaseProgressBars } from '../../src/services/progress.js';

function sink(isTTY = false) {
  const lines: string[] = [];
  return { lines, isTTY, write: (t: string) => lines.push(t) };
}

describe('progress reporters', () => {
  it('LineProgress writes a line per interval and at stop, with ETA and payload', () => {
    let t = 0;
    const s = sink();
    const p = new LineProgress(s, 1000, () => t);
    p.start(100, 'train');
    t = 500;
    p.update(10, { loss: 1.234567 });
    expect(s.lines).toHaveLength(0);
    t = 2000;
    p.update(20, { loss: 0.5, lr: 0.1 });
    expect(s.lines).toEqual(['train 20/100 (20%) elapsed 2s ETA 8s loss=0.5 lr=0.1\n']);
    t = 10_000;
    p.update(100);
    p.stop(); // the line for 100/100 was just written: no duplicate
    expect(s.lines[1]).toBe('train 100/100 (100%) elapsed 10s ETA 0s\n');
    p.update(5);
    expect(s.lines).toHaveLength(2);
    p.start(3, 'quick');
    p.update(3);
    p.stop();
    expect(s.lines[2]).toMatch(/^quick 3\/3 \(100%\)/);
  });

  it('formats payloads and durations compactly', () => {
    expect(formatPayload({ loss: 0.123456789, step: 3, phase: 'max' })).toBe('loss=0.1235 step=3 phase=max');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3700)).toBe('1h01m');
    expect(formatDuration(NaN)).toBe('?');
  });

  it('picks a bar for a terminal and lines otherwise', () => {
    expect(createProgressReporter(sink(true))).toBeInstanceOf(BarProgress);
    expect(createProgressReporter(sink(false))).toBeInstanceOf(LineProgress);
  });

  it('BarProgress redraws in place with elapsed time and ETA, cut to the terminal width', () => {
    let t = 0;
    const s = { ...sink(true), columns: 60 };
    const p = new BarProgress(s, () => t, 0);
    p.start(10, 'eval');
    t = 4000;
    p.update(4, { acc: 0.9, loss: 0.123456 });
    expect(p.line()).toBe(`eval [${'█'.repeat(10)}${'░'.repeat(14)}] 40% 4/10 elapsed 4s ETA 6s acc=0.9 loss=0.1235`);
    const last = s.lines[s.lines.length - 1]!;
    expect(last.startsWith('\r\x1b[2K')).toBe(true);
    expect([...last.slice('\r\x1b[2K'.length)]).toHaveLength(59);
    p.stop();
    expect(s.lines[s.lines.length - 1]).toBe('\n');
    expect(s.lines.join('')).not.toMatch(/\x1b\[\?(7|25)[lh]/); // wrap and cursor untouched
  });

  it('BarProgress.write clears the bar, prints the line whole and redraws the bar', () => {
    const s = { ...sink(true), columns: 30 };
    const p = new BarProgress(s, () => 0, 0);
    p.start(5, 'train');
    s.lines.length = 0;
    const long = `INFO ${'x'.repeat(50)}\n`;
    p.write(long);
    expect(s.lines[0]).toBe(`\r\x1b[2K${long}`);
    expect(s.lines[1]).toMatch(/^\r\x1b\[2Ktrain \[/);
    p.stop();
    p.write('after\n');
    expect(s.lines[s.lines.length - 1]).toBe('after\n');
  });

  it('releaseProgressBars ends a bar left drawn (an error or exit mid-run) with a newline, once', () => {
    const s = sink(true);
    const p = new BarProgress(s, () => 0, 0);
    p.start(5, 'x');
    releaseProgressBars();
    releaseProgressBars();
    p.stop();
    expect(s.lines.filter((l) => l === '\n')).toHaveLength(1);
  });
});
