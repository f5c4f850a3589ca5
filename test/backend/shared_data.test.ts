import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';

const buffers = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('Identity and same-dtype Cast on wasm share the buffer by reference count', () => {
  it('a clone reads the same values, survives the original and frees the buffer with the last owner', async () => {
    await useBackend('wasm');
    const before = buffers();
    const x = tf.tensor([1.5, -2, 3], [3]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(buffers()).toBe(before + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1.5, -2, 3]);
    y.dispose();
    expect(Array.from(await z.data())).toEqual([1.5, -2, 3]);
    z.dispose();
    expect(buffers()).toBe(before);
  });

  it('a cast to another dtype converts and owns its buffer; strings still clone', async () => {
    await useBackend('wasm');
    const x = tf.tensor([1.7, -2.2, 0], [3]);
    const before = buffers();
    const ints = tf.cast(x, 'int32');
    expect(buffers()).toBe(before + 1);
    expect(Array.from(await ints.data())).toEqual([1, -2, 0]);
    const s = tf.tensor(['a', 'b']);
    expect(await tf.clone(s).data()).toEqual(['a', 'b']);
    tf.dispose([x, ints, s]);
  });

  it('assigning a variable from a shared clone leaves the source intact', async () => {
    await useBackend('wasm');
    const v = tf.variable(tf.tensor([1, 2]));
    const src = tf.tensor([5, 6]);
    v.assign(tf.clone(src));
    src.dispose();
    expect(Array.from(await v.data())).toEqual([5, 6]);
    v.assign(tf.tensor([7, 8]));
    expect(Array.from(await v.data())).toEqual([7, 8]);
    v.dispose();
  });
});
