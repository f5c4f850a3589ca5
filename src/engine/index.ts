// Importing this module registers the engine of the core namespace.
import './optim/sgd.js';
import './optim/adamw.js';
import './schedulers.js';
import './losses.js';
import './hooks.js';
import './sections.js';

export { Runner, TrainConfigError, TrainingInterruptedError, type FinalMetrics, type RunnerParts } from './runner.js';
export { buildRunner, buildHooks, type LoaderFactory, type LoaderRole, type BuildRunnerOptions } from './build_runner.js';
export { CheckpointStore, CheckpointError, CheckpointCorruptError, type Checkpoint } from './checkpoint.js';
export { captureCheckpoint, restoreCheckpoint, loadModelWeights, modelTensors } from './training_state.js';
export { DefaultOptimWrapper, type OptimWrapperConfig } from './optim/optim_wrapper.js';
export { LrSchedule } from './schedulers.js';
export { CrossEntropyLoss, KLDivergence, stopGradient } from './losses.js';
export type { Hook } from './hooks.js';
