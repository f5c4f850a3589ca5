import { resolve } from 'node:path';
import { applyOverrides } from '../config/overrides.js';
import { loadConfigFile, loadConfigText } from '../config/load.js';
import type { TrackedConfig } from '../config/merge.js';
import { CLI_ORIGIN, type Origins } from '../config/origins.js';
import { recordLocations } from '../config/locations.js';
import { validateConfig } from '../config/validate.js';
import type { Mapping } from '../config/paths.js';
import { importPlugins } from '../registry/plugins.js';

export interface LoadedConfig {
  /** The merged, validated config with defaults filled in. */
  config: Mapping;
  /** Absolute path of the config file. */
  filename: string;
  /** Which file defined each dotted path. */
  origins: Origins;
}

/**
 * Everything a tool does before building: load the YAML with its bases, apply `--cfg-options`,
 * import `custom_imports` (relative to the file that listed each), import the core registrations,
 * and validate (filling defaults). Throws ConfigError / PluginImportError on user mistakes.
 */
export async function loadConfig(path: string, overrides: readonly string[] = []): Promise<LoadedConfig> {
  const filename = resolve(path);
  return prepare(loadConfigFile(filename), filename, overrides);
}

/** `loadConfig` for YAML text; `filename` anchors relative `_base_` and `custom_imports` paths. */
export async function loadConfigFromText(
  text: string,
  filename = resolve('inline.yaml'),
  overrides: readonly string[] = [],
): Promise<LoadedConfig> {
  return prepare(loadConfigText(text, filename), resolve(filename), overrides);
}

/**
 * Imports a loaded config's `custom_imports` (each relative to the file that listed it) and the
 * core registrations; for tools that read a config fragment without validating a whole config.
 */
export async function importConfigPlugins(tracked: TrackedConfig): Promise<void> {
  const imports = tracked.data.custom_imports;
  if (Array.isArray(imports) && imports.every((s) => typeof s === 'string')) {
    await importPlugins(imports as string[], (i) => {
      const file = tracked.origins.fileOf(`custom_imports.${i}`);
      return file === CLI_ORIGIN ? undefined : file;
    });
  }
  await import('../register_all.js');
}

async function prepare(tracked: TrackedConfig, filename: string, overrides: readonly string[]): Promise<LoadedConfig> {
  applyOverrides(tracked, overrides);
  await importConfigPlugins(tracked);
  validateConfig(tracked.data, tracked.origins);
  // After validation (which fills defaults in place), so builders' errors can name file and path.
  recordLocations(tracked.data, tracked.origins);
  return { config: tracked.data, filename, origins: tracked.origins };
}
