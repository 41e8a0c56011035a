// heatmap.js - the experiment page's accuracy heatmaps of every optimizer side by side on one canvas
// (for the PNG download and the printed report). The curves are drawn by web/ui/chart.js; the
// colours and ranges come from web/lib/chart-math.js.
import { heatColor, heatRange, OPT_COLORS } from '../lib/chart-math.js';

/**
 * The heatmaps (web/lib/experiments.js heatmaps()) of every optimizer side by side on one canvas.
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
