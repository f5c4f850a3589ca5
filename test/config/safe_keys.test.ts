import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { applyOverrides } from '../../src/config/overrides.js';
import { findReservedKey, ReservedKeyError } from '../../src/config/safe_keys.js';
import { parseSubnetYaml, loadSubnet } from '../../src/mutables/subnet_yaml.js';
import { parseTrack1Json } from '../../src/track1/format.js';
import { readSearchState } from '../../src/search/search_state.js';
import { writeConfigs } from './tmp_configs.js';

/** Everything Object.prototype holds, to compare before and after each input. */
function prototypeSnapshot(): string {
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  return JSON.stringify(names.map((n) => [n, typeof Object.getOwnPropertyDescriptor(Object.prototype, n)!.value]));
}

function reservedError(fn: () => unknown): ReservedKeyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReservedKeyError);
    return e as ReservedKeyError;
  }
  throw new Error('expected a ReservedKeyError');
}

let before: string;
beforeEach(() => {
  before = prototypeSnapshot();
});
afterEach(() => {
  expect(prototypeSnapshot()).toBe(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).max_iters).toBeUndefined();
});

describe('reserved keys (__proto__, constructor, prototype)', () => {
  it('are refused in a YAML config, naming the file, the dotted path and the key', () => {
    for (const [yaml, path, key] of [
      ['train_cfg:\n  __proto__: {max_iters: 5}\n', 'train_cfg.__proto__', '__proto__'],
      ['__proto__: {polluted: 1}\n', '__proto__', '__proto__'],
      ['model:\n  stages:\n    - {constructor: 1}\n', 'model.stages.0.constructor', 'constructor'],
      ['a: {b: {prototype: {polluted: 1}}}\n', 'a.b.prototype', 'prototype'],
      ['base: &b {__proto__: {polluted: 1}}\nother: {<<: *b}\n', 'base.__proto__', '__proto__'],
    ] as const) {
      const e = reservedError(() => loadConfigText(yaml, '/tmp/x/exp.yaml'));
      expect(e.file).toBe('/tmp/x/exp.yaml');
      expect(e.path).toBe(path);
      expect(e.key).toBe(key);
      expect(e.message).toContain(`'${key}' at ${path}`);
      expect(e.message).toContain('exp.yaml');
    }
  });

  it('are refused in a _base_ file, naming that file', () => {
    const dir = writeConfigs({
      '_base_/sched.yaml': 'train_cfg:\n  __proto__: {max_iters: 5}\n',
      'x.yaml': '_base_: _base_/sched.yaml\nmodel: {type: A}\n',
    });
    const e = reservedError(() => loadConfigFile(join(dir, 'x.yaml')));
    expect(e.file).toBe(join(dir, '_base_/sched.yaml'));
    expect(e.path).toBe('train_cfg.__proto__');
  });

  it('are refused in --cfg-options keys and values, naming the item', () => {
    const tracked = () => loadConfigText('train_cfg: {max_iters: 1}\n', '/tmp/x/exp.yaml');
    for (const [item, path] of [
      ['__proto__.polluted=1', '__proto__'],
      ['train_cfg.__proto__.max_iters=5', 'train_cfg.__proto__'],
      ['constructor.prototype.polluted=1', 'constructor'],
      ['train_cfg={__proto__: {max_iters: 5}}', 'train_cfg.__proto__'],
      ['custom_hooks=[{type: A, prototype: 1}]', 'custom_hooks.0.prototype'],
    ] as const) {
      const t = tracked();
      const e = reservedError(() => applyOverrides(t, [item]));
      expect(e.file).toBe('--cfg-options');
      expect(e.path).toBe(path);
      expect(e.message).toContain(`--cfg-options item '${item}'`);
      expect(Object.getPrototypeOf(t.data.train_cfg)).toBe(Object.prototype);
    }
  });

  it('are refused in subnet files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reserved-'));
    const file = join(dir, 'subnet.yaml');
    writeFileSync(file, 'stage1.depth: {chosen: 1}\n__proto__: {chosen: 2}\n');
    const e = reservedError(() => loadSubnet(file));
    expect(e.file).toBe(file);
    expect(e.path).toBe('__proto__');
    expect(reservedError(() => parseSubnetYaml('a: {chosen: 1, constructor: 2}\n', 's.yaml')).path).toBe('a.constructor');
  });

  it('are refused in Track-1 JSON (architectures, predictions, ground truth)', () => {
    const code = '1252233313000000223212122253130000000000006515000000';
    const e = reservedError(() => parseTrack1Json(`{"arch1": {"arch": "${code}"}, "__proto__": {"arch": "${code}", "acc": 0.5}}`, 'gt.json'));
    expect(e.file).toBe('gt.json');
    expect(e.path).toBe('__proto__');
    expect(reservedError(() => parseTrack1Json(`{"arch1": {"arch": "${code}", "constructor": 1}}`, 'p.json')).path).toBe('arch1.constructor');
  });

  it('are refused in a search checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reserved-'));
    const file = join(dir, 'search_state.json');
    writeFileSync(file, '{"searcher": "RandomSearch", "version": 1, "scored": [{"choices": {"__proto__": {"polluted": 1}}}]}');
    expect(reservedError(() => readSearchState(file, 'RandomSearch', 1)).path).toBe('scored.0.choices.__proto__');
  });

  it('findReservedKey also sees a mapping whose prototype a parser replaced', () => {
    const sneaky = Object.create({ polluted: 1 }) as Record<string, unknown>;
    expect(findReservedKey({ a: [sneaky] })).toEqual({ path: 'a.0.__proto__', key: '__proto__' });
    expect(findReservedKey({ a: [{ b: 1 }], c: Object.create(null) })).toBeUndefined();
  });
});
