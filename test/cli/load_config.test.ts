import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load_config.js';
import { ConfigError } from '../../src/config/errors.js';
import { PluginImportError } from '../../src/registry/plugins.js';
import { HOOKS } from '../../src/registry/registries.js';
import { writeConfigs } from '../config/tmp_configs.js';

const registries = join(process.cwd(), 'src/registry/registries.js');
const plugin = (name: string) =>
  `import { HOOKS } from '${registries}';\nclass H {}\nHOOKS.register('${name}', H, { schema: { type: 'object', properties: { every: { type: 'integer', default: 2 } }, additionalProperties: false } });\n`;

describe('loadConfig', () => {
  it('imports custom_imports relative to the file that listed them, then validates with the plugin classes', async () => {
    const dir = writeConfigs({
      'plugins/h.ts': plugin('lctest/Hook'),
      'configs/_base_/hooks.yaml': 'custom_imports: [../../plugins/h.ts]\ncustom_hooks: [{type: lctest/Hook}]\n',
      'configs/exp.yaml': '_base_: _base_/hooks.yaml\nwork_dir: out\n',
    });
    const { config, filename } = await loadConfig(join(dir, 'configs/exp.yaml'));
    expect(filename).toBe(join(dir, 'configs/exp.yaml'));
    expect(HOOKS.has('lctest/Hook')).toBe(true);
    expect(config.custom_hooks).toEqual([{ type: 'lctest/Hook', every: 2 }]);
  });

  it('applies --cfg-options before validating them', async () => {
    const dir = writeConfigs({ 'plugins/h.ts': plugin('lctest/Hook2'), 'x.yaml': 'custom_imports: [./plugins/h.ts]\n' });
    const { config } = await loadConfig(join(dir, 'x.yaml'), ['custom_hooks=[{type: lctest/Hook2, every: 5}]']);
    expect(config.custom_hooks).toEqual([{ type: 'lctest/Hook2', every: 5 }]);
    const err = await loadConfig(join(dir, 'x.yaml'), ['custom_hooks=[{type: lctest/Hook2}]', 'custom_hooks.0.evry=5']).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/Unknown key 'evry' at custom_hooks\.0 \(set by --cfg-options\)\. Did you mean 'every'\?/);
  });

  it('fails clearly when a custom_imports module is missing', async () => {
    const dir = writeConfigs({ 'x.yaml': 'custom_imports: [./missing_plugin.ts]\n' });
    const err = await loadConfig(join(dir, 'x.yaml')).catch((e) => e);
    expect(err).toBeInstanceOf(PluginImportError);
    expect(err.message).toContain(join(dir, 'missing_plugin.ts'));
  });
});
