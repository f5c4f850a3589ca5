import { parse } from 'yaml';
import { ConfigError, yamlProblem } from './errors.js';
import type { TrackedConfig } from './merge.js';
import { CLI_ORIGIN } from './origins.js';
import { childPath, displayValue, isMapping, type Mapping } from './paths.js';
import { assertNoReservedKeys, isReservedKey, ReservedKeyError } from './safe_keys.js';

/** One `--cfg-options` item, `a.b.0.c=value`, split into its path and YAML-typed value. */
export interface Override {
  path: string[];
  value: unknown;
  text: string;
}

/** Parse `key.path=value`; the value is read as YAML (`1e-3`, `true`, `null`, `[1, 2]`, `{a: 1}`). */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new ConfigError(`--cfg-options item '${text}' is not of the form key.path=value.`, {
      file: CLI_ORIGIN,
      value: text,
      expected: 'key.path=value',
    });
  }
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  const path = key.split('.');
  if (path.some((p) => p.length === 0)) {
    throw new ConfigError(`--cfg-options key '${key}' has an empty part; write keys like optim_wrapper.optimizer.lr.`, {
      file: CLI_ORIGIN,
      path: key,
      value: text,
      expected: 'dot-separated keys and list indices',
    });
  }
  const reserved = path.findIndex(isReservedKey);
  if (reserved >= 0) throw new ReservedKeyError(CLI_ORIGIN, path.slice(0, reserved + 1).join('.'), path[reserved]!, text);
  let value: unknown;
  try {
    value = raw === '' ? '' : parse(raw);
  } catch (err) {
    throw new ConfigError(`--cfg-options value for '${key}' is not valid YAML: ${raw} (${yamlProblem(err)}).`, {
      file: CLI_ORIGIN,
      path: key,
      value: raw,
      expected: 'a YAML scalar, [list] or {mapping}',
    });
  }
  assertNoReservedKeys(value, CLI_ORIGIN, key, text);
  return { path, value, text };
}

/** Set each override in place; missing mappings are created, list indices must exist (or append). */
export function applyOverrides(config: TrackedConfig, items: readonly string[]): void {
  for (const text of items) applyOne(config, parseOverride(text));
}

function applyOne(config: TrackedConfig, o: Override): void {
  let node: Mapping | unknown[] = config.data;
  let path = '';
  for (const [i, part] of o.path.entries()) {
    const last = i === o.path.length - 1;
    const here = childPath(path, part);
    if (Array.isArray(node)) {
      const index = /^\d+$/.test(part) ? Number(part) : NaN;
      if (!(index <= node.length)) {
        throw new ConfigError(
          `--cfg-options ${o.text}: '${path}' is a list of ${node.length} items, so '${part}' is not a valid index ` +
            `(expected 0..${node.length}, where ${node.length} appends).`,
          { file: CLI_ORIGIN, path: here, value: part, expected: `a list index 0..${node.length}` },
        );
      }
      if (last) node[index] = o.value;
      else node = descend(config, node, index, o, here, o.path.slice(i + 1));
    } else {
      if (last) node[part] = o.value;
      else node = descend(config, node, part, o, here, o.path.slice(i + 1));
    }
    path = here;
  }
  config.origins.deleteSubtree(path);
  config.origins.record(path, o.value, CLI_ORIGIN);
}

function descend(
  config: TrackedConfig,
  node: Mapping | unknown[],
  key: string | number,
  o: Override,
  here: string,
  rest: string[],
): Mapping | unknown[] {
  const child = (node as Record<string | number, unknown>)[key];
  if (child === undefined) {
    const created: Mapping = {};
    (node as Record<string | number, unknown>)[key] = created;
    // A mapping the command line made is the command line's: an error about it (say, a missing
    // `type`) then names --cfg-options instead of the config file, which never had it.
    config.origins.record(here, created, CLI_ORIGIN);
    return created;
  }
  if (isMapping(child) || Array.isArray(child)) return child;
  throw new ConfigError(
    `--cfg-options ${o.text}: '${here}' holds ${displayValue(child)}, not a mapping or list, so it has no key '${rest.join('.')}'.`,
    { file: CLI_ORIGIN, path: here, value: child, expected: 'a mapping or list to descend into' },
  );
}
