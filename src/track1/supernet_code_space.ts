import { resolveResNetConfig, type ResNetSupernetInput } from '../models/resnet_supernet.js';
import { channelsForRatio } from '../mutables/make_divisible.js';
import { CodeSpaceError, ResNetCodeSpace } from './code_space.js';

/**
 * The code space of a ResNetSupernet config (the `model.architecture` section; defaults filled in).
 * Refuses other supernet types and spaces whose depths or ratios do not fit one digit. Kept apart
 * from code_space.ts so the codec itself does not load the model code.
 */
export function codeSpaceOfSupernet(architecture: Record<string, unknown>, name?: string): ResNetCodeSpace {
  const type = architecture.type;
  if (type !== undefined && type !== 'ResNetSupernet') {
    throw new CodeSpaceError(`Architecture codes are defined for ResNetSupernet spaces only; this config's architecture is ${JSON.stringify(type)}.`);
  }
  const cfg = resolveResNetConfig(architecture as unknown as ResNetSupernetInput);
  const widths = (base: number) => cfg.width_ratios.map((r) => channelsForRatio(r, base, cfg.divisor));
  const outBase = (base: number) => (cfg.block === 'Bottleneck' ? base * cfg.expansion : base);
  return new ResNetCodeSpace({
    depthChoices: cfg.stages.map((s) => s.depth_choices),
    ratios: cfg.width_ratios,
    inputSize: cfg.input_size,
    stemTiedToStage1: cfg.stem.tie_to_stage1,
    outChannels: { stem: widths(cfg.stem.base_channels), stages: cfg.stages.map((s) => widths(outBase(s.base_channels))) },
    name: name ?? `this ${cfg.stages.length}-stage ResNetSupernet space`,
  });
}

/** The code space of a full config: its `model.architecture` (an algorithm's network) or `model` (a bare supernet). */
export function codeSpaceOfConfig(config: Record<string, unknown>): ResNetCodeSpace {
  const model = config.model as Record<string, unknown> | undefined;
  if (!model || typeof model !== 'object') throw new CodeSpaceError("The config has no 'model' section, so it defines no architecture code space.");
  const arch = (model.architecture as Record<string, unknown> | undefined) ?? model;
  return codeSpaceOfSupernet(arch);
}
