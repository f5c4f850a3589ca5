import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { closestNames, ConfigError, inFile, yamlProblem } from './errors.js';
import { mergeInto, setsPath, type BaseConflict, type TrackedConfig } from './merge.js';
import { Origins } from './origins.js';
import { displayFile, displayValue, isMapping, type Mapping } from './paths.js';
import { assertNoReservedKeys } from './safe_keys.js';

const isYamlName = (name: string) => ['.yaml', '.yml'].includes(extname(name).toLowerCase());

function yamlFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && isYamlName(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function listed(names: string[]): string {
  return names.length > 8 ? `${names.slice(0, 8).join(', ')}, ...` : names.join(', ');
}

/**
 * Why `file` (the config, or a `_base_` named by `listedBy`) cannot be read, in one sentence with
 * the nearest YAML names; undefined when it is a readable file.
 */
function unreadableConfig(file: string, listedBy?: string): string | undefined {
  const what = listedBy ? `Base config ${displayFile(file)} (listed in _base_ of ${displayFile(listedBy)})` : `Config file ${displayFile(file)}`;
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    const dir = dirname(file);
    if (!existsSync(dir)) return `${what} was not found: the folder ${displayFile(dir)} does not exist.`;
    const names = yamlFilesIn(dir);
    const near = closestNames(basename(file), names);
    return (
      `${what} was not found.` +
      (near.length ? ` Did you mean ${near.map((n) => `'${displayFile(join(dir, n))}'`).join(' or ')}?` : '') +
      (names.length ? ` YAML files in ${displayFile(dir)}: ${listed(names)}.` : ` ${displayFile(dir)} holds no YAML file.`)
    );
  }
  if (isDir) {
    const names = yamlFilesIn(file);
    return `${what} is a folder; give a YAML file${names.length ? `, e.g. one of ${listed(names)} in it` : ''}.`;
  }
  return undefined;
}

function readConfigText(file: string, listedBy?: string): string {
  const why = unreadableConfig(file, listedBy);
  const expected = 'an existing YAML file';
  if (why) throw new ConfigError(why, { file: listedBy ?? file, path: listedBy ? '_base_' : undefined, value: file, expected });
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${displayFile(file)}: ${(err as Error).message}.`, { file, value: file, expected }, { cause: err });
  }
}

function parseYaml(text: string, file: string): Mapping {
  let data: unknown;
  try {
    data = parse(text, { merge: true });
  } catch (err) {
    throw new ConfigError(`Cannot parse ${displayFile(file)} as YAML: ${yamlProblem(err)}.`, { file }, { cause: err });
  }
  if (data === null || data === undefined) return {};
  assertNoReservedKeys(data, file);
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
  const own = parseYaml(text ?? readConfigText(file, stack.at(-1)), file);
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
