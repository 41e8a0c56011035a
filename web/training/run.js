// run.js - the training run's lifecycle, driven through the training worker (training/worker.js, by
// lib/worker-client.js): loading the data, configuring a run from the settings (250 ms after the last
// change), the Start, Step, Epoch, Pause and Reset commands, and the worker's progress, epoch and
// divergence events. Loading and configuring go through one queue (page.queue), so they never
// overlap. Every function takes the page state (page-model.js) and renders what it changed.

import { validate, toRunConfig, sameRun } from '../lib/state.js';
import { WorkerClient } from '../lib/worker-client.js';
import { moduleWorker } from '../ui/spawn.js';
import { canCommand, phaseAfter, errorOutcome, commandFailure, initialProgress, detailsDue, doneOutcome } from './page-model.js';
import { renderAll, renderRun, renderProgress, renderControls } from './render.js';
import { renderFinal, renderDetails, refreshDetails, onDrawing } from './results-view.js';
import { redrawCharts, renderChartSummary } from './charts.js';

// index.html starts the worker before the page's modules load (window.backpropWorker); make one if it could not.
export function trainerClient(onEvent, onFatal) {
  let worker = window.backpropWorker, unsupported = null;
  try { worker = worker || moduleWorker(new URL('./worker.js', import.meta.url)); }
  catch (e) {                // no module workers at all: the one case where the browser is to blame
    unsupported = e;
    worker = { postMessage() {}, terminate() {} };
  }
  const client = new WorkerClient(worker);
  if (unsupported) setTimeout(() => client.fail({ code: 'NO_WORKER', source: 'worker', details: { reason: 'unsupported' }, message: String(unsupported) }), 0);
  window.backpropWorker = null;
  return client.on('*', onEvent).on('fatal', onFatal);
}

/** The page in its error phase, saying why. */
export function fail(page, err) {
  Object.assign(page, errorOutcome(err));
  renderAll(page);
}

// ---------------------------------------------------------------- settings -> run

/** Validates the whole state; shows the problems at their fields. True when there are any. */
export function checkState(page) {
  const { info, state } = page;
  const errs = validate(state, { nTrain: info && info.data === state.data ? info.nTrain : undefined });
  page.form.setErrors(errs);
  return errs.length > 0 || page.form.errors().size > 0;
}

/** After a change of settings that makes another run: a new run 250 ms after the last change, if the settings are valid. */
export function scheduleApply(page) {
  clearTimeout(page.applyTimer);
  if (checkState(page)) { renderControls(page); return; }
  page.applyTimer = setTimeout(() => enqueue(page, applySettings), 250);
}

/** Runs fn(page) after the loading and configuring before it (one at a time). */
export function enqueue(page, fn) {
  const run = () => fn(page);
  page.queue = page.queue.then(run, run).catch(() => {});
  return page.queue;
}

/** The first data load, then the run of the URL's settings. */
export function startLoading(page) {
  return enqueue(page, async () => {
    await loadData(page);
    if (page.info) await applySettings(page);
  });
}

async function applySettings(page) {
  if (checkState(page)) { renderAll(page); return; }
  const loaded = () => page.info && page.info.data === page.state.data && page.info.scale === page.state.scale;
  if (!loaded()) await loadData(page);
  if (loaded() && !sameRun(page.applied || {}, page.state)) await configure(page);
}

async function loadData(page) {
  page.phase = 'loading'; page.message = null; renderAll(page);
  try {
    page.info = await page.trainer.request('init', { data: page.state.data, scale: page.state.scale });
    document.body.classList.remove('loading');
    page.applied = null;
  } catch (err) {
    page.info = null;
    fail(page, err);
  }
}

async function configure(page) {
  page.configuring = true;
  const s = page.state;
  try {
    const r = await page.trainer.request('configure', { run: toRunConfig(s) });
    page.runId = r.run;
    page.applied = s;
    page.runInfo = r;
    page.iter.clear(); page.epochs.clear(); page.metricsLog = [];
    page.lastMetrics = null; page.evaluating = null;
    page.progress = initialProgress(s, r);
    page.phase = 'ready'; page.message = null;
    page.misInfo = page.weightInfo = null;
    redrawCharts(page, 'iter', 'eloss', 'eacc');
    renderAll(page);
    renderDetails(page);
    onDrawing(page);
  } catch (err) {
    page.applied = null;
    fail(page, err);
  } finally { page.configuring = false; }
}

// ---------------------------------------------------------------- training commands

/** Sends 'start', 'step' or 'epoch' (after applying changed settings); one command at a time. */
export async function command(page, type) {
  if (page.busy) return;
  if (checkState(page)) { renderAll(page); return; }
  page.busy = true;
  try {
    if (!page.applied || !sameRun(page.applied, page.state)) { clearTimeout(page.applyTimer); await enqueue(page, applySettings); }
    if (!canCommand(page.phase)) return;   // loading failed, or diverged/done meanwhile
    if (type !== 'step') page.phase = 'running';
    page.message = null;
    renderRun(page);
    page.phase = phaseAfter(await page.trainer.request(type));
    if (page.phase === 'done') Object.assign(page, doneOutcome(page.metricsLog, page.applied ? page.applied.lr : page.state.lr));
  } catch (err) {
    Object.assign(page, commandFailure(err, page.state.lr));
  } finally {
    page.busy = false;
    renderRun(page);
    if (page.phase === 'paused' || page.phase === 'done' || page.phase === 'warning') refreshDetails(page);
  }
}

/** Pauses training; the running command then answers and sets the phase. */
export function pause(page) { page.trainer.request('pause'); }

/** A new run with the same settings (training paused first); a new worker when the old one died. */
export async function reset(page) {
  clearTimeout(page.applyTimer);
  if (page.trainer.dead) {
    try { page.trainer.worker.terminate(); } catch { /* gone already */ }
    page.trainer = page.makeTrainer();
    page.info = null; page.applied = null; page.message = null; page.evaluating = null;
    await startLoading(page);
    return;
  }
  if (page.phase === 'running') await page.trainer.request('pause');
  page.applied = null;
  await enqueue(page, applySettings);
}

// ---------------------------------------------------------------- worker events

export function onWorkerEvent(page, ev) {
  if (page.configuring || ev.run !== page.runId) return;
  if (ev.type === 'evaluating') {          // a big network's metrics, in parts: the status counts the images
    page.evaluating = ev;
    renderControls(page);
    return;
  }
  if (ev.type === 'epoch' && page.evaluating) { page.evaluating = null; renderControls(page); }
  if (ev.type === 'progress' && page.evaluating) { page.evaluating = null; renderControls(page); }   // training again
  if (ev.type === 'progress') {
    if (ev.losses && ev.losses.length) page.iter.push(ev.losses, ev.firstIteration);
    page.progress = ev;
    redrawCharts(page, 'iter');
    if (!page.progressQueued) {
      page.progressQueued = true;
      requestAnimationFrame(() => { page.progressQueued = false; renderProgress(page); renderChartSummary(page); });
    }
  } else if (ev.type === 'epoch') {
    page.epochs.push(ev.metrics);
    page.metricsLog.push(ev.metrics);
    page.lastMetrics = ev.metrics;
    redrawCharts(page, 'eloss', 'eacc');
    setTimeout(() => renderFinal(page), 0);      // a task of its own, apart from this message's
    const now = performance.now(), d = page.details;
    if (detailsDue(page.phase, d.visible, now, d.last)) { d.last = now; refreshDetails(page); }
    onDrawing(page);
  } else if (ev.type === 'diverged') {
    // the losses of the slice that diverged are lost with it; the iteration is known
    if (page.progress) { page.progress = { ...page.progress, iteration: ev.iteration }; renderProgress(page); }
  }
}
