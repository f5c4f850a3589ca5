import { UserError } from '../errors.js';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertNoReservedKeys } from '../config/safe_keys.js';

export class SearchStateError extends UserError {
  override readonly name = 'SearchStateError';
}

/** Write JSON atomically: a temp file in the same folder, then rename over the target. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** Read a searcher's checkpoint; undefined if there is none. */
export function readSearchState<S extends { searcher: string; version: number }>(
  path: string,
  searcher: string,
  version: number,
): S | undefined {
  if (!existsSync(path)) return undefined;
  let state: S;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as S;
  } catch (e) {
    throw new SearchStateError(
      `Search checkpoint ${path} is not valid JSON (${(e as Error).message}). It is written atomically, so ` +
        'this file was edited or copied partially; delete it to start the search again.',
    );
  }
  assertNoReservedKeys(state, path);
  if (state.searcher !== searcher || state.version !== version) {
    throw new SearchStateError(
      `Search checkpoint ${path} was written by ${state.searcher} (state version ${state.version}), not by ` +
        `${searcher} (version ${version}); use another work_dir or delete the file to start again.`,
    );
  }
  return state;
}
