import { describe, expect, it } from 'vitest';
import { parseToolArgs, UsageError } from '../../src/cli/args.js';

describe('parseToolArgs', () => {
  it('collects every key=value after --cfg-options, across repeated flags', () => {
    const a = parseToolArgs(['cfg.yaml', '--cfg-options', 'a.b=1', 'c.0=[1,2]', '--seed', '3', '--cfg-options', 'd=x', '--debug']);
    expect(a.positionals).toEqual(['cfg.yaml']);
    expect(a.cfgOptions).toEqual(['a.b=1', 'c.0=[1,2]', 'd=x']);
    expect(a.seed).toBe(3);
    expect(a.debug).toBe(true);
  });

  it('reads the shared options and a tool’s own', () => {
    const a = parseToolArgs(['--backend', 'wasm', '--work-dir', 'out', '--resume', 'x.ckpt', 'c.yaml'], {
      resume: { type: 'string' },
    });
    expect(a.backend).toBe('wasm');
    expect(a.workDir).toBe('out');
    expect(a.values.resume).toBe('x.ckpt');
    expect(a.debug).toBe(false);
    expect(a.cfgOptions).toEqual([]);
  });

  it('turns usage mistakes into UsageError', () => {
    expect(() => parseToolArgs(['--nope'])).toThrow(UsageError);
    expect(() => parseToolArgs(['--cfg-options'])).toThrow(/at least one/);
    expect(() => parseToolArgs(['--seed', 'abc'])).toThrow(/integer/);
    expect(() => parseToolArgs(['--threads', '0'])).toThrow(/--threads must be a whole number of threads \(1 or more\), got '0'/);
    expect(() => parseToolArgs(['--threads', '2.5'])).toThrow(/got '2\.5'/);
    expect(parseToolArgs(['--threads', '3']).threads).toBe(3);
    expect(parseToolArgs([]).threads).toBeUndefined();
  });

  it('refuses a --cfg-options item without =, naming it, instead of taking it as a positional', () => {
    expect(() => parseToolArgs(['cfg.yaml', '--cfg-options', 'train_cfg.max_epochs'])).toThrow(/item 'train_cfg\.max_epochs' has no '='/);
    expect(() => parseToolArgs(['cfg.yaml', '--cfg-options', 'a=1', 'model.sampler.constraints={macs:', '[0,', '1000]}'])).toThrow(/item '\[0,' has no '='.*Quote/);
    expect(() => parseToolArgs(['--cfg-options', 'a=1', 'cfg.yaml'])).toThrow(/item 'cfg\.yaml' has no '='.*positional arguments before --cfg-options/);
    // Items end at the next option; values may start with a dash.
    const a = parseToolArgs(['cfg.yaml', '--cfg-options', 'a=-1', 'b=--x', '--debug', 'ckpt']);
    expect(a.cfgOptions).toEqual(['a=-1', 'b=--x']);
    expect(a.positionals).toEqual(['cfg.yaml', 'ckpt']);
  });
});

