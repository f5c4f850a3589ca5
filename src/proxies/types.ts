import type { Tensor1D, Tensor4D } from '../tf.js';
import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';
import { UserError } from '../errors.js';

/** A proxy that cannot score what it was given (a module it does not know, no data batch, ...). */
export class ProxyError extends UserError {}

/** Images (NHWC, as the data loader normalises them) and integer class labels. */
export interface ProxyBatch {
  images: Tensor4D;
  labels: Tensor1D;
}

/** What a proxy scores: one subnet of a supernet, and the batch of training images if it reads data. */
export interface ProxyInput {
  /** Any supernet of the space; only its structure is read unless `init: supernet`, so a tensor-free one is enough. */
  supernet: Supernet;
  choices: SubnetChoices;
  /** Needed when the proxy's `batchSize` is positive; the proxy uses its first `batchSize` images. */
  batch?: ProxyBatch;
}

export interface ProxyScore {
  /** Larger means the proxy expects a better subnet. */
  score: number;
  /** Wall-clock seconds spent on this subnet (network set-up, forward and backward passes). */
  seconds: number;
}

/**
 * A zero-cost proxy: a number per subnet, computed at initialisation from at most one small batch,
 * deterministic for its seed. Registered in PROXIES, so a config names one as `{type: ZenScore, ...}`
 * and any caller (the proxies tool, search, a rank loss) builds it the same way.
 */
export interface ZeroCostProxy {
  /** Registered name, e.g. 'ZenScore'. */
  readonly name: string;
  /** Training images the proxy reads per subnet; 0 when it reads none. */
  readonly batchSize: number;
  score(input: ProxyInput): ProxyScore;
}

/** How a proxy's fresh network gets its weights. */
export type ProxyInit =
  /** The supernet family's own initialisation (Kaiming normal fan-out convs, PyTorch-default linear), per subnet shape. */
  | 'kaiming'
  /** Every conv and linear weight N(0, 1), biases 0, BN gamma 1 and beta 0 (Zen-NAS). */
  | 'gaussian'
  /** The supernet's shared weights sliced for the subnet (a trained supernet's view). */
  | 'supernet';

export const PROXY_INIT_SCHEMA = {
  type: 'string',
  enum: ['kaiming', 'gaussian', 'supernet'],
  description: "Weights of the scored network: 'kaiming' (the family's init, per subnet shape), 'gaussian' (N(0,1), Zen-NAS) or 'supernet' (the given supernet's shared weights).",
};
