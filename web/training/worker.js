// worker.js - the training page's Web Worker (a module worker): loads the core and the data, runs
// a TrainingRun in short slices so that pause and step messages get through, and answers the
// page's questions about the trained network.
//
// Protocol (web/lib/worker-runtime.js serves it): the page sends {id, type, payload}; the worker answers
// {id, result} or {id, error: {code, message, source, field?, details?}} (source: 'data' for
// web/lib/data.js errors, 'core' for the core's, 'state' for a request out of order). Requests:
//   init {data, scale}           load core + data file, build the datasets -> {nTrain, nTest, flavor, kernels, data, scale}
//   configure {run}              a new TrainingRun (config as web/lib/trainer.js) -> {run: number, batchesPerEpoch, nparams};
//                                its untrained metrics follow as an 'epoch' event with epoch 0
//   reset {}                     configure again with the last config
//   start {} / step {} / epoch {}  train until paused or done / one batch / to the end of this epoch;
//                                the answer comes when training stops: {reason: 'paused'|'step'|'epoch'|'done', iteration}
//   pause {}                     stop at the end of the current slice -> {iteration}
//   misclassified {limit}        wrong test images, most confident first -> {n, total, items: [{index, label, pred, prob, pixels}]}
//   weights {limit}              first layer's W rows as images -> {units, total, inputs, data: Float32Array(units * inputs)}
//   predict {x}                  x: Float32Array(784) in [0, 1] -> {probs: Float32Array(K), softmax}
//   sample {index?}              a test image -> {index, label, pixels: Uint8Array(784)}
//   saveModel {}                 the run as a model file (data/MODEL-FORMAT.md) -> {text, name}
//   loadModel {text}             a model file continued: its data loaded if another, the run replaced ->
//                                the init answer + the configure answer + {model, iteration, epoch, epochBatch, done};
//                                a bad file: error {source: 'model', code (lib/model-file.js MODEL_ERRORS), field}
//   pytorch {lang, steps}        "Open in PyTorch" for the run -> {script, zip: Uint8Array, name}
// Events the worker sends on its own, each with `run`, the number configure answered:
//   {type: 'progress', iteration, epoch, epochs, epochBatch, batchesPerEpoch, batch, firstIteration,
//    losses: Float32Array, samplesPerSec, trainSeconds}
//   {type: 'epoch', metrics}     after each epoch: run.evaluate({confusion: true}) + seconds
//   {type: 'evaluating', done, total}  while a big network is evaluated in parts (images done of all)
//   {type: 'done', iteration, epoch}
//   {type: 'diverged', iteration, what: 'NaN'|'infinite', lr, message}
// Started with ?data=...&scale=... (index.html does, to load early) it loads that data at once.

import { loadCore } from '../lib/engine.js';
import { loadMnistRaw } from '../lib/data.js';
import { TrainingRun, freeDatasets, createDatasets } from '../lib/trainer.js';
import { serve, emit, bootParams, transfer, errorOf, stateError, yieldNow, Slicer, LossBuffer, dataFile } from '../lib/worker-runtime.js';

const POST_MS = 100;        // iteration losses are posted at most this often

let core = null;
let corePromise = null;
const raw = {};             // data name -> promise of decoded raw parts
let sets = null, setsKey = '';
let rawNow = null;          // raw parts of the current data (pixels for images)
let scale = '01';
let run = null, runCfg = null;
let runSeq = 0;            // numbers the runs; every event carries its run's number
let loop = null;            // {until, resolve, reject} while training
let slicer = new Slicer();  // batches per slice
let pending = new LossBuffer();
let speed = { samples: 0, ms: 0 };
let trainMs = 0;

const post = emit;

async function init({ data = 'subset', scale: sc = '01' }) {
  const file = dataFile(data);
  stopLoop('paused');
  if (!corePromise) corePromise = loadCore().then(c => (core = c));
  if (!raw[data]) {
    raw[data] = loadMnistRaw(file.url.href, { name: file.name });
    raw[data].catch(() => { delete raw[data]; });
  }
  const [, r] = await Promise.all([corePromise, raw[data]]);
  const key = `${data}/${sc}`;
  if (key !== setsKey) {
    freeRun();
    if (sets) freeDatasets(sets);
    sets = null;
    sets = { train: makeData(r.train, sc), test: makeData(r.test, sc) };
    setsKey = key;
  }
  // Free the other file's decoded pixels: only one data set is kept.
  for (const k of Object.keys(raw)) if (k !== data) delete raw[k];
  rawNow = r;
  scale = sc;
  return { nTrain: r.train.n, nTest: r.test.n, flavor: core.flavor, kernels: core.kernels, data, scale: sc };
}

// The pixels go to the core as bytes (a quarter of the memory) and become floats per batch through
// the same table web/data.js scales with: trainer.js's createDatasets does it.
function makeData(part, sc) {
  return createDatasets(core, { part }, 10, { scale: sc }).part;
}

function freeRun() {
  if (run) { run.free(); run = null; }
}

function configure({ run: cfg }) {
  if (!sets) throw stateError('configure before init');
  stopLoop('paused');
  freeRun();
  if (Number.isInteger(cfg.batch) && cfg.batch > sets.train.n)
    throw Object.assign(new Error(`batch size: ${cfg.batch} is larger than the training set (${sets.train.n})`), { code: 'EINVAL', field: 'batch' });
  run = new TrainingRun(core, sets, cfg);
  runCfg = cfg;
  const seq = ++runSeq;
  // the first slice is one batch: with a wide network one batch can take a second (Slicer then learns)
  pending = new LossBuffer(); speed = { samples: 0, ms: 0 }; trainMs = 0; slicer = new Slicer({ first: 1 });
  // The untrained network's metrics (epoch 0) follow as an 'epoch' event, so that the page is
  // ready at once; a big network's are evaluated in parts, with 'evaluating' events between them.
  // One that would take long (a 784-4096-4096-4096-10 network: a minute) gives way to training:
  // Start stops it (skipped: that run has no epoch-0 point) instead of waiting for it.
  const r = run;
  const skip = r.flopsPerSample * (sets.train.n + sets.test.n) > SKIPPABLE_FLOPS ? { stop: false } : null;
  initialEval = skip;
  setTimeout(async () => {
    if (runSeq !== seq || run !== r || r.iteration > 0) return;
    const metrics = await evaluateRun(r, seq, skip);
    if (!metrics) return;
    metrics.seconds = 0;
    post({ type: 'epoch', run: seq, metrics });
  }, 0);
  return { run: seq, batchesPerEpoch: run.batchesPerEpoch, nparams: run.net.nparams };
}

let evaluating = null;       // the promise of an evaluation in parts; training waits for it
let initialEval = null;      // {stop} of a long epoch-0 evaluation that training may stop
const SKIPPABLE_FLOPS = 2e10; // about 5 s of evaluation here: above it, Start does not wait for epoch 0

/** run.evaluate({confusion: true}) in parts (TrainingRun.evaluateSteps), yielding between them so
 * that pause and other requests are answered; null when the run was replaced or freed meanwhile. */
function evaluateRun(r, seq, skip = null) {
  const job = (async () => {
    if (evaluating) await evaluating;
    const steps = r.evaluateSteps({ confusion: true });
    let shown = 0;
    for (;;) {
      if (run !== r || runSeq !== seq || (skip && skip.stop)) return null;
      const { value, done } = steps.next();
      if (done) return value;
      const now = performance.now();
      if (now - shown >= POST_MS) { shown = now; post({ type: 'evaluating', run: seq, done: value.done, total: value.total }); }
      await yieldNow();
    }
  })();
  const mine = job.finally(() => { if (evaluating === mine) evaluating = null; });
  evaluating = mine;
  return job;
}

function needRun() { if (!run) throw stateError('no training run: configure first'); }

function stopLoop(reason) {
  if (!loop) return;
  const l = loop;
  loop = null;
  flush(true);
  l.resolve({ reason, iteration: run ? run.iteration : 0 });
}

function train(until) {
  needRun();
  if (loop) { loop.until = until; return loop.promise; }
  if (run.done) return { reason: 'done', iteration: run.iteration };
  let resolve, reject;
  const promise = new Promise((a, b) => { resolve = a; reject = b; });
  loop = { until, resolve, reject, promise };
  trainLoop(loop);
  return promise;
}

function progressEvent() {
  const sps = speed.ms > 0 ? (speed.samples / speed.ms) * 1000 : 0;
  return {
    type: 'progress', run: runSeq, iteration: run.iteration, epoch: run.epoch, epochs: run.cfg.epochs,
    epochBatch: run.inEpoch ? run.epochBatches : 0, batchesPerEpoch: run.batchesPerEpoch, batch: run.cfg.batch,
    samplesPerSec: sps, trainSeconds: trainMs / 1000,
  };
}

function flush(force) {
  if (!run) return;
  if (!force && !pending.due(POST_MS)) return;
  const { losses, firstIteration } = pending.take(run.iteration);
  post({ ...progressEvent(), firstIteration, losses }, [losses.buffer]);
}

async function trainLoop(me) {
  const r = run, seq = runSeq;
  if (initialEval) initialEval.stop = true;   // a long epoch-0 evaluation gives way
  if (evaluating) await evaluating;       // the untrained network's metrics come first
  try {
    while (loop === me && run === r) {
      const k = me.until === 'step' ? 1 : slicer.size();
      const t0 = performance.now();
      if (!pending.length) pending.first = r.iteration;
      const { losses, epochEnded } = r.train(k);
      const dt = performance.now() - t0;
      trainMs += dt;
      pending.push(losses);
      // samples/s over roughly the last few seconds
      speed.samples += losses.length * r.cfg.batch; speed.ms += dt;
      if (speed.ms > 3000) { speed.samples /= 2; speed.ms /= 2; }
      if (me.until !== 'step') slicer.took(k, losses.length, dt);
      if (epochEnded) {
        flush(true);
        const t1 = performance.now();
        const metrics = await evaluateRun(r, seq);
        if (!metrics) return;
        metrics.seconds = trainMs / 1000;
        metrics.evalMs = performance.now() - t1;
        post({ type: 'epoch', run: runSeq, metrics });
      } else flush(false);
      if (r.done) {
        post({ type: 'done', run: runSeq, iteration: r.iteration, epoch: r.epoch });
        return stopLoop('done');
      }
      if (me.until === 'step') return stopLoop('step');
      if (me.until === 'epoch' && epochEnded) return stopLoop('epoch');
      await yieldNow();
    }
  } catch (e) {
    if (loop !== me) return;
    loop = null;
    flush(true);
    if (e && e.code === 'DIVERGED') {
      const ev = { type: 'diverged', run: runSeq, iteration: e.iteration || r.iteration + 1, what: Math.abs(e.value) === Infinity ? 'infinite' : 'NaN',
        lr: r.cfg.optimizer && r.cfg.optimizer.lr, message: e.message };
      post(ev);
      run.free(); run = null;
      const err = errorOf(e);
      err.details = { iteration: ev.iteration, what: ev.what, lr: ev.lr };
      me.reject(err);
      return;
    }
    me.reject(errorOf(e));
  }
}

function misclassified({ limit = 40 } = {}) {
  needRun();
  const net = run.net, test = sets.test;
  const K = net.sizes[net.sizes.length - 1];
  const ev = net.evaluate(test, { probs: true });
  const labels = test.labels();
  const wrong = [];
  for (let i = 0; i < test.n; i++) {
    let best = 0;
    const row = i * K;
    for (let k = 1; k < K; k++) if (ev.probs[row + k] > ev.probs[row + best]) best = k;
    if (best !== labels[i]) wrong.push({ index: i, label: labels[i], pred: best, prob: ev.probs[row + best] });
  }
  wrong.sort((a, b) => b.prob - a.prob || a.index - b.index);
  const items = wrong.slice(0, limit).map(w => ({ ...w, pixels: rawNow.test.pixels.slice(w.index * 784, (w.index + 1) * 784) }));
  return { n: wrong.length, total: test.n, items, softmax: net.activations[net.activations.length - 1] === 'softmax' };
}

function weights({ limit = 64 } = {}) {
  needRun();
  const net = run.net;
  const inputs = net.sizes[0], total = net.sizes[1];
  const units = Math.min(limit, total);
  const off = net.paramOffset(0, 'W');
  const data = Float32Array.from(net.params().subarray(off, off + units * inputs));
  return transfer({ units, total, inputs, data }, [data.buffer]);
}

function predict({ x }) {
  needRun();
  const input = scale === 'pm05' ? Float32Array.from(x, v => v - 0.5) : Float32Array.from(x);
  const probs = run.net.predict(input);
  return transfer({ probs, softmax: run.net.activations[run.net.activations.length - 1] === 'softmax' }, [probs.buffer]);
}

function sample({ index } = {}) {
  if (!rawNow) throw stateError('no data yet');
  const n = rawNow.test.n;
  const i = Number.isInteger(index) && index >= 0 && index < n ? index : Math.floor(Math.random() * n);
  return { index: i, label: rawNow.test.labels[i], pixels: rawNow.test.pixels.slice(i * 784, (i + 1) * 784) };
}

// ---------------------------------------------------------------- model files (model-requests.js)
// loaded at the first request, so that the worker starts as fast as before
const modelRequests = () => import('./model-requests.js');

async function saveModelFile() {
  needRun();
  const { modelText } = await modelRequests();
  const name = `backprop-lab-${run.net.sizes.join('-')}-it${run.iteration}.json`;
  return { text: modelText(run, setsKey.split('/')[0], scale), name };
}

async function loadModel({ text }) {
  const { checkModel, runOfModel } = await modelRequests();
  const { m, data, scale: sc } = checkModel(text);      // nothing is freed for a file that is refused
  stopLoop('paused');
  const info = await init({ data, scale: sc });
  let next;
  try { next = runOfModel(core, sets, m); } catch (e) {
    e.details = { ...(e.details || {}), data, scale: sc };   // the data the worker now holds (the old run is gone if they differ)
    throw e;
  }
  freeRun();
  run = next;
  runCfg = run.cfg;
  const seq = ++runSeq;
  pending = new LossBuffer(); speed = { samples: 0, ms: 0 }; trainMs = 0; slicer = new Slicer();
  setTimeout(() => {                                     // the loaded network's metrics, as after configure
    if (runSeq !== seq || !run) return;
    const metrics = run.evaluate({ confusion: true });
    metrics.seconds = 0;
    post({ type: 'epoch', run: seq, metrics });
  }, 0);
  const { tensors, running_stats: rs, order, ...model } = m;
  return { ...info, run: seq, batchesPerEpoch: run.batchesPerEpoch, nparams: run.net.nparams, model,
    iteration: run.iteration, epoch: run.epoch, epochBatch: run.inEpoch ? run.epochBatches : 0, done: run.done };
}

async function pytorch({ lang = 'en', steps = 20 } = {}) {
  needRun();
  const { pytorchExport } = await modelRequests();
  const r = pytorchExport(core, sets, rawNow.train, run, { data: setsKey.split('/')[0], scale, lang, steps, version: core.version });
  return transfer(r, [r.zip.buffer]);
}

serve({
  saveModel: saveModelFile,
  loadModel,
  pytorch,
  init,
  configure,
  reset: () => { if (!runCfg) throw stateError('nothing to reset'); return configure({ run: runCfg }); },
  start: () => train('end'),
  step: () => train('step'),
  epoch: () => train('epoch'),
  pause: () => { const it = run ? run.iteration : 0; stopLoop('paused'); return { iteration: it }; },
  misclassified,
  weights,
  predict,
  sample,
});


// Started with ?data=...&scale=... (by index.html): load that at once, before the page asks.
const boot = bootParams();
if (boot.has('data')) init({ data: boot.get('data'), scale: boot.get('scale') || '01' }).catch(() => {});
