// Which subnets the ranking ground truth trains: a seeded sample stratified over MACs.
import { buildSupernetForCounting, complexityOfSubnets, findArchitectureConfig } from '../../src/models/complexity.js';
import type { Supernet } from '../../src/models/types.js';
import { Rng } from '../../src/services/rng.js';
import type { ResNetCodeSpace } from '../../src/track1/code_space.js';
import { codeSpaceOfConfig } from '../../src/track1/supernet_code_space.js';

export interface GtSubnet {
  /** Track-1 key (arch1, arch2, ... in increasing MACs stratum). */
  key: string;
  /** Code in the space's Track-1 format. */
  arch: string;
  macs: number;
  params: number;
}

export interface StratifiedSampleOptions {
  /** Subnets to pick, one per MACs stratum. */
  count: number;
  seed: number;
  /** Uniformly drawn candidates the strata are filled from. */
  poolSize: number;
  /**
   * Strata of equal width in MACs ('linear') or in log MACs ('log'). Accuracy grows roughly with
   * log MACs, so log strata spread the sample's accuracies evenly instead of crowding it into the
   * saturated top of the range.
   */
  scale?: 'linear' | 'log';
  /**
   * How the pool is drawn: 'uniform' (each mutable's choice uniform, as the samplers do) or
   * 'capacity' (a capacity level t ~ U(0, 1) per candidate; each mutable takes the choice nearest
   * t along its sorted choices, moved one step either way at random, or with probability 1/2 a
   * uniform choice). Uniform draws almost never reach the ends of the MACs range (their MACs
   * concentrate around the middle); the capacity pool spans min to max subnet while its choices stay
   * mixed, so MACs alone do not decide a subnet.
   */
  pool?: 'uniform' | 'capacity';
}

function drawChoices(net: Supernet, rng: Rng, pool: 'uniform' | 'capacity'): Record<string, number> {
  const choices: Record<string, number> = {};
  const level = pool === 'capacity' ? rng.random() : 0;
  for (const m of net.mutator.mutables) {
    const options = [...(m.choices as readonly number[])].sort((a, b) => a - b);
    if (pool === 'uniform' || rng.random() < 0.5) {
      choices[m.alias] = rng.choice(options);
      continue;
    }
    const nearest = Math.round(level * (options.length - 1)) + rng.choice([-1, 0, 1]);
    choices[m.alias] = options[Math.min(options.length - 1, Math.max(0, nearest))]!;
  }
  return choices;
}

/** The counting supernet and code space of a config (no tensors allocated). */
export async function spaceOf(config: Record<string, unknown>, file: string): Promise<{ net: Supernet; space: ResNetCodeSpace }> {
  await import('../../src/register_all.js');
  return { net: buildSupernetForCounting(findArchitectureConfig(config, file), file), space: codeSpaceOfConfig(config) };
}

/**
 * Draw `poolSize` subnets uniformly (each mutable's choice uniform, as the samplers do), split the
 * pool's MACs range into `count` equal-width strata and pick one seeded candidate per stratum; an
 * empty stratum takes the unused candidate nearest its centre, so the sample always has `count`.
 */
export function stratifiedSample(net: Supernet, space: ResNetCodeSpace, opts: StratifiedSampleOptions): GtSubnet[] {
  const rng = new Rng(`gt-subnets:${opts.seed}`);
  const seen = new Map<string, Record<string, number>>();
  for (let i = 0; i < opts.poolSize * 4 && seen.size < opts.poolSize; i++) {
    const choices = drawChoices(net, rng, opts.pool ?? 'uniform');
    const code = space.encode(choices);
    if (!seen.has(code)) seen.set(code, space.decode(code));
  }
  const codes = [...seen.keys()];
  const costs = complexityOfSubnets(net, seen.values());
  const pool = codes.map((arch, i) => ({ arch, macs: costs[i]!.macs, params: costs[i]!.params }));
  if (pool.length < opts.count) throw new Error(`The space has only ${pool.length} distinct subnets in the pool, fewer than ${opts.count}.`);
  const axis = opts.scale === 'log' ? Math.log : (x: number) => x;
  const lo = Math.min(...pool.map((p) => axis(p.macs)));
  const hi = Math.max(...pool.map((p) => axis(p.macs)));
  const width = (hi - lo) / opts.count;
  const used = new Set<string>();
  const picked: Omit<GtSubnet, 'key'>[] = [];
  for (let b = 0; b < opts.count; b++) {
    const inBin = pool.filter((p) => !used.has(p.arch) && (axis(p.macs) - lo >= b * width) && (b === opts.count - 1 || axis(p.macs) - lo < (b + 1) * width));
    const centre = lo + (b + 0.5) * width;
    const pick = inBin.length > 0
      ? rng.choice(inBin)
      : pool.filter((p) => !used.has(p.arch)).reduce((best, p) => (Math.abs(axis(p.macs) - centre) < Math.abs(axis(best.macs) - centre) ? p : best));
    used.add(pick.arch);
    picked.push(pick);
  }
  picked.sort((a, b) => a.macs - b.macs);
  return picked.map((p, i) => ({ key: `arch${i + 1}`, ...p }));
}

/** Training order: a seeded shuffle, so that a partial ground truth still spans the MACs range. */
export function trainingOrder(subnets: readonly GtSubnet[], seed: number): GtSubnet[] {
  return new Rng(`gt-order:${seed}`).shuffle([...subnets]);
}
