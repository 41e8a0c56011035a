// controller.js - runs the grid: talks to the page's workers (./worker.js, a pool of them through
// web/lib/worker-pool.js, which speaks the one worker's protocol of web/lib/worker-client.js),
// loads the data the settings ask for, starts the runs still to do, pauses, resumes and cancels,
// keeps each finished run in the result store (./store.js), follows the worker's progress events
// and turns failures into a message (and a field's error when the worker names the field).
// createController(page) returns the page's actions; page: {state, store, actions}.
import { FIELDS, toGrid } from '../lib/experiment-settings.js';
import { readForm, revalidate, showErrors, lockForm, focusFirstError } from './form.js';
import { renderRunPanel, renderProgress, renderQueue, renderSummary, liveChartUpdate, announce } from './run-panel.js';
import { scheduleResults, renderAll } from './views.js';
import { runsToDo, runName } from './page-state.js';
import { poolSize, WORKER_MB } from '../lib/worker-pool.js';

const $ = id => document.getElementById(id);

/** The message key of a failure: a worker that did not load, crashed, ended or fell silent, the
 * WebAssembly core, the data file, or anything else. */
function failureKey(e) {
  const reason = e && e.code === 'NO_WORKER' && e.details && e.details.reason;
  if (['load', 'crashed', 'ended', 'silent'].includes(reason)) return `msg.worker.${reason}`;
  if (e && e.code === 'WASM') return 'msg.wasm';
  if (e && e.source === 'data') return e.code === 'NOT_FOUND' ? 'msg.dataMissing' : 'msg.dataBad';
  return 'msg.failed';
}

export function createController(page) {
  const { state, store } = page;
  let client = null;                    // the worker's client (connect)
  let initPromise = null, initKey = ''; // the data loaded in the worker, by data file and validation size
  let clearArmed = 0;                   // when "Clear" was pressed once (a second press within 4 s clears)

  function setStatus(s) {
    state.status = s;
    document.body.dataset.status = s;
    lockForm(state);
    renderRunPanel(page);
  }

  function fail(e) {
    setStatus('error');
    const field = e && e.field && FIELDS.includes(e.field) ? e.field : null;
    if (field) { state.errors[field] = { key: 'err.worker', params: { m: e.message } }; showErrors(state); }
    state.message = { kind: 'bad', key: failureKey(e), params: { m: (e && e.message) || String(e), s: e && e.details && e.details.seconds } };
    renderRunPanel(page);
  }

  /** Starts listening to the workers: makeClient() gives the pool of WorkerClients (web/lib/worker-pool.js,
   * which speaks one worker's protocol), now and again after a worker died. */
  function connect(makeClient) {
    const c = makeClient();
    client = c;
    c.on('progress', onProgress).on('run-done', onRunDone).on('grid-done', onGridDone).on('status', onWorkerStatus)
      .on('fatal', e => { if (client !== c) return; initPromise = null; initKey = ''; state.running.clear(); fail(e); });
    c.remake = makeClient;
  }

  /** After a worker died: fresh workers, the same settings (their data is loaded again by ensureInit). */
  function reconnect() {
    const old = client;
    connect(old.remake);                 // first, so that the old pool's last 'fatal' is not told
    try { old.terminate(); } catch { /* gone already */ }
  }

  /** Offers the full MNIST file when the build found it (web/build/data-files.js): no request that fails. */
  function offerFull(available) {
    state.ctx.fullAvailable = available;
    const opt = document.querySelector('#f-data option[value="full"]');
    if (opt) opt.disabled = !state.ctx.fullAvailable;
    revalidate(page);
  }

  /** Loads the data the settings ask for (once per data file and validation size). */
  function ensureInit() {
    const g = toGrid(state.valid);
    const key = `${g.data}/${g.validation}`;
    if (initPromise && initKey === key) return initPromise;
    initKey = key;
    if (state.status === 'idle' || state.status === 'done') setStatus('loading');
    initPromise = client.request('init', { data: g.data, validation: g.validation }).then(info => {
      state.info = info;
      state.workerWhat = null;
      state.ctx.nTrain = info.nTrain; state.ctx.nTrainInFile = info.nTrainInFile;
      revalidate(page);
      return info;
    });
    initPromise.catch(() => { initPromise = null; initKey = ''; });
    return initPromise;
  }

  async function start() {
    if (state.status === 'running' || state.status === 'pausing') return;
    if (client.dead) {
      try { reconnect(); } catch (e) { fail({ code: 'WORKER', message: String(e) }); return; }
    }
    state.strs = readForm(state);
    revalidate(page);
    if (FIELDS.some(n => state.errors[n])) {
      state.message = { kind: 'bad', key: 'msg.fixFields' };
      renderRunPanel(page);
      focusFirstError(state);
      return;
    }
    const todo = runsToDo(state);
    if (!todo.length) { state.message = { kind: 'ok', key: 'msg.allDone' }; renderRunPanel(page); return; }
    const g = toGrid(state.valid);
    for (const k of [...state.running.keys()]) if (!todo.some(r => r.key === k)) state.running.delete(k);   // paused runs of other settings
    state.message = null;
    setStatus('running');
    state.session = { t0: performance.now(), count: todo.length, done: 0 };
    try {
      await ensureInit();
      // the batch size is checked against the data now known
      revalidate(page);
      if (Object.keys(state.errors).length) { setStatus('idle'); state.message = { kind: 'bad', key: 'msg.fixFields' }; renderRunPanel(page); return; }
      // runs at once: the setting, or one per core but one for the page; at most what a quarter of the memory holds
      state.pool = poolSize({ requested: g.jobs, cores: navigator.hardwareConcurrency, memoryGB: navigator.deviceMemory, workerMB: WORKER_MB[g.data], runs: todo.length });
      const out = await client.request('start', { runs: todo.map(r => ({ key: r.key, cfg: r.cfg })), stop: g.stop, target: g.target, checkEvery: g.checkEvery, jobs: state.pool.size });
      if (out.reason === 'paused') { setStatus('paused'); state.paused = [...state.running.keys()]; }
      else if (out.reason === 'cancelled') { setStatus('idle'); state.running.clear(); state.paused = null; state.message = { kind: 'ok', key: 'msg.cancelled' }; }
      else { state.running.clear(); state.paused = null; state.message = { kind: 'ok', key: 'msg.done', params: { s: state.f.dur(state.lastGridSeconds) }, link: 'results' }; setStatus('done'); }
    } catch (e) {
      state.running.clear();
      fail(e);
    }
    renderRunPanel(page);
  }

  async function pause() {
    if (state.status !== 'running') return;
    setStatus('pausing');
    await client.request('pause');
  }

  async function cancel() {
    if (state.status === 'running' || state.status === 'pausing') { setStatus('pausing'); await client.request('cancel'); return; }
    if (state.status === 'paused') {
      await client.request('cancel');
      state.running.clear(); state.paused = null;
      setStatus('idle');
      state.message = { kind: 'ok', key: 'msg.cancelled' };
      renderRunPanel(page);
    }
  }

  /** Deletes every saved run: the first press arms the button for 4 s, the second clears. */
  async function clearResults() {
    const { t } = state;
    if (state.status === 'running' || state.status === 'pausing') return;
    const b = $('btn-clear');
    if (Date.now() - clearArmed > 4000) {
      clearArmed = Date.now();
      b.textContent = t('btn.clearConfirm');
      setTimeout(() => { if ($('btn-clear')) $('btn-clear').textContent = state.t('btn.clear'); }, 4000);
      return;
    }
    clearArmed = 0;
    if (state.status === 'paused') await client.request('cancel');
    await store.clear();
    state.results = new Map();
    state.running.clear(); state.paused = null; state.selection = null;
    setStatus('idle');
    state.message = { kind: 'ok', key: 'msg.cleared' };
    renderAll(page);
  }

  // ---------------------------------------------------------------- the worker's events
  function onWorkerStatus(ev) {
    state.workerWhat = ev.what;
    renderProgress(state);
  }

  // each run in flight by its key (a pool trains several at once); a paused run keeps its curve
  function onProgress(ev) {
    let c = state.running.get(ev.key);
    if (!c) {
      c = { key: ev.key, id: ev.id, xs: [], ys: [], rows: [] };
      state.running.set(ev.key, c);
    }
    state.live = c;
    if (ev.firstIteration < c.xs.length) { c.xs.length = c.ys.length = ev.firstIteration; c.rows = []; }   // begun again (a worker fewer)
    Object.assign(c, { index: ev.index, count: ev.count, iteration: ev.iteration, totalBatches: ev.totalBatches, epoch: ev.epoch, epochs: ev.epochs, seconds: ev.seconds, worker: ev.worker });
    for (let i = 0; i < ev.losses.length; i++) { c.xs.push(ev.firstIteration + i + 1); c.ys.push(ev.losses[i]); }
    for (const r of ev.rows) c.rows.push(r);
    state.workerWhat = null;
    renderProgress(state);
    liveChartUpdate(state);
    renderQueue(state);
  }

  function onRunDone(ev) {
    const { t, f } = state;
    state.results.set(ev.key, ev.result);
    store.put(ev.key, ev.result);
    if (state.session) state.session.done++;
    state.running.delete(ev.key);
    liveChartUpdate(state);
    const r = ev.result;
    announce(t('live.runDone', { k: ev.index + 1, n: ev.count, run: runName(state, r),
      acc: r.diverged ? t('live.diverged') : f.pct(r.final && r.final.test_accuracy) }));
    renderSummary(state);
    renderQueue(state);
    renderProgress(state);
    scheduleResults(state);
  }

  function onGridDone(ev) {
    announce(state.t('live.gridDone', { n: ev.finished, s: state.f.dur(ev.seconds) }));
    state.lastGridSeconds = ev.seconds;
  }

  return { connect, offerFull, ensureInit, setStatus, fail, start, pause, cancel, clearResults };
}
