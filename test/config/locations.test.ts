// Errors raised by builders (after the schema passed) name the file and dotted path of the value,
// found from the very mapping the builder was given.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateError, locationOf, recordLocations } from '../../src/config/locations.js';
import { loadConfigFile } from '../../src/config/load.js';
import { UserError } from '../../src/errors.js';
import { Registry } from '../../src/registry/registry.js';
import { writeConfigs } from './tmp_configs.js';

class KeyedError extends UserError {
  constructor(message: string, readonly configKey?: string) {
    super(message);
  }
}

function loaded() {
  const dir = writeConfigs({
    'base.yaml': 'model:\n  type: Outer\n  inner: {type: Inner, width: 3}\n',
    'child.yaml': '_base_: base.yaml\nmodel: {inner: {depth: 2}, list: [{type: Inner}]}\n',
  });
  const tracked = loadConfigFile(join(dir, 'child.yaml'));
  recordLocations(tracked.data, tracked.origins);
  return { dir, config: tracked.data as { model: { inner: Record<string, unknown>; list: Record<string, unknown>[] } } };
}

describe('config locations', () => {
  it('knows the path of every mapping and list element, and the file of each key below it', () => {
    const { dir, config } = loaded();
    expect(locationOf(config.model.inner)).toEqual({ path: 'model.inner', file: join(dir, 'base.yaml') });
    expect(locationOf(config.model.inner, 'width')).toEqual({ path: 'model.inner.width', file: join(dir, 'base.yaml') });
    expect(locationOf(config.model.inner, 'depth')).toEqual({ path: 'model.inner.depth', file: join(dir, 'child.yaml') });
    expect(locationOf(config.model.list[0])?.path).toBe('model.list.0');
    expect(locationOf({ ...config.model.inner })).toBeUndefined();
  });

  it("adds the value's path (the error's configKey below the mapping) and file to a user error, once", () => {
    const { dir, config } = loaded();
    const err = locateError(new KeyedError('width 3 is too small.', 'width'), config.model.inner) as Error;
    expect(err.message).toBe(`width 3 is too small. (config: model.inner.width, in ${join(dir, 'base.yaml')}.)`);
    // An outer builder that sees the error pass by does not relabel it.
    expect((locateError(err, config.model) as Error).message).toBe(err.message);
  });

  it('leaves bugs, and errors about mappings it does not know, unchanged', () => {
    const { config } = loaded();
    const bug = new TypeError('x is undefined');
    expect((locateError(bug, config.model) as Error).message).toBe('x is undefined');
    expect((locateError(new KeyedError('bad.'), { type: 'Inner' }) as Error).message).toBe('bad.');
  });

  it('labels errors thrown by a registered constructor with the innermost config it was built from', () => {
    const { dir, config } = loaded();
    const reg = new Registry<unknown>('things');
    reg.register('Inner', class {
      constructor(cfg: { width?: number }) {
        if (cfg.width !== undefined) throw new KeyedError(`width ${cfg.width} is not allowed here.`, 'width');
      }
    });
    reg.register('Outer', class {
      constructor(cfg: { inner: { type: string } }) {
        reg.build(cfg.inner);
      }
    });
    expect(() => reg.build(config.model as never)).toThrow(`width 3 is not allowed here. (config: model.inner.width, in ${join(dir, 'base.yaml')}.)`);
  });
});

