import type { SubnetChoices } from '../mutables/types.js';
import { candidateKey } from './candidate_space.js';
import { ConstraintError, describeConstraints, satisfies } from './constraints.js';
import type { ScoredCandidate, SearchConstraints, SearchContext, SearchProgress } from './types.js';

/**
 * The candidates a search has scored, by key, in scoring order; scores each architecture at most
 * once and checks constraints before anything is scored.
 */
export class CandidatePool {
  private readonly byKey = new Map<string, ScoredCandidate>();
  private readonly order: ScoredCandidate[] = [];
  private seenMacs: [number, number] = [Infinity, -Infinity];
  private seenParams: [number, number] = [Infinity, -Infinity];
  rejected = 0;

  constructor(
    private readonly ctx: SearchContext,
    private readonly constraints: SearchConstraints,
    restored: readonly ScoredCandidate[] = [],
  ) {
    for (const c of restored) this.add(c);
  }

  private add(c: ScoredCandidate): void {
    this.byKey.set(candidateKey(c.choices), c);
    this.order.push(c);
  }

  has(choices: SubnetChoices): boolean {
    return this.byKey.has(candidateKey(choices));
  }

  get(choices: SubnetChoices): ScoredCandidate | undefined {
    return this.byKey.get(candidateKey(choices));
  }

  get size(): number {
    return this.order.length;
  }

  all(): ScoredCandidate[] {
    return [...this.order];
  }

  /** True if the candidate meets the constraints; records what was seen for error messages. */
  admissible(choices: SubnetChoices): boolean {
    const c = this.ctx.complexity(choices);
    this.seenMacs = [Math.min(this.seenMacs[0], c.macs), Math.max(this.seenMacs[1], c.macs)];
    this.seenParams = [Math.min(this.seenParams[0], c.params), Math.max(this.seenParams[1], c.params)];
    const ok = satisfies(c, this.constraints);
    if (!ok) this.rejected++;
    return ok;
  }

  /** Error for when no admissible candidate could be sampled. */
  noneAdmissible(tries: number): ConstraintError {
    return new ConstraintError(
      `No candidate satisfying ${describeConstraints(this.constraints)} was found in ${tries} random samples; ` +
        `the sampled subnets had macs in [${this.seenMacs.join(', ')}] and params in [${this.seenParams.join(', ')}]. ` +
        'Widen search_cfg.searcher.constraints.',
    );
  }

  /** Score a candidate unless it was scored before; returns its record. */
  async score(choices: SubnetChoices, generation: number, total: number): Promise<ScoredCandidate> {
    const known = this.get(choices);
    if (known) return known;
    const { macs, params, latency_ms: latency } = this.ctx.complexity(choices);
    const acc = await this.ctx.score(choices);
    const record: ScoredCandidate = { choices, macs, params, acc, generation, ...(latency === undefined ? {} : { latency_ms: latency }) };
    this.add(record);
    const progress: SearchProgress = { scored: this.size, total, generation };
    this.ctx.onScored?.(record, progress);
    return record;
  }
}

/**
 * Best first; equal accuracy prefers fewer macs, then the earlier-scored candidate, so the best
 * lies on the Pareto front and results do not depend on sort internals.
 */
export function rankCandidates(cands: readonly ScoredCandidate[], pool: CandidatePool): ScoredCandidate[] {
  const index = new Map(pool.all().map((c, i) => [candidateKey(c.choices), i]));
  return [...cands].sort(
    (a, b) => b.acc - a.acc || a.macs - b.macs || index.get(candidateKey(a.choices))! - index.get(candidateKey(b.choices))!,
  );
}
