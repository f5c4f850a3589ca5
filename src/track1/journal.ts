import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { UserError } from '../errors.js';

/** One scored architecture, one JSON line of the progress file. */
export interface JournalRecord {
  key: string;
  arch: string;
  acc: number;
}

/** A progress file that does not belong to this run or is damaged beyond its last line. */
export class ProgressJournalError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`Progress file ${file}, line ${line}: ${detail}`);
  }
}

/**
 * Append-only JSONL record of finished results. Each append is one write followed by fsync, so after
 * a kill the file holds every result reported done plus at most one partial last line, which
 * `open` drops (that architecture is then scored again, and recorded once).
 */
export class ProgressJournal {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    /** Results already recorded, by key. */
    readonly records: Map<string, JournalRecord>,
    /** Bytes of a partial last line removed on open (0 if the file ended cleanly). */
    readonly droppedBytes: number,
  ) {
    this.fd = openSync(path, 'a');
  }

  /**
   * Open (creating if absent) and load a progress file. `expected` maps each key of this run to its
   * arch; a record with another key or arch means the file belongs to another run and is refused.
   */
  static open(path: string, expected: ReadonlyMap<string, string>): ProgressJournal {
    const records = new Map<string, JournalRecord>();
    if (!existsSync(path)) return new ProgressJournal(path, records, 0);
    const text = readFileSync(path, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, end).split('\n');
    lines.pop();
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const rec = parseRecord(line);
      const where = (detail: string) => new ProgressJournalError(path, i + 1, detail);
      if (!rec) throw where(`not a {"key", "arch", "acc"} record: ${line.slice(0, 200)}`);
      const arch = expected.get(rec.key);
      if (arch === undefined) {
        throw where(`key "${rec.key}" is not among the architectures of this run; the file belongs to another run (other --archs or --shard). Use another progress file or delete this one.`);
      }
      if (rec.arch !== arch) {
        throw where(`key "${rec.key}" was recorded with arch ${rec.arch}, but this run has ${arch}; the file belongs to another --archs file.`);
      }
      const prev = records.get(rec.key);
      if (prev && prev.acc !== rec.acc) {
        throw where(`key "${rec.key}" is recorded twice with different accuracies (${prev.acc}, ${rec.acc}).`);
      }
      records.set(rec.key, rec);
    });
    const droppedBytes = Buffer.byteLength(text.slice(end));
    // A kill inside a write leaves a line without its newline: remove it so appends stay line-aligned.
    if (droppedBytes > 0) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    return new ProgressJournal(path, records, droppedBytes);
  }

  /** Record results durably: one write of all lines, then fsync. */
  append(results: readonly JournalRecord[]): void {
    if (this.fd === undefined) throw new Error(`ProgressJournal ${this.path} is closed.`);
    if (results.length === 0) return;
    const buf = Buffer.from(results.map((r) => `${JSON.stringify({ key: r.key, arch: r.arch, acc: r.acc })}\n`).join(''));
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    fsyncSync(this.fd);
    for (const r of results) this.records.set(r.key, r);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parseRecord(line: string): JournalRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  const r = v as Partial<JournalRecord> | null;
  if (!r || typeof r.key !== 'string' || typeof r.arch !== 'string' || typeof r.acc !== 'number' || !Number.isFinite(r.acc)) {
    return undefined;
  }
  return { key: r.key, arch: r.arch, acc: r.acc };
}
