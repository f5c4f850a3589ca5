import type { DataLoader } from '../datasets/types.js';
import type { Classifier } from '../models/types.js';
import { UserError } from '../errors.js';

/** A dataset the network cannot take: more classes than logits, or images with other channels. */
export class DataModelMismatchError extends UserError {}

/**
 * Refuse, before any batch is drawn, data that would fail deep inside a tf op: labels with no
 * logit (dataset classes > num_classes) or images whose channels differ from in_channels.
 * `section` is the loader's config section, `modelPath` the network's (e.g. 'model.architecture').
 */
export function checkDataFitsModel(model: Classifier, loader: DataLoader, section: string, modelPath = 'model.architecture'): void {
  const channels = (loader as { imageShape?: readonly number[] }).imageShape?.[2];
  const inChannels = model.inputShape[2];
  if (channels !== undefined && channels !== inChannels) {
    throw new DataModelMismatchError(
      `${section} gives images with ${channels} channel(s), but the network of ${modelPath} takes ${inChannels} ` +
        `(in_channels). Set ${modelPath}.in_channels=${channels}, or give the dataset ${inChannels}-channel images.`,
    );
  }
  if (loader.numClasses > model.numClasses) {
    throw new DataModelMismatchError(
      `${section} has ${loader.numClasses} classes (labels 0..${loader.numClasses - 1}), but ${modelPath}.num_classes is ` +
        `${model.numClasses}, so labels from ${model.numClasses} on have no logit. Set ${modelPath}.num_classes=${loader.numClasses}.`,
    );
  }
}
