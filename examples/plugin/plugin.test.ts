import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// 'tfrazor' is the package's public entry (vitest.config.ts maps it to src/index.ts, as the plugin's
// own imports are); the plugin package's own test (npm test there) runs the built one.
import { ALGORITHMS, ConfigError, loadConfig, loadConfigFromText, tf, type Algorithm } from 'tfrazor';

const here = join(process.cwd(), 'examples/plugin');
// tiny_mlp.yaml imports the compiled plugin (dist/, built by npm run build there); here its source.
const SOURCE = `custom_imports=[${join(here, 'index.ts')}]`;

describe('example plugin', () => {
  it('is imported via custom_imports and built through the registries from a YAML file', async () => {
    const { config } = await loadConfig(join(here, 'tiny_mlp.yaml'), [SOURCE]);
    expect(config.model).toMatchObject({
      type: 'ImageClassifier',
      architecture: { type: 'myplugin/TinyMLP', hidden: 32, num_classes: 10, input_shape: [28, 28, 1], seed: 0 },
      loss: { type: 'CrossEntropyLoss' },
    });
    const algo = ALGORITHMS.build<Algorithm>(config.model as { type: string });
    expect(algo.architecture.constructor.name).toBe('TinyMLP');
    expect(algo.namedParameters().map(([n, v]) => [n, v.shape])).toEqual([
      ['architecture.fc1.weight', [784, 32]],
      ['architecture.fc1.bias', [32]],
      ['architecture.fc2.weight', [32, 10]],
      ['architecture.fc2.bias', [10]],
    ]);
    const before = tf.memory().numTensors;
    const x = tf.ones([2, 28, 28, 1]) as tf.Tensor4D;
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
