import { tf } from '../../src/tf.js';
import { ResNetSupernet } from '../../src/models/resnet_supernet.js';
import { MobileNetSupernet } from '../../src/models/mobilenet_supernet.js';
import { batchNormLayers } from '../../src/models/ops/dynamic_batchnorm2d.js';
import type { Supernet } from '../../src/models/types.js';
import { Rng } from '../../src/services/rng.js';

/** Tiny supernets of every shipped family, for export tests. */

/** Non-trivial BN statistics and affine parameters, so a wrong merge or slice would show. */
export function randomizeBatchNorm(net: Supernet, seed: number): void {
  const rng = new Rng(seed);
  for (const bn of batchNormLayers(net as unknown as ResNetSupernet)) {
    const c = bn.runningMean!.shape[0]!;
    const r = (lo: number, hi: number) => tf.tensor1d(Array.from({ length: c }, () => lo + (hi - lo) * rng.random()));
    bn.runningMean!.assign(r(-0.5, 0.5));
    bn.runningVar!.assign(r(0.5, 2));
    bn.gamma!.assign(r(0.5, 1.5));
    bn.beta!.assign(r(-0.3, 0.3));
  }
}

export function tinyFamilies(): { name: string; net: Supernet; input: [number, number, number] }[] {
  const resnet = new ResNetSupernet({
    block: 'BasicBlock', in_channels: 2, input_size: 13, num_classes: 5, width_ratios: [1.0, 0.75, 0.5],
    stem: { base_channels: 8, kernel_size: 3, stride: 2, max_pool: true, tie_to_stage1: false },
    stages: [{ depth_choices: [1, 2], base_channels: 8, stride: 1 }, { depth_choices: [1, 2], base_channels: 16, stride: 2 }],
  });
  const bottleneck = new ResNetSupernet({
    block: 'Bottleneck', in_channels: 1, input_size: 12, num_classes: 4, width_ratios: [1.0, 0.5], expansion: 2,
    stem: { base_channels: 8, kernel_size: 3, stride: 1, max_pool: false, tie_to_stage1: false },
    stages: [{ depth_choices: [1, 2], base_channels: 8, stride: 2 }],
  });
  const mobilenet = new MobileNetSupernet({
    in_channels: 1, input_size: 12, num_classes: 3, stem: { out_channels: 8, kernel_size: 3, stride: 1 },
    stages: [{ out_channels: 8, depth_choices: [1, 2], stride: 1 }, { out_channels: 16, depth_choices: [1, 2], stride: 2 }],
    expand_ratios: [2, 3], kernel_sizes: [3, 5], head_channels: 16,
  });
  return [
    { name: 'ResNet BasicBlock', net: resnet, input: [13, 13, 2] },
    { name: 'ResNet Bottleneck', net: bottleneck, input: [12, 12, 1] },
    { name: 'MobileNet', net: mobilenet, input: [12, 12, 1] },
  ];
}

