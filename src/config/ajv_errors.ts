import type { ErrorObject } from 'ajv';
import { closestNames, ConfigError, didYouMean, inFile } from './errors.js';
import type { Origins } from './origins.js';
import { childPath, describeType, displayValue, isMapping } from './paths.js';

/** Dotted path of an ajv instancePath (a JSON pointer) below `base`. */
export function dottedPath(base: string, instancePath: string): string {
  if (instancePath === '') return base;
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => childPath(acc, part), base);
}

function withDescription(expected: string, schema: unknown): string {
  const d = isMapping(schema) && typeof schema.description === 'string' ? schema.description : undefined;
  return d ? `${expected} (${d.replace(/\.$/, '')})` : expected;
}

/** Why `source` is not a JavaScript regular expression, or undefined when it is one. */
export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const COMPARISONS: Record<string, string> = {
  minimum: '>=',
  maximum: '<=',
  exclusiveMinimum: '>',
  exclusiveMaximum: '<',
};

/** Drop errors that only explain why each branch of a failed anyOf/oneOf/if did not match. */
function withoutBranchErrors(errors: ErrorObject[]): ErrorObject[] {
  const branches = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => e.keyword !== 'if' && !branches.some((b) => e.schemaPath.startsWith(b)));
}

/** One ConfigError per ajv error, each naming the file, dotted path, value and what was expected. */
export function translateAjvErrors(errors: ErrorObject[], base: string, origins: Origins): ConfigError[] {
  return withoutBranchErrors(errors).map((e) => translateOne(e, base, origins));
}

function translateOne(e: ErrorObject, base: string, origins: Origins): ConfigError {
  const path = dottedPath(base, e.instancePath);
  const where = (p: string, fileOfPath = p) => `at ${p === '' ? 'the top level' : p}${inFile(origins.fileOf(fileOfPath))}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const p = childPath(path, key);
      const props = isMapping(e.parentSchema) && isMapping(e.parentSchema.properties) ? e.parentSchema.properties : {};
      const valid = Object.keys(props).sort();
      const suggestions = closestNames(key, valid);
      const expected = valid.length ? `one of the keys ${valid.join(', ')}` : 'no keys here';
      return new ConfigError(
        `Unknown key '${key}' ${where(path, p)}.${didYouMean(suggestions)} Valid keys ${path === '' ? 'at the top level' : `of ${path}`}: ${valid.join(', ') || '(none)'}.`,
        { file: origins.fileOf(p), path: p, value: isMapping(e.data) ? e.data[key] : undefined, expected, suggestions },
      );
    }
    case 'required': {
      const key = String(params.missingProperty);
      const p = childPath(path, key);
      const props = isMapping(e.parentSchema) && isMapping(e.parentSchema.properties) ? e.parentSchema.properties : {};
      const expected = withDescription(`a value for '${key}'`, props[key]);
      return new ConfigError(`Missing required key '${key}' ${where(path)}: expected ${expected}.`, {
        file: origins.fileOf(path),
        path: p,
        value: undefined,
        expected,
      });
    }
    case 'type': {
      const expected = withDescription(String(params.type).replace(',', ' or '), e.parentSchema);
      return new ConfigError(
        `Wrong type ${where(path)}: got ${displayValue(e.data)} (${describeType(e.data)}), expected ${expected}.`,
        { file: origins.fileOf(path), path, value: e.data, expected },
      );
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const strings = allowed.filter((a): a is string => typeof a === 'string');
      const suggestions = typeof e.data === 'string' ? closestNames(e.data, strings) : [];
      const expected = withDescription(`one of ${allowed.map((a) => displayValue(a)).join(', ')}`, e.parentSchema);
      return new ConfigError(
        `Invalid value ${where(path)}: got ${displayValue(e.data)}, expected ${expected}.${didYouMean(suggestions)}`,
        { file: origins.fileOf(path), path, value: e.data, expected, suggestions },
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const expected = withDescription(`a number ${COMPARISONS[e.keyword]} ${String(params.limit)}`, e.parentSchema);
      return new ConfigError(`Value out of range ${where(path)}: got ${displayValue(e.data)}, expected ${expected}.`, {
        file: origins.fileOf(path),
        path,
        value: e.data,
        expected,
      });
    }
    case 'x-odd':
    case 'x-regex': {
      const expected = withDescription(e.keyword === 'x-odd' ? 'an odd integer' : 'a valid regular expression', e.parentSchema);
      const why = e.keyword === 'x-regex' && typeof e.data === 'string' ? ` (${regexProblem(e.data)})` : '';
      return new ConfigError(`Invalid value ${where(path)}: got ${displayValue(e.data)}${why}, expected ${expected}.`, {
        file: origins.fileOf(path),
        path,
        value: e.data,
        expected,
      });
    }
    case 'anyOf':
    case 'oneOf': {
      const expected = withDescription('a value matching one of the allowed forms', e.parentSchema);
      return new ConfigError(`Invalid value ${where(path)}: got ${displayValue(e.data)}, expected ${expected}.`, {
        file: origins.fileOf(path),
        path,
        value: e.data,
        expected,
      });
    }
    default: {
      const expected = withDescription(`a value that ${e.message ?? `satisfies '${e.keyword}'`}`, e.parentSchema);
      return new ConfigError(`Invalid value ${where(path)}: got ${displayValue(e.data)}, expected ${expected}.`, {
        file: origins.fileOf(path),
        path,
        value: e.data,
        expected,
      });
    }
  }
}
