import { childPath, isMapping, isUnder } from './paths.js';

/** Label used as the origin of values set on the command line. */
export const CLI_ORIGIN = '--cfg-options';

/**
 * Which file defined each dotted path of a merged config, so an error can name the file that holds
 * the bad value. List elements are not tracked individually: a list comes whole from one file.
 */
export class Origins {
  private readonly files = new Map<string, string>();

  /** Record `file` for `path` and everything below it in `value`. */
  record(path: string, value: unknown, file: string): void {
    this.files.set(path, file);
    if (isMapping(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k !== '_delete_') this.record(childPath(path, k), v, file);
      }
    }
  }

  /** Name the file of the whole config (the fallback for paths no file set, e.g. a missing key). */
  setRoot(file: string): void {
    this.files.set('', file);
  }

  /** The file of `path`, or of its nearest recorded ancestor. */
  fileOf(path: string): string | undefined {
    let p = path;
    for (;;) {
      const f = this.files.get(p);
      if (f !== undefined) return f;
      if (p === '') return undefined;
      const dot = p.lastIndexOf('.');
      p = dot < 0 ? '' : p.slice(0, dot);
    }
  }

  /** Forget `path` and everything below it. */
  deleteSubtree(path: string): void {
    for (const p of [...this.files.keys()]) if (isUnder(p, path)) this.files.delete(p);
  }

  /** Replace the subtree at `path` with the records of `other` for the same subtree. */
  replaceSubtree(path: string, other: Origins): void {
    this.deleteSubtree(path);
    for (const [p, f] of other.files) if (isUnder(p, path)) this.files.set(p, f);
  }

  entries(): [string, string][] {
    return [...this.files.entries()];
  }
}
