import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { tf, type Tensor, type Tensor4D } from '../../tf.js';
import type { Supernet, Complexity } from '../../models/types.js';
import type { SubnetChoices } from '../../mutables/types.js';
import { batchNormLayers } from '../../models/ops/dynamic_batchnorm2d.js';
import { saveSubnet } from '../../mutables/subnet_yaml.js';
import { CHECKPOINT_FORMAT_VERSION, encodeCheckpoint, writeFileAtomic, type TensorData } from '../../engine/checkpoint.js';
import { extractSubnetGraph, type SubnetGraph } from './subnet_graph.js';
import { buildLayersModel } from './layers_model.js';
import { fileIOHandler } from './file_io_handler.js';
import { quantizeLayersModelUint8 } from './tfjs_quantize.js';
import { mergeBatchNorm } from './deploy_graph.js';
import { buildOnnxModel } from './onnx/onnx_model.js';
import { calibrateActivations, type QuantParams } from './onnx/quantize.js';
import { encodeSafetensors, subnetTorchState, supernetTorchState } from './safetensors.js';

export interface ExportSubnetOptions {
  supernet: Supernet;
  choices: SubnetChoices;
  outDir: string;
  /** The merged config the supernet came from; its sections (data, optimizer...) are kept in the exported config. */
  config?: Record<string, unknown>;
  /** Skip the TF.js LayersModel. */
  skipLayersModel?: boolean;
  /** Write `subnet.onnx` (BN merged, fp32). */
  onnx?: boolean;
  /** Also write `subnet_int8.onnx`, statically quantized with ranges observed on these images (NHWC, preprocessed). */
  int8Calibration?: readonly Tensor4D[];
  /** Also write `tfjs_uint8/`: the TF.js model with uint8-quantized weights. */
  layersModelUint8?: boolean;
  /** Also write the whole supernet's weights as `supernet.safetensors` (PyTorch names and layouts). */
  supernetSafetensors?: boolean;
}

export interface ExportedSubnet {
  /** `config.yaml`: the config with model = ImageClassifier over a FixedNet (tools/test.ts, tools/train.ts). */
  configPath: string;
  /** `subnet.ckpt`: the sliced weights as `model/architecture.<name>` (tfrazor checkpoint format). */
  checkpointPath: string;
  /** `subnet.yaml`: the choices in mmrazor's format. */
  subnetPath: string;
  /** `tfjs/` with model.json and weights.bin, or undefined if skipped. */
  layersModelDir?: string;
  /** `tfjs_uint8/`: the same with uint8 weights, when asked for. */
  layersModelUint8Dir?: string;
  /** `subnet.safetensors`: the sliced weights under PyTorch names and layouts (always written). */
  safetensorsPath: string;
  supernetSafetensorsPath?: string;
  onnxPath?: string;
  int8OnnxPath?: string;
  /** The int8 model's calibration (activation ranges), when written. */
  quant?: QuantParams;
  graph: SubnetGraph;
  complexity: Complexity;
}

/** Prefix under which ImageClassifier (BaseAlgorithm) keeps its network in checkpoints. */
const ARCH_PREFIX = 'model/architecture.';

/**
 * Write a subnet as a stand-alone network: its fixed graph in a config, its sliced weights (the
 * current ones, so calibrate BN before exporting if wanted), the subnet YAML and a TF.js
 * LayersModel. Leaves the supernet on the given subnet.
 */
export async function exportSubnet(opts: ExportSubnetOptions): Promise<ExportedSubnet> {
  const { supernet, choices, outDir } = opts;
  supernet.mutator.set(choices);
  const complexity = supernet.complexity();
  const { graph, weights } = extractSubnetGraph(supernet);
  try {
    mkdirSync(outDir, { recursive: true });
    const subnetPath = join(outDir, 'subnet.yaml');
    saveSubnet(subnetPath, supernet.mutator.current());

    const checkpointPath = join(outDir, 'subnet.ckpt');
    const tensors: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(weights)) {
      tensors[`${ARCH_PREFIX}${name}`] = { dtype: 'float32', shape: [...t.shape], values: new Float32Array(t.dataSync() as Float32Array) };
    }
    const meta = {
      epoch: 0, iter: 0, time: new Date().toISOString(), version: CHECKPOINT_FORMAT_VERSION,
      exported_subnet: { choices: supernet.mutator.current(), macs: complexity.macs, params: complexity.params },
    };
    await writeFileAtomic(checkpointPath, encodeCheckpoint({ meta, tensors, state: {} }));

    const configPath = join(outDir, 'config.yaml');
    await writeFileAtomic(configPath, stringify(exportedConfig(opts.config ?? {}, graph, supernet, checkpointPath), { lineWidth: 0 }));

    const safetensorsPath = join(outDir, 'subnet.safetensors');
    const metadata = { format: 'pt', producer: 'tfrazor', subnet: JSON.stringify(supernet.mutator.current()) };
    await writeFileAtomic(safetensorsPath, bytes(encodeSafetensors(subnetTorchState(graph, weights), metadata)));
    let supernetSafetensorsPath: string | undefined;
    if (opts.supernetSafetensors) {
      supernetSafetensorsPath = join(outDir, 'supernet.safetensors');
      await writeFileAtomic(supernetSafetensorsPath, bytes(encodeSafetensors(supernetTorchState(supernet), { format: 'pt', producer: 'tfrazor' })));
    }

    let onnxPath: string | undefined;
    let int8OnnxPath: string | undefined;
    let quant: QuantParams | undefined;
    if (opts.onnx || opts.int8Calibration) {
      const deploy = mergeBatchNorm(graph, weights);
      onnxPath = join(outDir, 'subnet.onnx');
      await writeFileAtomic(onnxPath, bytes(buildOnnxModel(deploy, { docString: `tfrazor subnet ${JSON.stringify(supernet.mutator.current())}; input NCHW float32` })));
      if (opts.int8Calibration) {
        quant = calibrateActivations(deploy, opts.int8Calibration);
        int8OnnxPath = join(outDir, 'subnet_int8.onnx');
        await writeFileAtomic(int8OnnxPath, bytes(buildOnnxModel(deploy, { quant, docString: `tfrazor subnet, int8 QDQ calibrated on ${quant.calibrationSamples} images` })));
      }
    }

    let layersModelDir: string | undefined;
    let layersModelUint8Dir: string | undefined;
    if (!opts.skipLayersModel) {
      layersModelDir = join(outDir, 'tfjs');
      const model = buildLayersModel(graph, weights);
      try {
        await model.save(fileIOHandler(layersModelDir));
      } finally {
        model.dispose();
      }
      if (opts.layersModelUint8) {
        layersModelUint8Dir = join(outDir, 'tfjs_uint8');
        quantizeLayersModelUint8(layersModelDir, layersModelUint8Dir);
      }
    }
    return { configPath, checkpointPath, subnetPath, layersModelDir, layersModelUint8Dir, safetensorsPath, supernetSafetensorsPath, onnxPath, int8OnnxPath, quant, graph, complexity };
  } finally {
    tf.dispose(Object.values(weights) as Tensor[]);
  }
}

const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The source config with its model replaced by a plain classifier over the fixed graph. */
function exportedConfig(config: Record<string, unknown>, graph: SubnetGraph, supernet: Supernet, checkpoint: string): Record<string, unknown> {
  const { model: _model, search_cfg: _search, work_dir: _workDir, ...rest } = structuredClone(config);
  // Fine-tuning keeps the supernet's BN momentum.
  const bnMomentum = batchNormLayers(supernet)[0]?.momentum ?? 0.1;
  return {
    ...rest,
    model: {
      type: 'ImageClassifier',
      architecture: { type: 'FixedNet', bn_momentum: bnMomentum, init_checkpoint: resolve(checkpoint), ...graph },
    },
  };
}
