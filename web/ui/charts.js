// charts.js - the training page's live charts on uPlot (canvas): loss per iteration (raw and
// EMA-smoothed) and train/test loss and accuracy per epoch. Axis labels and number formats come
// from the page's translator; log scale for loss can be switched. Long runs are thinned for
// drawing (bucket means) so a redraw stays cheap; the data kept is complete.

import uPlot from '../vendor/uPlot.esm.js';

const MAX_POINTS = 4000;     // drawn points per series at most
const MIN_REDRAW_MS = 200;   // between two redraws of one chart
const COLORS = {
  raw: 'rgba(37, 99, 235, 0.35)', smooth: '#1e3a8a',
  train: '#2563eb', test: '#c2410c',
};

// Redraws wait for an animation frame, one chart per frame, so that a frame never pays for all.
const frameJobs = [];
function frameQueue(job) {
  frameJobs.push(job);
  if (frameJobs.length === 1) requestAnimationFrame(runFrameJob);
}
function runFrameJob() {
  const job = frameJobs.shift();
  if (job) job();
  if (frameJobs.length) requestAnimationFrame(runFrameJob);
}

/** Iteration losses with a debiased EMA (as TensorBoard smooths), kept in full. */
export class IterSeries {
  constructor(beta = 0.9) { this.beta = beta; this.clear(); }
  clear() { this.x = []; this.raw = []; this.smooth = []; this._s = 0; this._n = 0; }
  push(losses, firstIteration) {
    for (let i = 0; i < losses.length; i++) {
      const v = losses[i];
      this.x.push(firstIteration + i + 1);
      this.raw.push(v);
      this._add(v);
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
  /** Arrays for drawing: at most MAX_POINTS points (bucket means when longer). */
  view() {
    const n = this.x.length;
    if (n <= MAX_POINTS) return [this.x, this.raw, this.smooth];
    const k = Math.ceil(n / MAX_POINTS);
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

/** Per-epoch metrics: epoch 0 is the freshly initialised network. */
export class EpochSeries {
  constructor() { this.clear(); }
  clear() { this.epoch = []; this.trainLoss = []; this.testLoss = []; this.trainAcc = []; this.testAcc = []; }
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

/** Ticks of a log axis: powers of ten, with 2 and 5 between them when the range is short. */
export function logSplits(u, axisIdx, min, max) {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  const mults = hi - lo <= 2 ? [1, 2, 5] : [1];
  const out = [];
  for (let e = lo; e <= hi; e++) for (const m of mults) {
    const v = m * Math.pow(10, e);
    if (v >= min * 0.999 && v <= max * 1.001) out.push(Number(v.toPrecision(6)));
  }
  return out;
}

const positive = v => (v != null && v > 0 && Number.isFinite(v) ? v : null);

/**
 * One uPlot chart in `el` (a container whose width it follows). spec: {kind: 'iter'|'epochLoss'|'epochAcc'}.
 * set({i18n, log}) rebuilds with new labels or scale; update() redraws from the series.
 */
export class Chart {
  constructor(el, kind, source, { i18n, log = true, height = 220, xMax = () => null } = {}) {
    this.el = el; this.kind = kind; this.source = source; this.xMax = xMax;
    this.i18n = i18n; this.log = log; this.height = height;
    this.u = null;
    this._queued = false;
    this._ro = new ResizeObserver(() => this._resize());
    this._ro.observe(el);
    this.build();
  }
  get isLoss() { return this.kind !== 'epochAcc'; }
  _width() { return Math.max(200, Math.floor(this.el.clientWidth || 400)); }
  _data() {
    if (this.kind === 'iter') {
      const [x, r, s] = this.source.view();
      return this.log ? [x, r.map(positive), s.map(positive)] : [x, r, s];
    }
    const e = this.source;
    if (this.kind === 'epochLoss') return this.log ? [e.epoch, e.trainLoss.map(positive), e.testLoss.map(positive)] : [e.epoch, e.trainLoss, e.testLoss];
    return [e.epoch, e.trainAcc, e.testAcc];
  }
  build() {
    const { t, sig, num } = this.i18n;
    if (this.u) { this.u.destroy(); this.u = null; }
    if (this.empty) { this.empty.remove(); this.empty = null; }
    const isIter = this.kind === 'iter';
    const yLabel = this.isLoss ? t(this.log ? 'axis.lossLog' : 'axis.loss') : t('axis.accuracy');
    // Very large or small ticks (a diverging loss) as 1e8, so they fit the axis.
    const tick = v => (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) ? v.toExponential(0).replace('e+', 'e') : sig(v, 3));
    const fmtY = v => (v == null ? '—' : this.isLoss ? sig(v, 4) : sig(v, 4));
    const series = [{ label: t(isIter ? 'axis.iteration' : 'axis.epoch'), value: (u, v) => (v == null ? '—' : num(v)) }];
    if (isIter) {
      series.push({ label: t('series.raw'), stroke: COLORS.raw, width: 1, value: (u, v) => fmtY(v), points: { show: false } });
      series.push({ label: t('series.smooth'), stroke: COLORS.smooth, width: 2, value: (u, v) => fmtY(v), points: { show: false } });
    } else {
      series.push({ label: t('series.train'), stroke: COLORS.train, width: 2, value: (u, v) => fmtY(v), points: { show: true, size: 7 } });
      series.push({ label: t('series.test'), stroke: COLORS.test, width: 2, dash: [6, 4], value: (u, v) => fmtY(v), points: { show: true, size: 7 } });
    }
    const axisStyle = { stroke: '#334155', grid: { stroke: 'rgba(100,116,139,0.18)', width: 1 }, ticks: { stroke: 'rgba(100,116,139,0.4)', width: 1 },
      font: '12px system-ui, sans-serif', labelFont: '600 12px system-ui, sans-serif' };
    const yScale = this.isLoss && this.log ? { distr: 3, log: 10 }
      : this.isLoss ? { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] }
        : { range: (u, min, max) => [Math.max(0, Math.floor((min ?? 0) / 10) * 10), 100] };
    const opts = {
      width: this._width(), height: this.height,
      scales: { x: { time: false, range: () => [isIter ? 1 : 0, Math.max(this.xMax() || 0, this._lastX(), isIter ? 2 : 1)] }, y: yScale },
      series,
      axes: [
        { ...axisStyle, label: t(isIter ? 'axis.iteration' : 'axis.epoch'), labelSize: 20,
          values: (u, splits) => splits.map(v => (v == null ? '' : num(v))),
          ...(isIter ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }) },
        { ...axisStyle, label: yLabel, labelSize: 22, size: 56,
          ...(this.isLoss && this.log ? { splits: logSplits, filter: (u, splits) => splits } : {}),
          values: (u, splits) => splits.map(v => (v == null ? '' : tick(v))) },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    };
    this.u = new uPlot(opts, this._data(), this.el);
    this.el.dataset.xLabel = opts.axes[0].label;
    this.el.dataset.yLabel = opts.axes[1].label;
    const canvas = this.el.querySelector('canvas');
    if (canvas) canvas.setAttribute('aria-hidden', 'true');
    this.empty = document.createElement('p');
    this.empty.className = 'chart-empty';
    this.empty.textContent = t('chart.empty');
    this.el.append(this.empty);
    this._showEmpty();
  }
  _showEmpty() { if (this.empty) this.empty.hidden = this.source.length > 0; }
  _lastX() {
    const xs = this.kind === 'iter' ? this.source.x : this.source.epoch;
    return xs.length ? xs[xs.length - 1] : 0;
  }
  set({ i18n, log } = {}) {
    if (i18n) this.i18n = i18n;
    if (log != null) this.log = log;
    this.build();
  }
  /**
   * Redraws from the series: at the next animation frame, and at most every MIN_REDRAW_MS (many
   * updates -> one redraw, which keeps the main thread free while training).
   */
  update() {
    if (this._queued) return;
    this._queued = true;
    const wait = Math.max(0, (this._last || 0) + MIN_REDRAW_MS - performance.now());
    const draw = () => frameQueue(() => {
      this._queued = false;
      this._last = performance.now();
      if (!this.u) return;
      this.u.setData(this._data());
      this._showEmpty();
      this.el.dataset.points = String(this.points);
    });
    if (wait > 0) setTimeout(draw, wait); else draw();
  }
  /** Number of points drawn in the first data series (for tests). */
  get points() { return this.u ? this.u.data[1].filter(v => v != null).length : 0; }
  _resize() {
    if (!this.u) return;
    const w = this._width();
    if (Math.abs(w - this.u.width) > 2) this.u.setSize({ width: w, height: this.height });
  }
  destroy() { this._ro.disconnect(); if (this.u) this.u.destroy(); this.u = null; }
}
