import cliProgress from 'cli-progress';

/** Values shown next to a progress bar, e.g. {loss: 0.31, lr: 0.05}. */
export type ProgressPayload = Record<string, number | string>;

export interface ProgressReporter {
  start(total: number, label: string): void;
  /** Set the number of finished steps (absolute, not an increment). */
  update(done: number, payload?: ProgressPayload): void;
  stop(): void;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
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

/** An animated bar with ETA and payload, for interactive terminals. */
export class BarProgress implements ProgressReporter {
  private bar?: cliProgress.SingleBar;

  constructor(private readonly stream: Stream = process.stderr) {}

  start(total: number, label: string): void {
    this.stop();
    this.bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% {value}/{total} ETA {eta_formatted} {metrics}`,
        stream: this.stream as NodeJS.WritableStream,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { metrics: '' });
  }

  update(done: number, payload?: ProgressPayload): void {
    this.bar?.update(done, { metrics: formatPayload(payload) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
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
