import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One JSON object per line (`scalars.jsonl`), appended synchronously so a crash loses nothing logged. */
export class ScalarWriter {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}
