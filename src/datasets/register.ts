// Registers the datasets, the transforms and the dataloader config sections (imported by index.ts and the loader).
import { registerSectionSchema } from '../config/sections.js';
import { DATASETS } from '../registry/registries.js';
import { CIFAR10, CIFAR10_SCHEMA } from './cifar.js';
import { IMAGE_FOLDER_SCHEMA, IMAGE_LIST_SCHEMA, ImageFolder, ImageList } from './image_folder.js';
import { DATALOADER_SCHEMA } from './loader/schema.js';
import { FASHION_MNIST_SCHEMA, FashionMNIST, MNIST, MNIST_SCHEMA } from './mnist.js';
import { SYNTHETIC_SCHEMA, Synthetic } from './synthetic.js';
import './transforms/index.js';

DATASETS.register('MNIST', MNIST, { schema: MNIST_SCHEMA });
DATASETS.register('FashionMNIST', FashionMNIST, { schema: FASHION_MNIST_SCHEMA });
DATASETS.register('CIFAR10', CIFAR10, { schema: CIFAR10_SCHEMA });
DATASETS.register('ImageFolder', ImageFolder, { schema: IMAGE_FOLDER_SCHEMA });
DATASETS.register('ImageList', ImageList, { schema: IMAGE_LIST_SCHEMA });
DATASETS.register('Synthetic', Synthetic, { schema: SYNTHETIC_SCHEMA });

for (const key of ['train_dataloader', 'val_dataloader', 'test_dataloader']) {
  registerSectionSchema(key, DATALOADER_SCHEMA);
}
