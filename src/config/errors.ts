import { distance } from 'fastest-levenshtein';
import { UserError } from '../errors.js';
import { similarNames } from '../registry/registry.js';
import { displayFile } from './paths.js';

export interface ConfigErrorDetails {
  /** Config file that holds the bad value (or '--cfg-options'). */
  file?: string;
  /** Dotted path of the bad value, e.g. 'model.architecture.stage_depths.2'. */
  path?: string;
  value?: unknown;
  /** What would have been valid, in words. */
  expected?: string;
  /** Nearest valid names for an unknown key or type. */
  suggestions?: string[];
}

/**
 * A problem in a config: where it is (file, dotted path), what was written and what was expected.
 * The message is one paragraph meant for the user; the fields are for programs and tests.
 */
export class ConfigError extends UserError {
  readonly file?: string;
  readonly path?: string;
  readonly value?: unknown;
  readonly expected?: string;
  readonly suggestions: string[];
  /** Further problems found in the same validation pass, each a complete error of its own. */
  readonly more: ConfigError[] = [];

  constructor(message: string, details: ConfigErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.file = details.file;
    this.path = details.path;
    this.value = details.value;
    this.expected = details.expected;
    this.suggestions = details.suggestions ?? [];
  }
}

/** ' in configs/x.yaml' for messages, empty when the file is unknown. */
export function inFile(file: string | undefined): string {
  if (file === undefined) return '';
  return file === '--cfg-options' ? ' (set by --cfg-options)' : ` in ${displayFile(file)}`;
}

/** A YAML parser's complaint in one line: its message without the code frame it appends. */
export function yamlProblem(err: unknown): string {
  const first = String((err as Error)?.message ?? err).split('\n')[0]!.trim();
  return first.replace(/:$/, '');
}

export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`;
}

/** The valid names closest to a typo: those tied for the smallest edit distance, none if all are far. */
export function closestNames(name: string, candidates: string[]): string[] {
  const limit = Math.max(2, Math.ceil(name.length / 3));
  const d = (c: string) => distance(name.toLowerCase(), c.toLowerCase());
  const near = similarNames(name, candidates, 5).filter((c) => d(c) <= limit);
  if (near.length === 0) return [];
  const best = d(near[0]!);
  return near.filter((c) => d(c) === best);
}
