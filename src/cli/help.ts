import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** One option of a tool: node:util parseArgs' fields plus what `--help` says about it. */
export interface ToolOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean | string[] | boolean[];
  /** One line for `--help`. */
  description?: string;
  /** Placeholder for the value in `--help` (`N`, `FILE`); string options only. */
  value?: string;
}

export type ToolOptions = Record<string, ToolOption>;

/** What `--help` prints above the options. */
export interface ToolHelp {
  /** The tool's path under tools/ without `.ts` (`train`, `track1/score`). */
  tool: string;
  /** The command line's shape after the command, e.g. `CONFIG CHECKPOINT [options]`. */
  usage: string;
  /** What the tool does, in a sentence or two. */
  summary: string;
  /** Positional arguments: name and one line each. */
  arguments?: Record<string, string>;
  /** Example command lines. */
  examples?: string[];
}

/** `--help` or `-h` was given: not an error; runCli prints `text` to stdout and exits 0. */
export class HelpRequest extends Error {
  override readonly name = 'HelpRequest';
  constructor(readonly text: string) {
    super('help requested');
  }
}

let commandNamer: ((tool: string) => string) | undefined;

/**
 * Called by the `tfrazor` command with how it names each tool (`export_subnet` -> `tfrazor export`),
 * so help shows the command the user typed instead of `npx tsx tools/export_subnet.ts`.
 */
export function setCommandNamer(namer: ((tool: string) => string) | undefined): void {
  commandNamer = namer;
}

/** How the user runs `tool` (a path under tools/ without `.ts`). */
export function commandOf(tool: string): string {
  return commandNamer ? commandNamer(tool) : `npx tsx tools/${tool}.ts`;
}

/** The running script as the user would type it, for a tool that gives no ToolHelp. */
function scriptCommand(): string {
  const script = process.argv[1];
  return script ? `npx tsx ${relative(process.cwd(), script)}` : 'tool';
}

/** The leading `//` comment of the running script (its usage notes), for a tool that gives no ToolHelp. */
function headerComment(): string[] {
  try {
    const lines = readFileSync(process.argv[1] ?? '', 'utf8').split('\n');
    const comment = lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, ''));
    return comment.length > 0 ? [comment.join('\n')] : [];
  } catch {
    return [];
  }
}

function optionLabel(name: string, option: ToolOption): string {
  const short = option.short ? `-${option.short}, ` : '';
  const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
  return `${short}--${name}${value}${option.multiple ? ' ...' : ''}`;
}

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.min(30, Math.max(...rows.map(([l]) => l.length)));
  return rows
    .map(([label, text]) => (label.length > width ? `${indent}${label}\n${indent}${' '.repeat(width + 2)}${text}` : `${indent}${label.padEnd(width + 2)}${text}`))
    .join('\n');
}

/** The `--help` text of a tool: usage, summary, arguments, its own options, then the shared ones. */
export function formatHelp(help: ToolHelp | undefined, own: ToolOptions, shared: ToolOptions): string {
  const command = help ? commandOf(help.tool) : scriptCommand();
  const parts = [`Usage: ${command} ${help?.usage ?? '[options]'}`];
  if (help?.summary) parts.push(help.summary);
  else if (!help) parts.push(...headerComment());
  if (help?.arguments && Object.keys(help.arguments).length > 0) parts.push(`Arguments:\n${table(Object.entries(help.arguments))}`);
  const rows = (opts: ToolOptions) => Object.entries(opts).map(([n, o]) => [optionLabel(n, o), o.description ?? ''] as [string, string]);
  if (Object.keys(own).length > 0) parts.push(`Options:\n${table(rows(own))}`);
  parts.push(`Options of every tool:\n${table(rows(shared))}`);
  if (help?.examples?.length) parts.push(`Examples:\n${help.examples.map((e) => `  ${command} ${e}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
