import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Write `{relative path: YAML text}` into a fresh temp directory; returns the directory. */
export function writeConfigs(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfrazor-cfg-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}
