"""PyTorch reference for bench/vs_pytorch.ts: the max subnet of configs/_base_/supernets/resnet_mini.yaml
(stem 3x3 16, three stages of three BasicBlocks at 16/32/64 channels, each stage starting with
stride 2 and a 1x1 projection shortcut, global average pool, linear 64->10), trained with SGD
(momentum 0.9, Nesterov) at batch 64 and evaluated without gradients, on random 28x28 images.

Usage: python3 resnet_mini.py train|eval --threads T --iters N --batch B
Prints one JSON line: {"img_per_s": ..., "params": ..., "threads": ...}.
"""
import argparse
import json
import time

import torch
from torch import nn


def conv_bn(cin, cout, k, stride, relu):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, nn.ReLU(inplace=True)) if relu else nn.Sequential(*layers)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.branch = nn.Sequential(conv_bn(cin, cout, 3, stride, True), conv_bn(cout, cout, 3, 1, False))
        self.shortcut = conv_bn(cin, cout, 1, stride, False) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.branch(x)
        return torch.relu(y + (self.shortcut(x) if self.shortcut is not None else x))


def resnet_mini():
    blocks, cin = [], 16
    for width in (16, 32, 64):
        for i in range(3):
            blocks.append(BasicBlock(cin, width, 2 if i == 0 else 1))
            cin = width
    return nn.Sequential(conv_bn(1, 16, 3, 1, True), *blocks, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['train', 'eval'])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--iters', type=int, default=30)
    p.add_argument('--batch', type=int, default=64)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = resnet_mini()
    params = sum(t.numel() for t in net.parameters())
    x = torch.randn(a.batch, 1, 28, 28)
    y = torch.randint(0, 10, (a.batch,))
    if a.mode == 'train':
        net.train()
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
        loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            return loss.item()
    else:
        net.eval()

        def step():
            with torch.no_grad():
                return net(x).argmax(1).sum().item()
    for _ in range(3):
        step()
    t0 = time.perf_counter()
    for _ in range(a.iters):
        step()
    seconds = time.perf_counter() - t0
    print(json.dumps({'img_per_s': a.iters * a.batch / seconds, 'params': params, 'threads': torch.get_num_threads(),
                      'torch': torch.__version__}))


if __name__ == '__main__':
    main()
