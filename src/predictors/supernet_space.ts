import type { Supernet } from '../models/types.js';
import { ResNetSupernet } from '../models/resnet_supernet.js';
import type { ResNetCodeSpace } from '../track1/code_space.js';
import { codeSpaceOfSupernet } from '../track1/supernet_code_space.js';
import { PredictorError } from './types.js';

const spaces = new WeakMap<Supernet, ResNetCodeSpace>();

/** The code space of a ResNet supernet instance (its resolved config), cached per instance. */
export function codeSpaceOfInstance(supernet: Supernet): ResNetCodeSpace {
  let space = spaces.get(supernet);
  if (!space) {
    if (!(supernet instanceof ResNetSupernet)) throw new PredictorError('Predictor features are defined on architecture codes, which only ResNetSupernet spaces have.');
    space = codeSpaceOfSupernet(supernet.cfg as unknown as Record<string, unknown>);
    spaces.set(supernet, space);
  }
  return space;
}
