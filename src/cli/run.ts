import { isUserError } from '../errors.js';
import { HelpRequest } from './help.js';
import { releaseProgressBars } from '../services/progress.js';

interface ErrorStream {
  write(text: string): unknown;
}

/** Exit code for user errors (bad config, arguments, files), as opposed to 1 for bugs. */
export const USER_ERROR_EXIT = 2;

/**
 * Print an error the way every tool does and return its exit code: user errors as their message
 * paragraph(s) without a stack (2), anything else with its stack (1); `debug` adds the stack to both.
 */
export function reportError(err: unknown, debug: boolean, stderr: ErrorStream = process.stderr): number {
  if (isUserError(err)) {
    const more = (err as { more?: unknown }).more;
    const errors = [err, ...(Array.isArray(more) ? more : [])] as Error[];
    stderr.write(`${errors.map((e) => `error: ${e.message}`).join('\n\n')}\n`);
    if (debug) stderr.write(`${stackWithCauses(err)}\n`);
    return USER_ERROR_EXIT;
  }
  stderr.write(`${stackWithCauses(err)}\n`);
  return 1;
}

function stackWithCauses(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? (e.stack ?? String(e)) : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join('\nCaused by: ');
}

/**
 * Run a tool's main function: its return value (or 0) becomes the exit code; errors are reported
 * by `reportError`; `--help` (a HelpRequest) prints the help to `stdout` and exits 0. `--debug`
 * anywhere in argv shows stacks. Returns the exit code it set.
 */
export async function runCli(
  main: (argv: string[]) => Promise<number | void> | number | void,
  argv: string[] = process.argv.slice(2),
  stderr: ErrorStream = process.stderr,
  stdout: ErrorStream = process.stdout,
): Promise<number> {
  let code: number;
  try {
    code = (await main(argv)) ?? 0;
  } catch (err) {
    if (err instanceof HelpRequest) {
      stdout.write(err.text);
      code = 0;
    } else {
      // Below a bar left drawn by the failed work, not glued to it.
      releaseProgressBars();
      code = reportError(err, argv.includes('--debug'), stderr);
    }
  }
  process.exitCode = code;
  return code;
}
