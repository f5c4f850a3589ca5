import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Track1Entry } from '../../src/track1/index.js';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tfrazor-track1-'));

/** A deterministic fake accuracy from the code, so any run order gives the same result. */
export const fakeAcc = (arch: string): number => {
  let h = 0;
  for (let i = 0; i < arch.length; i++) h = (h * 31 + arch.charCodeAt(i)) % 1_000_003;
  return h / 1_000_003;
};

/** `n` entries with distinct valid codes (depth and mid digits vary), keyed arch1..archN. */
export function makeEntries(n: number): Track1Entry[] {
  const out: Track1Entry[] = [];
  for (let i = 0; i < n; i++) {
    const d1 = 2 + (i % 4);
    const mid = 1 + (Math.floor(i / 4) % 7);
    const s1 = Array.from({ length: 5 }, (_, b) => (b < d1 ? `${b === 0 ? mid : 1}3` : '00')).join('');
    const arch = `1${d1}222` + '3' + s1 + '2222000000' + '33330000000000000000'.slice(0, 16) + '4444000000';
    out.push({ key: `arch${i + 1}`, value: { acc: 0.0, arch } });
  }
  return out;
}
