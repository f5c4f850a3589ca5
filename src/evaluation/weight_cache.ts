import { tf, type Tensor4D } from '../tf.js';
import type { Module } from '../models/module.js';
import { DynamicConv2d } from '../models/ops/dynamic_conv2d.js';

interface Entry {
  conv: DynamicConv2d;
  key?: string;
  slice?: Tensor4D;
}

/**
 * Slice each conv's shared weight once per width instead of once per batch: while installed,
 * `activeWeight` of every DynamicConv2d of the model returns a kept slice for its current
 * (in, out, kernel) and recomputes it only when those change, so consecutive subnets that share a
 * layer's widths (work sorted by code) also share its slice. The weights themselves must not change
 * while installed (scoring only); `release` restores the method and frees the slices. On the Track-1
 * space, slicing every conv costs about 1 s per pass on WASM.
 */
export class ActiveWeightCache {
  private readonly entries: Entry[] = [];

  constructor(model: Module) {
    const original = DynamicConv2d.prototype.activeWeight;
    for (const [, m] of model.namedModules()) {
      if (!(m instanceof DynamicConv2d)) continue;
      const entry: Entry = { conv: m };
      Object.defineProperty(m, 'activeWeight', {
        configurable: true,
        writable: true,
        value: (): Tensor4D => {
          const key = `${m.inChannels.currentChannels},${m.outChannels.currentChannels},${m.kernelSize.currentValue}`;
          if (entry.key !== key || !entry.slice) {
            this.free(entry);
            entry.slice = tf.keep(original.call(m));
            entry.key = key;
          }
          return entry.slice;
        },
      });
      this.entries.push(entry);
    }
  }

  private free(entry: Entry): void {
    if (entry.slice && entry.slice !== (entry.conv.weight as unknown)) entry.slice.dispose();
    entry.slice = undefined;
    entry.key = undefined;
  }

  release(): void {
    for (const entry of this.entries) {
      delete (entry.conv as unknown as Record<string, unknown>).activeWeight;
      this.free(entry);
    }
    this.entries.length = 0;
  }
}
