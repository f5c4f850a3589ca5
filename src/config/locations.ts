// Where a mapping handed to a builder sits in the loaded config, so an error raised while building
// (after the schema passed) can name the file and the dotted path of the value, as config errors do.
// Builders get the config's own objects, so the mapping itself is the key; copies are simply unknown.
import { isUserError } from '../errors.js';
import { CLI_ORIGIN, type Origins } from './origins.js';
import { childPath, displayFile } from './paths.js';

interface Location {
  path: string;
  origins: Origins;
}

const locations = new WeakMap<object, Location>();
const located = new WeakSet<Error>();

/** Remember the dotted path of every mapping and list of a loaded, validated config. */
export function recordLocations(config: unknown, origins: Origins, path = ''): void {
  if (config === null || typeof config !== 'object') return;
  locations.set(config, { path, origins });
  const entries = Array.isArray(config) ? config.map((v, i) => [String(i), v] as const) : Object.entries(config);
  for (const [k, v] of entries) recordLocations(v, origins, childPath(path, k));
}

/** The dotted path of a mapping of a loaded config, and the file that set it. */
export function locationOf(cfg: unknown, key?: string): { path: string; file?: string } | undefined {
  if (cfg === null || typeof cfg !== 'object') return undefined;
  const loc = locations.get(cfg);
  if (!loc) return undefined;
  const path = key ? childPath(loc.path, key) : loc.path;
  return { path, file: loc.origins.fileOf(path) };
}

/**
 * Add where the value is to a user error raised while building from `cfg`: the error's own
 * `configKey` (relative to `cfg`) when it has one, else `cfg`'s path. The innermost builder that
 * knows the mapping wins; errors that are not the user's, or from copies, pass unchanged.
 */
export function locateError(err: unknown, cfg: unknown): unknown {
  if (!isUserError(err) || located.has(err)) return err;
  const key = (err as { configKey?: unknown }).configKey;
  const loc = locationOf(cfg, typeof key === 'string' && key !== '' ? key : undefined);
  if (!loc || loc.path === '') return err;
  located.add(err);
  const where = loc.file === undefined ? '' : loc.file === CLI_ORIGIN ? ', set by --cfg-options' : `, in ${displayFile(loc.file)}`;
  err.message = `${err.message.replace(/\s+$/, '')} (config: ${loc.path}${where}.)`;
  return err;
}
