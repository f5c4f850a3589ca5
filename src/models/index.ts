// Importing this module registers the models of the core namespace.
import { MODELS } from '../registry/registries.js';
import { ResNetSupernet } from './resnet_supernet.js';
import { MobileNetSupernet } from './mobilenet_supernet.js';
import { MOBILENET_SUPERNET_SCHEMA, RESNET_SUPERNET_SCHEMA } from './schemas.js';

MODELS.register('ResNetSupernet', ResNetSupernet, { schema: RESNET_SUPERNET_SCHEMA });
MODELS.register('MobileNetSupernet', MobileNetSupernet, { schema: MOBILENET_SUPERNET_SCHEMA });

export { ResNetSupernet, ResNetStem, resolveResNetConfig, type ResNetSupernetConfig, type ResNetSupernetInput } from './resnet_supernet.js';
export { MobileNetSupernet, InvertedResidual, resolveMobileNetConfig, type MobileNetSupernetConfig, type MobileNetSupernetInput } from './mobilenet_supernet.js';
export { DynamicSupernet, type SupernetBuildOptions } from './supernet_base.js';
export { BasicBlock, Bottleneck } from './resnet_blocks.js';
export { ConvBn, type NormOptions, type Activation } from './conv_bn.js';
export { SupernetConfigError } from './errors.js';
export * from './ops/index.js';
