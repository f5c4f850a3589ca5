import { UserError } from '../../errors.js';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tf } from '../../tf.js';

export class ModelFilesError extends UserError {
  override readonly name = 'ModelFilesError';
}

const WEIGHTS_FILE = 'weights.bin';

/**
 * A tf.io handler that saves and loads a LayersModel as `model.json` + `weights.bin` in a folder,
 * the layout of tfjs-node's `file://` scheme (which this project does not depend on), so the files
 * also open with `tf.loadLayersModel('file://DIR/model.json')` under tfjs-node and, served over
 * HTTP, with `tf.loadLayersModel(url)` in a browser. Both files are written atomically.
 */
export function fileIOHandler(dir: string): tf.io.IOHandler {
  const modelPath = join(dir, 'model.json');
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ModelFilesError('fileIOHandler saves JSON model topologies only (LayersModel), not binary graphs.');
      }
      mkdirSync(dir, { recursive: true });
      const weightData = artifacts.weightData
        ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : Buffer.alloc(0);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }];
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? 'tfrazor export_subnet',
        weightsManifest: manifest,
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      writeAtomic(join(dir, WEIGHTS_FILE), weightData);
      writeAtomic(modelPath, Buffer.from(JSON.stringify(modelJson)));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(manifest).length,
          weightDataBytes: weightData.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(readFileSync(modelPath, 'utf8')) as tf.io.ModelJSON;
      } catch (e) {
        throw new ModelFilesError(`Cannot read the TF.js model ${modelPath}: ${(e as Error).message}. Expected model.json written by tools/export_subnet.ts.`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(readFileSync(join(dirname(modelPath), p)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

function writeAtomic(path: string, data: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
