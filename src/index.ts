// tfrazor's public API (`import {...} from 'tfrazor'`), for plugin packages and scripts: the
// registries a plugin registers into, the base classes and types it builds on, and what the tools
// use to load configs and train. Importing it registers the core classes, so a config can mix
// `type: SPOS` with a plugin's `type: myplugin/TinyMLP`.
import 'reflect-metadata';
import './register_all.js';

/** The TensorFlow.js instance every module shares: plugins must make their tensors with this one. */
export { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, type Variable } from './tf.js';

// Registries and plugin loading.
export * from './registry/registries.js';
export { Registry, RegistryError, CORE_NAMESPACE, qualify, type Ctor, type Entry, type JsonSchema, type RegisterOptions, type TypedConfig } from './registry/registry.js';
export { importPlugin, importPlugins, PluginImportError } from './registry/plugins.js';

// Errors a user can make (exit 2 in the tools) and configs.
export { UserError, isUserError } from './errors.js';
export { ConfigError, type ConfigErrorDetails, registerSectionSchema, validateConfig, findConfigErrors, type Mapping } from './config/index.js';
export { loadConfig, loadConfigFromText, importConfigPlugins, type LoadedConfig } from './cli/load_config.js';

// Writing a tool of one's own the way tools/ are written.
export { runCli, reportError, USER_ERROR_EXIT } from './cli/run.js';
export { parseToolArgs, SHARED_OPTIONS, UsageError, type ToolArgs } from './cli/args.js';
export { HelpRequest, formatHelp, type ToolHelp, type ToolOption, type ToolOptions } from './cli/help.js';

// Networks: the module tree, dynamic ops, supernet families.
export { Module, StateDictError, type StateDictProblem } from './models/module.js';
export { isSupernet, type Classifier, type Complexity, type Supernet } from './models/types.js';
export * from './models/index.js';
export * from './mutables/index.js';

// Algorithms, training, data, evaluation, search.
export * from './algorithms/index.js';
export * from './engine/index.js';
export { LoggerHook, CheckpointHook, type HookPoint } from './engine/hooks.js';
export * from './datasets/index.js';
export * from './evaluation/index.js';
export type { CandidateScorer, ScoredCandidate, SearchConstraints, SearchContext, SearchProgress, SearchResult, Searcher } from './search/types.js';
export { EvolutionSearch, RandomSearch, CandidateSpace, candidateKey, ConstraintError, readSearchCfg, type SearchCfg } from './search/index.js';

// Services and backends.
export { createServices, getLogger, getProgress, Logger, Rng, TOKENS, type LogLevel, type ProgressReporter, type ProgressPayload } from './services/index.js';
export { initBackend, BACKEND_NAMES, type BackendChoice, type BackendName } from './backend/index.js';
