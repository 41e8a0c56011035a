// chart-math.js - the numbers behind every chart, without DOM (tests run it in Node): log-axis
// ticks, y ranges, the training page's series (iteration losses with a smoothed twin, per-epoch
// metrics), moving averages and thinning of long curves, colours (per optimizer, shades of one
// colour, heatmap cells) and a text summary of a chart for screen readers. web/ui/chart.js draws.

/** Drawn points per series at most (long runs are thinned for drawing; the data kept is complete). */
export const MAX_POINTS = 4000;

/** Ticks of a log axis from min to max: powers of ten, with 2 and 5 between them when the range spans <= 2 decades. */
export function logSplits(min, max) {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  const mults = hi - lo <= 2 ? [1, 2, 5] : [1];
  const step = Math.max(1, Math.ceil((hi - lo) / 8));     // at most about 8 decades labelled: ticks never run into each other
  const out = [];
  for (let e = lo; e <= hi; e += step) for (const m of mults) {
    const v = m * Math.pow(10, e);
    if (v >= min * 0.999 && v <= max * 1.001) out.push(Number(v.toPrecision(6)));
  }
  return out;
}

/**
 * The y range of a linear axis from the data's min and max. range.min: a number, 'floor10' (down to
 * a multiple of 10, not below 0: accuracies in %), 'floor5' (2 below the data, down to a multiple of
 * 5, not below 0), or absent (0, or the data's min when negative). range.max: a number, or absent
 * (5 % above the data's max; 1 when the max is not positive).
 */
export function axisRange(range, min, max) {
  const m = min ?? 0;
  const lo = range.min === 'floor10' ? Math.max(0, Math.floor(m / 10) * 10)
    : range.min === 'floor5' ? Math.max(0, Math.floor((m - 2) / 5) * 5)
      : typeof range.min === 'number' ? range.min : Math.min(0, m);
  const hi = typeof range.max === 'number' ? range.max : (max > 0 ? max * 1.05 : 1);
  return [lo, hi];
}

/** v if it can be drawn on a log axis (finite, > 0), else null (a gap). */
export const positive = v => (v != null && v > 0 && Number.isFinite(v) ? v : null);
/** v if finite, else null (a gap). */
export const finite = v => (v != null && Number.isFinite(v) ? v : null);

/** Iteration losses with a debiased EMA (as TensorBoard smooths), kept in full. */
export class IterSeries {
  constructor(beta = 0.9) { this.beta = beta; this.clear(); }
  clear() { this.x = []; this.raw = []; this.smooth = []; this._s = 0; this._n = 0; }
  /** losses of the iterations after firstIteration (x = firstIteration + 1, ...). */
  push(losses, firstIteration) {
    for (let i = 0; i < losses.length; i++) {
      this.x.push(firstIteration + i + 1);
      this.raw.push(losses[i]);
      this._add(losses[i]);
    }
  }
  _add(v) {
    if (!Number.isFinite(v)) { this.smooth.push(null); return; }
    this._n++;
    this._s = this.beta * this._s + (1 - this.beta) * v;
    this.smooth.push(this.beta > 0 ? this._s / (1 - Math.pow(this.beta, this._n)) : v);
  }
  setBeta(beta) {
    this.beta = beta;
    this._s = 0; this._n = 0; this.smooth = [];
    for (const v of this.raw) this._add(v);
  }
  get length() { return this.x.length; }
  /** [x, raw, smooth] for drawing: at most max points (means of buckets of ceil(n / max), x the bucket's last). */
  view(max = MAX_POINTS) {
    const n = this.x.length;
    if (n <= max) return [this.x, this.raw, this.smooth];
    const k = Math.ceil(n / max);
    const x = [], r = [], s = [];
    for (let i = 0; i < n; i += k) {
      const e = Math.min(n, i + k);
      let sr = 0, ss = 0, cr = 0, cs = 0;
      for (let j = i; j < e; j++) {
        if (Number.isFinite(this.raw[j])) { sr += this.raw[j]; cr++; }
        if (this.smooth[j] != null) { ss += this.smooth[j]; cs++; }
      }
      x.push(this.x[e - 1]); r.push(cr ? sr / cr : null); s.push(cs ? ss / cs : null);
    }
    return [x, r, s];
  }
}

/** Per-epoch metrics ({epoch, train: {loss, accuracy}, test}); epoch 0 is the freshly initialised network. Accuracies in %. */
export class EpochSeries {
  constructor() { this.clear(); }
  clear() { this.epoch = []; this.trainLoss = []; this.testLoss = []; this.trainAcc = []; this.testAcc = []; }
  /** Adds an epoch's row, or replaces the row of an epoch already there. */
  push(m) {
    const i = this.epoch.indexOf(m.epoch);
    const row = [m.epoch, m.train ? m.train.loss : null, m.test ? m.test.loss : null,
      m.train ? 100 * m.train.accuracy : null, m.test ? 100 * m.test.accuracy : null];
    const cols = [this.epoch, this.trainLoss, this.testLoss, this.trainAcc, this.testAcc];
    if (i >= 0) cols.forEach((c, j) => { c[i] = row[j]; });
    else cols.forEach((c, j) => c.push(row[j]));
  }
  get length() { return this.epoch.length; }
}

/** Mean of the last w values (fewer at the start; non-finite values left out, null when none is left). */
export function movingAvg(ys, w) {
  if (w <= 1) return Array.from(ys);
  const out = new Array(ys.length);
  let s = 0, n = 0;
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (Number.isFinite(v)) { s += v; n++; }
    if (i >= w) {
      const u = ys[i - w];
      if (Number.isFinite(u)) {
        s -= u; n--;
        // a huge loss (an exploding run's 1e17) leaving the window would leave rounding garbage in s: sum anew
        if (Math.abs(u) > 1e6 * Math.max(1, Math.abs(s))) { s = 0; for (let j = i - w + 1; j <= i; j++) if (Number.isFinite(ys[j])) s += ys[j]; }
      }
    }
    out[i] = n ? s / n : null;
  }
  return out;
}

/** Every k-th point (k = ceil(n / max), ending each block of k) when there are more than max. */
export function thin(xs, ys, max = 2500) {
  if (xs.length <= max) return [xs, ys];
  const k = Math.ceil(xs.length / max), ox = [], oy = [];
  for (let i = k - 1; i < xs.length; i += k) { ox.push(xs[i]); oy.push(ys[i]); }
  return [ox, oy];
}

// ---- colours

/** One hue per optimizer (the experiments page's curves, swatches and heatmap titles). */
export const OPT_COLORS = {
  sgd: '#1f63b4', momentum: '#d9730d', nesterov: '#8c564b', adagrad: '#7b4fb0',
  rmsprop: '#23883a', adam: '#c62828', amsgrad: '#c2418f', adamw: '#5f6b78',
};

const rgb = hex => { const n = parseInt(hex.slice(1), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; };
const toHex = c => `#${c.map(v => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
const SHADE_STEPS = [0, -0.35, 0.35, -0.55, 0.5, -0.2, 0.2, -0.7, 0.6];

/** The k-th shade of a colour: k = 0 the colour itself, then darker (f < 0: v * (1 + f)) and lighter (v + (255 - v) * f) ones, 9 in a cycle. */
export function shade(hex, k) {
  if (!k) return hex;
  const f = SHADE_STEPS[k % SHADE_STEPS.length];
  return toHex(rgb(hex).map(v => (f < 0 ? v * (1 + f) : v + (255 - v) * f)));
}

/** Cell colours {bg, fg} of an accuracy between lo and hi: light yellow #fff7bc (lo) to dark green #006837 (hi); white text past 55 %. */
export function heatColor(v, lo, hi) {
  if (!Number.isFinite(v)) return { bg: '#e2e8f0', fg: '#475569' };
  const f = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 1;
  const a = [255, 247, 188], b = [0, 104, 55];
  return { bg: toHex(a.map((x, i) => x + (b[i] - x) * f)), fg: f > 0.55 ? '#fff' : '#111827' };
}

/** [lo, hi] of the heatmaps' colours (lib/experiments.js heatmaps()): the top 20 points of accuracy, where the differences are; lower is palest. */
export function heatRange(hm) {
  const vs = [];
  for (const o of Object.values(hm)) for (const row of o.cells) for (const c of row) if (c && Number.isFinite(c.accuracy)) vs.push(c.accuracy);
  if (!vs.length) return [0, 1];
  const hi = Math.max(...vs);
  return [Math.max(Math.min(...vs), hi - 0.2), hi];
}

/**
 * A chart as text for screen readers: "title. label: last value (x label last x); ...", in the
 * page's language through its labels and number format. data: [xs, ys1, ys2, ...] aligned.
 */
export function chartSummary(title, xLabel, labels, data, fmt) {
  const xs = data[0] || [];
  const parts = labels.map((label, i) => {
    const ys = data[i + 1] || [];
    for (let j = ys.length - 1; j >= 0; j--) if (ys[j] != null && Number.isFinite(ys[j])) return `${label}: ${fmt(ys[j])} (${xLabel} ${fmt(xs[j])})`;
    return null;
  }).filter(Boolean);
  return [title, ...parts].filter(Boolean).join('. ');
}
