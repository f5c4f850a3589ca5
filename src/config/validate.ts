import { Ajv, type ValidateFunction } from 'ajv';
import { REGISTRIES, type RegistryKind } from '../registry/registries.js';
import { displayName, type Entry, type JsonSchema } from '../registry/registry.js';
import { dottedPath, regexProblem, translateAjvErrors } from './ajv_errors.js';
import { closestNames, ConfigError, didYouMean, inFile } from './errors.js';
import type { Origins } from './origins.js';
import { childPath, displayValue, isMapping, type Mapping } from './paths.js';
import { topLevelSchema } from './sections.js';

/** A node of the config whose schema says `x-kind`: a `{type, ...}` mapping built by that registry. */
interface KindNode {
  kind: string;
  instancePath: string;
  data: unknown;
}

// Filled by the `x-kind` keyword while one validator runs; validation is synchronous.
let found: KindNode[] = [];

// One ajv for every schema: defaults are written into the config, every problem is reported.
const ajv = new Ajv({ useDefaults: true, allErrors: true, verbose: true, strict: false });
ajv.addKeyword({
  keyword: 'x-kind',
  schemaType: 'string',
  errors: false,
  validate: (kind: string, data: unknown, parent: unknown, cxt?: { instancePath: string }) => {
    mergeTypedDefault(data, (parent as { default?: unknown } | undefined)?.default);
    found.push({ kind, data, instancePath: cxt?.instancePath ?? '' });
    return true;
  },
});
/**
 * A partial override of a typed section whose schema has a `{type, ...}` default (e.g. only
 * `search_cfg.searcher.max_generations=10` on a config without a searcher) merges into that
 * default instead of failing for want of `type`. Keys already given win; an explicit `type` keeps
 * the mapping as it is, so another class never inherits the default's arguments.
 */
function mergeTypedDefault(data: unknown, fallback: unknown): void {
  if (!isMapping(data) || data.type !== undefined || !isMapping(fallback) || typeof fallback.type !== 'string') return;
  for (const [k, v] of Object.entries(structuredClone(fallback))) if (data[k] === undefined) data[k] = v;
}

// What an op or class refuses, its schema refuses first, so the error names the file and path.
ajv.addKeyword({
  keyword: 'x-odd',
  schemaType: 'boolean',
  validate: (odd: boolean, data: unknown) => !odd || typeof data !== 'number' || !Number.isInteger(data) || Math.abs(data % 2) === 1,
});
ajv.addKeyword({
  keyword: 'x-regex',
  schemaType: 'boolean',
  validate: (regex: boolean, data: unknown) => !regex || typeof data !== 'string' || regexProblem(data) === undefined,
});

const classValidators = new WeakMap<Entry<unknown>, ValidateFunction>();
const sectionValidators = new Map<string, ValidateFunction>();

/** A class's schema plus the `type` key that names it. */
function classSchema(schema: JsonSchema): JsonSchema {
  const properties = isMapping(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  return {
    ...schema,
    type: 'object',
    properties: { type: { type: 'string', description: 'registered class name' }, ...properties },
    required: ['type', ...required.filter((r) => r !== 'type')],
  };
}

function classValidator(kind: string, entry: Entry<unknown>): ValidateFunction {
  let v = classValidators.get(entry);
  if (!v) {
    try {
      v = ajv.compile(classSchema(entry.schema));
    } catch (err) {
      // A bug in the class's code, not in the user's config: reported with its stack (exit 1).
      throw new Error(`The schema registered for ${kind} class '${displayName(entry.key)}' is not a valid JSON schema: ${(err as Error).message}`, {
        cause: err,
      });
    }
    classValidators.set(entry, v);
  }
  return v;
}

function topLevelValidator(): ValidateFunction {
  const schema = topLevelSchema();
  const key = JSON.stringify(schema);
  let v = sectionValidators.get(key);
  if (!v) {
    v = ajv.compile(schema);
    sectionValidators.set(key, v);
  }
  return v;
}

/** Run one validator; returns its problems and the `x-kind` nodes it passed through. */
function run(validate: ValidateFunction, data: unknown, base: string, origins: Origins): { errors: ConfigError[]; nodes: KindNode[] } {
  found = [];
  const ok = validate(data);
  const nodes = found;
  found = [];
  return { errors: ok ? [] : translateAjvErrors(validate.errors ?? [], base, origins), nodes };
}

function checkKindNode(node: KindNode, path: string, origins: Origins, out: ConfigError[]): void {
  const registry = REGISTRIES[node.kind as RegistryKind];
  if (!registry) throw new Error(`Schema error: 'x-kind: ${node.kind}' at ${path} names no registry (kinds: ${Object.keys(REGISTRIES).join(', ')}).`);
  const registered = registry.names();
  const data = node.data;
  if (!isMapping(data) || typeof data.type !== 'string') {
    const typePath = isMapping(data) ? childPath(path, 'type') : path;
    const file = inFile(origins.fileOf(typePath));
    const problem = !isMapping(data)
      ? `Expected a mapping with 'type' naming a registered ${node.kind} class at ${path}${file}, got ${displayValue(data)}.`
      : data.type === undefined
        ? `Missing key 'type' at ${path}${file}: it names the ${node.kind} class to build.`
        : `'type' at ${typePath}${file} must be a class name (a string), got ${displayValue(data.type)}.`;
    out.push(
      new ConfigError(`${problem} Registered ${node.kind}: ${registered.join(', ') || '(none)'}.`, {
        file: origins.fileOf(typePath),
        path: typePath,
        value: isMapping(data) ? data.type : data,
        expected: `a registered ${node.kind} type`,
      }),
    );
    return;
  }
  if (!registry.has(data.type)) {
    const typePath = childPath(path, 'type');
    const suggestions = closestNames(data.type, registered);
    out.push(
      new ConfigError(
        `Unknown ${node.kind} type '${data.type}' at ${typePath}${inFile(origins.fileOf(typePath))}.${didYouMean(suggestions)} ` +
          `Registered ${node.kind}: ${registered.join(', ') || '(none)'}.`,
        { file: origins.fileOf(typePath), path: typePath, value: data.type, expected: `a registered ${node.kind} type`, suggestions },
      ),
    );
    return;
  }
  validateAgainst(classValidator(node.kind, registry.get(data.type)), data, path, origins, out);
}

function validateAgainst(validate: ValidateFunction, data: unknown, base: string, origins: Origins, out: ConfigError[]): void {
  const { errors, nodes } = run(validate, data, base, origins);
  out.push(...errors);
  for (const node of nodes) checkKindNode(node, dottedPath(base, node.instancePath), origins, out);
}

/**
 * Validate a merged config in place (defaults are filled in): the top-level sections, then every
 * `x-kind` node against the schema of the class its `type` names, recursively. Returns all problems.
 */
export function findConfigErrors(config: Mapping, origins: Origins): ConfigError[] {
  const out: ConfigError[] = [];
  validateAgainst(topLevelValidator(), config, '', origins, out);
  return out;
}

/**
 * Validate one `{type, ...}` node that the `kind` registry builds, found at `path` of a config
 * (filling defaults), for tools that build a part of a config without validating all of it.
 * Throws the first problem, carrying the others in `more`.
 */
export function validateBuildable(kind: RegistryKind, data: unknown, path: string, origins: Origins): void {
  const out: ConfigError[] = [];
  checkKindNode({ kind, data, instancePath: '' }, path, origins, out);
  throwFirst(out);
}

function throwFirst([first, ...rest]: ConfigError[]): void {
  if (first) {
    first.more.push(...rest);
    throw first;
  }
}

/** Validate (filling defaults); throw the first problem, carrying the others in `more`. */
export function validateConfig(config: Mapping, origins: Origins): void {
  throwFirst(findConfigErrors(config, origins));
}
