import { describe, expect, it } from 'vitest';
import { Registry, RegistryError } from '../../src/registry/registry.js';

class Foo { constructor(readonly cfg: { type: string; n?: number }, readonly extra?: string) {} }
class Bar {}

describe('Registry', () => {
  it('builds from {type, ...kwargs} and passes runtime arguments after the config', () => {
    const r = new Registry<unknown>('things');
    r.register('Foo', Foo);
    const foo = r.build<Foo>({ type: 'Foo', n: 3 }, 'x');
    expect(foo).toBeInstanceOf(Foo);
    expect(foo.cfg.n).toBe(3);
    expect(foo.extra).toBe('x');
  });

  it('resolves unqualified names to the core namespace and keeps plugin namespaces apart', () => {
    const r = new Registry<unknown>('things');
    r.register('Foo', Foo);
    r.register('myplugin/Foo', Bar);
    expect(r.build({ type: 'core/Foo' })).toBeInstanceOf(Foo);
    expect(r.build({ type: 'myplugin/Foo' })).toBeInstanceOf(Bar);
    expect(r.names()).toEqual(['Foo', 'myplugin/Foo']);
  });

  it('refuses a second registration unless override is set', () => {
    const r = new Registry<unknown>('things');
    r.register('Foo', Foo);
    expect(() => r.register('Foo', Bar)).toThrow(/already registered/);
    r.register('Foo', Bar, { override: true });
    expect(r.build({ type: 'Foo' })).toBeInstanceOf(Bar);
  });

  it('names the nearest registered types for an unknown type', () => {
    const r = new Registry<unknown>('things');
    r.register('ResNetSupernet', Foo);
    r.register('MobileNetSupernet', Bar);
    try {
      r.build({ type: 'ResNetSuprnet' });
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(RegistryError);
      expect((e as RegistryError).suggestions[0]).toBe('ResNetSupernet');
      expect((e as Error).message).toMatch(/Did you mean 'ResNetSupernet'/);
    }
  });
});
