// charts.js - the training page's three charts (loss per iteration, loss and accuracy per epoch):
// one ui/chart.js Chart each, specs and data from lib/chart-specs.js, redrawn at most every 200 ms
// and re-specified for a new language or scale; and their text summaries for screen readers.
// The charts live in the page state (page.charts); the series they draw are page.iter and page.epochs.

import { Chart } from '../ui/chart.js';
import { trainingSpec, trainingData } from '../lib/chart-specs.js';
import { chartSummaryTexts } from './page-model.js';

const $ = id => document.getElementById(id);
const CHART_KIND = { iter: 'iter', eloss: 'epochLoss', eacc: 'epochAcc' };

/** Makes the charts; their x ranges follow the configured run (iterations or epochs of it). */
export function makeCharts(page) {
  const iters = () => (page.applied && page.runInfo ? page.applied.epochs * page.runInfo.batchesPerEpoch : null);
  const eps = () => (page.applied ? page.applied.epochs : null);
  const make = (k, height, xMax) => {
    page.chartXMax[k] = xMax;
    page.charts[k] = new Chart($(`chart-${k}`), trainingSpec(CHART_KIND[k], page.i18n, { log: page.state.logy, xMax }), { height, minRedrawMs: 200 });
    redrawCharts(page, k);
  };
  make('iter', page.state.embed ? 190 : 230, iters);
  make('eloss', 190, eps);
  make('eacc', 190, eps);
}

/** New data for the charts named (iter, eloss, eacc); a chart not made yet is skipped. */
export function redrawCharts(page, ...keys) {
  for (const k of keys) page.charts[k]?.setData(() => trainingData(CHART_KIND[k], k === 'iter' ? page.iter : page.epochs, page.state.logy));
}

/** New specs (language, log scale) for the charts named, then their data. */
export function respecCharts(page, ...keys) {
  for (const k of keys) page.charts[k]?.set(trainingSpec(CHART_KIND[k], page.i18n, { log: page.state.logy, xMax: page.chartXMax[k] }));
  redrawCharts(page, ...keys);
}

export function renderChartSummary(page) {
  const s = chartSummaryTexts(page.iter, page.lastMetrics, page.i18n);
  $('sum-iter').textContent = s.iter;
  $('sum-epoch').textContent = s.epoch;
}
