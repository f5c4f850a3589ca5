import type { Rng } from '../services/rng.js';

/** A searchable choice (a width, a depth, a kernel size...) identified by a dotted alias. */
export interface Mutable {
  readonly alias: string;
  readonly choices: readonly number[];
  currentChoice: number;
  readonly min: number;
  readonly max: number;
  sample(rng: Rng): number;
  /** Freeze to one choice (a subnet exported from the space). */
  fixChosen(choice: number): void;
  readonly isFixed: boolean;
}

/** Choices of a whole subnet: alias -> chosen value. */
export type SubnetChoices = Record<string, number>;

/** All mutables of a model, as one object that samples and sets subnets. */
export interface Mutator {
  readonly mutables: readonly Mutable[];
  sample(rng: Rng): SubnetChoices;
  setMax(): SubnetChoices;
  setMin(): SubnetChoices;
  current(): SubnetChoices;
  set(choices: SubnetChoices): void;
}
