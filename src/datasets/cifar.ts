import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults } from './defaults.js';
import { COMMON_DATASET_PROPERTIES, InMemoryImages, type CommonDatasetConfig, type ImageArrays } from './dataset.js';
import { DatasetFormatError, DatasetNotFoundError, LabelOutOfRangeError } from './errors.js';

export interface Cifar10Config extends CommonDatasetConfig {
  data_root: string;
  subset: 'train' | 'test';
}

export const CIFAR10_SCHEMA = {
  type: 'object',
  properties: {
    data_root: {
      type: 'string',
      description: 'Folder with data_batch_1.bin .. data_batch_5.bin and test_batch.bin (or its cifar-10-batches-bin sub-folder).',
    },
    subset: { type: 'string', enum: ['train', 'test'], default: 'train', description: 'Official train (50,000) or test (10,000) set.' },
    ...COMMON_DATASET_PROPERTIES,
  },
  required: ['data_root'],
  additionalProperties: false,
};

export const CIFAR10_CLASSES = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

const CIFAR_HELP =
  'CIFAR-10 is read from the official binary version (cifar-10-binary.tar.gz from ' +
  'https://www.cs.toronto.edu/~kriz/cifar.html): extract it and set data_root to the folder holding ' +
  'data_batch_1.bin .. data_batch_5.bin and test_batch.bin (records of 1 label byte + 3072 pixel bytes, R, G, B planes of 32x32).';

function batchFiles(root: string, subset: 'train' | 'test'): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new DatasetNotFoundError(root, 'CIFAR-10 folder', CIFAR_HELP);
  const nested = join(root, 'cifar-10-batches-bin');
  const dir = existsSync(join(root, 'test_batch.bin')) || !existsSync(nested) ? root : nested;
  const names = subset === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  return names.map((name) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new DatasetNotFoundError(path, 'CIFAR-10 batch file', CIFAR_HELP);
    return path;
  });
}

/** Decode batch files into HWC uint8 images (the files store CHW planes). */
function readBatches(files: string[]): ImageArrays {
  const buffers = files.map((path) => {
    const buf = readFileSync(path);
    if (buf.length === 0 || buf.length % RECORD !== 0) {
      throw new DatasetFormatError(path, `records of ${RECORD} bytes (1 label + 3x32x32 pixels), file has ${buf.length} bytes. ${CIFAR_HELP}`);
    }
    return { path, buf };
  });
  const count = buffers.reduce((n, b) => n + b.buf.length / RECORD, 0);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { path, buf } of buffers) {
    for (let r = 0; r < buf.length / RECORD; r++, n++) {
      const rec = r * RECORD;
      const label = buf[rec]!;
      if (label >= CIFAR10_CLASSES.length) throw new LabelOutOfRangeError(path, label, CIFAR10_CLASSES.length, `record ${r}`);
      labels[n] = label;
      const out = n * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        images[out + 3 * p] = buf[rec + 1 + p]!;
        images[out + 3 * p + 1] = buf[rec + 1 + PLANE + p]!;
        images[out + 3 * p + 2] = buf[rec + 1 + 2 * PLANE + p]!;
      }
    }
  }
  return { images, labels, count, height: SIDE, width: SIDE, channels: 3 };
}

/** CIFAR-10 from the official binary batches in data_root: 32x32 RGB, 50,000 train / 10,000 test. */
export class CIFAR10 extends InMemoryImages {
  constructor(cfg: Partial<Cifar10Config>) {
    const c = withDefaults<Cifar10Config>(CIFAR10_SCHEMA, cfg);
    super(readBatches(batchFiles(c.data_root, c.subset)), CIFAR10_CLASSES, c);
  }
}
