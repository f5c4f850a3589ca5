import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfigFile } from '../../src/config/load.js';
import { writeConfigs } from './tmp_configs.js';

function catchConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFile', () => {
  it('deep-merges bases in order, then the file itself; lists replace', () => {
    const dir = writeConfigs({
      '_base_/model.yaml': 'model: {type: A, width: 8, depth: 2, stages: [1, 2, 3]}\n',
      '_base_/sched.yaml': 'train_cfg: {max_epochs: 10}\n',
      'exp/x.yaml': '_base_: [../_base_/model.yaml, ../_base_/sched.yaml]\nmodel: {depth: 4, stages: [5]}\n',
    });
    const { data, origins } = loadConfigFile(join(dir, 'exp/x.yaml'));
    expect(data).toEqual({ model: { type: 'A', width: 8, depth: 4, stages: [5] }, train_cfg: { max_epochs: 10 } });
    expect(origins.fileOf('model.width')).toBe(join(dir, '_base_/model.yaml'));
    expect(origins.fileOf('model.depth')).toBe(join(dir, 'exp/x.yaml'));
    expect(origins.fileOf('model.stages.0')).toBe(join(dir, 'exp/x.yaml'));
    expect(origins.fileOf('train_cfg.max_epochs')).toBe(join(dir, '_base_/sched.yaml'));
  });

  it('accepts a single base as a string, absolute paths and bases of bases', () => {
    const dir = writeConfigs({
      'a.yaml': 'a: 1\n',
      'b.yaml': '_base_: a.yaml\nb: 2\n',
    });
    const { data } = loadConfigFile(join(dir, 'b.yaml'));
    expect(data).toEqual({ a: 1, b: 2 });
    const dir2 = writeConfigs({ 'c.yaml': `_base_: ${join(dir, 'b.yaml')}\nc: 3\n` });
    expect(loadConfigFile(join(dir2, 'c.yaml')).data).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('replaces a mapping marked _delete_: true instead of merging it', () => {
    const dir = writeConfigs({
      'base.yaml': 'optim_wrapper: {optimizer: {type: SGD, lr: 0.1, momentum: 0.9}, clip_grad: {max_norm: 5}}\n',
      'x.yaml': '_base_: base.yaml\noptim_wrapper: {optimizer: {_delete_: true, type: Adam, lr: 0.001}}\n',
    });
    const { data } = loadConfigFile(join(dir, 'x.yaml'));
    expect(data).toEqual({ optim_wrapper: { optimizer: { type: 'Adam', lr: 0.001 }, clip_grad: { max_norm: 5 } } });
  });

  it('refuses a leaf that two bases set differently, naming both files', () => {
    const dir = writeConfigs({
      'a.yaml': 'train_cfg: {max_epochs: 10, val_interval: 1}\n',
      'b.yaml': 'train_cfg: {max_epochs: 20}\n',
      'x.yaml': '_base_: [a.yaml, b.yaml]\n',
    });
    const e = catchConfigError(() => loadConfigFile(join(dir, 'x.yaml')));
    expect(e.path).toBe('train_cfg.max_epochs');
    expect(e.message).toContain(join(dir, 'a.yaml'));
    expect(e.message).toContain(join(dir, 'b.yaml'));
    expect(e.message).toMatch(/defined by two bases/);
  });

  it('allows the same value from two bases (a shared grand-base) and a conflict the file itself settles', () => {
    const dir = writeConfigs({
      'common.yaml': 'work_dir: out\n',
      'a.yaml': '_base_: common.yaml\nx: {n: 1}\n',
      'b.yaml': '_base_: common.yaml\nx: {n: 2}\n',
      'diamond.yaml': '_base_: [a.yaml, b.yaml]\nx: {n: 3}\n',
    });
    expect(loadConfigFile(join(dir, 'diamond.yaml')).data).toEqual({ work_dir: 'out', x: { n: 3 } });
  });

  it('names the including file and the path it tried for a missing base', () => {
    const dir = writeConfigs({ 'x.yaml': '_base_: [../_base_/nope.yaml]\n' });
    const e = catchConfigError(() => loadConfigFile(join(dir, 'x.yaml')));
    expect(e.file).toBe(join(dir, 'x.yaml'));
    expect(e.message).toContain(join(dir, 'x.yaml'));
    expect(e.message).toContain(join(dir, '../_base_/nope.yaml'));
    expect(e.message).toMatch(/not found/);
  });

  it('resolves YAML anchors and merge keys into independent copies', () => {
    const dir = writeConfigs({
      'x.yaml': 'common: &c {lr: 0.1, wd: 0}\na: *c\nb: {<<: *c, wd: 5}\n',
    });
    const { data } = loadConfigFile(join(dir, 'x.yaml'));
    expect(data.b).toEqual({ lr: 0.1, wd: 5 });
    expect(data.a).toEqual({ lr: 0.1, wd: 0 });
    expect(data.a).not.toBe(data.common);
  });

  it('reports cycles and YAML syntax errors with the file', () => {
    const dir = writeConfigs({ 'a.yaml': '_base_: b.yaml\n', 'b.yaml': '_base_: a.yaml\n', 'bad.yaml': 'a: [1, 2\n' });
    expect(catchConfigError(() => loadConfigFile(join(dir, 'a.yaml'))).message).toMatch(/cycle/);
    const e = catchConfigError(() => loadConfigFile(join(dir, 'bad.yaml')));
    expect(e.message).toContain('bad.yaml');
  });

  it('refuses a config path that does not exist, suggesting the nearest YAML file of its folder', () => {
    const dir = writeConfigs({ 'mnist/resnet_mini_bignas.yaml': 'a: 1\n', 'mnist/resnet_mini_spos.yaml': 'a: 2\n' });
    const e = catchConfigError(() => loadConfigFile(join(dir, 'mnist/resnet_mini_bignass.yaml')));
    expect(e.value).toBe(join(dir, 'mnist/resnet_mini_bignass.yaml'));
    expect(e.message).toMatch(/resnet_mini_bignass\.yaml was not found\. Did you mean '[^']*mnist\/resnet_mini_bignas\.yaml'\?/);
    expect(e.message).toContain('YAML files in');
    const inMissingFolder = catchConfigError(() => loadConfigFile(join(dir, 'mnst/resnet_mini_bignas.yaml')));
    expect(inMissingFolder.message).toMatch(/the folder .*mnst does not exist/);
  });

  it('refuses a folder as the config or as a base, naming the YAML files in it', () => {
    const dir = writeConfigs({ 'mnist/a.yaml': 'a: 1\n', 'x.yaml': '_base_: mnist\n' });
    expect(catchConfigError(() => loadConfigFile(join(dir, 'mnist'))).message).toMatch(/mnist is a folder; give a YAML file, e\.g\. one of a\.yaml/);
    const e = catchConfigError(() => loadConfigFile(join(dir, 'x.yaml')));
    expect(e.message).toMatch(/Base config .*mnist \(listed in _base_ of .*x\.yaml\) is a folder/);
    expect(e.file).toBe(join(dir, 'x.yaml'));
    expect(e.path).toBe('_base_');
  });
});
