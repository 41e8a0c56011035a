// workers.test.mjs - the page workers themselves (web/training/worker.js, web/experiments/worker.js,
// web/bench/worker.js), each started under worker_threads and driven through web/lib/worker-client.js
// as the pages drive them: init with the shipped data/mnist-subset.bin, train, errors as data, pause
// and cancel mid-run. The expected numbers come from the same library run in this process
// (TrainingRun, ExperimentRun): a worker must compute exactly what the library computes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { core } from './helpers.mjs';
import { clientOf, nodeWorker } from './node-worker.mjs';
import { WorkerClient } from '../../web/lib/worker-client.js';
import { loadMnistRaw } from '../../web/lib/data.js';
import { TrainingRun, createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { ExperimentRun } from '../../web/lib/experiments.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const SMALL = { layers: [784, 32, 10], activations: ['relu', 'softmax'], optimizer: { name: 'sgd', lr: 0.1 }, batch: 64, seed: 3 };

/** The subset as the workers hold it (bytes in the core, scaled per batch). */
async function localSets(extra = {}) {
  const raw = await loadMnistRaw(DATA, extra);
  const c = await core();
  return createDatasets(c, { train: raw.train, test: raw.test, ...(raw.val && raw.val.n ? { val: raw.val } : {}) }, 10, { scale: '01' });
}

const eventsOf = (client, type) => { const list = []; client.on(type, e => list.push(e)); return list; };
const nextEvent = (client, type, pred = () => true) => new Promise(resolve => client.on(type, e => { if (pred(e)) resolve(e); }));

test('training worker: init, configure, step and epoch give the numbers TrainingRun gives in this process', async t => {
  const w = clientOf('training/worker.js');
  t.after(() => w.terminate());
  const progress = eventsOf(w, 'progress'), epochs = eventsOf(w, 'epoch');
  const info = await w.request('init', { data: 'subset' });
  assert.equal(info.nTrain, 12000, 'the subset has 12,000 training images (data/README.md)');
  assert.equal(info.nTest, 2000);
  const cfg = { ...SMALL, epochs: 2 };
  const conf = await w.request('configure', { run: cfg });
  assert.equal(conf.batchesPerEpoch, Math.ceil(12000 / 64));
  assert.deepEqual(await w.request('step'), { reason: 'step', iteration: 1 });
  assert.deepEqual(await w.request('epoch'), { reason: 'epoch', iteration: conf.batchesPerEpoch });

  const sets = await localSets();
  const run = new TrainingRun(await core(), sets, cfg);
  try {
    const losses = [...run.train(1).losses, ...run.train(1 << 30).losses];
    const got = new Float32Array(progress.filter(p => p.run === conf.run).flatMap(p => [...p.losses]));
    assert.deepEqual(got, Float32Array.from(losses), 'every iteration loss, bit for bit');
    const want = run.evaluate({ confusion: true });
    const e1 = epochs.find(e => e.metrics.epoch === 1);
    assert.ok(e1, 'an epoch event after the first epoch');
    assert.equal(e1.metrics.test.accuracy, want.test.accuracy);
    assert.equal(e1.metrics.train.loss, want.train.loss);
    assert.ok(e1.metrics.seconds > 0 && e1.metrics.seconds < 60, `seconds ${e1.metrics.seconds}`);
  } finally { run.free(); freeDatasets(sets); }

  const s = await w.request('sample', { index: 5 });
  assert.equal(s.index, 5);
  assert.equal(s.pixels.length, 784);
  const p = await w.request('predict', { x: new Float32Array(784) });
  assert.equal(p.probs.length, 10);
  assert.ok(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'softmax output sums to 1');
});

test('training worker: errors come back as data with their code, source and field', async t => {
  const w = clientOf('training/worker.js');
  t.after(() => w.terminate());
  await assert.rejects(w.request('configure', { run: SMALL }), e => e.code === 'ESTATE' && e.source === 'state');
  await assert.rejects(w.request('init', { data: 'nope' }), e => e.code === 'BAD_OPTION' && e.source === 'data' && e.field === 'data');
  await assert.rejects(w.request('frobnicate'), e => e.code === 'ESTATE' && /unknown request "frobnicate"/.test(e.message));
  await w.request('init', { data: 'subset' });
  await assert.rejects(w.request('configure', { run: { ...SMALL, batch: 20000 } }),
    e => e.code === 'EINVAL' && e.field === 'batch' && e.source === 'core');
  // a core error from engine.js (bad activation) keeps the core's code
  await assert.rejects(w.request('configure', { run: { ...SMALL, activations: ['relu', 'nope'] } }),
    e => e.source === 'core' && typeof e.code === 'string' && e.code !== 'ERROR', 'a CoreError code');
  // a learning rate that makes the loss overflow: DIVERGED with the iteration, and a 'diverged' event
  const diverged = nextEvent(w, 'diverged');
  await w.request('configure', { run: { ...SMALL, optimizer: { name: 'sgd', lr: 1e30 } } });
  const err = await w.request('start').then(() => null, e => e);
  assert.ok(err, 'training at lr 1e30 diverges');
  assert.equal(err.code, 'DIVERGED');
  assert.equal(err.source, 'core');
  assert.ok(Number.isInteger(err.details.iteration) && err.details.iteration >= 1, JSON.stringify(err));
  assert.equal((await diverged).iteration, err.details.iteration);
});

test('training worker: pause stops a long run mid-way, within a slice; start continues from there', async t => {
  const w = clientOf('training/worker.js');
  t.after(() => w.terminate());
  await w.request('init', { data: 'subset' });
  const conf = await w.request('configure', { run: { ...SMALL, batch: 16, epochs: 50 } });
  const total = conf.batchesPerEpoch * 50;
  const running = w.request('start');
  await nextEvent(w, 'progress', e => e.iteration > 0);
  const t0 = performance.now();
  const paused = await w.request('pause');
  const answered = performance.now() - t0;
  const out = await running;
  assert.equal(out.reason, 'paused');
  assert.ok(out.iteration > 0 && out.iteration < total, `stopped at ${out.iteration} of ${total}`);
  assert.equal(paused.iteration, out.iteration);
  // a slice is ~35 ms; allow for a loaded machine, far below the minutes the whole run takes
  assert.ok(answered < 2000, `pause answered after ${answered.toFixed(0)} ms`);
  assert.deepEqual(await w.request('step'), { reason: 'step', iteration: out.iteration + 1 });
});

test('client: a request can be cancelled; a dead worker rejects what is pending and what comes later', async t => {
  const w = clientOf('training/worker.js');
  t.after(() => w.terminate());
  await w.request('init', { data: 'subset' });
  await w.request('configure', { run: { ...SMALL, epochs: 50 } });
  const ac = new AbortController();
  const running = w.request('start', {}, { signal: ac.signal });
  ac.abort();
  await assert.rejects(running, e => e.code === 'CANCELLED' && e.source === 'client');
  await w.request('pause');                             // the worker itself was still training
  const again = w.request('start');
  assert.equal(w.cancel(again.id), true);
  await assert.rejects(again, e => e.code === 'CANCELLED');
  assert.equal(w.cancel(again.id), false, 'cancelled once');
  await w.request('pause');
  const fatal = new Promise(resolve => w.on('fatal', resolve));
  const pending = w.request('start');
  w.terminate();
  await assert.rejects(pending, e => e.code === 'NO_WORKER' && e.source === 'worker');
  await assert.rejects(w.request('init'), e => e.code === 'NO_WORKER', 'later requests fail at once');
  assert.equal((await fatal).code, 'NO_WORKER');

  // a worker that cannot start (no such module): the error event rejects the request
  const bad = new WorkerClient(nodeWorker(new URL('../../web/training/no-such-worker.js', import.meta.url)));
  await assert.rejects(bad.request('init'), e => e.code === 'NO_WORKER');
});

test('training worker: ?data=subset at start-up (workerData.params in Node) loads the data before the page asks', async t => {
  const w = clientOf('training/worker.js', { params: 'data=subset&scale=pm05' });
  t.after(() => w.terminate());
  // configure right away would fail with ESTATE if init had not run; the boot init is awaited by
  // the page's own init, which returns the same data at once
  const info = await w.request('init', { data: 'subset', scale: 'pm05' });
  assert.equal(info.scale, 'pm05');
  assert.equal(info.nTrain, 12000);
});

const GRID_RUNS = [
  { key: 'a', cfg: { id: 'sgd-a', ...SMALL, batch: 16, epochs: 2, optimizer: { name: 'sgd', lr: 0.1 } } },   // long enough to pause in
  { key: 'b', cfg: { id: 'adam-b', ...SMALL, epochs: 1, optimizer: { name: 'adam', lr: 0.001 } } },
];


test('experiments worker: a 2-run grid gives the results ExperimentRun gives in this process; pause and continue lose nothing', async t => {
  const w = clientOf('experiments/worker.js');
  t.after(() => w.terminate());
  const status = eventsOf(w, 'status'), done = eventsOf(w, 'run-done'), grids = eventsOf(w, 'grid-done');
  const info = await w.request('init', { data: 'subset', validation: 0 });
  assert.equal(info.nTrain, 12000);
  const opts = { stop: { kind: 'epochs' }, target: 0.9, checkEvery: 20 };
  // pause in the first run, then start again: the run continues where it stopped
  const first = w.request('start', { runs: GRID_RUNS, ...opts });
  await nextEvent(w, 'progress', e => e.key === 'a' && e.iteration > 0);
  const p = await w.request('pause');
  assert.equal(p.key, 'a');
  const out1 = await first;
  assert.equal(out1.reason, 'paused');
  assert.equal(out1.finished, 0);
  const out2 = await w.request('start', { runs: GRID_RUNS, ...opts });
  assert.deepEqual(out2, { reason: 'done', finished: 2 });
  assert.ok(status.some(s => s.what === 'warmup') && status.some(s => s.what === 'loading'));
  assert.equal(grids.length, 1);

  const c = await core();
  const sets = await localSets();
  try {
    for (const [i, { cfg }] of GRID_RUNS.entries()) {
      const r = new ExperimentRun(c, sets, cfg, opts);
      try {
        while (!r.advance(50).finished);
        const want = r.result(), got = done[i].result;
        assert.equal(got.id, cfg.id);
        assert.deepEqual(got.losses, want.losses, `${cfg.id}: every loss, bit for bit, across the pause`);
        assert.deepEqual(got.final, want.final);
        assert.deepEqual(got.checks.map(k => k.iteration), want.checks.map(k => k.iteration));
      } finally { r.free(); }
    }
  } finally { freeDatasets(sets); }
});

test('experiments worker: cancel drops the run; a bad start is refused with its field', async t => {
  const w = clientOf('experiments/worker.js');
  t.after(() => w.terminate());
  await assert.rejects(w.request('start', { runs: GRID_RUNS }), e => e.code === 'ESTATE' && e.source === 'state');
  await w.request('init', { data: 'subset' });
  await assert.rejects(w.request('start', { runs: GRID_RUNS, checkEvery: -1 }), e => e.code === 'EINVAL' && e.field === 'checkEvery');
  await assert.rejects(w.request('start', { runs: GRID_RUNS, stop: { kind: 'grad_norm', xi: 0 } }), e => e.field === 'xi');
  const LONG = GRID_RUNS.map(r => ({ key: r.key, cfg: { ...r.cfg, batch: 16, epochs: 20 } }));   // minutes, if not cancelled
  const running = w.request('start', { runs: LONG });
  await nextEvent(w, 'progress', e => e.iteration > 0);
  assert.deepEqual(await w.request('cancel'), { key: 'a' });
  assert.deepEqual(await running, { reason: 'cancelled', finished: 0 });
  // nothing is kept: a new start begins run 'a' from iteration 0
  const firstProgress = nextEvent(w, 'progress', e => e.key === 'a');
  const again = w.request('start', { runs: GRID_RUNS.slice(0, 1) });
  assert.equal((await firstProgress).iteration, 0);
  assert.deepEqual(await again, { reason: 'done', finished: 1 });
});

test('bench worker: measure times an epoch per batch size with progress events', async t => {
  const w = clientOf('bench/worker.js');
  t.after(() => w.terminate());
  const phases = eventsOf(w, 'progress');
  const { rows } = await w.request('measure', { batches: [256] });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].batch, 256);
  assert.ok(rows[0].n >= 12000 && rows[0].seconds > 0 && rows[0].rate === rows[0].n / rows[0].seconds, JSON.stringify(rows[0]));
  assert.deepEqual(phases.map(p => p.phase), ['warm', 'epoch', 'measured']);
});
