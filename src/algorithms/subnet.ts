import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import { loadSubnet } from '../mutables/subnet_yaml.js';
import type { Mutator } from '../mutables/mutator.js';
import { AlgorithmConfigError } from './errors.js';

/** A subnet in a config: a subnet YAML file path, or inline `{alias: value}` / `{alias: {chosen: value}}`. */
export type SubnetSpec = string | Record<string, number | { chosen: number }>;

export const SUBNET_SPEC_SCHEMA = {
  description: 'A subnet: path of a subnet YAML file ({alias: {chosen: value}}), or an inline mapping alias -> value.',
  oneOf: [
    { type: 'string' },
    {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { type: 'number' },
          { type: 'object', properties: { chosen: { type: 'number' } }, required: ['chosen'], additionalProperties: false },
        ],
      },
    },
  ],
};

/** Choices of a subnet spec, checked against the supernet's space. */
export function resolveSubnet(spec: SubnetSpec, supernet: Supernet, where: string): SubnetChoices {
  const mutator = supernet.mutator;
  if (typeof spec === 'string') {
    const validator = 'validate' in mutator ? (mutator as Mutator) : undefined;
    return loadSubnet(spec, validator);
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new AlgorithmConfigError(`${where} must be a subnet file path or a mapping of aliases to choices, got ${JSON.stringify(spec)}.`, where, 'subnet');
  }
  return Object.fromEntries(
    Object.entries(spec).map(([alias, v]) => [alias, typeof v === 'number' ? v : v.chosen]),
  );
}

/**
 * Activate a subnet and freeze every mutable, so nothing samples them afterwards and the network
 * is validated as one fixed net. Aliases the subnet leaves out keep their current choice.
 */
export function fixSubnet(supernet: Supernet, choices: SubnetChoices): void {
  supernet.mutator.set(choices);
  for (const m of supernet.mutator.mutables) m.fixChosen(m.currentChoice);
}
