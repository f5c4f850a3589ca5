import { tf, type Tensor } from '../tf.js';
import type { Classifier } from '../models/types.js';
import { isSupernet, type Supernet } from '../models/types.js';
import type { Batch, DataLoader } from '../datasets/types.js';
import { evaluateClassifier } from '../evaluation/evaluator.js';
import { calibrateBatchNorm } from '../evaluation/calibrate_bn.js';
import type { ValCfg } from './sections.js';

/** A supernet whose subnet can still change (not frozen to one subnet by fixChosen). */
export function searchableSupernet(arch: Classifier): Supernet | null {
  if (!isSupernet(arch)) return null;
  return arch.mutator.mutables.some((m) => !m.isFixed) ? arch : null;
}

/** Run `fn` and put every buffer (BN statistics) back as it was, so validation leaves no trace. */
async function withBuffersRestored<T>(arch: Classifier, fn: () => Promise<T>): Promise<T> {
  const saved = arch.namedBuffers().map(([, v]) => [v, tf.clone(v)] as const);
  try {
    return await fn();
  } finally {
    for (const [v, copy] of saved) {
      v.assign(copy as Tensor);
      copy.dispose();
    }
  }
}

export interface ValidationSources {
  val: DataLoader;
  /** Train images for BN re-calibration (preloaded by the caller). */
  calibration?: readonly Batch[];
}

/**
 * Top-k accuracy of the architecture: for a searchable supernet each subnet of `cfg.subnets`
 * (keys `max/top1`, `min/top5`...), BN-calibrated when configured; otherwise the network as it is
 * (`top1`, `top5`). The active subnet, weights and BN statistics are unchanged afterwards.
 */
export async function validateArchitecture(arch: Classifier, sources: ValidationSources, cfg: ValCfg): Promise<Record<string, number>> {
  const evaluate = async () => {
    sources.val.setState({ epoch: 0, batchIndex: 0 });
    const { metrics } = await evaluateClassifier(arch, sources.val, { topk: cfg.topk, maxSamples: cfg.val_sample_num ?? Infinity });
    return metrics;
  };
  const supernet = searchableSupernet(arch);
  if (supernet === null) return evaluate();
  const before = supernet.mutator.current();
  const out: Record<string, number> = {};
  try {
    for (const name of cfg.subnets) {
      if (name === 'max') supernet.mutator.setMax();
      else supernet.mutator.setMin();
      const metrics = await withBuffersRestored(arch, async () => {
        if (cfg.calibrate_bn && sources.calibration && sources.calibration.length > 0) {
          await calibrateBatchNorm(arch, sources.calibration, cfg.calibrate_sample_num);
        }
        return evaluate();
      });
      for (const [k, v] of Object.entries(metrics)) out[`${name}/${k}`] = v;
    }
  } finally {
    supernet.mutator.set(before);
  }
  return out;
}
