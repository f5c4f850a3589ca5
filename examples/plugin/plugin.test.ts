import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFromText } from '../../src/cli/load_config.js';
import { ConfigError } from '../../src/config/errors.js';
import { ALGORITHMS } from '../../src/registry/registries.js';
import type { Algorithm } from '../../src/algorithms/types.js';
import { tf } from '../../src/tf.js';

const here = join(process.cwd(), 'examples/plugin');

describe('example plugin', () => {
  it('is imported via custom_imports and built through the registries from a YAML file', async () => {
    const { config } = await loadConfig(join(here, 'tiny_mlp.yaml'));
    expect(config.model).toMatchObject({
      type: 'ImageClassifier',
      architecture: { type: 'myplugin/TinyMLP', hidden: 8, num_classes: 10, input_shape: [4, 4, 1], seed: 0 },
      loss: { type: 'CrossEntropyLoss' },
    });
    const algo = ALGORITHMS.build<Algorithm>(config.model as { type: string });
    expect(algo.architecture.constructor.name).toBe('TinyMLP');
    expect(algo.namedParameters().map(([n, v]) => [n, v.shape])).toEqual([
      ['architecture.fc1.weight', [16, 8]],
      ['architecture.fc1.bias', [8]],
      ['architecture.fc2.weight', [8, 10]],
      ['architecture.fc2.bias', [10]],
    ]);
    const before = tf.memory().numTensors;
    const x = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    const logits = algo.architecture.forward(x);
    expect(logits.shape).toEqual([2, 10]);
    tf.dispose([x, logits]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds a nested graph (algorithm > plugin architecture, loss) from a YAML string', async () => {
    const yaml = [
      'custom_imports: [./index.ts]',
      'model:',
      '  type: ImageClassifier',
      '  architecture: {type: myplugin/TinyMLP, hidden: 4, num_classes: 3, input_shape: [2, 2, 1], seed: 7}',
      '  loss: {type: CrossEntropyLoss}',
    ].join('\n');
    const { config } = await loadConfigFromText(yaml, join(here, 'inline.yaml'));
    const algo = ALGORITHMS.build<Algorithm>(config.model as { type: string });
    expect(algo.architecture.numClasses).toBe(3);
    expect(algo.architecture.inputShape).toEqual([2, 2, 1]);
    const w = algo.namedParameters().find(([n]) => n === 'architecture.fc1.weight')![1];
    const again = tf.randomNormal([4, 4], 0, Math.sqrt(2 / 4), 'float32', 7);
    expect(Array.from(w.dataSync())).toEqual(Array.from(again.dataSync()));
    again.dispose();
  });

  it('validates the plugin class against its own schema before building', async () => {
    const yaml = 'custom_imports: [./index.ts]\nmodel: {type: ImageClassifier, architecture: {type: myplugin/TinyMLP, hiden: 4}}\n';
    const err = await loadConfigFromText(yaml, join(here, 'bad.yaml')).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.path).toBe('model.architecture.hiden');
    expect(err.message).toMatch(/Did you mean 'hidden'\?/);
  });
});
