// Importing this module registers the mutables of the core namespace.
import { MUTABLES } from '../registry/registries.js';
import { MutableValue } from './mutable_value.js';
import { MutableChannel } from './mutable_channel.js';

const ALIAS = { type: 'string', minLength: 1, description: "Dotted name of the choice, e.g. 'stage2.depth'." };
const CHOICES = { type: 'array', items: { type: 'number' }, minItems: 1, description: 'The values this mutable can take.' };
const DEFAULT = { type: 'number', description: 'Initial choice (default: the largest).' };

MUTABLES.register('MutableValue', MutableValue, {
  schema: {
    type: 'object',
    properties: { alias: ALIAS, choices: CHOICES, default: DEFAULT },
    required: ['alias', 'choices'],
    additionalProperties: false,
  },
});

MUTABLES.register('MutableChannel', MutableChannel, {
  schema: {
    type: 'object',
    properties: {
      alias: ALIAS,
      choices: { ...CHOICES, description: 'Width ratios of base_channels when it is set, else absolute channel counts.' },
      default: DEFAULT,
      base_channels: { type: 'integer', minimum: 1, description: 'Base width the ratio choices apply to.' },
      divisor: { type: 'integer', minimum: 1, default: 8, description: 'Channels are rounded to a multiple of this (make_divisible).' },
    },
    required: ['alias', 'choices'],
    additionalProperties: false,
  },
});

export { MutableValue, type MutableValueConfig } from './mutable_value.js';
export { MutableChannel, type MutableChannelConfig } from './mutable_channel.js';
export { DerivedMutable } from './derived_mutable.js';
export { Mutator } from './mutator.js';
export { collectMutables, mutablesOf, usesMutables, type UsesMutables } from './collect.js';
export { fixedChannels, fixedValue, type ChannelSource, type ValueSource } from './sources.js';
export { makeDivisible, channelsForRatio } from './make_divisible.js';
export { loadSubnet, saveSubnet, parseSubnetYaml, formatSubnetYaml } from './subnet_yaml.js';
export { InvalidChoiceError, SubnetFileError, MutableDefinitionError } from './errors.js';
export type { Mutable, SubnetChoices } from './types.js';
