import type { Supernet } from '../models/types.js';
import type { SubnetChoices } from '../mutables/types.js';

/** A supernet that can tell which of its choices the active subnet actually uses. */
interface WithActiveChoices extends Supernet {
  activeChoices(): SubnetChoices;
}

function hasActiveChoices(s: Supernet): s is WithActiveChoices {
  return typeof (s as unknown as { activeChoices?: unknown }).activeChoices === 'function';
}

/**
 * The same subnet with every choice it does not use (e.g. the width of a block beyond its stage's
 * depth) set to that mutable's max, as the Track-1 decoder does, so that equal architectures get
 * equal keys and a search never scores one twice. Supernets that cannot report their active
 * choices get the choices back unchanged. The supernet's current subnet is restored.
 */
export function canonicalChoices(supernet: Supernet, choices: SubnetChoices): SubnetChoices {
  if (!hasActiveChoices(supernet)) return choices;
  const before = supernet.mutator.current();
  supernet.mutator.set(choices);
  const active = supernet.activeChoices();
  supernet.mutator.set(before);
  const out: SubnetChoices = {};
  for (const m of supernet.mutator.mutables) {
    if (!(m.alias in choices)) continue;
    out[m.alias] = m.alias in active ? active[m.alias]! : m.max;
  }
  return out;
}
