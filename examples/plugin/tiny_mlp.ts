import { Module, tf, type Classifier, type Tensor, type Tensor4D } from 'tfrazor';

export interface TinyMLPConfig {
  type: string;
  hidden: number;
  num_classes: number;
  input_shape: [number, number, number];
  seed: number;
}

export const TINY_MLP_SCHEMA = {
  type: 'object',
  description: 'Two fully connected layers with ReLU, on flattened images.',
  properties: {
    hidden: { type: 'integer', minimum: 1, default: 16, description: 'Width of the hidden layer.' },
    num_classes: { type: 'integer', minimum: 2, default: 10, description: 'Number of output logits.' },
    input_shape: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 3,
      maxItems: 3,
      default: [28, 28, 1],
      description: 'Input [H, W, C].',
    },
    seed: { type: 'integer', default: 0, description: 'Seed of the weight initialisation.' },
  },
  additionalProperties: false,
};

/** A plugin classifier: flatten, dense + ReLU, dense; He-initialised from a seed. */
export class TinyMLP extends Module implements Classifier {
  readonly numClasses: number;
  readonly inputShape: [number, number, number];
  private readonly w1;
  private readonly b1;
  private readonly w2;
  private readonly b2;

  constructor(cfg: TinyMLPConfig) {
    super();
    this.numClasses = cfg.num_classes;
    this.inputShape = cfg.input_shape;
    const inputs = cfg.input_shape.reduce((a, b) => a * b, 1);
    this.w1 = this.registerParameter('fc1.weight', tf.randomNormal([inputs, cfg.hidden], 0, Math.sqrt(2 / inputs), 'float32', cfg.seed));
    this.b1 = this.registerParameter('fc1.bias', tf.zeros([cfg.hidden]));
    this.w2 = this.registerParameter('fc2.weight', tf.randomNormal([cfg.hidden, cfg.num_classes], 0, Math.sqrt(2 / cfg.hidden), 'float32', cfg.seed + 1));
    this.b2 = this.registerParameter('fc2.bias', tf.zeros([cfg.num_classes]));
  }

  forward(x: Tensor4D): Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0], -1]);
      const hidden = tf.relu(tf.add(tf.matMul(flat, this.w1), this.b1));
      return tf.add(tf.matMul(hidden, this.w2), this.b2);
    });
  }
}
