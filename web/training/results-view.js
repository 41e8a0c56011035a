// results-view.js - the Results section from the page state: the final accuracy and the confusion
// matrix, the misclassified test digits and first-layer weights fetched from the worker (results.js
// draws them), and the drawing pad: a digit drawn or sampled from the test set, sent to the worker,
// answered with the network's probabilities. The texts come from page-model.js.

import { renderConfusion, renderMisclassified, renderWeights } from './results.js';
import { DrawPad, drawDigit } from './draw.js';
import { finalView, probsView, misLimit } from './page-model.js';
import { renderChartSummary } from './charts.js';

const $ = id => document.getElementById(id);

// ---------------------------------------------------------------- final results

/** An empty confusion matrix, so that results arriving while training only update its cells. */
export function renderEmptyConfusion(page) {
  renderConfusion($('confusion'), new Array(100).fill(0), 10, page.i18n);
}

export function renderFinal(page) {
  const m = page.lastMetrics;
  const v = finalView(m, page.i18n);
  const acc = $('final-acc');
  if (!v) { acc.textContent = '—'; acc.dataset.value = ''; return; }
  acc.textContent = v.acc;
  acc.dataset.value = v.value;
  acc.dataset.epoch = v.epoch;
  $('final-after').textContent = v.after;
  $('final-loss').textContent = v.loss;
  $('final-train').textContent = v.train;
  const shown = page.shownConfusion;
  if (m.test.confusion && (m !== shown.m || page.i18n !== shown.i18n)) {
    renderConfusion($('confusion'), m.test.confusion, 10, page.i18n);
    page.shownConfusion = { m, i18n: page.i18n };
  }
  renderChartSummary(page);
}

// ---------------------------------------------------------------- misclassified digits and weights

/** Keeps page.details.visible: whether the results are on screen (they are fetched less while not). */
export function watchResults(page) {
  new IntersectionObserver(es => { for (const e of es) page.details.visible = e.isIntersecting; }).observe(document.querySelector('.results'));
}

/** Fetches the misclassified digits and the weights of the current run; one request pair at a time. */
export async function refreshDetails(page) {
  const d = page.details;
  if (d.busy) { d.again = true; return; }
  d.busy = true;
  const id = page.runId;
  try {
    const width = $('misclassified').clientWidth || document.querySelector('.results').clientWidth || 900;
    const [m, w] = await Promise.all([page.trainer.request('misclassified', { limit: misLimit(width) }), page.trainer.request('weights', { limit: 64 })]);
    if (id === page.runId) {
      page.misInfo = m; page.weightInfo = w;
      renderDetails(page);
    }
  } catch { /* the run was replaced or freed */ }
  d.busy = false;
  if (d.again) { d.again = false; refreshDetails(page); }
}

// The two halves in separate frames, so that neither makes a long task while training.
export function renderDetails(page) {
  if (page.misInfo) renderMisclassified($('misclassified'), page.misInfo, page.i18n); else $('misclassified').replaceChildren();
  requestAnimationFrame(() => {
    if (page.weightInfo) renderWeights($('weights'), page.weightInfo, page.i18n); else $('weights').replaceChildren();
  });
}

// ---------------------------------------------------------------- drawing pad

export function makePad(page) {
  return new DrawPad($('pad'), x => { page.sampleInfo = null; page.drawing = x; onDrawing(page); },
    { onPen: down => { $('pad-status').textContent = page.i18n.t(down ? 'draw.penDown' : 'draw.penUp'); } });
}

/** Shows what the network sees and asks the worker for its answer; one request at a time, the last drawing wins. */
export async function onDrawing(page) {
  const x = page.drawing, pr = page.predict;
  if (!x) {
    if (pr.shownEmpty) return;          // nothing drawn, nothing to redo
    pr.shownEmpty = true;
    drawDigit($('seen'), new Float32Array(784));
    page.probsInfo = null; renderProbs(page);
    return;
  }
  pr.shownEmpty = false;
  drawDigit($('seen'), x);
  if (!page.applied) { renderProbs(page); return; }
  if (pr.busy) { pr.again = true; return; }
  pr.busy = true;
  try {
    page.probsInfo = await page.trainer.request('predict', { x });
  } catch { page.probsInfo = null; }
  pr.busy = false;
  renderProbs(page);
  if (pr.again) { pr.again = false; onDrawing(page); }
}

/** Puts a random test digit on the pad. */
export async function onSample(page) {
  try {
    const s = await page.trainer.request('sample', {});
    page.pad.showImage(s.pixels);
    page.drawing = Float32Array.from(s.pixels, v => v / 255);
    page.sampleInfo = s;
    onDrawing(page);
  } catch { /* no data yet */ }
}

export function renderProbs(page) {
  const v = probsView(page, page.i18n);
  $('probs-title').textContent = v.title;
  const rows = v.rows.map((r, k) => {
    const li = document.createElement('li');
    li.className = k === v.best ? 'best' : '';
    const d = document.createElement('span'); d.className = 'digit'; d.textContent = String(k);
    const bar = document.createElement('span'); bar.className = 'bar';
    const fill = document.createElement('span'); fill.style.width = `${r.width * 100}%`;
    bar.append(fill);
    const val = document.createElement('span'); val.className = 'val';
    val.textContent = r.text;
    li.append(d, bar, val);
    return li;
  });
  $('probs').replaceChildren(...rows);
  $('draw-answer').textContent = v.answer;
  $('draw-sample').textContent = v.sample;
}
