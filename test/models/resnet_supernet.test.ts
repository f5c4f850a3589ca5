import { describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor4D } from '../../src/tf.js';
import { ResNetSupernet, buildContext, type ResNetSupernetInput } from '../../src/models/index.js';
import { channelsForRatio } from '../../src/mutables/index.js';
import { Rng } from '../../src/services/rng.js';

const RATIOS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];
const TINY: ResNetSupernetInput = {
  in_channels: 2, input_size: 9, num_classes: 3, width_ratios: [1.0, 0.75, 0.5],
  stem: { base_channels: 16, kernel_size: 3, stride: 1, max_pool: true },
  stages: [
    { depth_choices: [1, 2], base_channels: 16, stride: 1 },
    { depth_choices: [1, 2, 3], base_channels: 32, stride: 2 },
  ],
};

/** Plain tf forward of a BasicBlock ResNet subnet from the supernet's sliced state dict. */
function referenceForward(net: ResNetSupernet, x: Tensor4D, choices: Record<string, number>): Tensor {
  const s = net.stateDict();
  const ch = (alias: string, base: number) => channelsForRatio(choices[alias]!, base);
  const conv = (name: string, y: Tensor4D, cin: number, cout: number, stride: number) => {
    const w = s[`${name}.conv.weight`]!;
    const k = w.shape[0]!;
    return tf.conv2d(y, tf.slice(w, [0, 0, 0, 0], [k, k, cin, cout]) as Tensor4D, stride, Math.floor(k / 2));
  };
  const bn = (name: string, y: Tensor4D, c: number): Tensor4D => {
    const p = (n: string) => tf.slice(s[`${name}.bn.${n}`]!, 0, c) as tf.Tensor1D;
    return tf.batchNorm(y, p('running_mean'), p('running_var'), p('beta'), p('gamma'), 1e-5);
  };
  let c = ch('stage1.out_channels', 16);
  let y = tf.maxPool(tf.relu(bn('stem', conv('stem', x, 2, c, 1), c)), 3, 2, 1) as Tensor4D;
  const bases = [16, 32];
  for (let i = 1; i <= 2; i++) {
    const out = ch(`stage${i}.out_channels`, bases[i - 1]!);
    for (let j = 1; j <= choices[`stage${i}.depth`]!; j++) {
      const mid = ch(`stage${i}.block${j}.mid_channels`, bases[i - 1]!);
      const p = `stage${i}.${j - 1}`;
      const stride = j === 1 && i === 2 ? 2 : 1;
      const h = tf.relu(bn(`${p}.conv1`, conv(`${p}.conv1`, y, c, mid, stride), mid)) as Tensor4D;
      const main = bn(`${p}.conv2`, conv(`${p}.conv2`, h, mid, out, 1), out);
      const short = j === 1 && i === 2 ? bn(`${p}.shortcut`, conv(`${p}.shortcut`, y, c, out, stride), out) : y;
      y = tf.relu(tf.add(main, short)) as Tensor4D;
      c = out;
    }
  }
  const pooled = tf.mean(y, [1, 2]);
  return tf.add(tf.matMul(pooled, tf.slice(s['fc.weight']!, [0, 0], [c, 3])), s['fc.bias']!);
}

function randomiseBnStats(net: ResNetSupernet, seed: number): void {
  let k = seed;
  for (const [name, v] of Object.entries(net.stateDict())) {
    if (/running_var|gamma/.test(name)) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', k++));
    else if (/running_mean|beta/.test(name)) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', k++));
  }
}

describe('ResNetSupernet', () => {
  it('has the fixed aliases in stage order', () => {
    const net = new ResNetSupernet(TINY);
    expect(net.mutator.aliases).toEqual([
      'stage1.depth', 'stage1.out_channels', 'stage1.block1.mid_channels', 'stage1.block2.mid_channels',
      'stage2.depth', 'stage2.out_channels', 'stage2.block1.mid_channels', 'stage2.block2.mid_channels', 'stage2.block3.mid_channels',
    ]);
    const untied = new ResNetSupernet({ ...TINY, stem: { ...TINY.stem, tie_to_stage1: false } });
    expect(untied.mutator.aliases[0]).toBe('stem.out_channels');
    // an untied stem makes stage 1's first block project its input
    expect(untied.namedModules().some(([n]) => n === 'stage1.0.shortcut')).toBe(true);
    expect(net.namedModules().some(([n]) => n === 'stage1.0.shortcut')).toBe(false);
  });

  it('a subnet forward equals a fixed network built from the sliced weights', () => {
    const net = new ResNetSupernet(TINY, { ctx: buildContext({ seed: 3 }) });
    randomiseBnStats(net, 10);
    net.eval();
    const x = tf.randomNormal([2, 9, 9, 2], 0, 1, 'float32', 1) as Tensor4D;
    const rng = new Rng(5);
    for (let trial = 0; trial < 3; trial++) {
      const choices = trial === 0 ? net.mutator.setMax() : trial === 1 ? net.mutator.setMin() : net.mutator.sample(rng);
      tf.tidy(() => {
        const got = net.forward(x);
        const want = referenceForward(net, x, choices);
        expect(got.shape).toEqual([2, 3]);
        const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
        expect(diff).toBeLessThan(1e-4);
      });
    }
  });

  it('trains without leaking tensors and only reaches the active weights', () => {
    const net = new ResNetSupernet(TINY, { ctx: buildContext({ seed: 4 }) });
    net.mutator.set({ 'stage2.depth': 1, 'stage1.depth': 1 });
    const x = tf.randomNormal([2, 9, 9, 2], 0, 1, 'float32', 1) as Tensor4D;
    const step = () => tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.mean(tf.square(net.forward(x))) as tf.Scalar, net.parameters());
      return Object.keys(grads);
    });
    const names = step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    expect(names.length).toBeGreaterThan(0);
    const live = new Set(names);
    const weight = (n: string) => net.stateDict()[n]!.name;
    expect(live.has(weight('stage1.0.conv1.conv.weight'))).toBe(true);
    expect(live.has(weight('stage2.1.conv1.conv.weight'))).toBe(false);
  });

  it('counts a tiny net by hand and Track-1 max exactly', () => {
    const tiny = new ResNetSupernet({
      in_channels: 1, input_size: 8, num_classes: 2, width_ratios: [1.0],
      stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false },
      stages: [{ depth_choices: [1], base_channels: 8, stride: 1 }],
    }, { ctx: buildContext({ allocate: false }) });
    // stem 3x3x1x8 on 8x8, block 2 x 3x3x8x8 on 8x8, fc 8->2; BNs 3 x 16; fc bias 2
    expect(tiny.complexity()).toEqual({ macs: 72 * 64 + 2 * 576 * 64 + 16, params: 72 + 2 * 576 + 3 * 16 + 18 });

    const t1 = new ResNetSupernet({ stages: [
      { depth_choices: [2, 3, 4, 5], base_channels: 64, stride: 1 },
      { depth_choices: [2, 3, 4, 5], base_channels: 128, stride: 2 },
      { depth_choices: [2, 3, 4, 5, 6, 7, 8], base_channels: 256, stride: 2 },
      { depth_choices: [2, 3, 4, 5], base_channels: 512, stride: 2 },
    ] }, { ctx: buildContext({ allocate: false }) });
    expect(t1.complexity(t1.mutator.setMax())).toEqual({ macs: 5_282_238_464, params: 34_043_688 });
    const min = t1.mutator.setMin();
    t1.mutator.setMax();
    expect(t1.complexity(min).macs).toBeLessThan(1.38e9);
    expect(t1.mutator.current()['stage3.depth']).toBe(8);
  });

  it('a tied stem with its own base width derives its channels from the stage-1 ratio', () => {
    const net = new ResNetSupernet({ ...TINY, stem: { ...TINY.stem, base_channels: 32 } });
    expect(net.mutator.mutables.map((m) => m.alias)).not.toContain('stem.out_channels');
    net.mutator.set({ 'stage1.out_channels': 0.5 });
    expect(net.stem.conv.outChannels.currentChannels).toBe(16);
    expect(net.namedModules().some(([n]) => n === 'stage1.0.shortcut')).toBe(true);
    expect(tf.tidy(() => net.forward(tf.zeros([1, 9, 9, 2]) as Tensor4D).shape)).toEqual([1, 3]);
  });

  it('activeChoices drops the blocks the depth skips', () => {
    const net = new ResNetSupernet(TINY, { ctx: buildContext({ allocate: false }) });
    net.mutator.set({ 'stage2.depth': 1 });
    const active = net.activeChoices();
    expect(Object.keys(active)).not.toContain('stage2.block2.mid_channels');
    expect(Object.keys(active)).toContain('stage1.block2.mid_channels');
    expect(active['stage2.depth']).toBe(1);
  });

  it('bottleneck blocks count and run', () => {
    const net = new ResNetSupernet({
      block: 'Bottleneck', in_channels: 1, input_size: 4, num_classes: 2, width_ratios: RATIOS.slice(0, 1), expansion: 2,
      stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: false },
      stages: [{ depth_choices: [1], base_channels: 8, stride: 1 }],
    });
    // stem 3x3x1x8 (16 px), conv1 1x1 8->8, conv2 3x3 8->8, conv3 1x1 8->16, shortcut 1x1 8->16, fc 16->2
    const convParams = 72 + 64 + 576 + 128 + 128;
    expect(net.complexity()).toEqual({ macs: convParams * 16 + 32, params: convParams + 2 * (8 + 8 + 8 + 16 + 16) + 34 });
    expect(tf.tidy(() => net.forward(tf.zeros([1, 4, 4, 1]) as Tensor4D).shape)).toEqual([1, 2]);
  });
});
