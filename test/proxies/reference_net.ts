// A float64 plain-JavaScript reference for proxy graphs, written loop by loop (no tfjs), so the
// proxies' tfjs code is checked against arithmetic that shares nothing with it. Gradients come from
// central finite differences of this forward pass.
import type { ProxyGraph, ProxyOp } from '../../src/proxies/graph.js';
import type { ProxyParams } from '../../src/proxies/params.js';

export interface Arr {
  shape: number[];
  data: Float64Array;
}

export type RefWeights = Map<string, Arr>;

export interface RefOptions {
  bn: 'batch' | 'identity';
  residual: boolean;
  until?: 'features' | 'logits';
  /** Adds `delta` to element `index` of the output of conv/linear `name` (finite differences of dL/da). */
  perturb?: { name: string; index: number; delta: number };
  /** Receives each ReLU input, each conv/linear output, each BN's per-channel biased variance and count. */
  onAct?: (x: Arr) => void;
  onLayer?: (name: string, y: Arr) => void;
  onBn?: (variances: number[], count: number) => void;
}

export function refWeights(params: ProxyParams): RefWeights {
  return new Map([...params].map(([k, t]) => [k, { shape: [...t.shape], data: Float64Array.from(t.dataSync()) }]));
}

const at4 = (s: number[], n: number, h: number, w: number, c: number) => ((n * s[1]! + h) * s[2]! + w) * s[3]! + c;

function conv(x: Arr, wt: Arr, stride: number, depthwise: boolean): Arr {
  const [n, hIn, wIn, cIn] = x.shape as [number, number, number, number];
  const k = wt.shape[0]!;
  const pad = Math.floor(k / 2);
  const cOut = depthwise ? cIn : wt.shape[3]!;
  const hOut = Math.floor((hIn + 2 * pad - k) / stride) + 1;
  const wOut = Math.floor((wIn + 2 * pad - k) / stride) + 1;
  const y: Arr = { shape: [n, hOut, wOut, cOut], data: new Float64Array(n * hOut * wOut * cOut) };
  for (let b = 0; b < n; b++) for (let i = 0; i < hOut; i++) for (let j = 0; j < wOut; j++) for (let o = 0; o < cOut; o++) {
    let s = 0;
    for (let di = 0; di < k; di++) for (let dj = 0; dj < k; dj++) {
      const hi = i * stride + di - pad;
      const wj = j * stride + dj - pad;
      if (hi < 0 || hi >= hIn || wj < 0 || wj >= wIn) continue;
      if (depthwise) s += x.data[at4(x.shape, b, hi, wj, o)]! * wt.data[((di * k + dj) * cIn + o) * 1]!;
      else for (let c = 0; c < cIn; c++) s += x.data[at4(x.shape, b, hi, wj, c)]! * wt.data[((di * k + dj) * cIn + c) * cOut + o]!;
    }
    y.data[at4(y.shape, b, i, j, o)] = s;
  }
  return y;
}

function batchNorm(x: Arr, gamma: Arr, beta: Arr, eps: number, onBn?: RefOptions['onBn']): Arr {
  const c = x.shape[3]!;
  const count = x.data.length / c;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  for (let i = 0; i < x.data.length; i++) mean[i % c] += x.data[i]! / count;
  for (let i = 0; i < x.data.length; i++) variance[i % c] += (x.data[i]! - mean[i % c]!) ** 2 / count;
  onBn?.(variance, count);
  const y = { shape: x.shape, data: new Float64Array(x.data.length) };
  for (let i = 0; i < x.data.length; i++) {
    const ch = i % c;
    y.data[i] = ((x.data[i]! - mean[ch]!) / Math.sqrt(variance[ch]! + eps)) * gamma.data[ch]! + beta.data[ch]!;
  }
  return y;
}

const map = (x: Arr, f: (v: number) => number): Arr => ({ shape: x.shape, data: x.data.map(f) });

export function refForward(graph: ProxyGraph, w: RefWeights, x: Arr, options: RefOptions): Arr {
  const layerOut = (name: string, y: Arr): Arr => {
    options.onLayer?.(name, y);
    const p = options.perturb;
    if (p && p.name === name) {
      const data = Float64Array.from(y.data);
      data[p.index]! += p.delta;
      return { shape: y.shape, data };
    }
    return y;
  };
  const act = (v: Arr, fn: 'relu' | 'relu6'): Arr => {
    options.onAct?.(v);
    return map(v, fn === 'relu' ? (t) => Math.max(0, t) : (t) => Math.min(6, Math.max(0, t)));
  };
  const run = (ops: readonly ProxyOp[], input: Arr): Arr => {
    let v = input;
    for (const o of ops) {
      if (o.op === 'conv') v = layerOut(o.name, conv(v, w.get(`${o.name}.weight`)!, o.stride, o.depthwise));
      else if (o.op === 'bn') {
        if (options.bn === 'batch') v = batchNorm(v, w.get(`${o.name}.gamma`)!, w.get(`${o.name}.beta`)!, o.eps, options.onBn);
      } else if (o.op === 'act') v = act(v, o.fn);
      else if (o.op === 'residual') {
        let sum = run(o.branch, v);
        if (options.residual) {
          const skip = o.shortcut ? run(o.shortcut, v) : v;
          sum = { shape: sum.shape, data: sum.data.map((t, i) => t + skip.data[i]!) };
        }
        v = o.post === 'relu' ? act(sum, 'relu') : sum;
      } else if (o.op === 'gap') {
        if (options.until === 'features') return v;
        const [n, h, wd, c] = v.shape as [number, number, number, number];
        const data = new Float64Array(n * c);
        for (let i = 0; i < v.data.length; i++) data[Math.floor(i / (h * wd * c)) * c + (i % c)] += v.data[i]! / (h * wd);
        v = { shape: [n, c], data };
      } else if (o.op === 'linear') {
        const wt = w.get(`${o.name}.weight`)!;
        const bias = w.get(`${o.name}.bias`);
        const [n, cin] = v.shape as [number, number];
        const data = new Float64Array(n * o.cout);
        for (let b = 0; b < n; b++) for (let j = 0; j < o.cout; j++) {
          let s = bias ? bias.data[j]! : 0;
          for (let i = 0; i < cin; i++) s += v.data[b * cin + i]! * wt.data[i * o.cout + j]!;
          data[b * o.cout + j] = s;
        }
        v = layerOut(o.name, { shape: [n, o.cout], data });
      } else throw new Error(`reference: op ${o.op} not implemented`);
    }
    return v;
  };
  return run(graph.ops, x);
}

/** Mean softmax cross-entropy. */
export function refLoss(logits: Arr, labels: readonly number[]): number {
  const [n, k] = logits.shape as [number, number];
  let total = 0;
  for (let b = 0; b < n; b++) {
    const row = Array.from(logits.data.subarray(b * k, (b + 1) * k));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    total += lse - row[labels[b]!]!;
  }
  return total / n;
}

/** Central finite-difference gradient of f with respect to every element of w[name]. */
export function numericGrad(w: RefWeights, name: string, f: (w: RefWeights) => number, h = 1e-5): Float64Array {
  const target = w.get(name)!;
  const g = new Float64Array(target.data.length);
  for (let i = 0; i < g.length; i++) {
    const orig = target.data[i]!;
    target.data[i] = orig + h;
    const up = f(w);
    target.data[i] = orig - h;
    const down = f(w);
    target.data[i] = orig;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}
