import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlotError, leastSquares, niceTicks, scatterSvg, writePlot } from '../../src/evaluation/plots.js';
import { tempDir } from '../track1/helpers.js';

describe('scatterSvg', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0.58, 0.82)).toEqual([0.6, 0.65, 0.7, 0.75, 0.8]);
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(1.3e9, 4.9e9)).toEqual([1.5e9, 2e9, 2.5e9, 3e9, 3.5e9, 4e9, 4.5e9]);
  });

  it('draws every point, the axes, escaped labels and a highlighted series', () => {
    const svg = scatterSvg({
      points: [{ x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 1 }],
      highlight: { points: [{ x: 3, y: 1 }, { x: 1, y: 2 }], label: 'Pareto front', connect: true },
      xLabel: 'macs <G>',
      yLabel: 'acc & more',
      title: 'tau 0.5',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3 + 2 + 1); // points, highlight, legend marker
    expect(svg).toContain('macs &lt;G&gt;');
    expect(svg).toContain('acc &amp; more');
    expect(svg).toContain('>tau 0.5</text>');
    expect(svg).toContain('Pareto front');
    // The front is joined in x order: the point at x = 1 comes first.
    const poly = /<polyline points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
    expect(poly[0]).toBeLessThan(poly[1]!);
    expect(() => scatterSvg({ points: [], xLabel: 'x', yLabel: 'y', title: 't' })).toThrow(PlotError);
  });

  it('draws y = x, the least-squares line and vertical limits, with the legend above the data area', () => {
    const points = [{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]; // y = 1 + 2x exactly
    expect(leastSquares(points)).toEqual({ a: 1, b: 2 });
    expect(leastSquares([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeUndefined();
    const svg = scatterSvg({
      points, xLabel: 'x', yLabel: 'y', title: 't', identity: true, fit: true, verticals: [{ x: 3, label: 'MACs limit 3 M' }],
      highlight: { points: [points[2]!], label: 'Pareto front' },
    });
    const lines = [...svg.matchAll(/<line [^>]*clip-path="url\(#data\)"[^>]*>/g)].map((m) => m[0]);
    expect(lines).toHaveLength(3);
    expect(svg).toContain('>y = x</text>');
    expect(svg).toContain('>least squares: y = 1.00 + 2.00 x</text>');
    expect(svg).toContain('>MACs limit 3 M</text>');
    // The vertical line is inside the x range, which grew to hold it.
    const data = /<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="none"/.exec(svg)!.slice(1).map(Number);
    const vertical = /x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"[^>]*stroke="#9467bd"/.exec(svg)!;
    expect(Number(vertical[1])).toBe(Number(vertical[2]));
    expect(Number(vertical[1])).toBeLessThanOrEqual(data[0]! + data[2]!);
    // Every legend label sits above the data area's top edge, below the title.
    for (const label of ['Pareto front', 'y = x', 'MACs limit 3 M']) {
      const y = Number(new RegExp(`<text x="[\\d.]+" y="([\\d.]+)"[^>]*>${label}</text>`).exec(svg)![1]);
      expect(y, label).toBeLessThan(data[1]!);
      expect(y, label).toBeGreaterThan(20);
    }
  });

  it('writes .svg as is and renders .png with sharp', async () => {
    const dir = tempDir();
    const svg = scatterSvg({ points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], xLabel: 'x', yLabel: 'y', title: 't', width: 200, height: 150 });
    await writePlot(join(dir, 'a.svg'), svg);
    expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toBe(svg);
    await writePlot(join(dir, 'a.png'), svg);
    const png = readFileSync(join(dir, 'a.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(200); // IHDR width
    await expect(writePlot(join(dir, 'a.jpg'), svg)).rejects.toThrow(/\.svg or \.png/);
  });
});
