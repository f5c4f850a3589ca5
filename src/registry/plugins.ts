import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayFile } from '../config/paths.js';
import { UserError } from '../errors.js';

/** A `custom_imports` entry that could not be imported. */
export class PluginImportError extends UserError {
  constructor(message: string, readonly spec: string, readonly configFile: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function isPathSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || isAbsolute(spec);
}

const SUFFIXES = ['', '.ts', '.js', '/index.ts', '/index.js'];

function resolveFile(base: string): string | undefined {
  for (const suffix of SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function where(configFile: string | undefined): string {
  return configFile ? `custom_imports of ${displayFile(configFile)}` : 'custom_imports';
}

/**
 * Import one `custom_imports` entry so the module registers its classes: a path (relative to the
 * config file that listed it, or absolute) or a package name. This is the only way a config loads code.
 */
export async function importPlugin(spec: string, configFile?: string): Promise<void> {
  let target: string;
  if (isPathSpec(spec)) {
    const base = isAbsolute(spec) ? spec : resolve(configFile ? dirname(configFile) : process.cwd(), spec);
    const file = resolveFile(base);
    if (!file) {
      throw new PluginImportError(
        `Cannot import '${spec}' listed in ${where(configFile)}: no such module (looked for ${base} with ` +
          `${SUFFIXES.filter(Boolean).join(', ')}).`,
        spec,
        configFile,
      );
    }
    target = pathToFileURL(file).href;
  } else {
    target = spec;
  }
  try {
    await import(target);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' && !isPathSpec(spec) && String((err as Error).message).includes(`'${spec}'`);
    const reason = missing ? 'no such package is installed' : `importing it failed: ${(err as Error).message}`;
    throw new PluginImportError(`Cannot import '${spec}' listed in ${where(configFile)}: ${reason}.`, spec, configFile, { cause: err });
  }
}

/** Import each entry in order; `fileOf(i)` names the config file that listed entry i. */
export async function importPlugins(specs: readonly string[], fileOf: (index: number) => string | undefined): Promise<void> {
  for (const [i, spec] of specs.entries()) await importPlugin(spec, fileOf(i));
}
