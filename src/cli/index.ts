export { runCli, reportError, USER_ERROR_EXIT } from './run.js';
export { parseToolArgs, SHARED_OPTIONS, UsageError, type ToolArgs } from './args.js';
export { loadConfig, loadConfigFromText, type LoadedConfig } from './load_config.js';
export { UserError, isUserError } from '../errors.js';
export { formatHelp, HelpRequest, commandOf, setCommandNamer, type ToolHelp, type ToolOption, type ToolOptions } from './help.js';
