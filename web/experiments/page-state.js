// page-state.js - the experiment page's one state object and everything that follows from it without
// the DOM: the runs of the grid and which are done or still to do, the runs the charts show, run
// names, the view the URL asks for, the numbers of the progress bars and the ETA, which buttons
// apply, a queue item's status, and the data the browser tests read (window.__experiment).
// The DOM modules of the page (form, run-panel, results-view, views, controller) render from these;
// tests/node/experiments-page.test.mjs checks them in Node.
import { STRINGS } from './strings.js';
import { translator } from '../lib/i18n.js';
import { numberFormats } from '../lib/format.js';
import { toRuns } from '../lib/experiment-settings.js';
import { heatmaps, curvesCsv } from '../lib/experiments.js';

/** The page's views, in the order of the tabs; the first is the default. */
export const VIEWS = ['setup', 'results', 'report'];

/** The view a location hash asks for ('#results' -> 'results'); anything else opens the setup. */
export function viewOf(hash) {
  const v = String(hash || '').replace('#', '');
  return VIEWS.includes(v) ? v : 'setup';
}

/** The page's state, in one object that the page's modules receive explicitly. */
export function createState(lang) {
  const state = {
    lang: null,            // the page's language; t and f follow it (setLanguage)
    t: null,               // the translator of web/experiments/strings.js
    f: null,               // number formats (web/lib/format.js)
    strs: null,            // the form's strings
    errors: {},            // field -> {key, params}
    valid: null,           // the last valid settings
    ctx: {},               // {nTrain, nTrainInFile, fullAvailable}
    info: null,            // the worker's init answer
    status: 'loading',     // loading | idle | running | pausing | paused | done | error
    results: new Map(),    // key -> result (every saved run, of any grid)
    stored: false,         // whether the saved runs were read (web/experiments/store.js); until then the results
                           // and the report say they are reading them, not that there are none
    running: new Map(),    // the runs in progress (several with a pool of workers), by key, in the order they began:
                           // {key, id, index, count, iteration, totalBatches, epoch, epochs, xs, ys, rows, seconds, worker}
    live: null,            // the run the live chart shows when none is running (the last one)
    pool: null,            // {size, auto} of the current start: runs trained at once (web/lib/worker-pool.js)
    session: null,         // {t0, count, done} of the current start
    selection: null,       // Set of keys picked for the charts (null: the best of each optimizer)
    sort: { col: null, dir: 1 },
    smooth: 25, xIter: 'iteration', logLoss: false,
    message: null,         // {key, params, kind, link}
    paused: null,          // key of a run paused half-way
    workerWhat: null,      // what the worker says it is doing before a run ('loading', 'warmup')
    lastGridSeconds: undefined,
  };
  setLanguage(state, lang);
  return state;
}

/** Switches the state's language and its translator and number formats with it. */
export function setLanguage(state, lang) {
  state.lang = lang;
  state.t = translator(STRINGS, lang);
  state.f = numberFormats(lang);
}

/** The runs of the grid the valid settings describe ([] before there are any). */
export function gridRuns(state) { return state.valid ? toRuns(state.valid) : []; }

/** The saved results of this grid's runs, in grid order. */
export function currentResults(state) {
  return gridRuns(state).filter(r => state.results.has(r.key)).map(r => state.results.get(r.key));
}

/** The runs of this grid that have no saved result yet. */
export function runsToDo(state) { return gridRuns(state).filter(r => !state.results.has(r.key)); }

/** The runs the charts show: the user's pick, else the best lr x batch of each optimizer. */
export function selectedKeys(state, results) {
  const runs = gridRuns(state).filter(r => state.results.has(r.key));
  if (state.selection) return new Set(runs.filter(r => state.selection.has(r.key)).map(r => r.key));
  const hm = heatmaps(results);
  const out = new Set();
  for (const [o, m] of Object.entries(hm)) {
    if (!m.best) continue;
    const r = runs.find(x => x.cfg.optimizer.name === o && x.cfg.optimizer.lr === m.best.lr && x.cfg.batch === m.best.batch);
    if (r) out.add(r.key);
  }
  return out;
}

/** [[key, [x...]], ...] in the order the keys first appear. */
export function groupBy(xs, key) {
  const m = new Map();
  for (const x of xs) { const k = key(x); if (!m.has(k)) m.set(k, []); m.get(k).push(x); }
  return [...m];
}

const multiSeed = state => !!(state.valid && state.valid.seeds.length > 1);

/** A run's name in the page's language ("SGD η=0.1 B=64"; the seed too when the grid has several). */
export function runName(state, r) {
  const { t, f } = state;
  return t(multiSeed(state) ? 'run.nameSeed' : 'run.name', { opt: t(`opt.${r.optimizer}`), lr: f.short(r.lr), batch: r.batch, seed: r.seed });
}

/** A run's name from its id (web/lib/experiment-settings.js: `${optimizer}-lr${lr}-b${batch}-s${seed}`). */
export function runNameFromId(state, id) {
  const m = /^(\w+)-lr([\d.e-]+)-b(\d+)-s(\d+)$/.exec(id || '');
  if (!m) return id || '';
  return runName(state, { optimizer: m[1], lr: Number(m[2]), batch: Number(m[3]), seed: Number(m[4]) });
}

/** A run's short label in the queue and the chart picker ("η 0.1 · B 64"). */
export function runLabel(state, { lr, batch, seed }) {
  return state.t(multiSeed(state) ? 'queue.itemSeed' : 'queue.item', { lr: state.f.short(lr), batch, seed });
}

const fracOf = c => (c.totalBatches ? Math.min(1, c.iteration / c.totalBatches) : 0);

/**
 * The numbers of the progress bars: runs done of n, each running run's fraction (runs: [{run, frac}]
 * by worker, then by place in the grid; runFrac: their sum), the grid's fraction (running runs counted by their part
 * done), and while running the seconds elapsed since the start and the estimated seconds left (once
 * 2 % of this start's work and 2 s have passed; else null). nowMs: performance.now().
 */
export function progressOf(state, nowMs) {
  const runs = Object.keys(state.errors).length ? [] : gridRuns(state);
  const done = runs.filter(r => state.results.has(r.key)).length;
  const running = [...state.running.values()].filter(c => !state.results.has(c.key)).map(c => ({ run: c, frac: fracOf(c) }))
    .sort((a, b) => (a.run.worker ?? 0) - (b.run.worker ?? 0) || (a.run.index ?? 0) - (b.run.index ?? 0));
  const runFrac = running.reduce((a, r) => a + r.frac, 0);
  const gridFrac = Math.min(1, (done + runFrac) / (runs.length || 1));
  let elapsed = null, eta = null;
  const sess = state.session;
  if (state.status === 'running' && sess) {
    elapsed = (nowMs - sess.t0) / 1000;
    const frac = (sess.done + runFrac) / sess.count;
    if (frac > 0.02 && elapsed > 2) eta = elapsed / frac * (1 - frac);
  }
  return { n: runs.length, done, runs: running, runFrac, gridFrac, elapsed, eta };
}

/** Which run buttons apply in this state, and the start button's label key. */
export function buttonStates(state) {
  const s = state.status;
  const total = gridRuns(state).length;
  const left = runsToDo(state).length;
  return {
    start: ['idle', 'paused', 'done', 'loading', 'error'].includes(s) && left > 0 && !Object.keys(state.errors).length,
    pause: s === 'running',
    cancel: s === 'running' || s === 'paused',
    clear: s !== 'running' && s !== 'pausing' && state.results.size > 0,
    startLabel: s === 'paused' ? 'btn.resume' : left < total && left > 0 ? 'btn.continue' : 'btn.start',
  };
}

/**
 * A run in the queue: cls (done | diverged | paused | running | todo) and the value shown beside it
 * (the final test accuracy, ✕ for a diverged run, the percentage done of the run in progress).
 */
export function queueItem(state, run) {
  const res = state.results.get(run.key);
  const c = state.running.get(run.key);
  const active = !!c;
  const paused = active && (state.status === 'paused' || state.status === 'pausing');
  const running = active && !paused;
  const cls = res ? (res.diverged ? 'diverged' : 'done') : paused ? 'paused' : running ? 'running' : 'todo';
  const value = res ? (res.diverged ? '✕' : state.f.pct(res.final && res.final.test_accuracy, 1))
    : active ? `${Math.round(100 * (c.iteration / c.totalBatches || 0))}\u00a0%` : '';
  return { cls, value };
}

/** What the browser tests read as window.__experiment (live getters over the state). */
export function testHook(state) {
  return {
    get status() { return state.status; },
    get results() { return currentResults(state); },
    get total() { return gridRuns(state).length; },
    get settings() { return state.valid; },
    get errors() { return state.errors; },
    curvesCsv: () => curvesCsv(currentResults(state)),
  };
}
