import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { SubnetChoices } from './types.js';
import type { Mutator as MutatorContract } from './types.js';
import { Mutator } from './mutator.js';
import { InvalidChoiceError, SubnetFileError } from './errors.js';
import { assertNoReservedKeys } from '../config/safe_keys.js';
import { yamlProblem } from '../config/errors.js';

/** Parse mmrazor's subnet format `{alias: {chosen: value}}`; `source` names the file in errors. */
export function parseSubnetYaml(text: string, source = '<string>'): SubnetChoices {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new SubnetFileError(`Subnet file ${source} is not valid YAML: ${yamlProblem(e)}.`, source);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SubnetFileError(`Subnet file ${source} must be a mapping of aliases to {chosen: value}, got ${JSON.stringify(doc)}.`, source);
  }
  assertNoReservedKeys(doc, source);
  const out: SubnetChoices = {};
  for (const [alias, entry] of Object.entries(doc as Record<string, unknown>)) {
    const chosen = (entry as { chosen?: unknown } | null)?.chosen;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || typeof chosen !== 'number') {
      throw new SubnetFileError(`Subnet file ${source}: '${alias}' must be written as '${alias}: {chosen: <number>}', got ${JSON.stringify(entry)}.`, source);
    }
    const extra = Object.keys(entry).filter((k) => k !== 'chosen');
    if (extra.length > 0) {
      throw new SubnetFileError(`Subnet file ${source}: '${alias}' has unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')}; only 'chosen' is allowed.`, source);
    }
    out[alias] = chosen;
  }
  return out;
}

export function formatSubnetYaml(choices: SubnetChoices): string {
  return stringify(Object.fromEntries(Object.entries(choices).map(([a, v]) => [a, { chosen: v }])));
}

/**
 * Read a subnet file. With a mutator, also check every alias and value against its space (and,
 * with `complete`, that no alias of the space is missing).
 */
export function loadSubnet(path: string, space?: MutatorContract, { complete = false } = {}): SubnetChoices {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SubnetFileError(`Cannot read subnet file ${path}: ${(e as Error).message}`, path);
  }
  const choices = parseSubnetYaml(text, path);
  if (space) {
    const mutator = space instanceof Mutator ? space : new Mutator(space.mutables);
    try {
      mutator.validate(choices, `subnet file ${path}`);
    } catch (e) {
      if (e instanceof InvalidChoiceError) throw new SubnetFileError(e.message, path);
      throw e;
    }
    if (complete) {
      const missing = mutator.aliases.filter((a) => !(a in choices));
      if (missing.length > 0) {
        throw new SubnetFileError(`Subnet file ${path} lacks ${missing.length} alias(es) of the search space: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}.`, path);
      }
    }
  }
  return choices;
}

/** Write a subnet file atomically (temp file + rename). */
export function saveSubnet(path: string, choices: SubnetChoices): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, formatSubnetYaml(choices));
  renameSync(tmp, path);
}
