// worker-runtime.test.mjs - the parts of web/lib/worker-runtime.js, web/lib/worker-client.js and
// web/lib/grid-runner.js that need no worker: errors as data, slicing, loss batching, the data file
// table, the client's bookkeeping over a fake worker, and the one definition of `seconds`
// (training time without evaluation), proved with a clock the test moves by hand.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { core } from './helpers.mjs';
import { serve, emit, errorOf, stateError, Slicer, LossBuffer, dataFile, yieldNow, transfer } from '../../web/lib/worker-runtime.js';
import { WorkerClient } from '../../web/lib/worker-client.js';
import { GridRunner, timeEpoch, BENCH_RUN } from '../../web/lib/grid-runner.js';
import { ExperimentRun, expandGrid } from '../../web/lib/experiments.js';
import { MnistDataError, loadMnist } from '../../web/lib/data.js';
import { CoreError } from '../../web/lib/engine.js';
import { createDatasets, freeDatasets } from '../../web/lib/trainer.js';

test('errorOf: data errors get source data and their details, core errors keep their fields, state errors stay state', () => {
  const d = errorOf(new MnistDataError('NOT_FOUND', 'mnist-full.bin', 'file not found', { status: 404 }));
  assert.deepEqual(d, { code: 'NOT_FOUND', message: d.message, source: 'data', details: { file: 'mnist-full.bin', status: 404 } });
  const c = errorOf(Object.assign(new CoreError('DIVERGED', 'loss became NaN'), { iteration: 7 }));
  assert.equal(c.source, 'core');
  assert.equal(c.code, 'DIVERGED');
  assert.equal(c.iteration, 7, 'a CoreError field crosses as data');
  assert.equal(c.name, undefined, 'not the class name');
  const f = errorOf(Object.assign(new Error('batch size: 0'), { code: 'EINVAL', field: 'batch' }));
  assert.deepEqual(f, { code: 'EINVAL', message: 'batch size: 0', source: 'core', field: 'batch' });
  assert.deepEqual(errorOf(stateError('configure before init')), { code: 'ESTATE', message: 'configure before init', source: 'state' });
  assert.deepEqual(errorOf('boom'), { code: 'ERROR', message: 'boom', source: 'core' });
  const ready = { code: 'DIVERGED', source: 'core', message: 'm', details: { iteration: 3 } };
  assert.equal(errorOf(ready), ready, 'an error that is already data passes as it is');
  // every error object survives structured cloning (what postMessage does)
  for (const e of [d, c, f]) assert.deepEqual(structuredClone(e), e);
});

test('Slicer: the slice size follows the measured speed to about 35 ms, and ignores slices cut short', () => {
  const s = new Slicer();
  assert.equal(s.size(), 4);
  s.took(4, 4, 1);                   // 0.25 ms a batch -> 140 batches in 35 ms
  assert.equal(s.size(), 140);
  s.took(140, 30, 1);                // an epoch end cut it short: says nothing about the speed
  assert.equal(s.size(), 140);
  s.took(140, 140, 70);              // twice as slow as planned
  assert.equal(s.size(), 70);
  s.took(70, 70, 1e6);
  assert.equal(s.size(), 1, 'at least one batch');
  s.took(1, 1, 0);
  assert.equal(s.size(), 70, '0 ms counts as 0.5 ms (timer resolution), capped at max');
  assert.equal(new Slicer({ max: 10 }).took(4, 4, 0) ?? 'x', 'x');
});

test('LossBuffer: losses between two events come out as one array with the iteration before the first', () => {
  const b = new LossBuffer(10);
  b.push(Float32Array.of(1, 2));
  b.push(new Float32Array(0));
  b.push(Float32Array.of(3));
  assert.equal(b.length, 3);
  const a = b.take(13, 1000);
  assert.deepEqual(a, { losses: Float32Array.of(1, 2, 3), firstIteration: 10 });
  assert.equal(b.due(100, 1050), false);
  assert.equal(b.due(100, 1100), true);
  assert.deepEqual(b.take(13), { losses: new Float32Array(0), firstIteration: 13 });
});

test('dataFile: the shipped subset is where the workers look for it; an unknown name is a data error on the field data', () => {
  const f = dataFile('subset');
  assert.equal(f.name, 'data/mnist-subset.bin');
  assert.ok(fs.existsSync(fileURLToPath(f.url)), String(f.url));
  assert.throws(() => dataFile('toString'), e => e.code === 'BAD_OPTION' && e.source === 'data' && e.field === 'data');
});

test('yieldNow resolves (through a MessageChannel, every 8th through setTimeout) and keeps no process alive', async () => {
  for (let i = 0; i < 20; i++) await yieldNow();
  const t = transfer({ a: 1 }, []);
  assert.deepEqual(t.result, { a: 1 });
});

test('serve: answers {id, result} or {id, error} as data, moves transferred buffers, refuses unknown types; emit posts events', async () => {
  const posted = [];
  let deliver = null;
  const port = { post: (msg, tr) => posted.push({ msg, tr }), listen: fn => { deliver = fn; }, params: new URLSearchParams('data=subset') };
  const buf = new Float32Array(4);
  serve({
    add: ({ a, b }) => a + b,
    later: async () => { await yieldNow(); return 'done'; },
    weights: () => transfer({ data: buf }, [buf.buffer]),
    configure: () => { throw stateError('configure before init'); },
    bad: () => { throw Object.assign(new CoreError('EINVAL', 'batch size: 0 is not allowed'), { field: 'batch' }); },
    progress: () => { emit({ type: 'progress', iteration: 1 }); return null; },
  }, { port });
  const ask = async (id, type, payload) => { await deliver({ id, type, payload }); return posted.pop(); };
  assert.deepEqual((await ask(1, 'add', { a: 2, b: 3 })).msg, { id: 1, result: 5 });
  assert.deepEqual((await ask(2, 'later')).msg, { id: 2, result: 'done' });
  const w = await ask(3, 'weights');
  assert.equal(w.msg.result.data, buf);
  assert.deepEqual(w.tr, [buf.buffer], 'the buffer is in the transfer list');
  assert.deepEqual((await ask(4, 'configure')).msg, { id: 4, error: { code: 'ESTATE', source: 'state', message: 'configure before init' } });
  assert.deepEqual((await ask(5, 'bad')).msg, { id: 5, error: { code: 'EINVAL', source: 'core', field: 'batch', message: 'batch size: 0 is not allowed' } });
  assert.deepEqual((await ask(6, 'toString')).msg.error.code, 'ESTATE', 'only own handlers, not Object.prototype');
  await deliver({ id: 7, type: 'progress' });
  assert.deepEqual(posted.map(p => p.msg), [{ type: 'progress', iteration: 1 }, { id: 7, result: null }]);
});

/** A fake Web Worker: records what is posted, and lets the test answer. */
function fakeWorker() {
  const w = { sent: [], terminated: false, onmessage: null, onerror: null };
  w.postMessage = (msg, tr) => { if (msg.payload && msg.payload.bad) throw new Error('could not be cloned'); w.sent.push({ msg, tr }); };
  w.terminate = () => { w.terminated = true; };
  w.reply = data => w.onmessage({ data });
  return w;
}

test('WorkerClient: ids pair answers with requests, events go by type, errors reject, cancelled answers are dropped', async () => {
  const w = fakeWorker();
  const c = new WorkerClient(w);
  const seen = [], all = [];
  c.on('progress', e => seen.push(e)).on('*', e => all.push(e.type));
  const a = c.request('init', { data: 'subset' }), b = c.request('configure');
  assert.deepEqual(w.sent.map(s => s.msg), [{ id: a.id, type: 'init', payload: { data: 'subset' } }, { id: b.id, type: 'configure', payload: {} }]);
  w.reply({ id: b.id, error: { code: 'ESTATE', source: 'state', message: 'configure before init' } });
  w.reply({ type: 'progress', id: 'sgd-lr0.1', iteration: 3 });   // an event with an id of its own
  w.reply({ id: a.id, result: { nTrain: 12000 } });
  assert.deepEqual(await a, { nTrain: 12000 });
  await assert.rejects(b, e => e.code === 'ESTATE');
  assert.deepEqual(seen, [{ type: 'progress', id: 'sgd-lr0.1', iteration: 3 }]);
  assert.deepEqual(all, ['progress']);
  const ac = new AbortController();
  const x = c.request('start', {}, { signal: ac.signal });
  assert.equal(c.waiting, 1);
  ac.abort();
  await assert.rejects(x, e => e.code === 'CANCELLED' && e.source === 'client');
  w.reply({ id: x.id, result: { reason: 'done' } });            // too late: dropped, no error
  assert.equal(c.waiting, 0);
  await assert.rejects(c.request('init', { bad: true }), e => e.source === 'client' && /could not be cloned/.test(e.message));
  await assert.rejects(c.request('x', {}, { signal: AbortSignal.abort() }), e => e.code === 'CANCELLED');
});

test('WorkerClient: the worker failing rejects every pending request and every later one, and tells the page once', async () => {
  const w = fakeWorker();
  const c = new WorkerClient(w);
  const fatal = [];
  c.on('fatal', e => fatal.push(e));
  const p = [c.request('a'), c.request('b')];
  let prevented = false;
  w.onerror({ message: 'SyntaxError in worker.js', preventDefault: () => { prevented = true; } });
  for (const q of p) await assert.rejects(q, e => e.code === 'NO_WORKER' && e.source === 'worker' && /SyntaxError/.test(e.message));
  await assert.rejects(c.request('c'), e => e.code === 'NO_WORKER');
  assert.ok(prevented, 'the browser does not also log it as uncaught');
  c.terminate();
  assert.equal(fatal.length, 1);
  assert.ok(w.terminated);
});

test('WorkerClient: a worker that failed before the client existed (startError, kept by web/ui/spawn.js) fails it at once', async () => {
  // index.html starts the training worker before app.js makes its client; without module workers it
  // fails at its first import meanwhile (Firefox's error event has no message)
  const w = fakeWorker();
  w.startError = { preventDefault() {} };
  const c = new WorkerClient(w);
  const fatal = [];
  c.on('fatal', e => fatal.push(e));
  await assert.rejects(c.request('init'), e => e.code === 'NO_WORKER' && e.details.reason === 'load');
  assert.equal(fatal.length, 1, 'the page is told, though it listened only after the client was made');
});

// ---- the runner

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const cut = (p, n) => ({ x: p.x.subarray(0, n * 784), y: p.y.subarray(0, n), n });
async function smallSets() {
  const data = await loadMnist(DATA);
  return createDatasets(await core(), { train: cut(data.train, 2000), test: cut(data.test, 500) });
}

test('seconds is training time only: an ExperimentRun with a hand-moved clock counts its train() calls and none of its evaluations', async () => {
  const sets = await smallSets();
  let clock = 0, trainCalls = 0;
  const r = new ExperimentRun(await core(), sets, { layers: [784, 16, 10], activations: ['relu', 'softmax'], optimizer: { name: 'sgd', lr: 0.1 }, batch: 100, epochs: 2 },
    { checkEvery: 7, now: () => clock });
  // every train() call takes 10 ms of this clock, every evaluation 1000 ms
  const train = r.run.train.bind(r.run), evaluate = r.run.evaluate.bind(r.run), netEval = r.run.net.evaluate.bind(r.run.net);
  r.run.train = n => { clock += 10; trainCalls++; return train(n); };
  r.run.evaluate = o => { clock += 1000; return evaluate(o); };
  r.run.net.evaluate = (d, o) => { clock += 1000; return netEval(d, o); };
  try {
    while (!r.advance(5).finished);
    const res = r.result();
    assert.ok(res.checks.length > 0 && res.epochs.length === 3, 'evaluations did happen (epochs 0, 1, 2 and checks every 7 iterations)');
    assert.ok(Math.abs(res.train_seconds - trainCalls * 0.010) < 1e-9, `train_seconds ${res.train_seconds}, ${trainCalls} train calls of 10 ms`);
    for (const row of res.epochs)
      assert.ok(row.seconds <= res.train_seconds + 1e-12 && Math.abs(row.seconds * 100 - Math.round(row.seconds * 100)) < 1e-9, `a whole number of 10 ms train() calls: ${row.seconds}`);
    assert.equal(res.epochs[0].seconds, 0, 'the untrained network is measured at 0 s');
  } finally { r.free(); freeDatasets(sets); }
});

test('GridRunner: the same results as ExperimentRuns one by one; pause keeps the run and continues it; cancel drops it', async () => {
  const c = await core();
  const sets = await smallSets();
  const cfgs = expandGrid({ base: { layers: [784, 16, 10], activations: ['relu', 'softmax'] }, optimizers: ['sgd', 'adam'], lrs: [0.05], batches: [50], epochs: 1 });
  const runs = cfgs.map(cfg => ({ key: cfg.id, cfg }));
  const opts = { stop: { kind: 'epochs' }, target: 0.5, checkEvery: 10 };
  try {
    const want = cfgs.map(cfg => {
      const r = new ExperimentRun(c, sets, cfg, opts);
      try { while (!r.advance(50).finished); return r.result(); } finally { r.free(); }
    });
    const grid = new GridRunner(c, sets, 'small');
    const done = [], statuses = [];
    let slices = 0, stop = null;
    const hooks = {
      slicer: { size: () => 3, took() {} },
      stopRequested: () => stop,
      onStatus: s => statuses.push(s),
      onSlice: () => { if (++slices === 5) stop = 'pause'; },
      onRunDone: ({ result }) => done.push(result),
    };
    assert.deepEqual(await grid.run(runs, opts, hooks), { reason: 'paused', finished: 0 });
    // 5 slices of 3 batches, each cut at the accuracy checks every 10 iterations: 3, 6, 9, 10, 13
    assert.equal(grid.current.exp.losses.length, 13, 'paused after 5 slices');
    stop = null;
    assert.deepEqual(await grid.run(runs, opts, hooks), { reason: 'done', finished: 2 });
    assert.deepEqual(statuses, ['warmup'], 'warmed up once for the same optimizers and data');
    assert.deepEqual(done.map(r => r.losses), want.map(r => r.losses), 'bit for bit, across the pause');
    assert.deepEqual(done.map(r => r.checks.map(k => [k.iteration, k.test_accuracy])), want.map(r => r.checks.map(k => [k.iteration, k.test_accuracy])));
    assert.deepEqual(done.map(r => r.final), want.map(r => r.final));
    // cancel: the run is dropped, and a new start does not continue it
    slices = 0;
    hooks.onSlice = () => { if (++slices === 2) stop = 'cancel'; };
    assert.deepEqual(await grid.run(runs, opts, hooks), { reason: 'cancelled', finished: 0 });
    assert.equal(grid.current, null);
    // other rules (checkEvery) drop a paused run too
    stop = null; slices = 0;
    hooks.onSlice = () => { if (++slices === 2) stop = 'pause'; };
    await grid.run(runs, opts, hooks);
    assert.ok(grid.current);
    stop = 'pause';
    await grid.run(runs, { ...opts, checkEvery: 0 }, hooks);
    assert.equal(grid.current.exp.losses.length, 0, 'a new run, not the paused one');
    grid.drop();
  } finally { freeDatasets(sets); }
});

test('timeEpoch times one whole epoch of the bench network', async () => {
  const sets = await smallSets();
  try {
    let timed = 0;
    const r = timeEpoch(await core(), sets, { ...BENCH_RUN, batch: 100 }, { warm: 5, onTimed: () => timed++ });
    assert.equal(timed, 1);
    assert.equal(r.n, 2000);
    assert.ok(r.seconds > 0 && Math.abs(r.rate - 2000 / r.seconds) < 1e-6, JSON.stringify(r));
  } finally { freeDatasets(sets); }
});
