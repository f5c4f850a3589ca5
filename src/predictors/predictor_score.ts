import { PROXIES } from '../registry/registries.js';
import type { TypedConfig } from '../registry/registry.js';
import { codeSpaceOfInstance } from './supernet_space.js';
import { featureRow, type ExtraFeatures } from './features.js';
import { loadPredictor, type PredictorFile } from './model_file.js';
import type { Predictor } from './types.js';
import { PredictorError } from './types.js';
import { ProxyError, type ProxyInput, type ProxyScore, type ZeroCostProxy } from '../proxies/types.js';
import { buildProxy } from '../proxies/scorer.js';

export interface PredictorScoreConfig {
  type?: string;
  /** A model written by `tools/predict.ts fit`. */
  model: string;
  /** The proxy that computes each of the model's named features, e.g. {gradnorm: {type: GradNorm}}. */
  features: Record<string, TypedConfig>;
}

/**
 * A fitted predictor as a scorer: the predicted accuracy of a subnet, with the model's named
 * features computed on the fly by the proxies given for them. Registered with the proxies, so it
 * can be anything a proxy can: `search_cfg.prior`, a rank-loss prior, or tools/analysis/proxies.ts.
 */
export class PredictorScore implements ZeroCostProxy {
  readonly name = 'PredictorScore';
  readonly batchSize: number;
  private readonly predictor: Predictor;
  private readonly file: PredictorFile;
  private readonly proxies: [string, ZeroCostProxy][];

  constructor(cfg: PredictorScoreConfig) {
    ({ predictor: this.predictor, file: this.file } = loadPredictor(cfg.model));
    const given = cfg.features ?? {};
    const missing = this.file.features.extra.filter((n) => !(n in given));
    if (missing.length) {
      throw new PredictorError(`PredictorScore: ${cfg.model} uses the features ${missing.join(', ')}; name the proxy of each under features (e.g. {${missing[0]}: {type: GradNorm}}).`);
    }
    this.proxies = this.file.features.extra.map((n) => [n, buildProxy(given[n]!)]);
    this.batchSize = Math.max(0, ...this.proxies.map(([, p]) => p.batchSize));
  }

  score(input: ProxyInput): ProxyScore {
    const start = performance.now();
    const space = codeSpaceOfInstance(input.supernet);
    const code = space.encode(input.choices);
    const extra: ExtraFeatures = new Map(this.proxies.map(([n, p]) => [n, new Map([[code, p.score(input).score]])]));
    const row = featureRow(code, this.file.features, { space, supernet: input.supernet, extra });
    const score = this.predictor.predict([row]).mean[0]!;
    if (!Number.isFinite(score)) throw new ProxyError(`PredictorScore: the model predicted ${score} for ${code}.`);
    return { score, seconds: (performance.now() - start) / 1000 };
  }
}

PROXIES.register('PredictorScore', PredictorScore, {
  schema: {
    type: 'object',
    properties: {
      model: { type: 'string', description: 'Fitted predictor JSON (tools/predict.ts fit).' },
      features: { type: 'object', additionalProperties: { 'x-kind': 'proxies' }, default: {}, description: "The proxy computing each of the model's named features." },
    },
    required: ['model'],
    additionalProperties: false,
  },
});
