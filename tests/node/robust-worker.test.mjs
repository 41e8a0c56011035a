// robust-worker.test.mjs - issue #16 "a dead worker freezes the page" and "long silences", in Node: the
// client notices a worker that stops answering, the engine refuses labels of the wrong length and
// string flags, a big network's evaluation runs in parts (same numbers as in one call) and the real
// training worker answers pause while it evaluates them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { WorkerClient } from '../../web/lib/worker-client.js';
import { loadCore, CoreError } from '../../web/lib/engine.js';
import { TrainingRun, createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { clientOf } from './node-worker.mjs';

/** A Web Worker stand-in that never answers (a worker stuck or gone without an error event). */
function mute() { return { postMessage() {}, terminate() {}, onmessage: null, onerror: null }; }

test('a worker that falls silent while a request is pending is reported as NO_WORKER (silent), not waited for forever', async () => {
  const w = mute();
  const c = new WorkerClient(w, { silentMs: 300 });
  let fatal = null;
  c.on('fatal', e => { fatal = e; });
  const t0 = Date.now();
  const keep = setInterval(() => {}, 50);           // the client's check keeps no process alive (unref): this test does
  await assert.rejects(c.request('start'), e => e.code === 'NO_WORKER' && e.details.reason === 'silent');
  clearInterval(keep);
  assert.ok(Date.now() - t0 < 2000, `noticed after ${Date.now() - t0} ms`);
  assert.equal(fatal.code, 'NO_WORKER');
  await assert.rejects(c.request('reset'), e => e.code === 'NO_WORKER');   // and every later request
});

test('beats keep a busy worker alive; idle silence (no request pending) is not a death', async () => {
  const w = mute();
  const c = new WorkerClient(w, { silentMs: 300 });
  w.onmessage({ data: { type: 'alive', lock: null } });
  const beat = setInterval(() => w.onmessage({ data: { type: 'beat' } }), 100);
  const seen = [];
  c.on('*', e => seen.push(e.type));
  const p = c.request('start');
  await new Promise(r => setTimeout(r, 900));
  clearInterval(beat);
  assert.equal(c.dead, null, 'alive while beating');
  assert.deepEqual(seen, [], 'beats and alive are not handed to the page');
  w.onmessage({ data: { id: p.id, result: 'ok' } });
  assert.equal(await p, 'ok');
  await new Promise(r => setTimeout(r, 700));
  assert.equal(c.dead, null, 'silent but nothing pending');
});

test('engine: labels must be one whole number per row; "false" is not a flag (issue: read past the end, nesterov on)', async () => {
  const core = await loadCore({ flavor: 'simd' });
  const net = core.createNet({ sizes: [2, 3], activations: ['softmax'], loss: 'cross_entropy' });
  net.init('xavier_uniform', 1);
  net.forward([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
  assert.throws(() => net.backward({ labels: [0, 1] }), e => e instanceof CoreError && e.field === 'labels' && /2 given for 3 rows/.test(e.message));
  assert.throws(() => net.backward(Int32Array.of(0)), e => e.field === 'labels');
  assert.throws(() => net.backward({ labels: [0, 1.5, 2] }), e => e.field === 'labels' && e.index === 2);
  assert.throws(() => net.gradcheck([[0.1, 0.2], [0.3, 0.4]], { labels: [1] }, 0), e => e.field === 'labels');
  assert.throws(() => net.setOptimizer({ name: 'sgd', momentum: 0.9, nesterov: 'false' }), e => e.field === 'nesterov' && /true or false/.test(e.message));
  net.setOptimizer({ name: 'sgd', momentum: 0.9, nesterov: false });
  assert.equal(net.optimizer.nesterov, false);
  net.free();
});

test('a big network is evaluated in parts with the numbers of one call (bp_evaluate_part sums = bp_evaluate)', async () => {
  const core = await loadCore({ flavor: 'simd' });
  const n = 700, px = new Uint8Array(n * 784), labels = new Uint8Array(n);
  for (let i = 0; i < px.length; i++) px[i] = (i * 7919) % 256;
  for (let i = 0; i < n; i++) labels[i] = i % 10;
  const sets = createDatasets(core, { train: { pixels: px.subarray(0, 500 * 784), labels: labels.subarray(0, 500), n: 500 },
    test: { pixels: px.subarray(500 * 784), labels: labels.subarray(500), n: 200 } });
  const run = new TrainingRun(core, sets, { layers: [784, 64, 10], activations: ['relu', 'softmax'] });
  run.train(5);
  const whole = run.evaluate({ confusion: true });
  const steps = run.evaluateSteps({ confusion: true, partFlops: 2 * 784 * 64 * 90 });   // about 90 images a part
  let it, parts = 0;
  while (!(it = steps.next()).done) { parts++; assert.ok(it.value.done <= it.value.total && it.value.total === 700); }
  const inParts = it.value;
  assert.ok(parts >= 7, `${parts} parts`);
  for (const k of ['train', 'test']) {
    assert.equal(inParts[k].correct, whole[k].correct);
    // a sum in a different order: equal to double rounding
    assert.ok(Math.abs(inParts[k].loss - whole[k].loss) <= 1e-12 * Math.abs(whole[k].loss), `${k} loss ${inParts[k].loss} vs ${whole[k].loss}`);
  }
  assert.deepEqual(inParts.test.confusion, whole.test.confusion);
  run.free();
  freeDatasets(sets);
});

test('the training worker evaluates a wide network in parts, with progress, and answers pause meanwhile', { timeout: 120000 }, async () => {
  const c = clientOf('training/worker.js');
  try {
    await c.request('init', { data: 'subset' });
    const evs = [];
    let first;
    const firstEval = new Promise(r => { first = r; });
    c.on('evaluating', e => { evs.push(e); first(); });
    // 784-1024-1024-10 over 14,000 images: about 40 GFLOP, many seconds in one call before
    await c.request('configure', { run: { layers: [784, 1024, 1024, 10], activations: ['relu', 'relu', 'softmax'], batch: 32, epochs: 1 } });
    await firstEval;
    const t0 = performance.now();
    const r = await c.request('pause');
    const ms = performance.now() - t0;
    assert.equal(r.iteration, 0);
    assert.ok(ms < 2000, `pause answered after ${ms.toFixed(0)} ms while evaluating`);
    assert.ok(evs[0].total === 14000 && evs[0].done > 0 && evs[0].done < 14000, JSON.stringify(evs[0]));
  } finally { c.terminate(); }
});
