// app.js - the training page's wiring: URL state <-> settings form, the training worker, charts,
// results and the drawing pad. Logic lives in state.js, worker.js, chart.js (web/ui), results.js, draw.js;
// every string in i18n.js.

import { parse, serialize, update, validate, toRunConfig, sameRun, FIELD, formatValue } from '../lib/state.js';
import { DICTIONARIES } from './strings.js';
import { translator } from '../lib/i18n.js';
import { numberFormats } from '../lib/format.js';
import { mountShell, pageLanguage } from '../ui/shell.js';
import { Chart } from '../ui/chart.js';
import { IterSeries, EpochSeries } from '../lib/chart-math.js';
import { trainingSpec, trainingData } from '../lib/chart-specs.js';
import { DrawPad, drawDigit } from './draw.js';
import { renderConfusion, renderMisclassified, renderWeights } from './results.js';
import { SettingsForm } from './form.js';
import { registerOffline } from '../ui/offline.js';
import { moduleWorker } from '../ui/spawn.js';
import { WorkerClient } from '../lib/worker-client.js';

const $ = id => document.getElementById(id);
const FULL_URL = '../data/mnist-full.bin';

// ---------------------------------------------------------------- worker RPC
// index.html starts the worker before this module loads (window.backpropWorker); make one if it could not.
function trainerClient(onEvent, onFatal) {
  const client = new WorkerClient(window.backpropWorker || moduleWorker(new URL('./worker.js', import.meta.url)));
  window.backpropWorker = null;
  return client.on('*', onEvent).on('fatal', onFatal);
}

// ---------------------------------------------------------------- page state
const parsed = parse(location.search);
let state = parsed.state;
// URL problems, each with the value used instead (as text), shown until dismissed.
let urlErrors = parsed.errors.map(e => ({ ...e, def: FIELD[e.field] && parsed.state[e.field] != null ? formatValue(e.field, parsed.state[e.field]) : null }));
// the page's words and numbers in one language: t(key, params) and the formatters (num, sig, pct, ...)
const makeI18n = l => ({ ...numberFormats(l), t: translator(DICTIONARIES, l) });
let i18n = makeI18n(pageLanguage());
let phase = 'loading';          // loading | ready | running | paused | done | diverged | error
let busy = false;               // a step/epoch/start request is in flight
let info = null;                // the worker's init answer
let applied = null;             // the state the current run was configured with
let runInfo = null;
let configuring = false;
let runId = 0;                  // the worker's number of the current run
let progress = null;
let lastMetrics = null;
let message = null;             // {kind: 'diverged'|'error', ...} shown translated
let drawing = null;             // the current drawn digit (784 floats) or null
let sampleInfo = null;
let misInfo = null, weightInfo = null, probsInfo = null;
let queue = Promise.resolve();
const iter = new IterSeries(state.smooth);
const epochs = new EpochSeries();

const form = new SettingsForm($('settings-form'), { onChange: onFieldChange, onValidity: () => renderControls() });
const charts = {};
const trainer = trainerClient(onWorkerEvent, err => { phase = 'error'; message = { kind: 'error', err }; renderAll(); });
const pad = new DrawPad($('pad'), x => { sampleInfo = null; drawing = x; onDrawing(); },
  { onPen: down => { $('pad-status').textContent = i18n.t(down ? 'draw.penDown' : 'draw.penUp'); } });

// ---------------------------------------------------------------- language and static text
function applyLanguage() {
  const { t } = i18n;
  document.documentElement.lang = i18n.lang;
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of document.querySelectorAll('[data-i18n-title]')) n.title = t(n.dataset.i18nTitle);
  for (const n of document.querySelectorAll('[data-i18n-aria]')) n.setAttribute('aria-label', t(n.dataset.i18nAria));
  document.title = t('app.title');
  form.build(state, i18n);
  // an empty confusion matrix before any results, so that results arriving while training only update cells
  if (!lastMetrics) renderConfusion($('confusion'), new Array(100).fill(0), 10, i18n);
  respecCharts('iter', 'eloss', 'eacc');
  renderAll();
  renderDetails();
  renderUrlErrors();
}

function setLanguage(l) {
  state = { ...state, lang: l };
  i18n = makeI18n(l);
  writeUrl();
  applyLanguage();
}

// ---------------------------------------------------------------- URL
function writeUrl() {
  const q = serialize(state);
  const url = location.pathname + q + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

const URL_NO_DEFAULT = ['unknown', 'unused', 'duplicate', 'ce_needs_prob', 'bce_needs_sigmoid', 'nesterov_momentum', 'batch_gt_train'];

function renderUrlErrors() {
  const box = $('url-errors');
  if (!urlErrors.length) { box.hidden = true; box.replaceChildren(); return; }
  const { t } = i18n;
  const list = document.createElement('ul');
  for (const e of urlErrors) {
    const li = document.createElement('li');
    const reason = form.message(e);
    li.textContent = e.def != null && e.def !== '' && !URL_NO_DEFAULT.includes(e.code)
      ? t('url.item', { param: e.param, value: e.value, reason, def: e.def })
      : t('url.itemNoDef', { param: e.param, value: e.value, reason });
    list.append(li);
  }
  const title = document.createElement('p');
  title.textContent = t('url.title');
  const close = document.createElement('button');
  close.type = 'button'; close.className = 'ghost'; close.textContent = t('url.dismiss');
  close.addEventListener('click', () => { urlErrors = []; renderUrlErrors(); });
  box.replaceChildren(title, list, close);
  box.hidden = false;
}

// ---------------------------------------------------------------- settings
function onFieldChange(key, value, opts = {}) {
  const before = state;
  if (key === 'layers') state = { ...state, hidden: value.hidden, act: value.act };
  else state = update(state, key, value);
  if (key === 'lang') return;
  writeUrl();
  const rebuild = (key === 'hidden' && !opts.keepLayers) || key === 'layers' || key === 'optimizer';
  if (rebuild) form.build(state, i18n); else form.sync(state);
  if (key === 'logy') respecCharts('iter', 'eloss');
  if (key === 'smooth') { iter.setBeta(state.smooth); redrawCharts('iter'); }
  renderSummary();
  if (!sameRun(before, state)) scheduleApply();
  else renderControls();
}

let applyTimer = 0;
function scheduleApply() {
  clearTimeout(applyTimer);
  const errs = checkState();
  if (errs) { renderControls(); return; }
  applyTimer = setTimeout(() => enqueue(applySettings), 250);
}

/** Validates the whole state; shows the problems at their fields. True when there are any. */
function checkState() {
  const errs = validate(state, { nTrain: info && info.data === state.data ? info.nTrain : undefined });
  form.setErrors(errs);
  return errs.length > 0 || form.errors().size > 0;
}

function enqueue(fn) { queue = queue.then(fn, fn).catch(() => {}); return queue; }

async function applySettings() {
  if (checkState()) { renderAll(); return; }
  if (!info || info.data !== state.data || info.scale !== state.scale) await loadData();
  if (info && info.data === state.data && info.scale === state.scale && !sameRun(applied || {}, state)) await configure();
}

async function loadData() {
  phase = 'loading'; message = null; renderAll();
  try {
    info = await trainer.request('init', { data: state.data, scale: state.scale });
    document.body.classList.remove('loading');
    applied = null;
  } catch (err) {
    info = null;
    phase = 'error'; message = { kind: 'error', err };
    renderAll();
  }
}

async function configure() {
  configuring = true;
  const s = state;
  try {
    const r = await trainer.request('configure', { run: toRunConfig(s) });
    runId = r.run;
    applied = s;
    runInfo = r;
    iter.clear(); epochs.clear();
    lastMetrics = null;
    progress = { iteration: 0, epoch: 0, epochs: s.epochs, epochBatch: 0, batchesPerEpoch: r.batchesPerEpoch, batch: s.batch, samplesPerSec: 0, trainSeconds: 0 };
    phase = 'ready'; message = null;
    misInfo = weightInfo = null;
    redrawCharts('iter', 'eloss', 'eacc');
    renderAll();
    renderDetails();
    onDrawing();
  } catch (err) {
    applied = null;
    phase = 'error'; message = { kind: 'error', err };
    renderAll();
  } finally { configuring = false; }
}

// ---------------------------------------------------------------- training commands
async function command(type) {
  if (busy) return;
  if (checkState()) { renderAll(); return; }
  busy = true;
  try {
    if (!applied || !sameRun(applied, state)) { clearTimeout(applyTimer); await enqueue(applySettings); }
    if (phase !== 'ready' && phase !== 'paused') return;   // loading failed, or diverged/done meanwhile
    if (type !== 'step') phase = 'running';
    message = null;
    renderRun();
    const r = await trainer.request(type);
    phase = r.reason === 'done' ? 'done' : 'paused';
  } catch (err) {
    if (err.code === 'DIVERGED') {
      phase = 'diverged';
      const d = err.details || {};
      message = { kind: 'diverged', iteration: d.iteration, what: d.what, lr: d.lr ?? state.lr };
    } else { phase = 'error'; message = { kind: 'error', err }; }
  } finally {
    busy = false;
    renderRun();
    if (phase === 'paused' || phase === 'done') refreshDetails();
  }
}

function onStartClick() {
  if (phase === 'running') { trainer.request('pause'); return; }
  if (ariaDisabled($('btn-start'))) return;
  command('start');
}

async function onReset() {
  if (ariaDisabled($('btn-reset'))) return;
  clearTimeout(applyTimer);
  if (phase === 'running') await trainer.request('pause');
  applied = null;
  await enqueue(applySettings);
}

// ---------------------------------------------------------------- worker events
let progressQueued = false;
function onWorkerEvent(ev) {
  if (configuring || ev.run !== runId) return;
  if (ev.type === 'progress') {
    if (ev.losses && ev.losses.length) iter.push(ev.losses, ev.firstIteration);
    progress = ev;
    redrawCharts('iter');
    if (!progressQueued) {
      progressQueued = true;
      requestAnimationFrame(() => { progressQueued = false; renderProgress(); renderChartSummary(); });
    }
  } else if (ev.type === 'epoch') {
    epochs.push(ev.metrics);
    lastMetrics = ev.metrics;
    redrawCharts('eloss', 'eacc');
    setTimeout(renderFinal, 0);      // a task of its own, apart from this message's
    // Misclassified digits and weights: at once when training is not running; while it runs only
    // when they are on screen, and at most every few seconds (they are refreshed when it stops).
    const now = performance.now();
    if (phase !== 'running' || (resultsVisible && now - lastDetails > DETAILS_EVERY_MS)) { lastDetails = now; refreshDetails(); }
    onDrawing();
  } else if (ev.type === 'diverged') {
    // the losses of the slice that diverged are lost with it; the iteration is known
    if (progress) { progress = { ...progress, iteration: ev.iteration }; renderProgress(); }
  }
}

// ---------------------------------------------------------------- results
const DETAILS_EVERY_MS = 4000;
let lastDetails = 0;
let resultsVisible = false;
new IntersectionObserver(es => { for (const e of es) resultsVisible = e.isIntersecting; }).observe(document.querySelector('.results'));
/** As many misclassified digits as fill three rows of the grid (items are about 70 px wide). */
function misLimit() {
  const w = $('misclassified').clientWidth || document.querySelector('.results').clientWidth || 900;
  return Math.max(12, Math.min(60, 3 * Math.floor((w + 7) / 72)));
}

let detailsBusy = false, detailsAgain = false;
async function refreshDetails() {
  if (detailsBusy) { detailsAgain = true; return; }
  detailsBusy = true;
  const id = runId;
  try {
    const [m, w] = await Promise.all([trainer.request('misclassified', { limit: misLimit() }), trainer.request('weights', { limit: 64 })]);
    if (id === runId) {
      misInfo = m; weightInfo = w;
      renderDetails();
    }
  } catch { /* the run was replaced or freed */ }
  detailsBusy = false;
  if (detailsAgain) { detailsAgain = false; refreshDetails(); }
}

// ---------------------------------------------------------------- drawing pad
let predictBusy = false, predictAgain = false;
let shownEmpty = false;
async function onDrawing() {
  const x = drawing;
  if (!x) {
    if (shownEmpty) return;          // nothing drawn, nothing to redo
    shownEmpty = true;
    drawDigit($('seen'), new Float32Array(784));
    probsInfo = null; renderProbs();
    return;
  }
  shownEmpty = false;
  drawDigit($('seen'), x);
  if (!applied) { renderProbs(); return; }
  if (predictBusy) { predictAgain = true; return; }
  predictBusy = true;
  try {
    probsInfo = await trainer.request('predict', { x });
  } catch { probsInfo = null; }
  predictBusy = false;
  renderProbs();
  if (predictAgain) { predictAgain = false; onDrawing(); }
}

async function onSample() {
  try {
    const s = await trainer.request('sample', {});
    pad.showImage(s.pixels);
    drawing = Float32Array.from(s.pixels, v => v / 255);
    sampleInfo = s;
    onDrawing();
  } catch { /* no data yet */ }
}

// ---------------------------------------------------------------- rendering
const ariaDisabled = b => b.getAttribute('aria-disabled') === 'true';
const setEnabled = (b, on) => b.setAttribute('aria-disabled', on ? 'false' : 'true');

function renderControls() {
  const { t } = i18n;
  const invalid = form.errors().size > 0;
  const start = $('btn-start');
  const label = phase === 'running' ? 'ctl.pause' : phase === 'paused' ? 'ctl.resume' : 'ctl.start';
  start.textContent = t(label);
  start.classList.toggle('pausing', phase === 'running');
  const canTrain = !invalid && !busy && (phase === 'ready' || phase === 'paused' || (phase === 'loading' && !message));
  setEnabled(start, phase === 'running' || canTrain);
  setEnabled($('btn-step'), canTrain);
  setEnabled($('btn-epoch'), canTrain);
  setEnabled($('btn-reset'), phase !== 'loading' && !invalid && !!info);
  form.setDisabled(phase === 'running');
  $('settings-note').textContent = t(phase === 'running' ? 'settings.locked' : 'settings.note');
  const st = $('status');
  st.dataset.phase = invalid ? 'invalid' : phase;
  if (invalid && phase !== 'running') st.textContent = t('status.invalid');
  else if (phase === 'loading') st.textContent = t('status.loading');
  else if (phase === 'ready') st.textContent = info ? t('status.ready', { train: info.nTrain, test: info.nTest }) : '';
  else if (phase === 'running') st.textContent = t('status.running');
  else if (phase === 'paused') st.textContent = t('status.paused');
  else if (phase === 'done') st.textContent = t('status.done', { epochs: progress ? progress.epoch : state.epochs });
  else if (phase === 'diverged') st.textContent = t('status.diverged');
  else if (phase === 'error') st.textContent = t('status.error');
  else st.textContent = '';
}

function fmtTime(sec) {
  const { t } = i18n;
  if (sec < 9.95) return t('time.s', { s: Math.max(0, Number(sec.toFixed(1))) });
  sec = Math.round(sec);
  if (sec < 60) return t('time.s', { s: sec });
  if (sec < 3600) return t('time.ms', { m: Math.floor(sec / 60), s: sec % 60 });
  return t('time.hm', { h: Math.floor(sec / 3600), m: Math.floor((sec % 3600) / 60) });
}

function renderProgress() {
  const { t, num } = i18n;
  const p = progress;
  if (!p) { for (const id of ['p-epoch', 'p-iter', 'p-speed', 'p-left']) $(id).textContent = ''; $('p-bar').value = 0; return; }
  const done = p.epoch >= p.epochs;
  const shown = done ? p.epochs : p.epoch + 1;
  $('p-epoch').textContent = t('progress.epoch', { epoch: shown, epochs: p.epochs });
  $('p-bar').value = done ? 1 : p.epochBatch / p.batchesPerEpoch;
  $('p-iter').textContent = t('progress.iteration', { iteration: p.iteration });
  $('p-speed').textContent = p.samplesPerSec > 0 ? t('progress.speed', { n: Math.round(p.samplesPerSec) }) : '';
  const left = (p.epochs * p.batchesPerEpoch - p.iteration) * p.batch / (p.samplesPerSec || Infinity);
  if (phase === 'running' && p.samplesPerSec > 0 && !done) $('p-left').textContent = t('progress.left', { t: fmtTime(left) });
  else if (p.trainSeconds > 0) $('p-left').textContent = t('progress.elapsed', { t: fmtTime(p.trainSeconds) });
  else $('p-left').textContent = '';
  void num;
}

function renderMessage() {
  const box = $('message');
  const { t } = i18n;
  if (!message) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  if (message.kind === 'diverged') {
    const lr = message.lr;
    box.dataset.kind = 'diverged';
    box.textContent = t('diverged.msg', {
      iteration: message.iteration, what: t(message.what === 'infinite' ? 'diverged.inf' : 'diverged.nan'),
      lr: typeof lr === 'number' ? lr : String(lr), suggest: typeof lr === 'number' ? Number((lr / 10).toPrecision(2)) : '',
    });
  } else {
    const e = message.err || {};
    box.dataset.kind = 'error';
    const source = e.source === 'data' ? 'data' : 'core';
    const d = e.details || {};
    const key = `${source}.${e.code}`;
    const has = key in DICTIONARIES.en;
    box.textContent = t(has ? key : `${source}.ERROR`, { message: e.message || '', file: d.file || '' });
  }
}

let shownConfusion = {};
function renderFinal() {
  const { t, pct, sig } = i18n;
  const m = lastMetrics;
  const acc = $('final-acc');
  if (!m || !m.test) { acc.textContent = '—'; acc.dataset.value = ''; return; }
  acc.textContent = pct(m.test.accuracy);
  acc.dataset.value = String(m.test.accuracy);
  acc.dataset.epoch = String(m.epoch);
  $('final-after').textContent = t('final.after', { epoch: m.epoch });
  $('final-loss').textContent = sig(m.test.loss, 4);
  $('final-train').textContent = m.train ? pct(m.train.accuracy) : '—';
  if (m.test.confusion && (m !== shownConfusion.m || i18n !== shownConfusion.i18n)) {
    renderConfusion($('confusion'), m.test.confusion, 10, i18n);
    shownConfusion = { m, i18n };
  }
  renderChartSummary();
}

function renderChartSummary() {
  const { t, sig, pct } = i18n;
  const n = iter.length;
  $('sum-iter').textContent = n ? t('chart.summaryIter', { loss: sig(iter.raw[n - 1]), smooth: sig(iter.smooth[n - 1]), iteration: iter.x[n - 1] }) : t('chart.empty');
  const m = lastMetrics;
  $('sum-epoch').textContent = m && m.test ? t('chart.summaryEpoch', { epoch: m.epoch, testLoss: sig(m.test.loss), testAcc: pct(m.test.accuracy) }) : t('chart.empty');
}

// The two halves in separate frames, so that neither makes a long task while training.
function renderDetails() {
  if (misInfo) renderMisclassified($('misclassified'), misInfo, i18n); else $('misclassified').replaceChildren();
  requestAnimationFrame(() => {
    if (weightInfo) renderWeights($('weights'), weightInfo, i18n); else $('weights').replaceChildren();
  });
}

function renderProbs() {
  const { t, pct, sig } = i18n;
  const ol = $('probs');
  const p = probsInfo && drawing ? probsInfo : null;
  $('probs-title').textContent = t(p && !p.softmax ? 'draw.outputs' : 'draw.probs');
  let best = -1;
  if (p) for (let k = 0; k < p.probs.length; k++) if (best < 0 || p.probs[k] > p.probs[best]) best = k;
  const rows = [];
  for (let k = 0; k < 10; k++) {
    const v = p ? p.probs[k] : 0;
    const li = document.createElement('li');
    li.className = k === best ? 'best' : '';
    const d = document.createElement('span'); d.className = 'digit'; d.textContent = String(k);
    const bar = document.createElement('span'); bar.className = 'bar';
    const fill = document.createElement('span'); fill.style.width = `${Math.max(0, Math.min(1, v)) * 100}%`;
    bar.append(fill);
    const val = document.createElement('span'); val.className = 'val';
    val.textContent = p ? (p.softmax ? pct(v, 1) : sig(v, 3)) : '';
    li.append(d, bar, val);
    rows.push(li);
  }
  ol.replaceChildren(...rows);
  const ans = $('draw-answer');
  if (!drawing) ans.textContent = t('draw.empty');
  else if (!p) ans.textContent = applied ? '' : t('draw.noNet');
  else ans.textContent = t('draw.answer', { digit: String(best), prob: p.softmax ? pct(p.probs[best], 1) : sig(p.probs[best], 3) });
  $('draw-sample').textContent = sampleInfo && drawing ? t('draw.sampleLabel', { index: sampleInfo.index, label: String(sampleInfo.label) }) : '';
}

function renderSummary() {
  const { t, num } = i18n;
  $('settings-summary').textContent = t('settings.summary', {
    layers: [784, ...state.hidden, 10].join('-'), opt: t(`opt.${state.optimizer}`), lr: num(state.lr), batch: state.batch, epochs: state.epochs,
  });
  const open = !document.body.classList.contains('settings-closed');
  const tg = $('settings-toggle');
  tg.textContent = t(open ? 'settings.hide' : 'settings.show');
  tg.setAttribute('aria-expanded', String(open));
}

/** What changes when training starts or stops (cheap: no results, no form rebuild). */
function renderRun() {
  renderControls();
  renderProgress();
  renderMessage();
}

function renderAll() {
  renderControls();
  renderProgress();
  renderMessage();
  renderFinal();
  renderChartSummary();
  renderProbs();
  renderSummary();
  $('f-logy').checked = state.logy;
  $('f-smooth').value = String(Math.min(0.99, state.smooth));
  $('o-smooth').textContent = i18n.num(state.smooth);
}

// ---------------------------------------------------------------- start
function makeCharts() {
  const iters = () => (applied && runInfo ? applied.epochs * runInfo.batchesPerEpoch : null);
  const eps = () => (applied ? applied.epochs : null);
  const make = (k, height, xMax) => {
    chartXMax[k] = xMax;
    charts[k] = new Chart($(`chart-${k}`), trainingSpec(CHART_KIND[k], i18n, { log: state.logy, xMax }), { height, minRedrawMs: 200 });
    redrawCharts(k);
  };
  make('iter', state.embed ? 190 : 230, iters);
  make('eloss', 190, eps);
  make('eacc', 190, eps);
}

// The charts' specs (lib/chart-specs.js) and data: redrawn at most every 200 ms, rebuilt for a new language or scale.
const CHART_KIND = { iter: 'iter', eloss: 'epochLoss', eacc: 'epochAcc' };
const chartXMax = {};
function redrawCharts(...keys) {
  for (const k of keys) charts[k]?.setData(() => trainingData(CHART_KIND[k], k === 'iter' ? iter : epochs, state.logy));
}
function respecCharts(...keys) {
  for (const k of keys) charts[k]?.set(trainingSpec(CHART_KIND[k], i18n, { log: state.logy, xMax: chartXMax[k] }));
  redrawCharts(...keys);
}

function main() {
  if (state.embed) document.body.classList.add('embed');
  mountShell({ page: 'training', lang: i18n.lang, onLanguage: setLanguage });
  if (matchMedia('(max-width: 999px)').matches) document.body.classList.add('settings-closed');
  applyLanguage();          // texts, settings form, controls: the page answers from here on
  writeUrl();
  checkState();
  // The charts in the next task, so that the controls paint first.
  setTimeout(makeCharts, 0);

  $('btn-start').addEventListener('click', onStartClick);
  $('btn-step').addEventListener('click', () => { if (!ariaDisabled($('btn-step'))) command('step'); });
  $('btn-epoch').addEventListener('click', () => { if (!ariaDisabled($('btn-epoch'))) command('epoch'); });
  $('btn-reset').addEventListener('click', onReset);
  $('f-logy').addEventListener('change', e => onFieldChange('logy', e.target.checked));
  $('f-smooth').addEventListener('input', e => onFieldChange('smooth', Number(e.target.value)));
  $('pad-clear').addEventListener('click', () => pad.clear());
  $('pad-sample').addEventListener('click', onSample);
  $('settings-toggle').addEventListener('click', () => { document.body.classList.toggle('settings-closed'); renderSummary(); });
  $('copy-link').addEventListener('click', async () => {
    let ok = true;
    try { await navigator.clipboard.writeText(location.href); } catch { ok = false; }
    const b = $('copy-link');
    b.textContent = i18n.t(ok ? 'link.copied' : 'link.copyFailed');
    setTimeout(() => { b.textContent = i18n.t('link.copy'); }, 2000);
  });

  // Offer the full MNIST file when the server has it.
  fetch(FULL_URL, { method: 'HEAD' }).then(r => form.setFullAvailable(r.ok)).catch(() => {});

  enqueue(async () => {
    await loadData();
    if (info) await applySettings();
  });
}

main();
registerOffline();
