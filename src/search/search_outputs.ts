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

/** What the Pareto plot says about the search that made it. */
export interface SearchPlotInfo {
  /** The searcher and the config, for the title (e.g. 'EvolutionSearch', 'resnet_mini_bignas.yaml'). */
  method?: string;
  config?: string;
  /** What `acc` is, for the y axis (e.g. 'top-1 on 1000 val_dataloader images, BN re-calibrated'). */
  score?: string;
  /** The MACs bound of the constraints, drawn as a vertical line. */
  maxMacs?: number;
}

/**
 * Write a finished search's results into `dir`: `best_subnet.yaml` (mmrazor subnet format),
 * `candidates.json` (every scored candidate: choices, macs, params, acc, generation, and whether
 * it is on the Pareto front) and `pareto.svg` (accuracy vs macs, front highlighted).
 */
export async function writeSearchOutputs(dir: string, result: SearchResult, info: SearchPlotInfo = {}): Promise<SearchOutputs> {
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
  // One unit throughout: accuracy in %, cost in M MACs, on the axes and in the title alike.
  const point = (c: { macs: number; acc: number }) => ({ x: c.macs / 1e6, y: 100 * c.acc });
  const what = [info.method, info.config && `on ${info.config}`].filter(Boolean).join(' ');
  const svg = scatterSvg({
    points: result.candidates.map(point),
    highlight: { points: front.map(point), label: 'Pareto front', connect: true },
    verticals: info.maxMacs !== undefined && Number.isFinite(info.maxMacs) ? [{ x: info.maxMacs / 1e6, label: `MACs limit ${(info.maxMacs / 1e6).toFixed(2)} M` }] : [],
    xLabel: 'M MACs',
    yLabel: `${info.score ?? 'validation top-1'} (%)`,
    title:
      `${what ? `${what}: ` : ''}${result.candidates.length} candidates; best ${(100 * result.best.acc).toFixed(2)}% ` +
      `at ${(result.best.macs / 1e6).toFixed(2)} M MACs`,
  });
  await writePlot(out.paretoPlot, svg);
  return out;
}
