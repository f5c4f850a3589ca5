export { ConfigError, type ConfigErrorDetails } from './errors.js';
export { loadConfigFile, loadConfigText } from './load.js';
export { mergeInto, type TrackedConfig } from './merge.js';
export { Origins, CLI_ORIGIN } from './origins.js';
export { applyOverrides, parseOverride } from './overrides.js';
export { registerSectionSchema, getSectionSchema, sectionKeys } from './sections.js';
export { findConfigErrors, validateConfig } from './validate.js';
export { isMapping, type Mapping } from './paths.js';
export { RESERVED_KEYS, ReservedKeyError, assertNoReservedKeys, findReservedKey, isReservedKey } from './safe_keys.js';
