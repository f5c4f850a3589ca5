import { tf } from '../tf.js';
import { MODELS } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import { isSupernet, type Classifier, type Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import { loadSubnet } from '../mutables/subnet_yaml.js';
import type { Mutator } from '../mutables/mutator.js';
import type { DataLoader } from '../datasets/types.js';
import { buildDataLoader } from '../datasets/loader/data_loader.js';
import { closestWeights, readCheckpointTensors, resolveCheckpointPath, selectWeights } from '../algorithms/checkpoint_weights.js';
import { loadCheckpointState } from '../engine/checkpoint_fit.js';
import { codeSpaceOfConfig } from '../track1/supernet_code_space.js';
import { UserError } from '../errors.js';
import { readTestCfg } from './test_cfg.js';
import { checkDataFitsModel } from './data_fit.js';

/** What the evaluation tools need from a config that they cannot find. */
export class EvaluationSetupError extends UserError {}

/**
 * Build the network of a config (`model.architecture`, or `model` itself when it is a network)
 * and load its weights from a checkpoint of any tfrazor kind: a training checkpoint of any
 * algorithm, or an exported subnet. The algorithm itself (losses, teachers) is not built.
 */
export function loadArchitecture(config: Record<string, unknown>, checkpointPath: string): Classifier {
  const model = config.model as TypedConfig | undefined;
  const archCfg = (model?.architecture ?? (model && MODELS.has(model.type) ? model : undefined)) as TypedConfig | undefined;
  if (!archCfg) throw new EvaluationSetupError('The config has no model.architecture (the network to evaluate).');
  const file = resolveCheckpointPath(checkpointPath);
  const tensors = readCheckpointTensors(file);
  let arch: Classifier;
  try {
    arch = MODELS.build<Classifier>(archCfg);
  } catch (e) {
    tf.dispose(Object.values(tensors));
    throw e;
  }
  try {
    const names = Object.keys(arch.stateDict());
    const picked = selectWeights(tensors, names) ?? closestWeights(tensors, names);
    if (!picked) {
      const have = Object.keys(tensors).filter((k) => k.startsWith('model/')).slice(0, 3);
      throw new EvaluationSetupError(
        `Checkpoint ${file} does not hold the weights of model.architecture '${archCfg.type}': ` +
          `no prefix gives all ${names.length} of its names (first: '${names[0]}'); the checkpoint has e.g. ${have.map((h) => `'${h}'`).join(', ') || 'no model tensors'}. ` +
          'Was it written for another config?',
      );
    }
    loadCheckpointState(arch, picked, file, `model.architecture ('${archCfg.type}')`);
  } catch (e) {
    arch.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return arch;
}

export interface SubnetArgs {
  arch?: string;
  subnet?: string;
  max?: boolean;
  min?: boolean;
}

/** The subnet named on the command line (at most one of --arch, --subnet, --max, --min), or undefined. */
/** `config` gives the code space of `--arch` (the configured supernet's; Track-1 for ResNet48). */
export function subnetFromArgs(args: SubnetArgs, supernet: Supernet, config: Record<string, unknown>): SubnetChoices | undefined {
  const given = (['arch', 'subnet', 'max', 'min'] as const).filter((k) => args[k] !== undefined && args[k] !== false);
  if (given.length > 1) throw new EvaluationSetupError(`Give at most one of --arch, --subnet, --max, --min (got ${given.map((g) => `--${g}`).join(', ')}).`);
  if (args.arch !== undefined) return codeSpaceOfConfig(config).decode(args.arch);
  if (args.subnet !== undefined) {
    const m = supernet.mutator;
    return loadSubnet(args.subnet, 'validate' in m ? (m as Mutator) : undefined);
  }
  if (args.max) return supernet.mutator.setMax();
  if (args.min) return supernet.mutator.setMin();
  return undefined;
}

/** Refuse subnet options for a fixed network. */
export function requireSupernetFor(arch: Classifier, args: SubnetArgs): Supernet | undefined {
  if (isSupernet(arch)) return arch;
  if (args.arch !== undefined || args.subnet !== undefined || args.max || args.min) {
    throw new EvaluationSetupError('--arch/--subnet/--max/--min select a subnet of a supernet, but this config\'s network is fixed (e.g. an exported subnet).');
  }
  return undefined;
}

function sectionOf(config: Record<string, unknown>, sections: string[]): string {
  const key = sections.find((s) => config[s] !== undefined && config[s] !== null);
  if (!key) throw new EvaluationSetupError(`The config has none of ${sections.join(', ')}; evaluation needs it.`);
  return key;
}

/** Build the loader of a `*_dataloader` section, seeded by randomness.seed. */
export function loaderFor(config: Record<string, unknown>, ...sections: string[]): DataLoader {
  const seed = (config.randomness as { seed?: number } | undefined)?.seed;
  return buildDataLoader(config[sectionOf(config, sections)] as Record<string, unknown>, { seed });
}

/** `loaderFor` for data that goes through `model`: refuses a dataset it cannot take (classes, channels). */
export function loaderForModel(model: Classifier, config: Record<string, unknown>, ...sections: string[]): DataLoader {
  const key = sectionOf(config, sections);
  const loader = loaderFor(config, key);
  const modelPath = (config.model as { architecture?: unknown } | undefined)?.architecture ? 'model.architecture' : 'model';
  try {
    checkDataFitsModel(model, loader, key, modelPath);
  } catch (e) {
    void loader.close();
    throw e;
  }
  return loader;
}

/** A positive integer option, or undefined. */
export function intOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new EvaluationSetupError(`--${name} must be a non-negative integer, got '${String(value)}'.`);
  return n;
}

/** The subnet options of a tool's parsed arguments (`--arch`, `--subnet`, `--max`, `--min`). */
export function subnetArgsOf(values: Record<string, unknown>): SubnetArgs {
  return {
    arch: values.arch as string | undefined,
    subnet: values.subnet as string | undefined,
    max: values.max as boolean | undefined,
    min: values.min as boolean | undefined,
  };
}

/** Calibration and validation image counts: `--calib-samples`/`--val-samples`, else test_cfg. */
export function sampleCountsOf(values: Record<string, unknown>, config: Record<string, unknown>): { calibSamples: number; valSamples: number | undefined } {
  const testCfg = readTestCfg(config);
  return {
    calibSamples: intOption(values['calib-samples'], 'calib-samples') ?? (testCfg.calibrate_bn ? testCfg.calibrate_sample_num : 0),
    valSamples: intOption(values['val-samples'], 'val-samples') ?? testCfg.val_sample_num,
  };
}
