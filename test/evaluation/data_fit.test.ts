import { describe, expect, it } from 'vitest';
import { checkDataFitsModel, DataModelMismatchError } from '../../src/evaluation/data_fit.js';
import type { Classifier } from '../../src/models/types.js';
import type { DataLoader } from '../../src/datasets/types.js';
import { isUserError } from '../../src/errors.js';

const model = (numClasses: number, channels: number) => ({ numClasses, inputShape: [8, 8, channels] }) as unknown as Classifier;
const loader = (numClasses: number, channels: number) => ({ numClasses, imageShape: [8, 8, channels] }) as unknown as DataLoader;

describe('checkDataFitsModel', () => {
  it('refuses labels without a logit and images with other channels, naming the sections and the key to set', () => {
    const classes = () => checkDataFitsModel(model(2, 1), loader(3, 1), 'train_dataloader');
    expect(classes).toThrow(DataModelMismatchError);
    expect(classes).toThrow(/^train_dataloader has 3 classes \(labels 0\.\.2\), but model\.architecture\.num_classes is 2.*Set model\.architecture\.num_classes=3\.$/);
    const channels = () => checkDataFitsModel(model(3, 1), loader(3, 3), 'val_dataloader', 'model');
    expect(channels).toThrow(/^val_dataloader gives images with 3 channel\(s\), but the network of model takes 1 \(in_channels\)\. Set model\.in_channels=3/);
    try {
      channels();
    } catch (e) {
      expect(isUserError(e)).toBe(true);
    }
  });

  it('accepts matching data and more logits than classes', () => {
    checkDataFitsModel(model(3, 1), loader(3, 1), 'train_dataloader');
    checkDataFitsModel(model(10, 3), loader(4, 3), 'train_dataloader');
  });
});
