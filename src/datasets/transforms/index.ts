import { TRANSFORMS } from '../../registry/registries.js';
import {
  CENTER_CROP_SCHEMA,
  CenterCrop,
  NORMALIZE_SCHEMA,
  Normalize,
  RANDOM_CROP_SCHEMA,
  RANDOM_HORIZONTAL_FLIP_SCHEMA,
  RANDOM_RESIZED_CROP_SCHEMA,
  RESIZE_SCHEMA,
  RandomCrop,
  RandomHorizontalFlip,
  RandomResizedCrop,
  Resize,
  TO_TENSOR_SCHEMA,
  ToTensor,
} from './transforms.js';

// Decode workers import this module alone (not the datasets index) to register the transforms.
const entries = [
  ['RandomResizedCrop', RandomResizedCrop, RANDOM_RESIZED_CROP_SCHEMA],
  ['Resize', Resize, RESIZE_SCHEMA],
  ['CenterCrop', CenterCrop, CENTER_CROP_SCHEMA],
  ['RandomCrop', RandomCrop, RANDOM_CROP_SCHEMA],
  ['RandomHorizontalFlip', RandomHorizontalFlip, RANDOM_HORIZONTAL_FLIP_SCHEMA],
  ['Normalize', Normalize, NORMALIZE_SCHEMA],
  ['ToTensor', ToTensor, TO_TENSOR_SCHEMA],
] as const;

/** Transforms a decode worker can build (workers do not load plugins). */
export const BUILTIN_TRANSFORMS: readonly string[] = entries.map(([name]) => name);

for (const [name, ctor, schema] of entries) {
  if (!TRANSFORMS.has(name)) TRANSFORMS.register(name, ctor, { schema });
}

export * from './transforms.js';
export type * from './types.js';
export type { GeomOp, Pixels, Size } from './geometry.js';
export { CompiledPipeline, sampleRng } from './pipeline.js';
