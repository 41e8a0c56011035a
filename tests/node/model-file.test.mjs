// model-file.test.mjs - web/lib/model-file.js: a run saved in the middle of an epoch and loaded again
// continues to the same parameter bits as a run never interrupted (SGD, Momentum, RMSprop, Adam, and
// dropout, whose masks come from the saved RNG); every kind of bad file gets its own error code.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core } from './helpers.mjs';
import { loadMnist } from '../../web/lib/data.js';
import { TrainingRun, createDatasets } from '../../web/lib/trainer.js';
import { saveModel, loadRun, parseModel, modelObject, batchPlan, base64ToBytes, bytesToBase64, float32ToBase64, MODEL_ERRORS, ModelFileError } from '../../web/lib/model-file.js';

const c = await core('simd');
const data = await loadMnist(new URL('../../data/mnist-subset.bin', import.meta.url));
const sets = createDatasets(c, { train: data.train, test: data.test });
// 12,000 images, batch 64: 188 batches per epoch; 150 + 100 steps cross the epoch boundary, so the
// second epoch's shuffle comes from the restored RNG
const STOP = 150, MORE = 100;
const steps = (run, n) => { while (n > 0) n -= run.train(Math.min(n, 64)).losses.length; };
const sameBits = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const cfgOf = (optimizer, extra = {}) => ({ layers: [784, 32, 10], activations: ['relu', 'softmax'], optimizer, batch: 64, epochs: 2, seed: 7, ...extra });

for (const optimizer of [{ name: 'sgd', lr: 0.1 }, { name: 'momentum', lr: 0.01, momentum: 0.9 }, { name: 'rmsprop', lr: 0.001 }, { name: 'adam', lr: 0.001 }]) {
  test(`${optimizer.name}: save after ${STOP} steps, load, ${MORE} more = ${STOP + MORE} uninterrupted steps, bit for bit`, () => {
    const whole = new TrainingRun(c, sets, cfgOf(optimizer));
    steps(whole, STOP + MORE);
    const first = new TrainingRun(c, sets, cfgOf(optimizer));
    steps(first, STOP);
    const text = saveModel(first, { data: 'mnist-subset.bin' });
    first.free();
    const resumed = loadRun(c, sets, text);
    assert.equal(resumed.iteration, STOP);
    steps(resumed, MORE);
    assert.equal(resumed.epoch, 1, 'the resumed run crossed into its second epoch');
    assert.ok(sameBits(resumed.net.params(), whole.net.params()), 'parameters differ from the uninterrupted run');
    assert.equal(resumed.net.stepCount, whole.net.stepCount);
    // the same file with the RNG state changed must not reach those bits (the test can fail)
    const m = JSON.parse(text);
    m.rng.state[0] ^= 1;
    const wrong = loadRun(c, sets, JSON.stringify(m));
    steps(wrong, MORE);
    assert.ok(!sameBits(wrong.net.params(), whole.net.params()), 'another RNG state gave the same parameters: the shuffle is not tested');
    for (const r of [whole, resumed, wrong]) r.free();
  });
}

test('dropout: the masks after loading come from the saved RNG (same bits as uninterrupted)', () => {
  const cfg = cfgOf({ name: 'adam', lr: 0.001 }, { layers: [784, 32, 16, 10], activations: ['relu', 'relu', 'softmax'], dropout: [0.2, 0.2, 0] });
  const whole = new TrainingRun(c, sets, cfg), first = new TrainingRun(c, sets, cfg);
  steps(whole, 60); steps(first, 40);
  const resumed = loadRun(c, sets, saveModel(first));
  steps(resumed, 20);
  assert.ok(sameBits(resumed.net.params(), whole.net.params()));
  for (const r of [whole, first, resumed]) r.free();
});

test('the file holds the spec, every hyperparameter, the settings and the position; predictions survive', () => {
  const run = new TrainingRun(c, sets, cfgOf({ name: 'adam', lr: 0.002, beta2: 0.99 }));
  steps(run, 10);
  const m = modelObject(run, { data: 'mnist-subset.bin', scale: '01' });
  assert.equal(m.format, 'backprop-lab-model');
  assert.equal(m.version, 1);
  assert.deepEqual(m.network.layers, [784, 32, 10]);
  assert.deepEqual(Object.keys(m.tensors), ['W1', 'b1', 'W2', 'b2']);
  assert.deepEqual(m.tensors.W1.shape, [32, 784]);
  for (const k of ['lr', 'momentum', 'beta1', 'beta2', 'eps', 'alpha', 'weight_decay', 'nesterov', 'amsgrad']) assert.ok(k in m.optimizer, k);
  assert.equal(m.optimizer.beta2, 0.99);
  assert.equal(m.optimizer.step, 10);
  assert.equal(m.training.iteration, 10);
  assert.equal(m.training.epoch_cursor, 640);
  assert.ok(m.tensors.W1.m && m.tensors.W1.v && !m.tensors.W1.vmax, 'Adam keeps m and v; vmax (all zeros without AMSGrad) is left out');
  const x = data.test.x.subarray(0, 5 * 784);
  const back = loadRun(c, sets, JSON.stringify(m));
  assert.ok(sameBits(back.net.predict(x), run.net.predict(x)), 'the drawing pad would see other probabilities');
  run.free(); back.free();
});

test('base64 of little-endian float32: round trip, and the bytes of 1.0 are 00 00 80 3f', () => {
  assert.deepEqual(Array.from(base64ToBytes(float32ToBase64([1]))), [0, 0, 0x80, 0x3f]);
  for (const n of [0, 1, 2, 3, 4, 5, 255]) {
    const u8 = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    assert.deepEqual(base64ToBytes(bytesToBase64(u8)), u8);
    assert.equal(bytesToBase64(u8), Buffer.from(u8).toString('base64'), 'the same text as Node\'s own base64');
  }
});

test('bad files: each kind gets its stable code and a message naming the field', () => {
  const run = new TrainingRun(c, sets, cfgOf({ name: 'momentum', lr: 0.01, momentum: 0.9 }));
  steps(run, 3);
  const good = saveModel(run);
  run.free();
  const edit = f => { const m = JSON.parse(good); f(m); return JSON.stringify(m); };
  const nan = new Float32Array(32 * 784); nan[5] = NaN;
  const cases = [
    ['TRUNCATED', good.slice(0, good.length >> 1), /cut off/],
    ['TRUNCATED', good.slice(0, good.indexOf(']', good.indexOf('"shape"')) + 1), /cut off/],   // right after a closing bracket
    ['NOT_JSON', good.replace('{', '{,'), /not JSON/],
    ['NOT_JSON', 'P1\n28 28\n', /not JSON/],
    ['NOT_JSON', '', /not JSON/],
    ['FOREIGN_FORMAT', JSON.stringify({ layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half_sse' }), /not a Backprop Lab model file/],
    ['FOREIGN_FORMAT', '[1, 2, 3]', /format/],
    ['NEWER_VERSION', edit(m => { m.version = 2; }), /version 2 is newer/],
    ['BAD_FIELD', edit(m => { m.network.activations[0] = 'swish'; }), /network\.activations/],
    ['BAD_FIELD', edit(m => { delete m.optimizer.step; }), /optimizer\.step/],
    ['BAD_FIELD', edit(m => { m.optimizer.lr = -1; }), /learning rate/],
    ['BAD_FIELD', edit(m => { m.tensors.b1.value = '!!!!'; }), /tensors\.b1\.value: character 1 is not base64/],
    ['WRONG_ARCHITECTURE', edit(m => { m.network.layers = [100, 32, 10]; m.tensors.W1.shape = [32, 100]; }), /takes 100 inputs, the data has 784/],
    ['WRONG_ARCHITECTURE', edit(m => { m.network.layers = [784, 32, 3]; }), /3 outputs, the data has 10 classes/],
    ['WRONG_ARCHITECTURE', edit(m => { m.tensors.W1.shape = [784, 32]; }), /tensors\.W1\.shape/],
    ['WRONG_ARCHITECTURE', edit(m => { delete m.tensors.b2; }), /tensors\.b2: missing/],
    ['TRUNCATED', edit(m => { m.tensors.W2.value = m.tensors.W2.value.slice(0, 40); }), /tensors\.W2\.value: 30 bytes, the shape needs 320 values/],
    ['BAD_LENGTH', edit(m => { m.tensors.b1.value = float32ToBase64(new Float32Array(33)); }), /tensors\.b1\.value: 132 bytes, the shape needs 32 values/],
    ['NOT_FINITE', edit(m => { m.tensors.W1.value = float32ToBase64(nan); }), /tensors\.W1\.value: value 6 is NaN/],
    ['NOT_FINITE', edit(m => { m.tensors.b2.m = float32ToBase64(new Float32Array(10).fill(Infinity)); }), /tensors\.b2\.m: value 1 is Infinity/],
    ['WRONG_DATA', edit(m => { m.training.epoch_order = bytesToBase64(new Uint8Array(4 * 100)); m.training.epoch_length = 100; }), /over 100 training images; these data have 12000/],
    ['BAD_FIELD', edit(m => { m.training.epoch_order = bytesToBase64(new Uint8Array(4 * 12000)); }), /not a permutation/],
  ];
  for (const [code, text, re] of cases) {
    assert.ok(code in MODEL_ERRORS, code);
    assert.throws(() => { const r = loadRun(c, sets, text); r.free(); }, e => {
      assert.ok(e instanceof ModelFileError, `${code}: ${e.name} ${e.message}`);
      assert.equal(e.code, code, `${e.message}`);
      assert.match(e.message, re);
      return true;
    });
  }
  assert.doesNotThrow(() => parseModel(good));
});

test('batchPlan gives the batches training takes: the next 200 steps cross an epoch as the run does', () => {
  const cfg = cfgOf({ name: 'sgd', lr: 0.1 });
  const run = new TrainingRun(c, sets, cfg);
  steps(run, 100);
  const text = saveModel(run);
  const plan = batchPlan(loadRun(c, sets, text), 200);
  assert.equal(plan.sizes.length, 200);
  assert.equal(plan.sizes[87], 12000 - 187 * 64, 'the last batch of the epoch is smaller');
  assert.equal(plan.order.length, plan.sizes.reduce((a, b) => a + b, 0));
  // the same samples the core trains on: one step on batch k by hand gives the run's next parameters
  const twin = loadRun(c, sets, text), hand = loadRun(c, sets, text);
  steps(twin, 1);
  const idx = plan.order.subarray(0, 64), x = new Float32Array(64 * 784);
  idx.forEach((s, r) => x.set(data.train.x.subarray(s * 784, (s + 1) * 784), r * 784));
  hand.net.step(x, Int32Array.from(idx, s => data.train.y[s]));
  assert.ok(sameBits(hand.net.params(), twin.net.params()));
  for (const r of [run, twin, hand]) r.free();
});

test('a bare network (a panel\'s 2-2-2 with Adam after 3 steps) saves and loads with its optimizer state', async () => {
  const { buildNet, targetsOf } = await import('../../web/lib/spec.js');
  const { loadNet } = await import('../../web/lib/model-file.js');
  const spec = { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half_sse', weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
    biases: [[0.35, 0.35], [0.6, 0.6]], input: [0.05, 0.1], target: [0.01, 0.99], optimizer: { name: 'adam', lr: 0.1 } };
  const { net: a, spec: s } = buildNet(c, spec), { net: b } = buildNet(c, spec);
  for (let i = 0; i < 5; i++) a.step(s.input, targetsOf(s));
  for (let i = 0; i < 3; i++) b.step(s.input, targetsOf(s));
  const back = loadNet(c, saveModel(b));
  assert.equal(back.stepCount, 3);
  for (let i = 0; i < 2; i++) back.step(s.input, targetsOf(s));
  assert.ok(sameBits(back.params(), a.params()), 'Adam continued from the saved m, v and t');
  for (const n of [a, b, back]) n.free();
});

test('an ExperimentRun (the command line\'s and the experiment page\'s run) saves and resumes: same bits, iterations go on', async () => {
  const { ExperimentRun } = await import('../../web/lib/experiments.js');
  const { resumeExperiment } = await import('../../web/lib/model-file.js');
  const cfg = cfgOf({ name: 'rmsprop', lr: 0.001 });
  const go = (exp, n) => { const rows = []; while (n > 0 && !exp.finished) { const r = exp.advance(Math.min(n, 50)); n -= r.losses.length; if (r.epoch) rows.push(r.epoch); } return rows; };
  const whole = new ExperimentRun(c, sets, cfg), first = new ExperimentRun(c, sets, cfg);
  const wholeRows = go(whole, STOP + MORE);
  go(first, STOP);
  const text = saveModel(first);
  first.free();
  const resumed = resumeExperiment(new ExperimentRun(c, sets, cfgOf({ name: 'sgd', lr: 0.5 })), c, text);
  const rows = go(resumed, MORE);
  assert.ok(sameBits(resumed.run.net.params(), whole.run.net.params()));
  assert.equal(resumed.losses.length, STOP + MORE);
  assert.deepEqual(rows.map(r => [r.epoch, r.iteration, r.train_loss]), wholeRows.filter(r => r.iteration > STOP).map(r => [r.epoch, r.iteration, r.train_loss]),
    'the epoch row at the epoch\'s end: same epoch, iteration and loss');
  whole.free(); resumed.free();
});
