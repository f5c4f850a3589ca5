import { describe, expect, it } from 'vitest';
import { Origins } from '../../src/config/origins.js';
import { findConfigErrors, validateBuildable } from '../../src/config/validate.js';
import '../../src/register_all.js';

function origins(config: Record<string, unknown>, file = 'configs/x.yaml'): Origins {
  const o = new Origins();
  o.record('', config, file);
  o.setRoot(file);
  return o;
}

const errorsOf = (config: Record<string, unknown>) => findConfigErrors(config, origins(config));

describe('schema keywords x-odd and x-regex', () => {
  it('refuses what the ops refuse before anything is built: an even kernel size, an invalid regular expression', () => {
    const net = { type: 'ResNetSupernet', stem: { kernel_size: 4 }, stages: [{ depth_choices: [1], base_channels: 8, stride: 1 }] };
    const cfg = { model: { type: 'SPOS', architecture: net, sampler: { type: 'ChannelWarmupSampler', warmup_epochs: 1, alias_pattern: 'chan(' } } };
    const byPath = new Map(errorsOf(cfg).map((e) => [e.path, e]));
    const kernel = byPath.get('model.architecture.stem.kernel_size')!;
    expect(kernel.message).toMatch(/^Invalid value at model\.architecture\.stem\.kernel_size in configs\/x\.yaml: got 4, expected an odd integer/);
    expect(kernel.value).toBe(4);
    const pattern = byPath.get('model.sampler.alias_pattern')!;
    expect(pattern.message).toMatch(/got "chan\(" \(Invalid regular expression: .*\), expected a valid regular expression/);
    const mobile = { model: { type: 'SPOS', architecture: { type: 'MobileNetSupernet', kernel_sizes: [3, 6], stages: [{ out_channels: 8, depth_choices: [1], stride: 1 }] } } };
    expect(errorsOf(mobile).map((e) => e.path)).toEqual(['model.architecture.kernel_sizes.1']);
    net.stem.kernel_size = 5;
    cfg.model.sampler.alias_pattern = 'channels$';
    expect(errorsOf(cfg)).toEqual([]);
  });

  it('validates one buildable node of a config at its path (tools that build only the network)', () => {
    const net = { type: 'ResNetSupernet', stem: { kernel_size: 2 }, stages: [{ depth_choices: [1], base_channels: 8, stride: 1 }] };
    const o = origins({ model: { architecture: net } }, 'configs/net.yaml');
    expect(() => validateBuildable('models', net, 'model.architecture', o)).toThrow(/model\.architecture\.stem\.kernel_size in configs\/net\.yaml: got 2, expected an odd integer/);
    net.stem.kernel_size = 3;
    validateBuildable('models', net, 'model.architecture', o);
    expect(net).toMatchObject({ block: 'BasicBlock', stem: { kernel_size: 3, stride: 2 } });
  });
});
