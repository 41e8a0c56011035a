// experiments-worker.js - the experiment page's Web Worker (a module worker): loads the core and the
// data, and runs a queue of grid runs (web/experiments.js's ExperimentRun) one after another, in
// slices of about 40 ms with a yield between them, so that pause and cancel get through at once.
//
// Protocol, as the training page's worker: the page sends {id, type, payload}; the worker answers
// {id, result} or {id, error: {code, message, field?, source}}. Requests:
//   init {data: 'subset'|'full', validation}  load the core and the data -> {nTrain, nVal, nTest, nTrainInFile, kernels, flavor, data}
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
import { TrainingRun, createDatasets, freeDatasets } from '../lib/trainer.js';
import { ExperimentRun, warmUp } from '../lib/experiments.js';

const FILES = { subset: '../../data/mnist-subset.bin', full: '../../data/mnist-full.bin' };
const SLICE_MS = 40;
const POST_MS = 120;

let core = null, corePromise = null;
let sets = null, setsKey = '', info = null;
let warmed = '';
let loop = null;            // {stop: null | 'pause' | 'cancel', resolve}
let current = null;         // {key, exp: ExperimentRun, stopKey} kept across a pause

const post = (msg, transfer) => self.postMessage(msg, transfer || []);

// A zero-delay yield through a MessageChannel (setTimeout(0) is clamped to 4 ms when nested); every
// few yields a real setTimeout, so that the page's messages are always let through.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => { const f = waiting.shift(); if (f) f(); };
let yields = 0;
const yieldNow = () => new Promise(r => {
  if (++yields % 8 === 0) setTimeout(r, 0);
  else { waiting.push(r); channel.port2.postMessage(0); }
});

function errorOf(e) {
  const out = { code: (e && e.code) || 'ERROR', message: (e && e.message) || String(e), source: 'core' };
  if (e && e.name === 'MnistDataError') { out.source = 'data'; out.details = { file: e.file, ...e.details }; }
  else if (e && e.source) out.source = e.source;
  if (e && e.field) out.field = e.field;
  return out;
}
const stateError = message => Object.assign(new Error(message), { code: 'ESTATE', source: 'state' });

async function init({ data = 'subset', validation = 0 } = {}) {
  if (!FILES[data]) throw Object.assign(new Error(`unknown data "${data}"`), { code: 'BAD_OPTION', source: 'data', field: 'data' });
  if (loop) throw stateError('the grid is running: pause or cancel it first');
  const key = `${data}/${validation}`;
  if (key === setsKey && sets) return info;
  post({ type: 'status', what: 'loading' });
  if (!corePromise) corePromise = loadCore().then(c => (core = c));
  await corePromise;
  const url = new URL(FILES[data], import.meta.url);
  const raw = await loadMnistRaw(url.href, { name: FILES[data].replace(/^(\.\.\/)+/, ''), validation });
  dropCurrent();
  if (sets) freeDatasets(sets);
  sets = null; setsKey = ''; warmed = '';
  // the pixels stay bytes in the core, scaled per batch by the same table as web/data.js: the same
  // floats as loadMnist + createDatasets in Node, at a quarter of the memory
  sets = createDatasets(core, { train: raw.train, test: raw.test, val: raw.val }, 10, { scale: '01' });
  setsKey = key;
  info = { nTrain: raw.train.n, nVal: raw.val.n, nTest: raw.test.n, nTrainInFile: raw.meta.nTrainInFile,
    kernels: core.kernels, flavor: core.flavor, data, validation };
  return info;
}

function dropCurrent() { if (current) { current.exp.free(); current = null; } }

function start({ runs, stop = { kind: 'epochs' }, target = 0.9, checkEvery = 0 } = {}) {
  if (!sets) throw stateError('start before init');
  if (loop) throw stateError('the grid is already running');
  if (!Array.isArray(runs)) throw Object.assign(new Error('runs: a list of {key, cfg} is required'), { code: 'EINVAL', field: 'runs' });
  if (!(Number.isInteger(checkEvery) && checkEvery >= 0))
    throw Object.assign(new Error(`check every: ${checkEvery} must be a whole number >= 0`), { code: 'EINVAL', field: 'checkEvery' });
  // a run paused half-way continues only under the same rules (a different check interval would mix
  // checks made every N iterations with checks made every M)
  const stopKey = JSON.stringify({ stop, target, checkEvery, sets: setsKey });
  if (current && (!runs.length || runs[0].key !== current.key || current.stopKey !== stopKey)) dropCurrent();
  let resolve, reject;
  const promise = new Promise((a, b) => { resolve = a; reject = b; });
  loop = { stop: null, resolve, reject };
  runQueue(loop, runs, { stop, target, checkEvery }, stopKey);
  return promise;
}

async function runQueue(me, runs, opts, stopKey) {
  const t0 = performance.now();
  let finished = 0;
  let perSlice = 4;                          // batches per slice, adapted to SLICE_MS
  const end = reason => { if (loop === me) loop = null; me.resolve({ reason, finished }); };
  try {
    const names = [...new Set(runs.map(r => r.cfg.optimizer.name))];
    if (runs.length && warmed !== `${setsKey}/${names}`) {
      post({ type: 'status', what: 'warmup' });
      warmUp(core, sets, runs[0].cfg);
      // and a few batches of each optimizer's own update, so that the first run of an optimizer is
      // not timed while the engine still compiles its code
      for (const name of names) {
        const cfg = runs.find(r => r.cfg.optimizer.name === name).cfg;
        const r = new TrainingRun(core, sets, { ...cfg, epochs: 1, seed: 0, optimizer: { ...cfg.optimizer, lr: 1e-4 } });
        try { r.train(Math.min(20, r.batchesPerEpoch)); } finally { r.free(); }
      }
      warmed = `${setsKey}/${names}`;
      await yieldNow();
    }
    for (let index = 0; index < runs.length; index++) {
      const { key, cfg } = runs[index];
      if (!current) current = { key, stopKey, exp: new ExperimentRun(core, sets, cfg, opts) };
      const exp = current.exp;
      let pending = [], pendingFirst = exp.losses.length, rows = [], lastPost = 0;
      const flush = () => {
        const n = pending.reduce((a, p) => a + p.length, 0);
        const losses = new Float32Array(n);
        let o = 0;
        for (const p of pending) { losses.set(p, o); o += p.length; }
        post({ type: 'progress', key, id: cfg.id, index, count: runs.length, iteration: exp.losses.length, totalBatches: exp.totalBatches,
          epoch: exp.run.epoch, epochs: cfg.epochs, firstIteration: pendingFirst, losses, rows, seconds: exp.elapsed }, [losses.buffer]);
        pending = []; rows = []; pendingFirst = exp.losses.length; lastPost = performance.now();
      };
      flush();
      for (;;) {
        if (me.stop) {
          flush();
          if (me.stop === 'cancel') dropCurrent();
          return end(me.stop === 'cancel' ? 'cancelled' : 'paused');
        }
        const t1 = performance.now();
        const out = exp.advance(perSlice);
        const dt = performance.now() - t1;
        if (out.losses.length) pending.push(out.losses);
        if (out.epoch) rows.push(out.epoch);
        if (out.losses.length === perSlice && !out.epoch)
          perSlice = Math.max(1, Math.min(4000, Math.round(perSlice * SLICE_MS / Math.max(dt, 0.5))));
        if (out.finished) break;
        if (out.epoch || performance.now() - lastPost >= POST_MS) flush();
        await yieldNow();
      }
      flush();
      const result = exp.result();
      dropCurrent();
      finished++;
      post({ type: 'run-done', key, id: cfg.id, index, count: runs.length, result });
      await yieldNow();
    }
    post({ type: 'grid-done', finished, seconds: (performance.now() - t0) / 1000 });
    end('done');
  } catch (e) {
    dropCurrent();
    if (loop === me) loop = null;
    me.reject(errorOf(e));
  }
}

const HANDLERS = {
  init,
  start,
  pause: () => {
    if (loop) loop.stop = 'pause';
    return { key: current ? current.key : null, iteration: current ? current.exp.losses.length : 0 };
  },
  cancel: () => {
    const key = current ? current.key : null;
    if (loop) loop.stop = 'cancel'; else dropCurrent();
    return { key };
  },
};

self.onmessage = async ev => {
  const { id, type, payload } = ev.data || {};
  const h = HANDLERS[type];
  if (!h) { post({ id, error: { code: 'ESTATE', source: 'state', message: `unknown request "${type}"` } }); return; }
  try {
    post({ id, result: await h(payload || {}) });
  } catch (e) {
    post({ id, error: e && e.code && !(e instanceof Error) ? e : errorOf(e) });
  }
};
