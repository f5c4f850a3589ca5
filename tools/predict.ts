// Fit a performance predictor on labelled subnets and predict others, as Track-1 JSON. Usage:
//   npx tsx tools/predict.ts fit CONFIG --train LABELLED.json --out MODEL.json
//     [--predictor NAME|'{type: GPNAS, ...}'] [--features choices,complexity|none] [--feature NAME=SCORES.json ...]
//   npx tsx tools/predict.ts predict CONFIG MODEL.json --archs FILE.json --out OUT.json [--feature NAME=SCORES.json ...]
//     [--cfg-options ...] [--debug]
// CONFIG gives the code space (and the supernet whose MACs/params are features). A --feature file is
// any Track-1 JSON whose `acc` is a label-free score of the same codes: a proxy's
// (tools/analysis/proxies.ts) or a supernet's (tools/track1/score.ts). `predict` writes `acc`
// (the predicted accuracy) and, for predictors with a posterior, `acc_std`.
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseToolArgs, UsageError } from '../src/cli/args.js';
import { prepareOutputFile } from '../src/cli/outputs.js';
import { loadConfig } from '../src/cli/load_config.js';
import { runCli } from '../src/cli/run.js';
import { PREDICTORS } from '../src/registry/registries.js';
import type { TypedConfig } from '../src/registry/registry.js';
import { buildSupernetForCounting, findArchitectureConfig } from '../src/models/complexity.js';
import { codeSpaceOfConfig } from '../src/track1/supernet_code_space.js';
import { readTrack1File, writeTrack1File } from '../src/track1/format.js';
import {
  featureColumn, featureNames, featureRow, loadPredictor, PredictorError, savePredictor,
  type ExtraFeatures, type FeatureSpec, type Predictor,
} from '../src/predictors/index.js';

const USAGE =
  "Usage: predict.ts fit CONFIG --train LABELLED.json --out MODEL.json [--predictor NAME|'{type: NAME, ...}'] " +
  '[--features choices,complexity|none] [--feature NAME=SCORES.json ...]\n' +
  '       predict.ts predict CONFIG MODEL.json --archs FILE.json --out OUT.json [--feature NAME=SCORES.json ...] [--cfg-options key.path=value ...] [--debug]';

interface Output {
  write(text: string): unknown;
}

/** `--feature zen=zen.json` items as columns by code, and each one's file (an input no output may overwrite). */
function readFeatures(items: readonly string[]): { extra: ExtraFeatures; files: Record<string, string> } {
  const out: ExtraFeatures = new Map();
  const files: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--feature '${item}' is not NAME=FILE.json.`);
    const name = item.slice(0, eq);
    if (out.has(name)) throw new UsageError(`--feature ${name} is given twice.`);
    const file = item.slice(eq + 1);
    out.set(name, featureColumn(name, file, readTrack1File(file, { requireAcc: true })));
    files[`--feature ${name}`] = file;
  }
  return { extra: out, files };
}

function parseFeatureSpec(text: string | undefined, extra: string[]): FeatureSpec {
  const parts = (text ?? 'choices,complexity').split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
  const unknown = parts.filter((p) => p !== 'choices' && p !== 'complexity');
  if (unknown.length) throw new UsageError(`--features takes choices, complexity or none; got ${unknown.join(', ')}.`);
  return { choices: parts.includes('choices'), complexity: parts.includes('complexity'), extra };
}

export async function main(argv: string[], stdout: Output = process.stdout): Promise<number> {
  const args = parseToolArgs(argv, {
    train: { type: 'string', value: 'LABELLED.json', description: 'fit: Track-1 JSON of subnets with their accuracy (acc) to learn from.' },
    archs: { type: 'string', value: 'FILE.json', description: 'predict: Track-1 JSON of the subnets to predict.' },
    out: { type: 'string', value: 'FILE.json', description: 'fit: the model file to write; predict: the Track-1 JSON with acc (and acc_std) filled in.' },
    predictor: { type: 'string', value: "NAME|'{type: NAME, ...}'", description: 'fit: the predictor (GPNAS, Ridge, RandomForest; default predictor_cfg).' },
    features: { type: 'string', value: 'choices,complexity|none', description: 'fit: built-in features, comma-separated: the encoded choices and/or MACs/params.' },
    feature: { type: 'string', multiple: true, value: 'NAME=SCORES.json', description: 'A label-free score of the same codes as a feature (a proxy or supernet Track-1 JSON); repeatable.' },
  }, {
    tool: 'predict',
    usage: 'fit CONFIG --train LABELLED.json --out MODEL.json [options] | predict CONFIG MODEL.json --archs FILE.json --out OUT.json [options]',
    summary: 'Fit a performance predictor on labelled subnets (fit) and predict the accuracy of others (predict), as Track-1 JSON.',
    arguments: {
      'fit | predict': 'What to do.',
      CONFIG: 'The config whose supernet gives the code space (and MACs/params features).',
      'MODEL.json': 'predict: a model written by fit.',
    },
    examples: [
      'fit configs/track1/resnet48_bignas.yaml --train labelled.json --out gp.json --predictor GPNAS',
      'predict configs/track1/resnet48_bignas.yaml gp.json --archs data/track1/CVPR_2022_NAS_Track1_test.json --out predicted.json',
    ],
  });
  const [command, configPath, modelPath] = args.positionals;
  const outPath = args.values.out as string | undefined;
  if ((command !== 'fit' && command !== 'predict') || !configPath || !outPath) throw new UsageError(USAGE);
  const predictorText = args.values.predictor as string | undefined;
  const predictorOverride = predictorText === undefined ? [] : [
    predictorText.trimStart().startsWith('{') ? `predictor_cfg=${predictorText}` : `predictor_cfg={type: ${JSON.stringify(predictorText)}}`,
  ];
  const { config } = await loadConfig(configPath, command === 'fit' ? [...predictorOverride, ...args.cfgOptions] : args.cfgOptions);
  const space = codeSpaceOfConfig(config);
  const supernet = buildSupernetForCounting(findArchitectureConfig(config, configPath), configPath);
  const { extra, files: featureInputs } = readFeatures((args.values.feature as string[] | undefined) ?? []);

  if (command === 'fit') {
    const trainPath = args.values.train as string | undefined;
    if (!trainPath || args.positionals.length !== 2) throw new UsageError(USAGE);
    const cfg = (config.predictor_cfg as TypedConfig | undefined) ?? { type: 'GPNAS' };
    const spec = parseFeatureSpec(args.values.features as string | undefined, [...extra.keys()]);
    const names = featureNames(spec, space);
    if (names.length === 0) throw new UsageError('No features: use --features choices,complexity and/or --feature NAME=FILE.json.');
    const entries = readTrack1File(trainPath, { requireAcc: true, validateCodes: space });
    prepareOutputFile(outPath, '--out', { '--train': trainPath, CONFIG: configPath, ...featureInputs });
    const rows = entries.map((e) => featureRow(e.value.arch, spec, { space, supernet, extra }));
    const predictor = PREDICTORS.build<Predictor>(cfg);
    predictor.fit(rows, entries.map((e) => e.value.acc!));
    savePredictor(outPath, predictor, cfg, spec, names, { file: trainPath, subnets: entries.length });
    stdout.write(`${predictor.name} fitted on ${entries.length} subnets with ${names.length} features -> ${outPath}\n` +
      `${JSON.stringify({ out: outPath, predictor: cfg, subnets: entries.length, features: names })}\n`);
    return 0;
  }

  const archsPath = args.values.archs as string | undefined;
  if (!modelPath || !archsPath || args.positionals.length !== 3) throw new UsageError(USAGE);
  const { predictor, file } = loadPredictor(modelPath);
  const missing = file.features.extra.filter((name) => !extra.has(name));
  if (missing.length) {
    throw new PredictorError(`${modelPath} was fitted on features ${file.feature_names.join(', ')}: give ${missing.map((m) => `--feature ${m}=FILE.json`).join(' ')}.`);
  }
  const names = featureNames(file.features, space);
  if (JSON.stringify(names) !== JSON.stringify(file.feature_names)) {
    throw new PredictorError(`${modelPath} was fitted on features ${file.feature_names.join(', ')}, but this config and --feature give ${names.join(', ')}.`);
  }
  const entries = readTrack1File(archsPath, { validateCodes: space });
  prepareOutputFile(outPath, '--out', { '--archs': archsPath, 'MODEL.json': modelPath, CONFIG: configPath, ...featureInputs });
  const pred = predictor.predict(entries.map((e) => featureRow(e.value.arch, file.features, { space, supernet, extra })));
  writeTrack1File(outPath, entries.map((e, i) => ({
    key: e.key,
    value: { ...e.value, acc: pred.mean[i]!, ...(pred.std ? { acc_std: pred.std[i]! } : {}) },
  })));
  stdout.write(`${predictor.name} predicted ${entries.length} subnets -> ${outPath}\n${JSON.stringify({ out: outPath, predicted: entries.length, model: modelPath })}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCli((argv) => main(argv));
}
