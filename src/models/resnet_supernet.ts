import { tf, type Tensor4D } from '../tf.js';
import { MutableChannel } from '../mutables/mutable_channel.js';
import { MutableValue } from '../mutables/mutable_value.js';
import type { Mutable } from '../mutables/types.js';
import { DerivedMutable } from '../mutables/derived_mutable.js';
import { channelsForRatio } from '../mutables/make_divisible.js';
import { fixedChannels, type ChannelSource } from '../mutables/sources.js';
import { buildContext, type BuildContext } from './ops/build_context.js';
import { windowOutput, type ModuleCost, type SpatialSize } from './ops/cost.js';
import { DynamicLinear } from './ops/dynamic_linear.js';
import { DynamicSequential, type Layer } from './ops/dynamic_sequential.js';
import { BasicBlock, Bottleneck } from './resnet_blocks.js';
import { ConvBn, type NormOptions } from './conv_bn.js';
import { DynamicSupernet, type SupernetBuildOptions } from './supernet_base.js';
import { SupernetConfigError } from './errors.js';

export interface ResNetStemConfig {
  base_channels: number;
  kernel_size: number;
  stride: number;
  /** Max pool 3x3 stride 2 pad 1 after the stem conv (torchvision / Track-1). */
  max_pool: boolean;
  /** The stem width follows stage 1's out_channels ratio (Track-1); else it has its own mutable. */
  tie_to_stage1: boolean;
}

export interface ResNetStageConfig {
  depth_choices: number[];
  /** Out width (BasicBlock) or mid width (Bottleneck, whose out width is base x expansion). */
  base_channels: number;
  stride: number;
}

export interface ResNetSupernetConfig {
  block: 'BasicBlock' | 'Bottleneck';
  in_channels: number;
  input_size: number;
  num_classes: number;
  width_ratios: number[];
  divisor: number;
  stem: ResNetStemConfig;
  stages: ResNetStageConfig[];
  expansion: number;
  bn_momentum: number | null;
  bn_eps: number;
  zero_init_residual: boolean;
  init_seed: number;
}

export type ResNetSupernetInput = Partial<Omit<ResNetSupernetConfig, 'stem'>> & {
  stem?: Partial<ResNetStemConfig>;
  stages: ResNetStageConfig[];
};

export const RESNET_DEFAULTS: Omit<ResNetSupernetConfig, 'stages'> = {
  block: 'BasicBlock',
  in_channels: 3,
  input_size: 224,
  num_classes: 1000,
  width_ratios: [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7],
  divisor: 8,
  stem: { base_channels: 64, kernel_size: 7, stride: 2, max_pool: true, tie_to_stage1: true },
  expansion: 4,
  bn_momentum: 0.1,
  bn_eps: 1e-5,
  zero_init_residual: false,
  init_seed: 0,
};

/** Stem conv BN ReLU (+ max pool 3x3 stride 2 pad 1). */
export class ResNetStem extends ConvBn {
  constructor(inCh: ChannelSource, outCh: ChannelSource, readonly stemCfg: ResNetStemConfig, norm: NormOptions, ctx: BuildContext) {
    super({ in: inCh, out: outCh, kernel: stemCfg.kernel_size, stride: stemCfg.stride, act: 'relu' }, norm, ctx);
  }

  override forward(x: Tensor4D): Tensor4D {
    const y = super.forward(x);
    return this.stemCfg.max_pool ? tf.maxPool(y, 3, 2, 1) : y;
  }

  override cost(input: SpatialSize): ModuleCost {
    const c = super.cost(input);
    return this.stemCfg.max_pool ? { ...c, output: windowOutput(c.output, 3, 2, 1) } : c;
  }
}

/**
 * One parametrised ResNet supernet. Aliases: `stage{i}.depth`, `stage{i}.out_channels` (one
 * width per stage: the residual path), `stage{i}.block{j}.mid_channels` (i, j from 1), plus
 * `stem.out_channels` when the stem is not tied to stage 1. Width choices are ratios of the
 * base widths; a subnet keeps the first d blocks of each stage and the first c channels.
 */
export class ResNetSupernet extends DynamicSupernet {
  readonly cfg: ResNetSupernetConfig;
  readonly numClasses: number;
  readonly inputShape: [number, number, number];
  readonly stem: ResNetStem;
  readonly stages: DynamicSequential[];
  readonly fc: DynamicLinear;
  private readonly ordered: Mutable[] = [];

  constructor(input: ResNetSupernetInput, opts: SupernetBuildOptions = {}) {
    super();
    const cfg = resolveResNetConfig(input);
    this.cfg = cfg;
    this.numClasses = cfg.num_classes;
    this.inputShape = [cfg.input_size, cfg.input_size, cfg.in_channels];
    const ctx = opts.ctx ?? buildContext({ seed: cfg.init_seed });
    const norm: NormOptions = { momentum: cfg.bn_momentum, eps: cfg.bn_eps, zeroInitResidual: cfg.zero_init_residual };
    const bottleneck = cfg.block === 'Bottleneck';
    const outBase = (s: ResNetStageConfig) => (bottleneck ? s.base_channels * cfg.expansion : s.base_channels);
    const ratioChannel = (alias: string, base: number) =>
      new MutableChannel({ alias, choices: cfg.width_ratios, base_channels: base, divisor: cfg.divisor });

    const stageOut = cfg.stages.map((s, i) => ratioChannel(`stage${i + 1}.out_channels`, outBase(s)));
    const stemOut = this.stemWidth(cfg, stageOut[0]!, ratioChannel);
    if (stemOut instanceof MutableChannel && stemOut !== stageOut[0]) this.ordered.push(stemOut);
    this.stem = this.addModule('stem', new ResNetStem(fixedChannels(cfg.in_channels), stemOut, cfg.stem, norm, ctx));

    let inCh: ChannelSource = stemOut;
    this.stages = cfg.stages.map((s, si) => {
      const depth = new MutableValue({ alias: `stage${si + 1}.depth`, choices: s.depth_choices });
      this.ordered.push(depth, stageOut[si]!);
      const maxDepth = Math.max(...s.depth_choices);
      const blocks: Layer[] = [];
      for (let j = 0; j < maxDepth; j++) {
        const mid = ratioChannel(`stage${si + 1}.block${j + 1}.mid_channels`, s.base_channels);
        this.ordered.push(mid);
        const widths = { in: j === 0 ? inCh : stageOut[si]!, mid, out: stageOut[si]! };
        const stride = j === 0 ? s.stride : 1;
        blocks.push(bottleneck ? new Bottleneck(widths, stride, norm, ctx) : new BasicBlock(widths, stride, norm, ctx));
      }
      inCh = stageOut[si]!;
      return this.addModule(`stage${si + 1}`, new DynamicSequential(blocks, depth));
    });
    this.fc = this.addModule('fc', new DynamicLinear({ inFeatures: inCh, outFeatures: fixedChannels(cfg.num_classes) }, ctx));
  }

  private stemWidth(cfg: ResNetSupernetConfig, stage1: MutableChannel, ratioChannel: (a: string, b: number) => MutableChannel): ChannelSource {
    if (!cfg.stem.tie_to_stage1) return ratioChannel('stem.out_channels', cfg.stem.base_channels);
    if (cfg.stem.base_channels === stage1.baseChannels) return stage1;
    return new DerivedMutable('stem.out_channels', [stage1], (r) => channelsForRatio(r, cfg.stem.base_channels, cfg.divisor));
  }

  /** Stage by stage: depth, out_channels, then each block's mid_channels. */
  protected override searchableMutables(): Mutable[] {
    return this.ordered;
  }

  protected bodyLayers() {
    return [this.stem, ...this.stages];
  }

  protected head(): DynamicLinear {
    return this.fc;
  }
}

/** Fill defaults and check the parts a schema cannot (depths, strides). */
export function resolveResNetConfig(input: ResNetSupernetInput): ResNetSupernetConfig {
  const { type: _type, ...rest } = input as ResNetSupernetInput & { type?: string };
  const cfg: ResNetSupernetConfig = { ...RESNET_DEFAULTS, ...rest, stem: { ...RESNET_DEFAULTS.stem, ...input.stem } } as ResNetSupernetConfig;
  if (!Array.isArray(cfg.stages) || cfg.stages.length === 0) {
    throw new SupernetConfigError('ResNetSupernet: stages must be a non-empty list.', 'stages', cfg.stages);
  }
  cfg.stages.forEach((s, i) => {
    if (!Array.isArray(s.depth_choices) || s.depth_choices.length === 0 || s.depth_choices.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new SupernetConfigError(`ResNetSupernet: stages.${i}.depth_choices must be positive integers, got ${JSON.stringify(s.depth_choices)}.`, `stages.${i}.depth_choices`, s.depth_choices);
    }
  });
  if (cfg.block !== 'BasicBlock' && cfg.block !== 'Bottleneck') {
    throw new SupernetConfigError(`ResNetSupernet: block must be 'BasicBlock' or 'Bottleneck', got ${JSON.stringify(cfg.block)}.`, 'block', cfg.block);
  }
  return cfg;
}
