// chart-specs.js - what each page's charts show, as data for web/ui/chart.js (no DOM; tested in
// Node): which curves, their labels, colours, dashes, scales and number formats. The training
// page: loss per iteration (raw and smoothed), loss and accuracy per epoch. The experiments page:
// the runs' loss, accuracy, loss per iteration and generalisation gap, one hue per optimizer.
import { positive, movingAvg, thin, shade, OPT_COLORS } from './chart-math.js';

// ---- the training page

export const TRAIN_COLORS = {
  raw: 'rgba(37, 99, 235, 0.35)', smooth: '#1e3a8a',
  train: '#2563eb', test: '#c2410c',
};

/**
 * The spec of a training chart. kind: 'iter' | 'epochLoss' | 'epochAcc'; i18n: the page's {t, sig, num};
 * log: a log10 loss axis; xMax(): the last iteration or epoch of the run (the x axis spans the run).
 */
export function trainingSpec(kind, { t, sig, num }, { log = true, xMax = () => null } = {}) {
  const isIter = kind === 'iter', isLoss = kind !== 'epochAcc', logY = isLoss && log;
  // very large or small ticks (a diverging loss) as 1e8, so they fit the axis
  const tick = v => (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) ? v.toExponential(0).replace('e+', 'e') : sig(v, 3));
  const x0 = isIter ? 1 : 0;
  return {
    x: { label: t(isIter ? 'axis.iteration' : 'axis.epoch'), int: !isIter, range: (min, max) => [x0, Math.max(xMax() || 0, max ?? 0, x0 + 1)] },
    y: { label: isLoss ? t(log ? 'axis.lossLog' : 'axis.loss') : t('axis.accuracy'), log: logY, size: 56,
      range: logY ? null : isLoss ? { min: 0 } : { min: 'floor10', max: 100 } },
    series: isIter
      ? [{ label: t('series.raw'), color: TRAIN_COLORS.raw, width: 1 }, { label: t('series.smooth'), color: TRAIN_COLORS.smooth, width: 2 }]
      : [{ label: t('series.train'), color: TRAIN_COLORS.train, width: 2, points: true }, { label: t('series.test'), color: TRAIN_COLORS.test, width: 2, dash: [6, 4], points: true }],
    fmt: { x: num, xValue: num, y: tick, yValue: v => sig(v, 4) },
    pointSize: 7, empty: t('chart.empty'),
  };
}

/** The aligned data of a training chart from the page's IterSeries / EpochSeries (log: non-positive losses left out). */
export function trainingData(kind, source, log = true) {
  if (kind === 'iter') {
    const [x, r, s] = source.view();
    return log ? [x, r.map(positive), s.map(positive)] : [x, r, s];
  }
  const e = source;
  if (kind === 'epochLoss') return log ? [e.epoch, e.trainLoss.map(positive), e.testLoss.map(positive)] : [e.epoch, e.trainLoss, e.testLoss];
  return [e.epoch, e.trainAcc, e.testAcc];
}

// ---- the experiments page

/** The experiments page's numbers on the charts: p significant digits, exponent form outside 1e-3..1e4, a decimal comma in Russian. */
export function plotNumber(v, p, decimalComma) {
  if (v == null || !Number.isFinite(v)) return '';
  let s;
  if (v === 0) s = '0';
  else if (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) s = v.toExponential(1);
  else s = String(Number(v.toPrecision(p)));
  return decimalComma ? s.replace('.', ',') : s;
}

function plotFmt(dc) {
  return { x: v => plotNumber(v, 4, dc), y: v => plotNumber(v, 3, dc), xValue: v => plotNumber(v, 5, dc), yValue: v => plotNumber(v, 4, dc) };
}

/** Colour of each run: its optimizer's hue, the k-th run of an optimizer in the k-th shade. Map id -> colour. */
export function seriesColors(runs) {
  const count = {};
  const out = new Map();
  for (const r of runs) { const o = r.optimizer; const k = count[o] = (count[o] ?? -1) + 1; out.set(r.id, shade(OPT_COLORS[o] || '#333', k)); }
  return out;
}

/** Batches per epoch of a run (its iterations at the end of epoch 1; all its losses when it has no epoch >= 1). */
export function batchesPerEpoch(r) {
  // a run stopped within its first epoch (diverged) has only a fractional epoch row; epoch 0 would give 0 / 0
  const row = r.epochs.find(e => e.epoch >= 1) || r.epochs.find(e => e.epoch > 0 && e.iteration > 0);
  return row ? row.iteration / row.epoch : Math.max(1, r.losses.length);
}

const EXP_COMMON = { legend: true, drag: true, spanGaps: true, fillPoints: true, y: {} };

/**
 * The experiments page's four charts of a set of runs (lib/experiments.js results), for the page
 * and the report. ctx: {t, lang, runName(r), smooth (moving-average window), xIter ('iteration' |
 * 'epoch'), logLoss}; opts overrides smooth, xIter and log (of the iteration chart).
 */
export function chartSpecs(sel, ctx, opts = {}) {
  const { t } = ctx;
  const color = seriesColors(sel);
  const fmt = plotFmt(ctx.lang === 'ru');
  const lab = (r, what) => `${ctx.runName(r)}${what ? ` · ${t(`series.${what}`)}` : ''}`;
  const ep = (r, k, scale = 1) => [r.epochs.map(e => e.epoch), r.epochs.map(e => scale * e[k])];
  const S = (r, what, [xs, ys], dash) => ({ label: lab(r, what), color: color.get(r.id), dash, xs, ys, points: true, width: 2 });
  const smooth = opts.smooth ?? ctx.smooth, xIter = opts.xIter ?? ctx.xIter;
  const base = (xLabel, y, int) => ({ ...EXP_COMMON, fmt, empty: t('chart.empty'), x: { label: xLabel, int }, y: { size: 52, ...y } });
  return {
    loss: { ...base(t('axis.epoch'), { label: t('axis.loss'), log: ctx.logLoss, range: {} }, true),
      series: sel.flatMap(r => [S(r, 'train', ep(r, 'train_loss')), S(r, 'test', ep(r, 'test_loss'), [6, 4])]) },
    acc: { ...base(t('axis.epoch'), { label: t('axis.accuracy'), range: { min: 'floor5', max: 100 } }, true),
      series: sel.flatMap(r => [S(r, 'train', ep(r, 'train_accuracy', 100)), S(r, 'test', ep(r, 'test_accuracy', 100), [6, 4])]) },
    iter: { ...base(t(xIter === 'epoch' ? 'axis.epochFrac' : 'axis.iteration'),
      { label: t(smooth > 1 ? 'axis.lossMa' : 'axis.lossBatch', { w: smooth }), log: opts.log ?? ctx.logLoss, range: {} }, false),
    series: sel.map(r => {
      const n = batchesPerEpoch(r);
      const xs = r.losses.map((_, i) => (xIter === 'epoch' ? (i + 1) / n : i + 1));
      const [x2, y2] = thin(xs, movingAvg(r.losses, smooth));
      return { label: lab(r, 'train'), color: color.get(r.id), xs: x2, ys: y2, width: 1.5 };
    }) },
    gap: { ...base(t('axis.epoch'), { label: t('axis.gap'), range: {} }, true),
      series: sel.map(r => ({ label: lab(r, ''), color: color.get(r.id), xs: r.epochs.map(e => e.epoch), ys: r.epochs.map(e => e.test_loss - e.train_loss), points: true, width: 2 })) },
  };
}

/**
 * The experiments page's live chart of the run in progress: raw batch losses (grey) and their
 * moving average over ~1/60 of the run (at least 5) in the optimizer's colour. live: {id, xs, ys, totalBatches} or null.
 */
export function liveSpec(live, { t, lang }) {
  const fmt = plotFmt(lang === 'ru');
  if (!live || !live.xs.length) return { ...EXP_COMMON, fmt, empty: t('live.empty'), x: { label: '' }, y: { size: 52, range: {} }, series: [] };
  const col = OPT_COLORS[live.id.split('-')[0]] || '#1f63b4';
  const w = Math.max(5, Math.round(live.totalBatches / 60));
  return { ...EXP_COMMON, fmt, empty: t('live.empty'), x: { label: t('axis.iteration') }, y: { label: t('axis.loss'), size: 52, range: {} },
    series: [
      { label: t('series.raw'), color: 'rgba(100,116,139,0.45)', width: 1, xs: live.xs, ys: live.ys },
      { label: t('series.ma', { w }), color: col, width: 2, xs: live.xs, ys: movingAvg(live.ys, w) },
    ] };
}

/** The live chart with several runs in flight (a pool of workers): each run's moving average of the
 * loss, in its optimizer's hue; runs of the same optimizer told apart by shade and dash. names: the
 * runs' names in the page's language, in the order of `lives`. */
export function liveSpecMany(lives, { t, lang, names }) {
  const fmt = plotFmt(lang === 'ru');
  const seen = {};
  return { ...EXP_COMMON, fmt, empty: t('live.empty'), x: { label: t('axis.iteration') }, y: { label: t('axis.loss'), size: 52, range: {} },
    series: lives.map((live, i) => {
      const opt = live.id.split('-')[0], k = seen[opt] = (seen[opt] || 0) + 1;
      const w = Math.max(5, Math.round(live.totalBatches / 60));
      return { label: names[i], color: shade(OPT_COLORS[opt] || '#1f63b4', k - 1), width: 2, dash: k % 2 ? null : [6, 3],
        xs: live.xs, ys: movingAvg(live.ys, w) };
    }) };
}
