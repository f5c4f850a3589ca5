import type { JsonSchema } from '../registry/registry.js';
import { MOBILENET_DEFAULTS } from './mobilenet_supernet.js';
import { RESNET_DEFAULTS } from './resnet_supernet.js';

const posInt = (description: string, dflt?: number) => ({ type: 'integer', minimum: 1, description, ...(dflt === undefined ? {} : { default: dflt }) });
const depthChoices = { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, description: 'Allowed depths of the stage; the supernet has max(depth_choices) blocks.' };

const COMMON = (d: typeof RESNET_DEFAULTS | typeof MOBILENET_DEFAULTS) => ({
  in_channels: posInt('Channels of the input images.', d.in_channels),
  input_size: posInt('Side of the square input in pixels (complexity is counted at this size).', d.input_size),
  num_classes: posInt('Classes of the linear head.', d.num_classes),
  divisor: posInt('Channel counts are rounded to multiples of this (make_divisible).', d.divisor),
  bn_momentum: { type: ['number', 'null'], minimum: 0, maximum: 1, default: d.bn_momentum, description: 'Batch-norm running-stat momentum; null = cumulative average.' },
  bn_eps: { type: 'number', exclusiveMinimum: 0, default: d.bn_eps, description: 'Batch-norm epsilon.' },
  zero_init_residual: { type: 'boolean', default: d.zero_init_residual, description: 'Zero-init the last BN gamma of each residual branch.' },
  init_seed: { type: 'integer', default: d.init_seed, description: 'Seed of the weight initialisation.' },
});

export const RESNET_SUPERNET_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    block: { enum: ['BasicBlock', 'Bottleneck'], default: RESNET_DEFAULTS.block, description: 'Residual block type.' },
    ...COMMON(RESNET_DEFAULTS),
    width_ratios: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 1, default: RESNET_DEFAULTS.width_ratios, description: 'Width-ratio choices of every searchable conv (channels = make_divisible(int(ratio * base))).' },
    stem: {
      type: 'object',
      description: 'Stem conv BN ReLU (+ max pool).',
      properties: {
        base_channels: posInt('Base width of the stem conv.', RESNET_DEFAULTS.stem.base_channels),
        kernel_size: { ...posInt('Stem conv kernel size (odd: centre slicing, symmetric padding).', RESNET_DEFAULTS.stem.kernel_size), 'x-odd': true },
        stride: posInt('Stem conv stride.', RESNET_DEFAULTS.stem.stride),
        max_pool: { type: 'boolean', default: RESNET_DEFAULTS.stem.max_pool, description: 'Max pool 3x3 stride 2 after the stem.' },
        tie_to_stage1: { type: 'boolean', default: RESNET_DEFAULTS.stem.tie_to_stage1, description: "Stem width follows stage1.out_channels (Track-1) instead of its own 'stem.out_channels'." },
      },
      additionalProperties: false,
      default: {},
    },
    stages: {
      type: 'array',
      minItems: 1,
      description: 'One entry per stage.',
      items: {
        type: 'object',
        properties: {
          depth_choices: depthChoices,
          base_channels: posInt('Out width (BasicBlock) or mid width (Bottleneck) at ratio 1.0.'),
          stride: posInt('Stride of the first block.'),
        },
        required: ['depth_choices', 'base_channels', 'stride'],
        additionalProperties: false,
      },
    },
    expansion: posInt('Bottleneck out width = base_channels x expansion.', RESNET_DEFAULTS.expansion),
  },
  required: ['stages'],
  additionalProperties: false,
};

export const MOBILENET_SUPERNET_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    ...COMMON(MOBILENET_DEFAULTS),
    stem: {
      type: 'object',
      description: 'Stem conv BN ReLU6.',
      properties: {
        out_channels: posInt('Stem width.', MOBILENET_DEFAULTS.stem.out_channels),
        kernel_size: { ...posInt('Stem kernel size (odd: centre slicing, symmetric padding).', MOBILENET_DEFAULTS.stem.kernel_size), 'x-odd': true },
        stride: posInt('Stem stride.', MOBILENET_DEFAULTS.stem.stride),
      },
      additionalProperties: false,
      default: {},
    },
    stages: {
      type: 'array',
      minItems: 1,
      description: 'One entry per stage of inverted residual blocks.',
      items: {
        type: 'object',
        properties: {
          out_channels: posInt('Width of the stage.'),
          depth_choices: depthChoices,
          stride: posInt('Stride of the first block.'),
        },
        required: ['out_channels', 'depth_choices', 'stride'],
        additionalProperties: false,
      },
    },
    expand_ratios: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 1, default: MOBILENET_DEFAULTS.expand_ratios, description: 'Expand-ratio choices of every block.' },
    kernel_sizes: { type: 'array', items: { type: 'integer', minimum: 1, 'x-odd': true, description: 'A depthwise kernel size (odd: centre slicing).' }, minItems: 1, default: MOBILENET_DEFAULTS.kernel_sizes, description: 'Depthwise kernel-size choices (odd) of every block.' },
    head_channels: { type: 'integer', minimum: 0, default: MOBILENET_DEFAULTS.head_channels, description: 'Width of the 1x1 conv before pooling (0: none).' },
  },
  required: ['stages'],
  additionalProperties: false,
};
