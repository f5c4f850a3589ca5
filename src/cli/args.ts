import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { formatHelp, HelpRequest, type ToolHelp, type ToolOption, type ToolOptions } from './help.js';

/** Wrong command-line usage (unknown option, missing argument). */
export class UsageError extends UserError {}

/** Options every tool accepts. */
export const SHARED_OPTIONS = {
  'cfg-options': {
    type: 'string', multiple: true, value: 'KEY=VALUE',
    description: 'Override config keys, values read as YAML (train_cfg.max_epochs=3); every word up to the next option.',
  },
  backend: { type: 'string', value: 'NAME', description: 'Engine: tensorflow, torch, wasm or cpu (default: the fastest installed).' },
  threads: { type: 'string', value: 'N', description: 'Threads of the torch engine (default: $TFRAZOR_THREADS, else every core the load average leaves free).' },
  'work-dir': { type: 'string', value: 'DIR', description: 'Folder for outputs (tools that write one; default under work_dirs/).' },
  seed: { type: 'string', value: 'N', description: "Seed for the run's randomness (overrides randomness.seed)." },
  debug: { type: 'boolean', default: false, description: 'Debug log lines, and stack traces with error messages.' },
  help: { type: 'boolean', short: 'h', description: 'Print this help and exit.' },
} as const satisfies ToolOptions;

export interface ToolArgs {
  positionals: string[];
  /** `key.path=value` items of every `--cfg-options`, in order. */
  cfgOptions: string[];
  debug: boolean;
  backend?: string;
  workDir?: string;
  seed?: number;
  /** Native engine threads (`--threads`); undefined = $TFRAZOR_THREADS or the free cores. */
  threads?: number;
  /** All parsed option values, the tool's own included. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

/** A word that starts another option (`--seed`, `-h`), as opposed to a value such as `-1`. */
const isOptionWord = (word: string) => /^--?[A-Za-z]/.test(word) || word === '--';

/**
 * `--cfg-options a=1 b.c=[2,3]` takes every following word up to the next option (mmengine
 * style); rewrite them to one `--cfg-options=item` each so parseArgs sees a plain repeated option.
 * Every word taken must be `key.path=value`: a word without `=` is refused by name rather than
 * silently becoming a positional argument.
 */
function expandCfgOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg !== '--cfg-options') {
      out.push(arg);
      continue;
    }
    let taken = 0;
    while (i + 1 < argv.length && !isOptionWord(argv[i + 1]!)) {
      const item = argv[++i]!;
      if (!item.includes('=')) {
        throw new UsageError(
          `--cfg-options item '${item}' has no '=': each item after --cfg-options is key.path=value ` +
            `(e.g. train_cfg.max_epochs=3). Quote a value that holds spaces ('model.sampler.constraints={macs: [0, 3.0e8]}'), ` +
            'and put positional arguments before --cfg-options.',
        );
      }
      out.push(`--cfg-options=${item}`);
      taken++;
    }
    if (taken === 0) throw new UsageError('--cfg-options needs at least one key.path=value item after it.');
  }
  return out;
}

/** What node:util parseArgs reads of an option (it refuses keys it does not know). */
function parseArgsOption({ type, short, multiple, default: dflt }: ToolOption) {
  return { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}), ...(dflt !== undefined ? { default: dflt } : {}) };
}

/** `-h` / `--help` before a `--` (a value can never be one: both are option words). */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Parse a tool's argv: the shared options plus `options`; positionals are allowed. With `--help`
 * or `-h` anywhere, throws HelpRequest with the help text (usage and summary from `help`, one line
 * per option from each option's description) instead of parsing.
 */
export function parseToolArgs(argv: readonly string[], options: ToolOptions = {}, help?: ToolHelp): ToolArgs {
  if (wantsHelp(argv)) throw new HelpRequest(formatHelp(help, options, SHARED_OPTIONS));
  const all: ToolOptions = { ...SHARED_OPTIONS, ...options };
  let parsed;
  try {
    parsed = parseArgs({
      args: expandCfgOptions(argv),
      options: Object.fromEntries(Object.entries(all).map(([k, o]) => [k, parseArgsOption(o)])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message, { cause: err });
  }
  const values = parsed.values as ToolArgs['values'];
  const seedText = values.seed as string | undefined;
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${seedText}'.`);
  const threadsText = values.threads as string | undefined;
  const threads = threadsText === undefined ? undefined : Number(threadsText);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UsageError(`--threads must be a whole number of threads (1 or more), got '${threadsText}'.`);
  }
  return {
    positionals: parsed.positionals,
    cfgOptions: (values['cfg-options'] as string[] | undefined) ?? [],
    debug: values.debug === true,
    backend: values.backend as string | undefined,
    workDir: values['work-dir'] as string | undefined,
    seed,
    threads,
    values,
  };
}
