// Importing this module registers the datasets, the transforms and the dataloader config sections.
import './register.js';

export { CIFAR10, CIFAR10_CLASSES } from './cifar.js';
export type { Dataset, FileDataset, InMemoryDataset } from './dataset.js';
export * from './errors.js';
export { ImageFolder, ImageList } from './image_folder.js';
export { ImageDataLoader, buildDataLoader, type DataLoaderOptions } from './loader/data_loader.js';
export { DATALOADER_SCHEMA, type DataLoaderConfig } from './loader/schema.js';
export { FASHION_MNIST_CLASSES, FashionMNIST, MNIST, MNIST_CLASSES } from './mnist.js';
export { selectIndices, type SplitConfig } from './split.js';
export { Synthetic } from './synthetic.js';
export * from './transforms/index.js';
export type { Batch, DataLoader, LoaderState } from './types.js';
