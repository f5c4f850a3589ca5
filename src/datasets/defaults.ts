import type { JsonSchema } from '../registry/registry.js';

/**
 * Fill the top-level defaults a schema declares. Classes call it so that building one directly
 * (tests, other areas) behaves like building it through the validated config.
 */
export function withDefaults<T extends object>(schema: JsonSchema, cfg: Partial<T>): T {
  const out: Record<string, unknown> = { ...cfg };
  const props = (schema.properties ?? {}) as Record<string, { default?: unknown }>;
  for (const [key, prop] of Object.entries(props)) {
    if (out[key] === undefined && prop.default !== undefined) out[key] = structuredClone(prop.default);
  }
  return out as T;
}
