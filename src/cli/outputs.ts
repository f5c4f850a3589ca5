import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { displayFile } from '../config/paths.js';
import { UserError } from '../errors.js';

/** An output path a tool cannot write (a folder where a file goes, a file where a folder goes). */
export class OutputPathError extends UserError {
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Create `dir` and its missing parents, or say in one sentence why it cannot be (`what` names the path's option). */
function makeFolder(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    let blocker = dir;
    while (statOf(blocker) === undefined && dirname(blocker) !== blocker) blocker = dirname(blocker);
    const why = statOf(blocker)?.isDirectory() === false ? `${displayFile(blocker)} is a file, not a folder` : (e as Error).message;
    throw new OutputPathError(`Cannot create the folder ${displayFile(dir)} for ${what}: ${why}. Give a path whose folders can be created.`, dir);
  }
}

/** True when `a` and `b` name one file: the same path, or (links) the same device and inode. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const sa = statOf(a);
  const sb = statOf(b);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Make `path` writable as a file before any work: its folder is created when missing. Refuses an
 * existing folder at `path`, a parent that is a file, and any of the tool's `inputs` (`{'--archs':
 * path}`), which writing would destroy. `what` names the path in messages (e.g. '--out', 'the
 * progress file'). Returns the absolute path.
 */
export function prepareOutputFile(path: string, what: string, inputs: Record<string, string | undefined> = {}): string {
  const file = resolve(path);
  for (const [name, input] of Object.entries(inputs)) {
    if (input !== undefined && sameFile(file, input)) {
      throw new OutputPathError(`${sentence(what)} ${displayFile(file)} is the ${name} file itself; write to another file so the ${name} file is kept.`, file);
    }
  }
  if (statOf(file)?.isDirectory()) {
    throw new OutputPathError(`${sentence(what)} ${displayFile(file)} is an existing folder; give the path of a file to write (e.g. ${displayFile(file)}/out.json).`, file);
  }
  makeFolder(dirname(file), `${what} ${displayFile(file)}`);
  return file;
}

/**
 * Make `path` a folder before any work (created with its parents when missing). Refuses an existing
 * file, which would otherwise be lost or fail after the work; `contents` says what the folder gets.
 */
export function prepareOutputDir(path: string, what: string, contents: string): string {
  const dir = resolve(path);
  const st = statOf(dir);
  if (st && !st.isDirectory()) {
    throw new OutputPathError(`${sentence(what)} ${displayFile(dir)} is an existing file, but it names a folder (for ${contents}); give a new or existing folder.`, dir);
  }
  makeFolder(dir, `${what} ${displayFile(dir)}`);
  return dir;
}
