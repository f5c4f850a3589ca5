import { tf, type Tensor, type Variable } from '../../tf.js';
import { OptimizerStateError, type OptimizerState, type SlotData } from './optimizer.js';

/** Named slot variables per parameter plus per-parameter step counts, with exact (de)serialisation. */
export class SlotStore {
  private readonly slots = new Map<string, Map<string, Variable>>();
  private readonly steps = new Map<string, number>();

  get(param: string, slot: string): Variable | undefined {
    return this.slots.get(param)?.get(slot);
  }

  /** Create a slot holding `init` (kept as a variable; `init` itself stays owned by the caller). */
  create(param: string, slot: string, init: Tensor): Variable {
    let bySlot = this.slots.get(param);
    if (!bySlot) this.slots.set(param, (bySlot = new Map()));
    const v = tf.variable(init, false);
    bySlot.set(slot, v);
    return v;
  }

  /** Increment and return the update count of a parameter. */
  nextStep(param: string): number {
    const n = (this.steps.get(param) ?? 0) + 1;
    this.steps.set(param, n);
    return n;
  }

  getState(): OptimizerState {
    const slots: Record<string, Record<string, SlotData>> = {};
    for (const [param, bySlot] of this.slots) {
      slots[param] = {};
      for (const [name, v] of bySlot) {
        slots[param][name] = { shape: [...v.shape], values: new Float32Array(v.dataSync() as Float32Array) };
      }
    }
    return { slots, steps: Object.fromEntries(this.steps) };
  }

  setState(state: OptimizerState, expectedShapes: Map<string, number[]>): void {
    for (const [param, bySlot] of Object.entries(state.slots)) {
      const shape = expectedShapes.get(param);
      if (!shape) {
        throw new OptimizerStateError(`Optimizer state has slots for '${param}', which is not a trainable parameter of this model.`);
      }
      for (const [name, data] of Object.entries(bySlot)) {
        if (!tf.util.arraysEqual(data.shape, shape)) {
          throw new OptimizerStateError(`Optimizer slot '${name}' of '${param}' has shape [${data.shape}] but the parameter has shape [${shape}].`);
        }
      }
    }
    this.dispose();
    for (const [param, bySlot] of Object.entries(state.slots)) {
      for (const [name, data] of Object.entries(bySlot)) {
        const t = tf.tensor(data.values, data.shape, 'float32');
        this.create(param, name, t);
        t.dispose();
      }
    }
    for (const [param, n] of Object.entries(state.steps)) this.steps.set(param, n);
  }

  dispose(): void {
    for (const bySlot of this.slots.values()) for (const v of bySlot.values()) v.dispose();
    this.slots.clear();
    this.steps.clear();
  }
}
