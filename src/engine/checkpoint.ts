import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';

/** A tensor as plain data. */
export interface TensorData {
  dtype: 'float32' | 'int32';
  shape: number[];
  values: Float32Array | Int32Array;
}

export interface CheckpointMeta {
  epoch: number;
  iter: number;
  /** ISO time of writing. */
  time: string;
  /** Checkpoint format version. */
  version: number;
  [key: string]: unknown;
}

/** Everything one checkpoint file holds: tensors as raw buffers, the rest as JSON. */
export interface Checkpoint {
  meta: CheckpointMeta;
  tensors: Record<string, TensorData>;
  state: Record<string, unknown>;
}

export const CHECKPOINT_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('TFRZCKPT', 'ascii');
const DIGEST_BYTES = 32;
const POINTER = 'last_checkpoint';
const SUFFIX = '.ckpt';

export class CheckpointError extends Error {
  override readonly name: string = 'CheckpointError';
  readonly isUserError = true;
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

/** The file is not a complete, intact checkpoint (truncated, bit-flipped, or another format). */
export class CheckpointCorruptError extends CheckpointError {
  override readonly name = 'CheckpointCorruptError';
}

interface TensorEntry {
  name: string;
  dtype: TensorData['dtype'];
  shape: number[];
  offset: number;
  byteLength: number;
}

/**
 * Layout: magic "TFRZCKPT", u32 format version, u32 header length, JSON header (meta, state and a
 * tensor index), the raw little-endian tensor buffers, then the SHA-256 of everything before it,
 * so any truncation or corruption is detected before a byte is used.
 */
export function encodeCheckpoint(ckpt: Checkpoint): Buffer {
  return Buffer.concat(checkpointChunks(ckpt));
}

/** The file's bytes as chunks (tensor buffers are views, not copies), the digest last. */
function checkpointChunks(ckpt: Checkpoint): Buffer[] {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    entries.push({ name, dtype: t.dtype, shape: t.shape, offset, byteLength: t.values.byteLength });
    offset += t.values.byteLength;
  }
  const header = Buffer.from(JSON.stringify({ meta: ckpt.meta, state: ckpt.state, tensors: entries }), 'utf8');
  const fixed = Buffer.alloc(16);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt32LE(CHECKPOINT_FORMAT_VERSION, 8);
  fixed.writeUInt32LE(header.length, 12);
  const chunks = [
    fixed,
    header,
    ...Object.values(ckpt.tensors).map((t) => Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength)),
  ];
  const hash = createHash('sha256');
  for (const c of chunks) hash.update(c);
  chunks.push(hash.digest());
  return chunks;
}

/** Write a checkpoint file atomically, streaming its chunks (no copy of the whole file in memory). */
export async function writeCheckpointFile(path: string, ckpt: Checkpoint): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    for (const chunk of checkpointChunks(ckpt)) await fh.write(chunk);
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export function decodeCheckpoint(bytes: Buffer, path = '<buffer>'): Checkpoint {
  const corrupt = (why: string) =>
    new CheckpointCorruptError(`Checkpoint ${path} is corrupt or truncated: ${why}. Delete it or resume from another checkpoint.`, path);
  if (bytes.length < 16 + DIGEST_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) throw corrupt('it does not start with the tfrazor checkpoint header');
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(bytes.length - DIGEST_BYTES))) {
    throw corrupt('its SHA-256 checksum does not match its contents');
  }
  const version = bytes.readUInt32LE(8);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(`Checkpoint ${path} has format version ${version}; this tfrazor reads version ${CHECKPOINT_FORMAT_VERSION}.`, path);
  }
  const headerEnd = 16 + bytes.readUInt32LE(12);
  const header = JSON.parse(body.subarray(16, headerEnd).toString('utf8')) as { meta: CheckpointMeta; state: Record<string, unknown>; tensors: TensorEntry[] };
  const tensors: Record<string, TensorData> = {};
  for (const e of header.tensors) {
    const start = headerEnd + e.offset;
    if (start + e.byteLength > body.length) throw corrupt(`tensor '${e.name}' runs past the end of the file`);
    // Copy into a fresh, aligned buffer: typed arrays need 4-byte alignment.
    const raw = new Uint8Array(body.subarray(start, start + e.byteLength)).buffer;
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, values: e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw) };
  }
  return { meta: header.meta, state: header.state, tensors };
}

/** Write `data` to `path` atomically: a temporary file in the same directory, then rename. */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export interface LoadedCheckpoint {
  path: string;
  checkpoint: Checkpoint;
}

/**
 * Checkpoint files of one work_dir: `<name>.ckpt` files written atomically, a `last_checkpoint`
 * pointer to the newest, pruning to `max_keep`, and loading the latest with fallback to older
 * ones when the latest is damaged.
 */
export class CheckpointStore {
  constructor(readonly dir: string) {}

  /** Write a checkpoint as `<name>.ckpt`, point `last_checkpoint` to it, keep the newest `maxKeep`. */
  async save(name: string, ckpt: Checkpoint, options: { maxKeep?: number } = {}): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = name.endsWith(SUFFIX) ? name : `${name}${SUFFIX}`;
    const path = join(this.dir, file);
    await writeCheckpointFile(path, ckpt);
    await writeFileAtomic(join(this.dir, POINTER), `${file}\n`);
    if (options.maxKeep !== undefined && options.maxKeep > 0) await this.prune(options.maxKeep, path);
    return path;
  }

  /** Read and verify one checkpoint; `pathOrName` is a path or a file name inside the work_dir. */
  async load(pathOrName: string): Promise<Checkpoint> {
    const path = this.resolve(pathOrName);
    if (!existsSync(path)) throw new CheckpointError(`Checkpoint ${path} does not exist.`, path);
    return decodeCheckpoint(await readFile(path), path);
  }

  /** Checkpoint files in this directory, oldest first (by write time, then the number in the name: epoch_N and iter_N mix). */
  list(): string[] {
    if (!existsSync(this.dir)) return [];
    const step = (f: string) => Number(/(\d+)\.ckpt$/.exec(f)?.[1] ?? -1);
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => ({ f, s: step(f), t: statSync(join(this.dir, f)).mtimeMs }))
      .sort((a, b) => a.t - b.t || a.s - b.s)
      .map(({ f }) => join(this.dir, f));
  }

  /** The checkpoint `last_checkpoint` names, else the newest file; null when there is none. */
  latestPath(): string | null {
    const pointer = join(this.dir, POINTER);
    if (existsSync(pointer)) {
      const target = this.resolve(readFileSync(pointer, 'utf8').trim());
      if (existsSync(target)) return target;
    }
    return this.list().at(-1) ?? null;
  }

  /**
   * Load the latest intact checkpoint: the pointer's target first, then older files newest first.
   * Each damaged file is reported through `onSkip` (say so to the user) before trying the next.
   */
  async loadLatest(onSkip: (path: string, error: Error) => void = () => {}): Promise<LoadedCheckpoint | null> {
    const latest = this.latestPath();
    if (latest === null) return null;
    const candidates = [latest, ...this.list().reverse().filter((p) => p !== latest)];
    for (const path of candidates) {
      try {
        return { path, checkpoint: await this.load(path) };
      } catch (err) {
        if (!(err instanceof CheckpointError)) throw err;
        onSkip(path, err);
      }
    }
    throw new CheckpointCorruptError(`No intact checkpoint in ${this.dir}: all ${candidates.length} are damaged (${candidates.map((p) => basename(p)).join(', ')}).`, this.dir);
  }

  private async prune(maxKeep: number, keep: string): Promise<void> {
    const files = this.list().filter((p) => p !== keep);
    const excess = files.length + 1 - maxKeep;
    for (const path of files.slice(0, Math.max(0, excess))) await rm(path, { force: true });
  }

  private resolve(pathOrName: string): string {
    if (isAbsolute(pathOrName) || pathOrName.includes('/')) return pathOrName;
    return join(this.dir, pathOrName);
  }
}
