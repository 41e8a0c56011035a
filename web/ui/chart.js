// chart.js - the one chart wrapper of every page (uPlot on a canvas): the training page's live
// loss and accuracy, the experiments page's curves (live, overlaid, per optimizer, and their PNG
// images in downloads and the printed report) and the panels' small plots. The numbers, ranges,
// ticks and colours come from web/lib/chart-math.js and the specs from web/lib/chart-specs.js;
// this module only draws, follows its container's width and names the chart for screen readers.
//
// spec = {
//   title,                                  accessible name (with a summary of the last values)
//   x: {label, int, log, range(min, max) -> [lo, hi], size},
//   y: {label, log, range: {min, max} (lib axisRange), size},
//   series: [{label, color, width, dash, points: true | false | 'few', xs?, ys?}],
//   fmt: {x, y, xValue, yValue}             numbers of the ticks and of the legend (v -> text)
//   legend, drag, spanGaps, pointSize, fillPoints, empty (text shown while nothing is drawn)
// }
// Series with xs and ys carry their data (set() draws it at once); otherwise setData([xs, ys1, ...]).
import uPlot from '../vendor/uPlot.esm.js';
import { logSplits, axisRange, positive, finite, chartSummary } from '../lib/chart-math.js';
import { sig } from '../lib/format.js';

// axis text light on a dark page (prefers-color-scheme: dark; web/ui/shell.css), dark otherwise
const DARK = globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches && globalThis.document?.documentElement.dataset.theme !== 'projector';
const AXIS = {
  stroke: DARK ? '#cbd5e1' : '#334155', grid: { stroke: 'rgba(100,116,139,0.18)', width: 1 }, ticks: { stroke: 'rgba(100,116,139,0.4)', width: 1 },
  font: '12px system-ui, sans-serif', labelFont: '600 12px system-ui, sans-serif',
};
/** Tick steps of a whole-number axis (iterations, epochs): no 0.5 ticks while there are few points. */
const INT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000];
const DEFAULT_FMT = { x: v => sig(v, 3), y: v => sig(v, 3), xValue: v => sig(v, 5), yValue: v => sig(v, 4) };

// The y axis is as wide as its longest tick text needs, so that ticks such as "1.0e+7" never run into
// the axis label: label 22 + tick 10 + gap 5 + text + 4 px, at least `min`.
let measureCtx = null;
const yAxisSize = min => (u, values) => {
  if (!values || !values.length) return min;
  measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
  measureCtx.font = AXIS.font;
  const w = Math.max(...values.map(v => (v ? measureCtx.measureText(String(v)).width : 0)));
  return Math.max(min, Math.ceil(22 + 10 + 5 + w + 4));
};
// The y label's font: 12 px, smaller (down to 9 px) when the label is longer than the plot is high
// (about the chart's height less the x axis), so that it is never cut off.
function yLabelFont(label, height) {
  if (!label || typeof document === 'undefined') return AXIS.labelFont;
  measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
  for (let px = 12; px > 9; px--) {
    measureCtx.font = `600 ${px}px system-ui, sans-serif`;
    if (measureCtx.measureText(label).width <= height - 64) return measureCtx.font;
  }
  return '600 9px system-ui, sans-serif';
}

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

const hasData = s => s.xs === undefined || s.xs.length > 0;
/** Line width factor: 2 in the projector view (<html data-theme="projector">, web/ui/shell.js), else 1. */
const thick = () => (globalThis.document?.documentElement.dataset.theme === 'projector' ? 2 : 1);

/**
 * A chart in `el`, as wide as el (or `width`), `height` high. minRedrawMs: setData redraws at most
 * this often (many updates while training -> one redraw).
 */
export class Chart {
  constructor(el, spec, { height = 220, width = null, observe = true, minRedrawMs = 0 } = {}) {
    this.el = el; this.height = height; this.fixedWidth = width; this.minRedrawMs = minRedrawMs;
    this.u = null; this.spec = null; this.data = null;
    this._queued = false; this._last = 0; this._pending = null; this._shape = null;
    if (observe && typeof ResizeObserver !== 'undefined') {
      this._ro = new ResizeObserver(() => this._resize());
      this._ro.observe(el);
    }
    if (spec) this.set(spec);
  }
  _width() { return this.fixedWidth || Math.max(200, Math.floor(this.el.clientWidth || 400)); }
  _resize() {
    if (!this.u) return;
    const w = this._width();
    if (Math.abs(w - this.u.width) > 2) this.u.setSize({ width: w, height: this.height });
  }
  get _series() { return this.spec.series.filter(hasData); }

  /** A new spec: rebuilt when its series, labels or scales change, else only the data is redrawn. */
  set(spec) {
    this.spec = spec;
    const ser = this._series;
    const shape = JSON.stringify({ ...spec, series: ser.map(({ xs, ys, ...s }) => s) });
    if (spec.series.some(s => s.xs !== undefined)) {
      const clean = spec.y.log ? positive : finite;
      const tables = ser.map(s => [Array.from(s.xs), Array.from(s.ys, clean)]);
      this.data = tables.length === 0 ? null : tables.length === 1 ? tables[0] : uPlot.join(tables);
    }
    if (shape !== this._shape || !this.u) { this._shape = shape; this._build(); } else if (this.data) this.u.setData(this.data);
    this._drawn();
  }

  /** Redraws with aligned data [xs, ys1, ys2, ...] (or a function giving it, called when drawing): at the next frame, at most every minRedrawMs. */
  setData(data) {
    this._pending = data;
    if (this._queued) return;
    this._queued = true;
    const wait = Math.max(0, this._last + this.minRedrawMs - performance.now());
    const draw = () => frameQueue(() => {
      this._queued = false;
      this._last = performance.now();
      const d = typeof this._pending === 'function' ? this._pending() : this._pending;
      this.data = d;
      if (this.u) this.u.setData(d);
      this._drawn();
    });
    if (wait > 0) setTimeout(draw, wait); else draw();
  }

  _build() {
    const spec = this.spec;
    if (this.u) { this.u.destroy(); this.u = null; }
    if (this.empty) { this.empty.remove(); this.empty = null; }
    const ser = this._series;
    const fmt = { ...DEFAULT_FMT, ...spec.fmt };
    this.el.dataset.xLabel = spec.x.label || '';
    this.el.dataset.yLabel = spec.y.label || '';
    if (spec.empty != null) {
      this.empty = document.createElement('p');
      this.empty.className = 'chart-empty';
      this.empty.textContent = spec.empty;
    }
    if (!ser.length) { if (this.empty) this.el.append(this.empty); return; }
    const dash = v => (v == null ? '—' : v);
    const size = spec.pointSize || 6;
    const series = [{ label: spec.x.label, value: (u, v) => dash(v == null ? v : fmt.xValue(v)) }];
    for (const s of ser) {
      series.push({ label: s.label, stroke: s.color, width: (s.width || 2) * thick(), dash: s.dash || undefined, spanGaps: !!spec.spanGaps,
        points: { show: s.points === 'few' ? (u => u.data[0].length < 40) : !!s.points, size, ...(spec.fillPoints ? { fill: s.color } : {}) },
        value: (u, v) => dash(v == null ? v : fmt.yValue(v)) });
    }
    const x = spec.x, y = spec.y;
    const opts = {
      width: this._width(), height: this.height,
      scales: {
        x: { time: false, distr: x.log ? 3 : 1, ...(x.range ? { range: (u, min, max) => x.range(min, max) } : {}) },
        y: y.log ? { distr: 3, log: 10 } : y.range ? { range: (u, min, max) => axisRange(y.range, min, max) } : {},
      },
      series,
      axes: [
        { ...AXIS, label: x.label, labelSize: 20, ...(x.size ? { size: x.size } : {}), ...(x.int ? { incrs: INT_INCRS } : {}),
          values: (u, splits) => splits.map(v => (v == null ? '' : fmt.x(v))) },
        { ...AXIS, label: y.label, labelSize: 22, labelFont: yLabelFont(y.label, this.height), size: yAxisSize(y.size || 56),
          ...(y.log ? { splits: (u, i, min, max) => logSplits(min, max), filter: (u, splits) => splits } : {}),
          values: (u, splits) => splits.map(v => (v == null ? '' : fmt.y(v))) },
      ],
      legend: { show: spec.legend !== false, live: true },
      cursor: { drag: { x: !!spec.drag, y: false }, points: { size } },
    };
    this.u = new uPlot(opts, this.data || [[], ...ser.map(() => [])], this.el);
    const canvas = this.el.querySelector('canvas');
    if (canvas) canvas.setAttribute('aria-hidden', 'true');
    // the accessible name: on the plot area, unless the page names the whole box (role=img) itself
    this._named = this.el.getAttribute('role') === 'img' ? null : this.u.root.querySelector('.u-wrap');
    if (this._named) this._named.setAttribute('role', 'img');
    if (this.empty) this.el.append(this.empty);
  }

  /** After a draw: the empty note, the number of drawn points (tests read it), the text summary. */
  _drawn() {
    const n = this.points;
    if (this.empty) this.empty.hidden = !!this.u && n > 0;
    this.el.dataset.points = String(n);
    if (this._named && this.data) {
      const fmt = { ...DEFAULT_FMT, ...this.spec.fmt };
      this._named.setAttribute('aria-label', chartSummary(this.spec.title || this.spec.y.label, this.spec.x.label,
        this._series.map(s => s.label), this.data, v => fmt.yValue(v)));
    }
  }

  /** Points drawn in the first data series (for tests). */
  get points() { return this.u && this.u.data[1] ? this.u.data[1].filter(v => v != null).length : 0; }

  destroy() { if (this._ro) this._ro.disconnect(); if (this.u) this.u.destroy(); this.u = null; }

  /** The chart as a canvas: title, the plot, and a legend of the series (for PNG and the report). */
  image(title) {
    if (!this.u) return null;
    const src = this.u.ctx.canvas;
    const k = src.width / this.u.width;            // device pixels per CSS pixel
    const W = this.u.width, pad = 10, titleH = title ? 26 : 4;
    const meas = document.createElement('canvas').getContext('2d');
    meas.font = '12px system-ui, sans-serif';
    const rows = [];
    let row = [], x = pad;
    for (const s of this._series) {
      const w = 30 + meas.measureText(s.label).width + 16;
      if (x + w > W - pad && row.length) { rows.push(row); row = []; x = pad; }
      row.push({ s, x }); x += w;
    }
    if (row.length) rows.push(row);
    const H = titleH + this.u.height + rows.length * 18 + 8;
    const out = document.createElement('canvas');
    out.width = Math.round(W * k); out.height = Math.round(H * k);
    const g = out.getContext('2d');
    g.scale(k, k);
    g.fillStyle = '#fff'; g.fillRect(0, 0, W, H);
    if (title) { g.fillStyle = '#0f172a'; g.font = '600 14px system-ui, sans-serif'; g.textBaseline = 'middle'; g.fillText(title, pad, 14); }
    g.drawImage(src, 0, titleH, this.u.width, this.u.height);
    g.font = '12px system-ui, sans-serif'; g.textBaseline = 'middle';
    rows.forEach((r, i) => {
      const yy = titleH + this.u.height + 10 + i * 18;
      for (const it of r) {
        g.strokeStyle = it.s.color; g.lineWidth = 2; g.setLineDash(it.s.dash || []);
        g.beginPath(); g.moveTo(it.x, yy); g.lineTo(it.x + 24, yy); g.stroke();
        g.setLineDash([]);
        g.fillStyle = '#1e293b'; g.fillText(it.s.label, it.x + 30, yy);
      }
    });
    return out;
  }
}

/** Renders a chart off screen at a fixed size; resolves to its image {src (PNG data URL), width, height}
 * (uPlot draws in a microtask after it is built, so the image is taken a task later). */
export async function chartImage(spec, title, { width = 720, height = 260 } = {}) {
  const box = document.createElement('div');
  box.style.cssText = `position:absolute;left:-10000px;top:0;width:${width}px`;
  document.body.append(box);
  const c = new Chart(box, null, { width, height, observe: false });
  try {
    c.set({ ...spec, legend: false });
    await new Promise(r => setTimeout(r, 0));
    const img = c.image(title);
    if (!img) return null;
    const k = img.width / c.u.width;
    return { src: img.toDataURL('image/png'), width: Math.round(img.width / k), height: Math.round(img.height / k) };
  } finally { c.destroy(); box.remove(); }
}
