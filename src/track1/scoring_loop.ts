import type { Track1Entry } from './format.js';
import { writeTrack1File } from './format.js';
import { ProgressJournal } from './journal.js';

/** Scores a batch of architectures; resolves to one accuracy per entry, in the batch's order. */
export type ScoreFn = (batch: readonly Track1Entry[]) => Promise<readonly number[]>;

/** Work order: 'input' (file order), 'arch' (sorted by code, so neighbours share depths and widths) or a function. */
export type WorkOrder = 'input' | 'arch' | ((pending: readonly Track1Entry[]) => Track1Entry[]);

export interface ScoringProgress {
  /** Results recorded, including those found in the progress file. */
  done: number;
  total: number;
  /** Results loaded from the progress file at start. */
  resumed: number;
  /** Results scored by this process. */
  scoredThisRun: number;
  elapsedMs: number;
  /** Rate of this process (results scored by it per minute); 0 until the first result. */
  perMinute: number;
  /** Estimated time left at the current rate; undefined until the first result. */
  etaMs: number | undefined;
  /** Keys of the batch just recorded (empty in the first, start-of-run report). */
  lastKeys: readonly string[];
}

export interface ScoringLoopOptions {
  /** The architectures of this run (one shard of a file, or all of it), in output order. */
  entries: readonly Track1Entry[];
  /** JSONL progress file; results are appended as they come and read back on resume. */
  progressPath: string;
  /** Output Track-1 JSON (same keys and order as `entries`, `acc` filled), written atomically at the end. */
  outPath: string;
  score: ScoreFn;
  /** Entries per `score` call (default 1). */
  batchSize?: number;
  order?: WorkOrder;
  /** Called at the start and after each recorded batch. */
  onProgress?: (p: ScoringProgress) => void;
  /** Clock in milliseconds (tests replace it). */
  now?: () => number;
}

export interface ScoringSummary {
  entries: Track1Entry[];
  resumed: number;
  scoredThisRun: number;
  /** Bytes of a partial progress line dropped on resume (a kill inside a write). */
  droppedBytes: number;
  elapsedMs: number;
}

export class ScoringError extends Error {
  override readonly name = 'ScoringError';
}

/** Default progress file of an output: `OUT.progress.jsonl` next to it. */
export function defaultProgressPath(outPath: string): string {
  return `${outPath}.progress.jsonl`;
}

/** Sort by code string: codes start with the depths, so equal-depth subnets come out together. */
export function sortByArch(pending: readonly Track1Entry[]): Track1Entry[] {
  return [...pending].sort((a, b) => (a.value.arch < b.value.arch ? -1 : a.value.arch > b.value.arch ? 1 : 0));
}

/**
 * Score every entry not yet in the progress file, appending each result durably, then write the
 * output. Killed at any point and run again with the same arguments, it continues where it stopped:
 * every architecture ends up recorded exactly once.
 */
export async function runScoringLoop(options: ScoringLoopOptions): Promise<ScoringSummary> {
  const { entries, score } = options;
  const batchSize = options.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScoringError(`batchSize must be a positive integer, got ${batchSize}.`);
  const now = options.now ?? Date.now;
  const expected = new Map<string, string>();
  for (const { key, value } of entries) {
    if (expected.has(key)) throw new ScoringError(`Key "${key}" appears twice in the architectures to score.`);
    expected.set(key, value.arch);
  }

  const journal = ProgressJournal.open(options.progressPath, expected);
  try {
    const start = now();
    const resumed = journal.records.size;
    const pendingInInputOrder = entries.filter((e) => !journal.records.has(e.key));
    const pending = orderWork(pendingInInputOrder, options.order ?? 'input');
    let scoredThisRun = 0;
    const report = (lastKeys: readonly string[]) => {
      if (!options.onProgress) return;
      const elapsedMs = now() - start;
      const perMinute = scoredThisRun > 0 && elapsedMs > 0 ? (scoredThisRun * 60_000) / elapsedMs : 0;
      const left = entries.length - journal.records.size;
      options.onProgress({
        done: journal.records.size,
        total: entries.length,
        resumed,
        scoredThisRun,
        elapsedMs,
        perMinute,
        etaMs: perMinute > 0 ? (left / perMinute) * 60_000 : left === 0 ? 0 : undefined,
        lastKeys,
      });
    };
    report([]);
    for (let i = 0; i < pending.length; i += batchSize) {
      const batch = pending.slice(i, i + batchSize);
      const accs = await score(batch);
      if (accs.length !== batch.length) {
        throw new ScoringError(`The scorer returned ${accs.length} accuracies for a batch of ${batch.length} (first key "${batch[0]!.key}").`);
      }
      const records = batch.map((e, j) => {
        const acc = accs[j]!;
        if (typeof acc !== 'number' || !Number.isFinite(acc)) {
          throw new ScoringError(`The scorer returned ${acc} for key "${e.key}" (arch ${e.value.arch}); expected a finite number.`);
        }
        return { key: e.key, arch: e.value.arch, acc };
      });
      journal.append(records);
      scoredThisRun += batch.length;
      report(batch.map((e) => e.key));
    }
    const out = entries.map(({ key, value }) => ({ key, value: { ...value, acc: journal.records.get(key)!.acc } }));
    writeTrack1File(options.outPath, out);
    return { entries: out, resumed, scoredThisRun, droppedBytes: journal.droppedBytes, elapsedMs: now() - start };
  } finally {
    journal.close();
  }
}

function orderWork(pending: Track1Entry[], order: WorkOrder): Track1Entry[] {
  if (order === 'input') return pending;
  if (order === 'arch') return sortByArch(pending);
  const ordered = order(pending);
  const want = new Set(pending.map((e) => e.key));
  if (ordered.length !== pending.length || !ordered.every((e) => want.delete(e.key))) {
    throw new ScoringError('The work order function must return the pending entries reordered, each exactly once.');
  }
  return ordered;
}
