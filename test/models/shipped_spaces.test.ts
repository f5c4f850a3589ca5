import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { tf, type Tensor4D } from '../../src/tf.js';
import { MODELS } from '../../src/registry/registries.js';
import '../../src/models/index.js';
import type { Supernet } from '../../src/models/types.js';
import { useBackend } from '../../src/backend/index.js';
import { Rng } from '../../src/services/rng.js';
import { buildContext } from '../../src/models/ops/index.js';

const DIR = 'configs/_base_/supernets';
const SPACES = ['resnet48_track1', 'resnet_mini', 'resnet_track1_mini', 'mobilenet_mini'];

function architecture(name: string): Record<string, unknown> & { type: string } {
  return parse(readFileSync(`${DIR}/${name}.yaml`, 'utf8')).model.architecture;
}

describe('shipped supernet configs', () => {
  // WASM runs the wide Track-1 convs and weight slices much faster than the cpu backend.
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(SPACES)('%s validates against its registered schema', (name) => {
    const { type, ...rest } = architecture(name);
    const validate = new Ajv({ strict: false, useDefaults: true }).compile(MODELS.get(type).schema);
    expect(validate(rest), JSON.stringify(validate.errors)).toBe(true);
  });

  function forwardShapes(net: Supernet, batch: number): number[][] {
    const [h, w, c] = net.inputShape;
    const x = tf.zeros([batch, h, w, c]) as Tensor4D;
    const shapes = [() => net.mutator.setMax(), () => net.mutator.setMin()].map((set) => {
      set();
      return tf.tidy(() => net.forward(x).shape);
    });
    x.dispose();
    return shapes;
  }

  it.each(SPACES.filter((n) => n !== 'resnet48_track1'))('%s runs its max and min subnets', (name) => {
    const net = MODELS.build<Supernet>(architecture(name));
    expect(forwardShapes(net, 2)).toEqual([[2, net.numClasses], [2, net.numClasses]]);
    net.dispose();
  });

  it.each(['resnet_mini', 'mobilenet_mini'])('%s gives the same eval logits on wasm and cpu', async (name) => {
    const net = MODELS.build<Supernet>(architecture(name)).eval();
    net.mutator.sample(new Rng(3));
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 5) as Tensor4D;
    const onWasm = tf.tidy(() => net.forward(x).arraySync());
    await useBackend('cpu');
    const onCpu = tf.tidy(() => net.forward(x).arraySync());
    await useBackend('wasm');
    expect((onWasm as number[][]).flat()).toEqual((onCpu as number[][]).flat().map((v) => expect.closeTo(v, 3)));
    net.dispose();
  });

  it('resnet48_track1 is exactly the challenge space and runs its max and min subnets', () => {
    const cfg = architecture('resnet48_track1');
    const full = MODELS.build<Supernet>(cfg, { ctx: buildContext({ allocate: false }) });
    expect(full.numClasses).toBe(1000);
    expect(full.inputShape).toEqual([224, 224, 3]);
    expect(full.mutator.mutables).toHaveLength(4 + 4 + 23);
    expect(full.complexity(full.mutator.setMax())).toEqual({ macs: 5_282_238_464, params: 34_043_688 });
    // 224 px is too slow on the cpu backend; the weights and shapes do not depend on the size.
    const net = MODELS.build<Supernet>({ ...cfg, input_size: 32 });
    expect(net.parameters().reduce((n, p) => n + p.size, 0)).toBe(34_043_688);
    expect(forwardShapes(net, 1)).toEqual([[1, 1000], [1, 1000]]);
    net.dispose();
  }, 120_000);

  it('mini spaces stay small enough for WASM training', () => {
    for (const name of ['resnet_mini', 'mobilenet_mini']) {
      const net = MODELS.build<Supernet>(architecture(name));
      expect(net.complexity(net.mutator.setMax()).macs).toBeLessThan(20e6);
      net.dispose();
    }
  });
});
