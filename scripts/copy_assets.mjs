// After tsc (npm run build): copy the plain-JS files tsc does not emit (the decode worker's .mjs
// boot script) from src/ to dist/src/, keeping their folders.
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.mjs')) yield path;
  }
}
for (const file of walk(join(root, 'src'))) cpSync(file, join(root, 'dist', relative(root, file)));
