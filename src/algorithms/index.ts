// Importing this module registers the algorithms and subnet samplers of the core namespace.
export * from './samplers/index.js';
export { AlgorithmConfigError } from './errors.js';
export { BaseAlgorithm } from './base.js';
export { SPOS, type SPOSConfig } from './spos.js';
export { BigNAS, type BigNASConfig } from './bignas.js';
export { Distill, type DistillConfig } from './distill.js';
export { FairNAS, type FairNASConfig } from './fairnas.js';
export { RankNAS, type RankNASConfig } from './rank_nas.js';
export { SupernetDistill, type SupernetDistillConfig } from './supernet_distill.js';
export { pairwiseRankHinge, rankLossWeight, RankPrior } from './rank_loss.js';
export { AlphaDivergence, alphaDivergence } from './alpha_divergence.js';
export { ImageClassifier, type ImageClassifierConfig } from './image_classifier.js';
export { buildTeacher, type TeacherConfig } from './teacher.js';
export { resolveSubnet, fixSubnet, type SubnetSpec } from './subnet.js';
export type { Algorithm, TrainContext } from './types.js';
