import { relative, isAbsolute } from 'node:path';

/** A plain mapping parsed from YAML (not an array, not null). */
export type Mapping = Record<string, unknown>;

export function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Dotted form of a path: ['model', 'stage_depths', 2] -> 'model.stage_depths.2'. */
export function joinPath(parts: readonly (string | number)[]): string {
  return parts.map(String).join('.');
}

export function childPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

/** True if `path` is `prefix` or lies below it. */
export function isUnder(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}.`);
}

/** A file as users see it in messages: relative to the working directory when inside it. */
export function displayFile(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** A value as it appears in an error message (short, JSON-like). */
export function displayValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number' && Number.isInteger(v)) return 'integer';
  return typeof v;
}
