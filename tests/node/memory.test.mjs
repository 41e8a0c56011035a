// memory.test.mjs - datasets stored as bytes give the same training as floats at a quarter of the
// memory, and the WASM heap of a 784-256-128-10 network at batch 64 stays under 16 MB beside its
// data and flat over 20 epochs (no allocation per step).
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../web/lib/engine.js';
import { loadMnist, loadMnistRaw } from '../../web/lib/data.js';
import { createDatasets, freeDatasets, TrainingRun } from '../../web/lib/trainer.js';

const FILE = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));

test('MNIST as bytes (decodeMnistRaw) trains to the very same numbers as MNIST as floats', async () => {
  const c = await loadCore();
  const f = await loadMnist(FILE, { scale: 'pm05' }), r = await loadMnistRaw(FILE);
  const cut = (p, n, raw) => (raw ? { pixels: p.pixels.subarray(0, n * 784), labels: p.labels.subarray(0, n), n } : { x: p.x.subarray(0, n * 784), y: p.y.subarray(0, n), n });
  const results = [];
  for (const raw of [false, true]) {
    const sets = createDatasets(c, { train: cut(raw ? r.train : f.train, 2000, raw), test: cut(raw ? r.test : f.test, 500, raw) }, 10, { scale: 'pm05' });
    const run = new TrainingRun(c, sets, { epochs: 1, batch: 32 });
    const losses = [];
    while (!run.done) losses.push(...run.train(100).losses);
    results.push({ losses, test: run.evaluate().test });
    run.free(); freeDatasets(sets);
  }
  assert.deepEqual(results[1].losses, results[0].losses);
  assert.deepEqual(results[1].test, results[0].test);
});

test('heap of 784-256-128-10 at batch 64: under 16 MB besides the data, flat over 20 epochs', async () => {
  const c = await loadCore();                       // a fresh instance: its heap holds only this
  const r = await loadMnistRaw(FILE);
  const base = c.memory.buffer.byteLength;
  const n = 2000;
  const sets = createDatasets(c, { train: { pixels: r.train.pixels.subarray(0, n * 784), labels: r.train.labels.subarray(0, n), n } });
  const dataBytes = n * 784;
  const run = new TrainingRun(c, sets, { layers: [784, 256, 128, 10], batch: 64, epochs: 20 });
  run.train(1e9);                                   // first epoch: every buffer is allocated by now
  const afterFirst = c.memory.buffer.byteLength;
  while (!run.done) run.train(1e9);
  const afterAll = c.memory.buffer.byteLength;
  assert.equal(afterAll, afterFirst, 'the heap did not grow between epoch 1 and epoch 20');
  const netBytes = afterAll - dataBytes;
  assert.ok(netBytes < 16 * 1024 * 1024, `heap ${(afterAll / 2 ** 20).toFixed(1)} MB, of which data ${(dataBytes / 2 ** 20).toFixed(1)} MB (initial heap ${(base / 2 ** 20).toFixed(1)} MB)`);
  run.free(); freeDatasets(sets);
});
