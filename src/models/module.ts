import { tf, type Tensor, type Variable } from '../tf.js';

/** One way a state dict fails to fit a module: a variable missing, an extra name, or another shape. */
export interface StateDictProblem {
  name: string;
  kind: 'missing' | 'unexpected' | 'shape';
  /** Shapes in the state dict and in the module, for `kind: 'shape'`. */
  given?: number[];
  expected?: number[];
}

export class StateDictError extends Error {
  constructor(message: string, readonly problems: StateDictProblem[] = []) {
    super(message);
    this.name = 'StateDictError';
  }
}

function describeProblem(p: StateDictProblem): string {
  if (p.kind === 'missing') return `missing '${p.name}'`;
  if (p.kind === 'unexpected') return `unexpected '${p.name}'`;
  return `'${p.name}' has shape [${p.given}] but the model expects [${p.expected}]`;
}

/**
 * A PyTorch-like module on tfjs-core: named parameters (trainable variables), named buffers
 * (non-trainable state such as BN running statistics), children, a train/eval mode and a state
 * dict. tfjs-layers cannot slice channels or skip blocks per step, so dynamic ops build on this.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Variable>();
  private readonly buffers = new Map<string, Variable>();
  private readonly children = new Map<string, Module>();

  protected registerParameter(name: string, init: Tensor): Variable {
    const v = tf.variable(init, true);
    if (v !== (init as unknown)) init.dispose();
    this.params.set(name, v);
    return v;
  }

  protected registerBuffer(name: string, init: Tensor): Variable {
    const v = tf.variable(init, false);
    if (v !== (init as unknown)) init.dispose();
    this.buffers.set(name, v);
    return v;
  }

  protected addModule<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  /** Direct children in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.children.entries()];
  }

  /** This module and all descendants with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.children) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  namedParameters(prefix = ''): [string, Variable][] {
    return this.collect(prefix, (m) => m.params);
  }

  namedBuffers(prefix = ''): [string, Variable][] {
    return this.collect(prefix, (m) => m.buffers);
  }

  parameters(): Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  private collect(prefix: string, pick: (m: Module) => Map<string, Variable>): [string, Variable][] {
    const out: [string, Variable][] = [];
    for (const [path, m] of this.namedModules(prefix)) {
      for (const [name, v] of pick(m)) out.push([path ? `${path}.${name}` : name, v]);
    }
    return out;
  }

  train(on = true): this {
    for (const [, m] of this.namedModules()) m.training = on;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by dotted name (the live variables; do not dispose them). */
  stateDict(): Record<string, Variable> {
    return Object.fromEntries([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copy tensors into this module's variables, checking names and shapes. With `strict` every
   * variable must be present and no extra name allowed.
   */
  loadStateDict(state: Record<string, Tensor>, { strict = true }: { strict?: boolean } = {}): void {
    const own = this.stateDict();
    const problems: StateDictProblem[] = [];
    for (const [name, v] of Object.entries(own)) {
      const t = state[name];
      if (!t) {
        if (strict) problems.push({ name, kind: 'missing' });
        continue;
      }
      if (!tf.util.arraysEqual(t.shape, v.shape)) problems.push({ name, kind: 'shape', given: [...t.shape], expected: [...v.shape] });
    }
    if (strict) {
      for (const name of Object.keys(state)) if (!(name in own)) problems.push({ name, kind: 'unexpected' });
    }
    if (problems.length > 0) {
      const listed = problems.slice(0, 8).map(describeProblem).join('; ');
      throw new StateDictError(`State dict does not match the model: ${listed}${problems.length > 8 ? `; and ${problems.length - 8} more` : ''}.`, problems);
    }
    for (const [name, v] of Object.entries(own)) {
      const t = state[name];
      if (t) v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype));
    }
  }

  dispose(): void {
    for (const [, v] of [...this.namedParameters(), ...this.namedBuffers()]) v.dispose();
  }
}
