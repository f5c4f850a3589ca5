import { tf, type Tensor4D } from '../tf.js';
import type { Module } from '../models/module.js';
import { DynamicConv2d } from '../models/ops/dynamic_conv2d.js';

/**
 * While one subnet is scored, slice each conv's shared weight once instead of once per batch:
 * `activeWeight` of every DynamicConv2d is memoised on the instance until the returned release
 * function runs (it restores the method and frees the slices). The choices must not change in
 * between. On the Track-1 space, slicing all convs costs about as much as a forward at 64 px.
 */
export function cacheActiveWeights(model: Module): () => void {
  const patched: { conv: DynamicConv2d; slice?: Tensor4D }[] = [];
  for (const [, m] of model.namedModules()) {
    if (!(m instanceof DynamicConv2d)) continue;
    const entry: { conv: DynamicConv2d; slice?: Tensor4D } = { conv: m };
    const original = DynamicConv2d.prototype.activeWeight;
    Object.defineProperty(m, 'activeWeight', {
      configurable: true,
      writable: true,
      value: (): Tensor4D => (entry.slice ??= tf.keep(original.call(m))),
    });
    patched.push(entry);
  }
  return () => {
    for (const { conv, slice } of patched) {
      delete (conv as unknown as Record<string, unknown>).activeWeight;
      if (slice && slice !== (conv.weight as unknown)) slice.dispose();
    }
  };
}
