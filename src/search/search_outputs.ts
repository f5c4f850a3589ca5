import { join } from 'node:path';
import { saveSubnet } from '../mutables/subnet_yaml.js';
import { scatterSvg, writePlot } from '../evaluation/plots.js';
import { writeJsonAtomic } from './search_state.js';
import { paretoFront } from './pareto.js';
import type { SearchResult } from './types.js';

export interface SearchOutputs {
  bestSubnet: string;
  candidates: string;
  paretoPlot: string;
}

/**
 * Write a finished search's results into `dir`: `best_subnet.yaml` (mmrazor subnet format),
 * `candidates.json` (every scored candidate: choices, macs, params, acc, generation, and whether
 * it is on the Pareto front) and `pareto.svg` (accuracy vs macs, front highlighted).
 */
export async function writeSearchOutputs(dir: string, result: SearchResult): Promise<SearchOutputs> {
  const out: SearchOutputs = {
    bestSubnet: join(dir, 'best_subnet.yaml'),
    candidates: join(dir, 'candidates.json'),
    paretoPlot: join(dir, 'pareto.svg'),
  };
  saveSubnet(out.bestSubnet, result.best.choices);
  const front = paretoFront(result.candidates);
  const onFront = new Set(front);
  writeJsonAtomic(out.candidates, {
    best: result.best,
    candidates: result.candidates.map((c) => ({ ...c, pareto: onFront.has(c) })),
  });
  const point = (c: { macs: number; acc: number }) => ({ x: c.macs / 1e6, y: c.acc });
  const svg = scatterSvg({
    points: result.candidates.map(point),
    highlight: { points: front.map(point), label: 'Pareto front', connect: true },
    xLabel: 'MMACs',
    yLabel: 'validation top-1',
    title: `${result.candidates.length} candidates; best top-1 ${(100 * result.best.acc).toFixed(2)}% at ${(result.best.macs / 1e6).toFixed(2)} MMACs`,
  });
  await writePlot(out.paretoPlot, svg);
  return out;
}
