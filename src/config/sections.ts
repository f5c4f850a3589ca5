import type { JsonSchema } from '../registry/registry.js';

/**
 * Schemas of the top-level config sections. The keys mmengine defines start with a permissive
 * placeholder so configs validate before the owning area registers its schema; the owner replaces
 * it with `registerSectionSchema`.
 */
const PLACEHOLDER: JsonSchema = { type: 'object', description: 'Section whose owner has not registered a schema yet.' };

const defaults: Record<string, JsonSchema> = {
  model: { 'x-kind': 'algorithms', description: 'The algorithm to train or search, with its architecture and mutator.' },
  train_dataloader: PLACEHOLDER,
  val_dataloader: PLACEHOLDER,
  test_dataloader: PLACEHOLDER,
  optim_wrapper: PLACEHOLDER,
  param_scheduler: {
    type: 'array',
    items: { 'x-kind': 'schedulers' },
    description: 'Learning-rate schedulers, applied in order.',
  },
  train_cfg: PLACEHOLDER,
  val_cfg: PLACEHOLDER,
  test_cfg: PLACEHOLDER,
  default_hooks: PLACEHOLDER,
  custom_hooks: { type: 'array', items: { 'x-kind': 'hooks' }, description: 'Extra hooks, registered in order.' },
  custom_imports: {
    type: 'array',
    items: { type: 'string' },
    description: 'Modules imported before validation: paths relative to the config that lists them, or package names.',
  },
  work_dir: { type: 'string', description: 'Directory for logs, checkpoints and results.' },
  randomness: PLACEHOLDER,
};

const registered = new Map<string, JsonSchema>();

export class SectionSchemaError extends Error {}

/** Give a top-level config key its schema; a key's owner registers it once (placeholders excepted). */
export function registerSectionSchema(key: string, schema: JsonSchema, options: { override?: boolean } = {}): void {
  if (registered.has(key) && !options.override) {
    throw new SectionSchemaError(`Config section '${key}' already has a registered schema; pass {override: true} to replace it.`);
  }
  registered.set(key, schema);
}

export function getSectionSchema(key: string): JsonSchema | undefined {
  return registered.get(key) ?? defaults[key];
}

/** Every top-level key a config may hold. */
export function sectionKeys(): string[] {
  return [...new Set([...Object.keys(defaults), ...registered.keys()])].sort();
}

/** Schema of a whole config: each known section, and no other top-level key. */
export function topLevelSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const key of sectionKeys()) properties[key] = getSectionSchema(key)!;
  return { type: 'object', properties, additionalProperties: false };
}
