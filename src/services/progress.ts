/** Values shown next to a progress bar, e.g. {loss: 0.31, lr: 0.05}. */
export type ProgressPayload = Record<string, number | string>;

export interface ProgressReporter {
  start(total: number, label: string): void;
  /** Set the number of finished steps (absolute, not an increment). */
  update(done: number, payload?: ProgressPayload): void;
  stop(): void;
  /** Print whole lines above the progress display (tqdm.write): the logger's lines go through here. */
  write?(text: string): void;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width (set on a TTY). */
  columns?: number;
}

export function formatPayload(payload: ProgressPayload = {}): string {
  return Object.entries(payload)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v}`)
    .join(' ');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(rest).padStart(2, '0')}s` : `${rest}s`;
}

const CLEAR_LINE = '\r\x1b[2K';
const BAR_WIDTH = 24;

// Bars still on screen, so that an error message or an exit first moves below them.
const activeBars = new Set<BarProgress>();

/** End every bar still drawn with a newline, so what is printed next starts on its own line. */
export function releaseProgressBars(): void {
  for (const bar of [...activeBars]) bar.release();
}

process.once('exit', releaseProgressBars);

/**
 * A one-line bar for interactive terminals: label, bar, percentage, count, elapsed time, ETA and
 * payload, redrawn in place with a carriage return. It never changes terminal settings (line wrap
 * and the cursor stay as they were, so no exit path can leave them changed) and is cut to the
 * terminal width so it cannot wrap; `write` clears it, prints whole log lines, and redraws it.
 */
export class BarProgress implements ProgressReporter {
  private total = 0;
  private label = '';
  private done = 0;
  private payload?: ProgressPayload;
  private startedAt = 0;
  private lastDrawAt = -Infinity;
  private active = false;

  constructor(
    private readonly stream: Stream = process.stderr,
    private readonly now: () => number = Date.now,
    private readonly minRedrawMs = 100,
  ) {}

  start(total: number, label: string): void {
    this.stop();
    this.total = total;
    this.label = label;
    this.done = 0;
    this.payload = undefined;
    this.startedAt = this.now();
    this.active = true;
    activeBars.add(this);
    this.draw();
  }

  update(done: number, payload?: ProgressPayload): void {
    if (!this.active) return;
    this.done = done;
    this.payload = payload;
    if (this.now() - this.lastDrawAt >= this.minRedrawMs || done >= this.total) this.draw();
  }

  write(text: string): void {
    if (!this.active) {
      this.stream.write(text);
      return;
    }
    this.stream.write(`${CLEAR_LINE}${text.endsWith('\n') ? text : `${text}\n`}`);
    this.draw();
  }

  stop(): void {
    if (!this.active) return;
    this.draw();
    this.release();
  }

  /** Leave the bar as drawn and move to the next line. */
  release(): void {
    if (!this.active) return;
    this.active = false;
    activeBars.delete(this);
    this.stream.write('\n');
  }

  /** The bar's text, uncut. */
  line(): string {
    const t = this.now();
    const elapsed = (t - this.startedAt) / 1000;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : NaN;
    const metrics = formatPayload(this.payload);
    return (
      `${this.label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.floor(100 * fraction)}% ${this.done}/${this.total} ` +
      `elapsed ${formatDuration(elapsed)} ETA ${formatDuration(eta)}${metrics ? ` ${metrics}` : ''}`
    );
  }

  private draw(): void {
    this.lastDrawAt = this.now();
    // One column short of the width: a full line would move the cursor on some terminals.
    const width = Math.max(10, (this.stream.columns ?? 80) - 1);
    this.stream.write(`${CLEAR_LINE}${[...this.line()].slice(0, width).join('')}`);
  }
}

/** One plain line every `intervalMs` (and at the end), for logs and pipes. */
export class LineProgress implements ProgressReporter {
  private total = 0;
  private label = '';
  private done = 0;
  private payload?: ProgressPayload;
  private startedAt = 0;
  private lastLineAt = 0;
  private lastLineDone = -1;
  private active = false;

  constructor(
    private readonly stream: Stream = process.stderr,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(total: number, label: string): void {
    this.total = total;
    this.label = label;
    this.done = 0;
    this.payload = undefined;
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
    this.lastLineDone = -1;
    this.active = true;
  }

  update(done: number, payload?: ProgressPayload): void {
    if (!this.active) return;
    this.done = done;
    this.payload = payload;
    const t = this.now();
    if (t - this.lastLineAt >= this.intervalMs) {
      this.lastLineAt = t;
      this.writeLine(t);
    }
  }

  stop(): void {
    if (!this.active) return;
    if (this.done !== this.lastLineDone) this.writeLine(this.now());
    this.active = false;
  }

  write(text: string): void {
    this.stream.write(text);
  }

  private writeLine(t: number): void {
    this.lastLineDone = this.done;
    const elapsed = (t - this.startedAt) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : NaN;
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 0;
    const metrics = formatPayload(this.payload);
    this.stream.write(
      `${this.label} ${this.done}/${this.total} (${pct}%) elapsed ${formatDuration(elapsed)} ETA ${formatDuration(eta)}` +
        `${metrics ? ` ${metrics}` : ''}\n`,
    );
  }
}

/** A bar when `stream` is an interactive terminal, plain periodic lines otherwise. */
export function createProgressReporter(stream: Stream = process.stderr, intervalMs?: number): ProgressReporter {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream, intervalMs);
}
