import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { Origins } from '../../src/config/origins.js';
import { registerSectionSchema } from '../../src/config/sections.js';
import { findConfigErrors, validateConfig } from '../../src/config/validate.js';
import { ALGORITHMS, MODELS, OPTIMIZERS, TRANSFORMS } from '../../src/registry/registries.js';

class Dummy {}

OPTIMIZERS.register('CfgSGD', Dummy, {
  schema: {
    type: 'object',
    properties: {
      lr: { type: 'number', exclusiveMinimum: 0, description: 'learning rate' },
      momentum: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'momentum' },
      nesterov: { type: 'boolean', default: false, description: 'Nesterov momentum' },
    },
    required: ['lr'],
    additionalProperties: false,
  },
});
OPTIMIZERS.register('CfgAdam', Dummy);
TRANSFORMS.register('CfgFlip', Dummy, {
  schema: { type: 'object', properties: { p: { type: 'number', default: 0.5 } }, additionalProperties: false },
});
MODELS.register('CfgNet', Dummy, {
  schema: {
    type: 'object',
    properties: {
      stage_depths: { type: 'array', items: { type: 'integer', minimum: 1 }, description: 'blocks per stage' },
      act: { enum: ['relu', 'swish'], default: 'relu', description: 'activation' },
    },
    required: ['stage_depths'],
    additionalProperties: false,
  },
});
ALGORITHMS.register('CfgAlgo', Dummy, {
  schema: {
    type: 'object',
    properties: {
      architecture: { 'x-kind': 'models', description: 'the supernet' },
      pipeline: { type: 'array', items: { 'x-kind': 'transforms' } },
    },
    required: ['architecture'],
    additionalProperties: false,
  },
});
registerSectionSchema('optim_wrapper', {
  type: 'object',
  properties: { optimizer: { 'x-kind': 'optimizers' }, clip_grad: { type: ['object', 'null'], default: null } },
  required: ['optimizer'],
  additionalProperties: false,
});
registerSectionSchema('cfgtest_loop', {
  type: 'object',
  properties: { max_epochs: { type: 'integer', minimum: 1 }, val_interval: { type: 'integer', default: 1 } },
  additionalProperties: false,
});

function origins(config: Record<string, unknown>, file = 'configs/x.yaml'): Origins {
  const o = new Origins();
  o.record('', config, file);
  o.setRoot(file);
  return o;
}

function errorsOf(config: Record<string, unknown>): ConfigError[] {
  return findConfigErrors(config, origins(config));
}

const valid = () => ({
  model: { type: 'CfgAlgo', architecture: { type: 'CfgNet', stage_depths: [1, 2] }, pipeline: [{ type: 'CfgFlip' }] },
  optim_wrapper: { optimizer: { type: 'CfgSGD', lr: 0.1 } },
  cfgtest_loop: { max_epochs: 3 },
});

describe('validateConfig', () => {
  it('accepts a valid config and fills defaults in place, also inside nested classes and lists', () => {
    const cfg = valid();
    validateConfig(cfg, origins(cfg));
    expect(cfg.optim_wrapper).toEqual({ optimizer: { type: 'CfgSGD', lr: 0.1, momentum: 0.9, nesterov: false }, clip_grad: null });
    expect(cfg.model.architecture).toEqual({ type: 'CfgNet', stage_depths: [1, 2], act: 'relu' });
    expect(cfg.model.pipeline).toEqual([{ type: 'CfgFlip', p: 0.5 }]);
    expect(cfg.cfgtest_loop).toEqual({ max_epochs: 3, val_interval: 1 });
  });

  it('names an unknown type with the nearest registered names', () => {
    const cfg = valid();
    cfg.optim_wrapper.optimizer.type = 'CfgSDG';
    const [e, ...rest] = errorsOf(cfg);
    expect(rest).toEqual([]);
    expect(e!.message).toMatch(/^Unknown optimizers type 'CfgSDG' at optim_wrapper\.optimizer\.type in configs\/x\.yaml\. Did you mean 'CfgSGD'\?/);
    expect(e!.path).toBe('optim_wrapper.optimizer.type');
    expect(e!.suggestions).toEqual(['CfgSGD']);
  });

  it('suggests the nearest valid key for a typo, at any depth', () => {
    const cfg = valid() as Record<string, any>;
    cfg.cfgtest_loop = { max_epoch: 3 };
    cfg.model.architecture.stage_depth = [1];
    const errors = errorsOf(cfg);
    const top = errors.find((e) => e.path === 'cfgtest_loop.max_epoch')!;
    expect(top.message).toMatch(/Unknown key 'max_epoch' at cfgtest_loop in configs\/x\.yaml\. Did you mean 'max_epochs'\?/);
    expect(top.suggestions).toEqual(['max_epochs']);
    expect(errors.some((e) => e.path === 'model.architecture.stage_depth' && e.suggestions[0] === 'stage_depths')).toBe(true);
  });

  it('reports a wrong type with the dotted path, the value and what was expected', () => {
    const cfg = valid() as Record<string, any>;
    cfg.model.architecture.stage_depths = [1, 2, 'three'];
    const [e] = errorsOf(cfg);
    expect(e!.path).toBe('model.architecture.stage_depths.2');
    expect(e!.value).toBe('three');
    expect(e!.message).toContain('model.architecture.stage_depths.2');
    expect(e!.message).toContain('"three"');
    expect(e!.expected).toMatch(/^integer/);
  });

  it('reports ranges, enums, missing keys and a missing type', () => {
    const cfg = valid() as Record<string, any>;
    cfg.optim_wrapper.optimizer = { type: 'CfgSGD', lr: 0.1, momentum: 2 };
    cfg.model.architecture.act = 'relux';
    cfg.model.pipeline = [{ p: 1 }];
    cfg.cfgtest_loop = {};
    delete cfg.model.architecture.stage_depths;
    const byPath = new Map(errorsOf(cfg).map((e) => [e.path, e]));
    expect(byPath.get('optim_wrapper.optimizer.momentum')!.expected).toMatch(/<= 1/);
    expect(byPath.get('model.architecture.act')!.suggestions).toEqual(['relu']);
    expect(byPath.get('model.architecture.stage_depths')!.message).toMatch(/Missing required key 'stage_depths'/);
    expect(byPath.get('model.pipeline.0.type')!.message).toMatch(/Missing key 'type' at model.pipeline.0/);
  });

  it('checks top-level keys against the registered sections and accepts unregistered mmengine sections as objects', () => {
    const cfg = { ...valid(), train_dataloader: { anything: 1 }, trian_cfg: {} } as Record<string, unknown>;
    const errors = errorsOf(cfg);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/Unknown key 'trian_cfg' at the top level .*Did you mean 'train_cfg'\?/);
  });

  it('names the file that holds the bad value and throws the first problem carrying the others', () => {
    const cfg = valid() as Record<string, any>;
    const o = origins(cfg, 'configs/x.yaml');
    o.record('model.architecture', cfg.model.architecture, 'configs/_base_/net.yaml');
    cfg.model.architecture.stage_depths = [0];
    cfg.optim_wrapper.optimizer.lr = 'fast';
    try {
      validateConfig(cfg, o);
      expect.fail('should throw');
    } catch (err) {
      const e = err as ConfigError;
      const all = [e, ...e.more];
      expect(all).toHaveLength(2);
      const depth = all.find((x) => x.path === 'model.architecture.stage_depths.0')!;
      expect(depth.file).toBe('configs/_base_/net.yaml');
      expect(depth.message).toContain('in configs/_base_/net.yaml');
      expect(all.find((x) => x.path === 'optim_wrapper.optimizer.lr')!.file).toBe('configs/x.yaml');
    }
  });

  it('reports a malformed class schema as a bug of that class, not as a config error', () => {
    MODELS.register('CfgBroken', Dummy, { schema: { type: 'object', properties: { n: { type: 'int' } } } });
    const cfg = { ...valid(), model: { type: 'CfgAlgo', architecture: { type: 'CfgBroken' } } };
    expect(() => findConfigErrors(cfg, origins(cfg))).toThrow(/schema registered for models class 'CfgBroken' is not a valid JSON schema/);
  });
});
