import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, inFile } from './errors.js';
import { mergeInto, setsPath, type BaseConflict, type TrackedConfig } from './merge.js';
import { Origins } from './origins.js';
import { displayFile, displayValue, isMapping, type Mapping } from './paths.js';

function parseYaml(text: string, file: string): Mapping {
  let data: unknown;
  try {
    data = parse(text, { merge: true });
  } catch (err) {
    throw new ConfigError(`Cannot parse ${displayFile(file)} as YAML: ${(err as Error).message}`, { file }, { cause: err });
  }
  if (data === null || data === undefined) return {};
  if (!isMapping(data)) {
    throw new ConfigError(
      `${displayFile(file)} must hold a mapping of config keys at its top level, but holds a ${Array.isArray(data) ? 'list' : typeof data}.`,
      { file, path: '', value: data, expected: 'a mapping' },
    );
  }
  return data;
}

function basePaths(data: Mapping, file: string): string[] {
  const raw = data._base_;
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  for (const [i, p] of list.entries()) {
    if (typeof p !== 'string' || p.length === 0) {
      throw new ConfigError(
        `_base_${Array.isArray(raw) ? `.${i}` : ''}${inFile(file)} is ${displayValue(p)}; expected a file path (a string) or a list of them.`,
        { file, path: Array.isArray(raw) ? `_base_.${i}` : '_base_', value: p, expected: 'a file path' },
      );
    }
  }
  return list as string[];
}

function conflictError(c: BaseConflict, file: string): ConfigError {
  const a = c.first.file ? displayFile(c.first.file) : 'one base';
  const b = c.second.file ? displayFile(c.second.file) : 'another base';
  return new ConfigError(
    `Key '${c.path}' is defined by two bases of ${displayFile(file)}: ${a} sets ${displayValue(c.first.value)} and ` +
      `${b} sets ${displayValue(c.second.value)}. A key may come from one base only; set it in ${displayFile(file)} itself ` +
      `to choose the value.`,
    { file: c.second.file, path: c.path, value: c.second.value, expected: `the value of one base only (${a} or ${b})` },
  );
}

/**
 * Load a YAML config with its `_base_` files: bases (each with its own bases) merged in order, then
 * the file's own keys on top. Returns the merged tree and the file that defined each path.
 */
export function loadConfigFile(path: string): TrackedConfig {
  return loadTracked(resolve(path), []);
}

/** Load a config from YAML text; `filename` names it in errors and anchors relative `_base_` paths. */
export function loadConfigText(text: string, filename = resolve('inline.yaml')): TrackedConfig {
  return loadTracked(resolve(filename), [], text);
}

function loadTracked(file: string, stack: string[], text?: string): TrackedConfig {
  if (stack.includes(file)) {
    const cycle = [...stack.slice(stack.indexOf(file)), file].map(displayFile).join(' -> ');
    throw new ConfigError(`_base_ files include each other in a cycle: ${cycle}.`, { file, path: '_base_' });
  }
  const own = parseYaml(text ?? readFileSync(file, 'utf8'), file);
  const merged: TrackedConfig = { data: {}, origins: new Origins() };
  const conflicts: BaseConflict[] = [];
  for (const rel of basePaths(own, file)) {
    const basePath = isAbsolute(rel) ? rel : resolve(dirname(file), rel);
    if (!existsSync(basePath)) {
      throw new ConfigError(
        `Base config '${rel}' listed in _base_ of ${displayFile(file)} was not found (looked for ${basePath}).`,
        { file, path: '_base_', value: rel, expected: 'an existing YAML file, relative to the including file or absolute' },
      );
    }
    mergeInto(merged, loadTracked(basePath, [...stack, file]), conflicts);
  }
  const unresolved = conflicts.find((c) => !setsPath(own, c.path));
  if (unresolved) throw conflictError(unresolved, file);

  const { _base_: _, ...ownKeys } = own;
  const ownOrigins = new Origins();
  ownOrigins.record('', ownKeys, file);
  mergeInto(merged, { data: ownKeys, origins: ownOrigins });
  merged.origins.setRoot(file);
  return merged;
}
