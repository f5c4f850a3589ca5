import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import sharp from 'sharp';
import { UserError } from '../errors.js';

export interface PlotPoint {
  x: number;
  y: number;
}

export interface ScatterSvgOptions {
  points: readonly PlotPoint[];
  xLabel: string;
  yLabel: string;
  title: string;
  /** A second series drawn on top (e.g. a Pareto front), joined by a line in x order when `connect`. */
  highlight?: { points: readonly PlotPoint[]; label?: string; connect?: boolean };
  /** Draw y = x (where both axes use the same quantity, e.g. predicted vs true accuracy). */
  identity?: boolean;
  /** Draw the least-squares line y = a + b x through `points`. */
  fit?: boolean;
  /** Vertical lines, e.g. a constraint: `{x: 4, label: 'MACs limit 4 M'}`. */
  verticals?: readonly { x: number; label: string }[];
  width?: number;
  height?: number;
}

export class PlotError extends UserError {}

// The top margin holds the title and, below it, the legend, so neither covers data.
const MARGIN = { left: 72, right: 24, top: 64, bottom: 56 };
const COLORS = { points: '#1f77b4', highlight: '#d62728', identity: '#7f7f7f', fit: '#2ca02c', vertical: '#9467bd' };

/** Least-squares intercept and slope of y on x; undefined when x is constant. */
export function leastSquares(points: readonly PlotPoint[]): { a: number; b: number } | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = points.reduce((t, p) => t + p.x, 0) / n;
  const my = points.reduce((t, p) => t + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return undefined;
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About `target` round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (lo === hi) return [lo];
  const raw = (hi - lo) / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  // d3's rule: round the raw step to the nearest of 1, 2, 5, 10 times a power of ten (geometrically).
  const err = raw / pow;
  const step = pow * (err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1);
  const ticks: number[] = [];
  // Round to the step's decimals so ticks print as 0.3, not 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(decimals)));
  return ticks;
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const pad = hi > lo ? (hi - lo) * 0.04 : Math.abs(lo) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

/** A scatter plot as a self-contained SVG document (axes, ticks, labels, title). */
export function scatterSvg(options: ScatterSvgOptions): string {
  const { points, xLabel, yLabel, title, highlight } = options;
  const width = options.width ?? 720;
  const height = options.height ?? 540;
  const all = [...points, ...(highlight?.points ?? [])];
  if (all.length === 0) throw new PlotError(`Cannot plot "${title}": no points.`);
  if (all.some((p) => !Number.isFinite(p.x) || !Number.isFinite(p.y))) throw new PlotError(`Cannot plot "${title}": a point is not finite.`);
  const [x0, x1] = extent([...all.map((p) => p.x), ...(options.verticals ?? []).map((v) => v.x)]);
  const [y0, y1] = extent(all.map((p) => p.y));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const f = (v: number) => v.toFixed(1);
  // Many points: smaller, fainter dots so density stays readable.
  const r = points.length > 5000 ? 1.2 : points.length > 500 ? 2 : 3;
  const opacity = points.length > 5000 ? 0.25 : points.length > 500 ? 0.5 : 0.8;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`);
  const axisY = MARGIN.top + plotH;
  for (const t of niceTicks(x0, x1)) {
    const x = f(sx(t));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${axisY}" stroke="#eee"/>`);
    out.push(`<line x1="${x}" y1="${axisY}" x2="${x}" y2="${axisY + 5}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${axisY + 18}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    const y = f(sy(t));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#eee"/>`);
    out.push(`<line x1="${MARGIN.left - 5}" y1="${y}" x2="${MARGIN.left}" y2="${y}" stroke="black"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${t}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="black"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  const legend: { label: string; color: string; dash?: string; marker?: boolean }[] = [];
  // Lines are clipped to the data area, so a reference line never runs over the axes.
  out.push(`<clipPath id="data"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath>`);
  // Drawn after the points, so dense clouds do not hide them.
  const refs: string[] = [];
  const line = (xa: number, ya: number, xb: number, yb: number, color: string, dash: string) =>
    refs.push(`<line x1="${f(sx(xa))}" y1="${f(sy(ya))}" x2="${f(sx(xb))}" y2="${f(sy(yb))}" stroke="${color}" stroke-width="1.2" stroke-dasharray="${dash}" clip-path="url(#data)"/>`);
  if (options.identity) {
    line(Math.min(x0, y0), Math.min(x0, y0), Math.max(x1, y1), Math.max(x1, y1), COLORS.identity, '6 4');
    legend.push({ label: 'y = x', color: COLORS.identity, dash: '6 4' });
  }
  const fitted = options.fit ? leastSquares(points) : undefined;
  if (fitted) {
    line(x0, fitted.a + fitted.b * x0, x1, fitted.a + fitted.b * x1, COLORS.fit, '2 3');
    legend.push({ label: `least squares: y = ${fitted.a.toPrecision(3)} + ${fitted.b.toPrecision(3)} x`, color: COLORS.fit, dash: '2 3' });
  }
  for (const v of options.verticals ?? []) {
    line(v.x, y0, v.x, y1, COLORS.vertical, '4 2');
    legend.push({ label: v.label, color: COLORS.vertical, dash: '4 2' });
  }
  out.push(`<g fill="${COLORS.points}" fill-opacity="${opacity}">`);
  for (const p of points) out.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="${r}"/>`);
  out.push('</g>');
  out.push(...refs);
  if (highlight && highlight.points.length > 0) {
    if (highlight.connect) {
      const path = [...highlight.points].sort((a, b) => a.x - b.x).map((p) => `${f(sx(p.x))},${f(sy(p.y))}`).join(' ');
      out.push(`<polyline points="${path}" fill="none" stroke="${COLORS.highlight}" stroke-width="1.5"/>`);
    }
    out.push(`<g fill="${COLORS.highlight}">`);
    for (const p of highlight.points) out.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="3.5"/>`);
    out.push('</g>');
    if (highlight.label) legend.unshift({ label: highlight.label, color: COLORS.highlight, marker: true });
  }
  // The legend: one row in the top margin, between the title and the data area.
  let lx = MARGIN.left;
  const ly = MARGIN.top - 14;
  for (const entry of legend) {
    if (entry.marker) out.push(`<circle cx="${lx + 9}" cy="${ly}" r="3.5" fill="${entry.color}"/>`);
    else out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${entry.color}" stroke-width="1.5" stroke-dasharray="${entry.dash}"/>`);
    out.push(`<text x="${lx + 24}" y="${ly}" dominant-baseline="middle">${escapeXml(entry.label)}</text>`);
    lx += 24 + 7 * entry.label.length + 18;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Write an SVG document as `.svg`, or rendered to `.png` with sharp, through a temporary file. */
export async function writePlot(path: string, svg: string): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new PlotError(`Plot file ${path}: the name must end in .svg or .png.`);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  if (ext === '.svg') writeFileSync(tmp, svg);
  else await sharp(Buffer.from(svg)).png().toFile(tmp);
  renameSync(tmp, path);
}
