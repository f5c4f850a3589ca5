export { DynamicConv2d, DynamicOpError, type DynamicConv2dOptions } from './dynamic_conv2d.js';
export { DynamicBatchNorm2d, batchNormLayers, setBatchNormMomentum, type DynamicBatchNorm2dOptions } from './dynamic_batchnorm2d.js';
export { DynamicLinear, type DynamicLinearOptions } from './dynamic_linear.js';
export { DynamicSequential, type Layer } from './dynamic_sequential.js';
export { buildContext, kaimingNormalFanOut, linearDefault, type BuildContext } from './build_context.js';
export { chainCosts, windowOutput, isCosted, type Costed, type ModuleCost, type SpatialSize } from './cost.js';
