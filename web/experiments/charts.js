// charts.js - the experiment page's charts: overlaid curves of several runs on uPlot (canvas), their
// PNG images (the canvas with a title and a legend drawn in, for downloads and the printed report),
// and the accuracy heatmaps drawn on a canvas. Colours: one hue per optimizer, shades for its runs;
// training solid, test dashed.
import { logSplits } from '../ui/charts.js';   // the training page's log-axis ticks
import uPlot from '../vendor/uPlot.esm.js';
import { numberFormats } from '../lib/format.js';

export const OPT_COLORS = {
  sgd: '#1f63b4', momentum: '#d9730d', nesterov: '#8c564b', adagrad: '#7b4fb0',
  rmsprop: '#23883a', adam: '#c62828', amsgrad: '#c2418f', adamw: '#5f6b78',
};

function rgb(hex) { const n = parseInt(hex.slice(1), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; }
const toHex = c => `#${c.map(v => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
/** The k-th of n shades of a colour (k = 0 the colour itself, then darker and lighter ones). */
export function shade(hex, k) {
  if (!k) return hex;
  const c = rgb(hex);
  const steps = [0, -0.35, 0.35, -0.55, 0.5, -0.2, 0.2, -0.7, 0.6];
  const f = steps[k % steps.length];
  return toHex(c.map(v => (f < 0 ? v * (1 + f) : v + (255 - v) * f)));
}

const AXIS = {
  stroke: '#334155', grid: { stroke: 'rgba(100,116,139,0.18)', width: 1 }, ticks: { stroke: 'rgba(100,116,139,0.4)', width: 1 },
  font: '12px system-ui, sans-serif', labelFont: '600 12px system-ui, sans-serif',
};

const sig = numberFormats('en').tick;   // tick and legend values; the decimal comma is added below


/**
 * Several runs' curves in one uPlot chart inside `el`, following the element's width.
 * set({series: [{label, color, dash, xs, ys}], xLabel, yLabel, log, yMin, yMax, decimalComma})
 */
export class LineChart {
  constructor(el, { height = 240, width = null, observe = true } = {}) {
    this.el = el; this.height = height; this.fixedWidth = width;
    this.u = null; this.spec = null;
    if (observe && typeof ResizeObserver !== 'undefined') {
      this._ro = new ResizeObserver(() => this._resize());
      this._ro.observe(el);
    }
  }
  _width() { return this.fixedWidth || Math.max(240, Math.floor(this.el.clientWidth || 480)); }
  _resize() {
    if (!this.u) return;
    const w = this._width();
    if (Math.abs(w - this.u.width) > 2) this.u.setSize({ width: w, height: this.height });
  }
  /** Redraws with new data; the chart is rebuilt only when its series or labels change. */
  set(spec) {
    const shape = JSON.stringify([spec.series.map(s => [s.label, s.color, s.dash, s.xs.length > 0]), spec.xLabel, spec.yLabel, spec.log, spec.yMin, spec.yMax, spec.legend, spec.xInt]);
    if (this.u && shape === this._shape) {
      const pos = v => (v != null && v > 0 && Number.isFinite(v) ? v : null);
      const fin = v => (v != null && Number.isFinite(v) ? v : null);
      const tables = spec.series.filter(s => s.xs.length).map(s => [Array.from(s.xs), Array.from(s.ys, spec.log ? pos : fin)]);
      this.spec = spec;
      this.u.setData(tables.length === 1 ? tables[0] : uPlot.join(tables));
      return;
    }
    this._shape = shape;
    this.spec = spec;
    if (this.u) { this.u.destroy(); this.u = null; }
    this.el.querySelectorAll('.chart-empty').forEach(e => e.remove());
    const ser = spec.series.filter(s => s.xs.length);
    if (!ser.length) {
      const p = document.createElement('p');
      p.className = 'chart-empty';
      p.textContent = spec.empty || '—';
      this.el.append(p);
      return;
    }
    const pos = v => (v != null && v > 0 && Number.isFinite(v) ? v : null);
    const fin = v => (v != null && Number.isFinite(v) ? v : null);
    const tables = ser.map(s => [Array.from(s.xs), Array.from(s.ys, spec.log ? pos : fin)]);
    const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
    const dec = spec.decimalComma ? s => s.replace('.', ',') : s => s;
    const fmt = v => (v == null ? '—' : dec(sig(v, 4)));
    const series = [{ label: spec.xLabel, value: (u, v) => (v == null ? '—' : dec(sig(v, 5))) }];
    for (const s of ser)
      series.push({ label: s.label, stroke: s.color, width: s.width || 1.75, dash: s.dash || undefined, spanGaps: true,
        points: { show: !!s.points, size: 6, fill: s.color }, value: (u, v) => fmt(v) });
    const y = spec.log ? { distr: 3, log: 10 }
      : { range: (u, min, max) => [spec.yMin === 'auto' ? Math.max(0, Math.floor(((min ?? 0) - 2) / 5) * 5) : spec.yMin != null ? spec.yMin : Math.min(0, min ?? 0),
        spec.yMax != null ? spec.yMax : (max > 0 ? max * 1.05 : 1)] };
    const opts = {
      width: this._width(), height: this.height,
      scales: { x: { time: false }, y },
      series,
      axes: [
        { ...AXIS, label: spec.xLabel, labelSize: 20, ...(spec.xInt ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}), values: (u, splits) => splits.map(v => (v == null ? '' : dec(sig(v, 4)))) },
        { ...AXIS, label: spec.yLabel, labelSize: 22, size: 52, ...(spec.log ? { splits: logSplits } : {}),
          values: (u, splits) => splits.map(v => (v == null ? '' : dec(sig(v, 3)))) },
      ],
      legend: { show: spec.legend !== false, live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
    };
    this.u = new uPlot(opts, data, this.el);
    const c = this.el.querySelector('canvas');
    if (c) c.setAttribute('aria-hidden', 'true');
  }
  destroy() { if (this._ro) this._ro.disconnect(); if (this.u) this.u.destroy(); this.u = null; }

  /** The chart as a canvas: title, the plot, and a legend of the series (for PNG and the report). */
  image(title) {
    const spec = this.spec;
    if (!this.u || !spec) return null;
    const src = this.u.ctx.canvas;
    const k = src.width / this.u.width;            // device pixels per CSS pixel
    const W = this.u.width, pad = 10, titleH = title ? 26 : 4;
    const ser = spec.series.filter(s => s.xs.length);
    // legend layout
    const meas = document.createElement('canvas').getContext('2d');
    meas.font = '12px system-ui, sans-serif';
    const items = ser.map(s => ({ s, w: 30 + meas.measureText(s.label).width + 16 }));
    const rows = [];
    let row = [], x = pad;
    for (const it of items) {
      if (x + it.w > W - pad && row.length) { rows.push(row); row = []; x = pad; }
      row.push({ ...it, x }); x += it.w;
    }
    if (row.length) rows.push(row);
    const legH = rows.length * 18 + 8;
    const H = titleH + this.u.height + legH;
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
  const c = new LineChart(box, { width, height, observe: false });
  try {
    c.set({ ...spec, legend: false });
    await new Promise(r => setTimeout(r, 0));
    const img = c.image(title);
    if (!img) return null;
    const k = img.width / c.u.width;
    return { src: img.toDataURL('image/png'), width: Math.round(img.width / k), height: Math.round(img.height / k) };
  } finally { c.destroy(); box.remove(); }
}

// ---- heatmaps

/** Cell colours of an accuracy between lo and hi: light yellow (low) to dark green (high). */
export function heatColor(v, lo, hi) {
  if (!Number.isFinite(v)) return { bg: '#e2e8f0', fg: '#475569' };
  const f = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 1;
  const a = [255, 247, 188], b = [0, 104, 55];
  const c = a.map((x, i) => x + (b[i] - x) * f);
  return { bg: toHex(c), fg: f > 0.55 ? '#fff' : '#111827' };
}

export function heatRange(hm) {
  const vs = [];
  for (const o of Object.values(hm)) for (const row of o.cells) for (const c of row) if (c && Number.isFinite(c.accuracy)) vs.push(c.accuracy);
  if (!vs.length) return [0, 1];
  // the colours spread over the top 20 points, where the interesting differences are; lower is palest
  const hi = Math.max(...vs);
  return [Math.max(Math.min(...vs), hi - 0.2), hi];
}

/**
 * The heatmaps (web/experiments.js heatmaps()) of every optimizer side by side on one canvas.
 * labels: {title, lr, batch, diverged, best, name(opt), pct(v), num(v)}
 */
export function heatmapCanvas(hm, labels, { scale = 2 } = {}) {
  const names = Object.keys(hm);
  const [lo, hi] = heatRange(hm);
  const cw = 78, ch = 34, left = 64, top = 52, gap = 28;
  const blocks = names.map(n => ({ n, cols: hm[n].batches.length, rows: hm[n].lrs.length }));
  const maxRows = Math.max(1, ...blocks.map(b => b.rows));
  const perLine = Math.max(1, Math.min(blocks.length, Math.floor(1500 / (left + cw * Math.max(...blocks.map(b => b.cols), 1) + gap))));
  const blockW = left + cw * Math.max(1, ...blocks.map(b => b.cols)) + gap;
  const blockH = top + ch * maxRows + 30;
  const lines = Math.ceil(blocks.length / perLine);
  const meas = document.createElement('canvas').getContext('2d');
  meas.font = '600 14px system-ui, sans-serif';
  const W = Math.max(360, perLine * blockW + 10, Math.ceil(meas.measureText(labels.title).width) + 24), H = 36 + lines * blockH;
  const cv = document.createElement('canvas');
  cv.width = W * scale; cv.height = H * scale;
  const g = cv.getContext('2d');
  g.scale(scale, scale);
  g.fillStyle = '#fff'; g.fillRect(0, 0, W, H);
  g.fillStyle = '#0f172a'; g.font = '600 14px system-ui, sans-serif'; g.textBaseline = 'middle';
  g.fillText(labels.title, 10, 16);
  blocks.forEach((b, i) => {
    const ox = 10 + (i % perLine) * blockW, oy = 36 + Math.floor(i / perLine) * blockH;
    const m = hm[b.n];
    g.fillStyle = OPT_COLORS[b.n] || '#0f172a'; g.font = '600 13px system-ui, sans-serif'; g.textAlign = 'left';
    g.fillText(labels.name(b.n), ox, oy + 8);
    g.fillStyle = '#475569'; g.font = '11px system-ui, sans-serif'; g.textAlign = 'center';
    g.fillText(labels.batch, ox + left + (cw * b.cols) / 2, oy + 24);
    m.batches.forEach((B, j) => g.fillText(String(B), ox + left + cw * j + cw / 2, oy + top - 10));
    g.textAlign = 'right';
    g.fillText(labels.lr, ox + left - 8, oy + top - 10);
    m.lrs.forEach((lr, r) => {
      g.fillStyle = '#475569'; g.textAlign = 'right'; g.font = '11px system-ui, sans-serif';
      g.fillText(labels.num(lr), ox + left - 8, oy + top + ch * r + ch / 2);
      m.batches.forEach((B, j) => {
        const c = m.cells[r][j];
        const x = ox + left + cw * j, y = oy + top + ch * r;
        const col = c && !c.diverged ? heatColor(c.accuracy, lo, hi) : { bg: c ? '#f1f5f9' : '#fff', fg: '#64748b' };
        g.fillStyle = col.bg; g.fillRect(x, y, cw - 2, ch - 2);
        if (c && c.diverged) {
          g.save(); g.beginPath(); g.rect(x, y, cw - 2, ch - 2); g.clip();
          g.strokeStyle = '#cbd5e1'; g.lineWidth = 1;
          for (let d = -ch; d < cw; d += 7) { g.beginPath(); g.moveTo(x + d, y + ch); g.lineTo(x + d + ch, y); g.stroke(); }
          g.restore();
        }
        const best = m.best && m.best.lr === lr && m.best.batch === B;
        if (best) { g.strokeStyle = '#b45309'; g.lineWidth = 3; g.strokeRect(x + 1.5, y + 1.5, cw - 5, ch - 5); }
        g.fillStyle = col.fg; g.textAlign = 'center'; g.font = `${best ? '700 ' : ''}12px system-ui, sans-serif`;
        const text = !c ? '' : c.diverged ? `✕ ${labels.diverged}` : `${best ? '★ ' : ''}${labels.pct(c.accuracy)}`;
        g.fillText(text, x + cw / 2 - 1, y + ch / 2);
      });
    });
  });
  return cv;
}
