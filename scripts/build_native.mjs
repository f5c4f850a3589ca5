// npm install / npm ci hook: builds the optional libtorch engine (native/) when libtorch is found,
// and otherwise says so in one line. It never fails the install: the wasm engine needs none of it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorch } from './torch_paths.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const buildDir = join(nativeDir, 'build');
const addon = join(buildDir, 'Release', 'tfrazor_torch.node');
const stampFile = join(buildDir, 'source.sha256');
const logFile = join(buildDir, 'build.log');
const say = (msg) => console.log(`[tfrazor] native engine: ${msg}`);

function sourceHash(torchWhere) {
  const h = createHash('sha256').update(torchWhere);
  for (const f of ['binding.gyp', ...readdirSync(join(nativeDir, 'src')).sort().map((n) => join('src', n))]) {
    h.update(f).update(readFileSync(join(nativeDir, f)));
  }
  return h.digest('hex');
}

// npm sets npm_config_node_gyp for lifecycle scripts; outside npm, use the copy bundled with npm.
function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

// Build against the installed Node headers: node-gyp would otherwise try to download them.
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

function main() {
  if (process.env.TFRAZOR_SKIP_NATIVE === '1') return say('skipped (TFRAZOR_SKIP_NATIVE=1); the wasm engine is used');
  const torch = findTorch();
  if (torch.missing) {
    return say(`not built: ${torch.missing}. The wasm engine is used; to enable it: apt-get install libtorch-dev, then npm run build:native (or npm ci)`);
  }
  const hash = sourceHash(torch.where);
  if (existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
    return say(`up to date (${torch.where})`);
  }
  const gyp = nodeGypScript();
  if (!gyp) return say('not built: node-gyp (bundled with npm) was not found; the wasm engine is used');
  mkdirSync(buildDir, { recursive: true });
  say(`building against ${torch.where} (about a minute)...`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '-j', 'max', ...nodedirArgs()], {
    cwd: nativeDir, encoding: 'utf8', env: process.env, maxBuffer: 64 * 1024 * 1024,
  });
  const log = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(logFile, log);
  if (r.status !== 0 || !existsSync(addon)) {
    return say(`build failed (log: native/build/build.log); the wasm engine is used`);
  }
  writeFileSync(stampFile, hash);
  say(`built in ${((Date.now() - started) / 1000).toFixed(0)} s (native/build/Release/tfrazor_torch.node)`);
}

try {
  main();
} catch (err) {
  say(`not built (${err instanceof Error ? err.message : String(err)}); the wasm engine is used`);
}
