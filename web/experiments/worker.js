// worker.js - the experiment page's Web Worker (a module worker): loads the core and the data, and
// runs a queue of grid runs (web/lib/grid-runner.js's GridRunner over web/lib/experiments.js's
// ExperimentRun) one after another, in slices of about 35 ms with a yield between them, so that pause
// and cancel get through at once.
//
// Protocol (web/lib/worker-runtime.js serves it), as the training page's worker: the page sends
// {id, type, payload}; the worker answers {id, result} or {id, error: {code, message, field?, source}}.
// Requests:
//   init {data: 'subset'|'full', validation}  load the core and the data -> {nTrain, nVal, nTest, nTrainInFile, kernels, flavor, data, memoryBytes}
//                                   (the command line's pool also sends file: a file: URL instead of
//                                   data, scale: '01'|'pm05', flavor: 'auto'|'simd'|'scalar'). The data
//                                   are loaded once and kept for every run that follows.
//   start {runs: [{key, cfg}], stop, target, checkEvery}  run the queue (checkEvery: test accuracy
//                                   also checked every that many iterations, 0 = at epoch ends only);
//                                   answered when it stops:
//                                   {reason: 'done'|'paused'|'cancelled', finished}
//                                   A run paused half-way is continued when the next start's first
//                                   run has the same key (so a pause loses nothing); otherwise dropped.
//   pause {}                        stop after the current slice, keep the current run -> {key, iteration}
//   cancel {}                       stop and drop the current run -> {key}
// Events:
//   {type: 'status', what: 'warmup'|'loading'}
//   {type: 'progress', key, id, index, count, iteration, totalBatches, epoch, epochs, firstIteration,
//    losses: Float32Array (the new ones), rows: [per-epoch rows that are new], seconds}
//   {type: 'run-done', key, id, index, count, result}   result: ExperimentRun.result()
//   {type: 'grid-done', finished, seconds}

import { loadCore } from '../lib/engine.js';
import { loadMnistRaw } from '../lib/data.js';
import { createDatasets, freeDatasets } from '../lib/trainer.js';
import { GridRunner } from '../lib/grid-runner.js';
import { serve, emit, stateError, yieldNow, Slicer, LossBuffer, dataFile } from '../lib/worker-runtime.js';

const POST_MS = 120;        // progress is posted at most this often (and at each epoch end)

let core = null, corePromise = null;
let sets = null, setsKey = '', info = null;
let grid = null;            // GridRunner over the current data
let loop = null;            // {stop: null | 'pause' | 'cancel'} while the queue runs

async function init({ data = 'subset', validation = 0, file: path = null, scale = '01', flavor = 'auto' } = {}) {
  if (path && !URL.canParse(path)) throw Object.assign(new Error(`file: "${path}" is not a URL`), { code: 'EINVAL', field: 'file' });
  const file = path ? { url: new URL(path), name: decodeURIComponent(new URL(path).pathname.split('/').pop()) } : dataFile(data);
  if (loop) throw stateError('the grid is running: pause or cancel it first');
  const key = `${path || data}/${validation}/${scale}`;
  if (key === setsKey && sets) return info;
  emit({ type: 'status', what: 'loading' });
  if (!corePromise) corePromise = loadCore({ flavor }).then(c => (core = c));
  await corePromise;
  const raw = await loadMnistRaw(file.url.href, { name: file.name, validation });
  if (grid) grid.drop();
  if (sets) freeDatasets(sets);
  sets = null; setsKey = ''; grid = null;
  // the pixels stay bytes in the core, scaled per batch by the same table as web/lib/data.js: the same
  // floats as loadMnist + createDatasets in Node, at a quarter of the memory
  sets = createDatasets(core, { train: raw.train, test: raw.test, val: raw.val }, 10, { scale });
  setsKey = key;
  grid = new GridRunner(core, sets, key);
  info = { nTrain: raw.train.n, nVal: raw.val.n, nTest: raw.test.n, nTrainInFile: raw.meta.nTrainInFile,
    kernels: core.kernels, flavor: core.flavor, data, validation, memoryBytes: core.memoryBytes };
  return info;
}

async function start({ runs, stop = { kind: 'epochs' }, target = 0.9, checkEvery = 0 } = {}) {
  if (!sets) throw stateError('start before init');
  if (loop) throw stateError('the grid is already running');
  if (!Array.isArray(runs)) throw Object.assign(new Error('runs: a list of {key, cfg} is required'), { code: 'EINVAL', field: 'runs' });
  if (!(Number.isInteger(checkEvery) && checkEvery >= 0))
    throw Object.assign(new Error(`check every: ${checkEvery} must be a whole number >= 0`), { code: 'EINVAL', field: 'checkEvery' });
  const me = loop = { stop: null };
  const t0 = performance.now();
  let pending = null, rows = [], current = null;
  // progress of the current run: the losses and epoch rows that are new since the last event
  const flush = ({ key, cfg, index, count, exp }) => {
    const { losses, firstIteration } = pending.take(exp.losses.length);
    emit({ type: 'progress', key, id: cfg.id, index, count, iteration: exp.losses.length, totalBatches: exp.totalBatches,
      epoch: exp.run.epoch, epochs: cfg.epochs, firstIteration, losses, rows, seconds: exp.elapsed }, [losses.buffer]);
    rows = [];
  };
  try {
    const out = await grid.run(runs, { stop, target, checkEvery }, {
      slicer: new Slicer(),
      yieldNow,
      stopRequested: () => me.stop,
      onStatus: what => emit({ type: 'status', what }),
      onStart: at => { current = at; pending = new LossBuffer(at.exp.losses.length); rows = []; flush(at); },
      onSlice: at => {
        pending.push(at.out.losses);
        if (at.out.epoch) rows.push(at.out.epoch);
        if (at.out.finished || at.out.epoch || pending.due(POST_MS)) flush(at);
      },
      onRunDone: ({ key, cfg, index, count, result }) => emit({ type: 'run-done', key, id: cfg.id, index, count, result }),
    });
    if (out.reason !== 'done' && current) flush(current);      // what the stopped run did since the last event
    if (out.reason === 'done') emit({ type: 'grid-done', finished: out.finished, seconds: (performance.now() - t0) / 1000 });
    return out;
  } finally {
    if (loop === me) loop = null;
  }
}

serve({
  init,
  start,
  pause: () => {
    const c = grid && grid.current;
    if (loop) loop.stop = 'pause';
    return { key: c ? c.key : null, iteration: c ? c.exp.losses.length : 0 };
  },
  cancel: () => {
    const key = grid && grid.current ? grid.current.key : null;
    if (loop) loop.stop = 'cancel'; else if (grid) grid.drop();
    return { key };
  },
});
