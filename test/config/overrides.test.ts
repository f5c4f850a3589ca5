import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { Origins, CLI_ORIGIN } from '../../src/config/origins.js';
import { applyOverrides, parseOverride } from '../../src/config/overrides.js';
import type { TrackedConfig } from '../../src/config/merge.js';

function tracked(data: Record<string, unknown>): TrackedConfig {
  const origins = new Origins();
  origins.record('', data, 'x.yaml');
  return { data, origins };
}

describe('--cfg-options', () => {
  it('reads values as YAML scalars and flow collections', () => {
    expect(parseOverride('a.b=1e-3').value).toBe(0.001);
    expect(parseOverride('a=true').value).toBe(true);
    expect(parseOverride('a=null').value).toBeNull();
    expect(parseOverride('a=[1,2]').value).toEqual([1, 2]);
    expect(parseOverride('a={x: 1}').value).toEqual({ x: 1 });
    expect(parseOverride('a=SGD').value).toBe('SGD');
    expect(parseOverride('a=x=y').value).toBe('x=y');
    expect(parseOverride('a.b.0.c=1').path).toEqual(['a', 'b', '0', 'c']);
  });

  it('sets nested keys, creates missing mappings and indexes lists', () => {
    const cfg = tracked({ optim_wrapper: { optimizer: { lr: 0.1 } }, param_scheduler: [{ type: 'A', by: 1 }, { type: 'B' }] });
    applyOverrides(cfg, ['optim_wrapper.optimizer.lr=0.5', 'param_scheduler.1.by=3', 'train_cfg.max_epochs=2', 'param_scheduler.2={type: C}']);
    expect(cfg.data).toEqual({
      optim_wrapper: { optimizer: { lr: 0.5 } },
      param_scheduler: [{ type: 'A', by: 1 }, { type: 'B', by: 3 }, { type: 'C' }],
      train_cfg: { max_epochs: 2 },
    });
    expect(cfg.origins.fileOf('optim_wrapper.optimizer.lr')).toBe(CLI_ORIGIN);
    expect(cfg.origins.fileOf('param_scheduler.0.by')).toBe('x.yaml');
  });

  it('rejects malformed items, bad indices and descending into a scalar', () => {
    const cfg = tracked({ a: [1], b: 2 });
    expect(() => applyOverrides(cfg, ['novalue'])).toThrow(ConfigError);
    expect(() => applyOverrides(cfg, ['a.5=1'])).toThrow(/list of 1 items/);
    expect(() => applyOverrides(cfg, ['a.x=1'])).toThrow(/not a valid index/);
    expect(() => applyOverrides(cfg, ['b.c=1'])).toThrow(/holds 2, not a mapping/);
    expect(() => applyOverrides(cfg, ['a..b=1'])).toThrow(/empty part/);
  });
});
