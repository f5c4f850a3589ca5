import { loadTorchAddon } from '../../../src/backend/torch/addon.js';

/** Whether the libtorch engine is built here; its tests are skipped (and say so) where it is not. */
export const torchBuilt = loadTorchAddon().ok;
if (!torchBuilt) {
  console.warn(`[tfrazor tests] torch engine tests skipped: ${(loadTorchAddon() as { reason: string }).reason}`);
}
