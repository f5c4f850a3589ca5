export {
  BACKEND_NAMES, initBackend, nativeInstallHint, parseBackendName, useBackend,
  type BackendChoice, type BackendName, type InitBackendOptions,
} from './select.js';
export { BackendUnavailableError, UnknownBackendError } from './errors.js';
export {
  activeWasmTrainingKernels, registerWasmTrainingKernels, restoreStockWasmKernels,
} from './wasm/register.js';
