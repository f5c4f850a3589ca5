import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPlugin, PluginImportError } from '../../src/registry/plugins.js';
import { MODELS } from '../../src/registry/registries.js';
import { writeConfigs } from '../config/tmp_configs.js';

describe('custom_imports', () => {
  it('imports a path relative to the config file that listed it, with or without extension', async () => {
    const dir = writeConfigs({
      'plugins/reg.ts': "import { MODELS } from '" + join(process.cwd(), 'src/registry/registries.js') + "';\nclass P {}\nMODELS.register('plugtest/P', P);\n",
      'configs/x.yaml': '',
    });
    await importPlugin('../plugins/reg', join(dir, 'configs/x.yaml'));
    expect(MODELS.has('plugtest/P')).toBe(true);
  });

  it('names the config and the path it tried when a module is missing', async () => {
    const dir = writeConfigs({ 'x.yaml': '' });
    const err = await importPlugin('./nowhere.ts', join(dir, 'x.yaml')).catch((e) => e);
    expect(err).toBeInstanceOf(PluginImportError);
    expect(err.message).toContain(join(dir, 'x.yaml'));
    expect(err.message).toContain(join(dir, 'nowhere.ts'));
    expect(err.isUserError).toBe(true);
  });

  it('says when a package is not installed', async () => {
    const err = await importPlugin('tfrazor-no-such-plugin', 'x.yaml').catch((e) => e);
    expect(err).toBeInstanceOf(PluginImportError);
    expect(err.message).toMatch(/'tfrazor-no-such-plugin' listed in custom_imports of x.yaml: no such package is installed/);
  });

  it('wraps an error thrown by the plugin itself', async () => {
    const dir = writeConfigs({ 'boom.ts': "throw new Error('plugin exploded');\n", 'x.yaml': '' });
    const err = await importPlugin('./boom.ts', join(dir, 'x.yaml')).catch((e) => e);
    expect(err.message).toMatch(/importing it failed: plugin exploded/);
    expect(err.cause).toBeInstanceOf(Error);
  });
});
