// cli.test.mjs - bin/backprop-lab as a user runs it: the 2-2-2 trace against PyTorch, gradcheck, errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, close } from './helpers.mjs';

const BIN = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-'));
const mazur = fixture('course.json').cases.find(c => c.name === 'mazur_222');
const specFile = path.join(tmp, 'mazur.json');
fs.writeFileSync(specFile, JSON.stringify(mazur.spec));

test('trace of the 2-2-2 example prints z, a, delta, dW, db, W, b and the loss, matching PyTorch', () => {
  const tr = JSON.parse(execFileSync(BIN, ['trace', specFile], { encoding: 'utf8' }));
  close(tr.loss, mazur.expect.loss, { what: 'loss' });
  mazur.expect.layers.forEach((e, l) => {
    for (const k of ['z', 'a', 'delta', 'dW', 'db', 'W', 'b']) close(tr.layers[l][k], e[k], { what: `layer ${l + 1} ${k}` });
  });
});

test('trace --steps 3 carries the optimizer state from step to step (PyTorch trajectory)', () => {
  const out = JSON.parse(execFileSync(BIN, ['trace', specFile, '--steps', '3'], { encoding: 'utf8' }));
  assert.equal(out.steps.length, 3);
  mazur.trajectory.forEach((t, i) => close(out.steps[i].loss, t.loss, { what: `loss ${i + 1}` }));
});

test('gradcheck lists every weight and bias with analytic and numerical values that agree', () => {
  const out = JSON.parse(execFileSync(BIN, ['gradcheck', specFile, '--d', '0.01', '--json'], { encoding: 'utf8' }));
  assert.equal(out.params.length, 12, '2x2 + 2 + 2x2 + 2 parameters');
  assert.equal(out.params[0].param, 'W1[1][1]');
  for (const p of out.params) assert.ok(Math.abs(p.analytic - p.numeric) < 2e-5, `${p.param}: ${p.analytic} vs ${p.numeric}`);
});

test('bad input: a missing file, invalid JSON, a bad spec and an unknown command fail with a message and exit code 2', () => {
  const bad = fs.writeFileSync(path.join(tmp, 'bad.json'), '{"layers": [2, 2], "activations": ["sigmoid"], "loss": "hinge"}');
  const notjson = path.join(tmp, 'x.json'); fs.writeFileSync(notjson, '{oops');
  for (const [args, re] of [
    [['trace', path.join(tmp, 'none.json')], /cannot read .*no such file/],
    [['trace', notjson], /is not valid JSON/],
    [['trace', path.join(tmp, 'bad.json')], /loss: unknown "hinge"/],
    [['trace', specFile, '--steps', '0'], /--steps: "0" is not a whole number >= 1/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ]) {
    const r = spawnSync(BIN, args, { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, stderr ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  void bad;
});

test('train writes per-iteration and per-epoch CSV that parse, from a small run', () => {
  const out = path.join(tmp, 'run');
  execFileSync(BIN, ['train', '--layers', '784,32,10', '--activations', 'relu,softmax', '--epochs', '1', '--batch', '64',
    '--optimizer', 'sgd', '--lr', '0.1', '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const iters = fs.readFileSync(`${out}-iterations.csv`, 'utf8').trim().split('\n');
  const epochs = fs.readFileSync(`${out}-epochs.csv`, 'utf8').trim().split('\n');
  assert.equal(iters[0], 'iteration,epoch,loss');
  assert.equal(iters.length - 1, Math.ceil(12000 / 64));
  assert.ok(iters.slice(1).every(l => l.split(',').length === 3 && Number.isFinite(Number(l.split(',')[2]))));
  const head = epochs[0].split(','), row = epochs[1].split(',').map(Number);
  const acc = row[head.indexOf('test_accuracy')];
  assert.ok(acc > 0.8 && acc <= 1, `one epoch of SGD reaches ${acc}`);
});

test('train runs the experiment page\'s ExperimentRun: the same losses and epoch rows bit for bit, and seconds without evaluation', async () => {
  const { core } = await import('./helpers.mjs');
  const { loadMnist } = await import('../../web/lib/data.js');
  const { createDatasets, freeDatasets } = await import('../../web/lib/trainer.js');
  const { ExperimentRun } = await import('../../web/lib/experiments.js');
  const out = path.join(tmp, 'same');
  execFileSync(BIN, ['train', '--layers', '784,16,10', '--activations', 'relu,softmax', '--epochs', '2', '--batch', '128',
    '--optimizer', 'sgd', '--lr', '0.1', '--seed', '4', '--out', out, '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const got = JSON.parse(fs.readFileSync(`${out}.json`, 'utf8'));
  const data = await loadMnist(fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url)));
  const sets = createDatasets(await core(), { train: data.train, test: data.test });
  const r = new ExperimentRun(await core(), sets, got.config);
  try {
    while (!r.advance(100).finished);
    const want = r.result();
    assert.deepEqual(got.iterations.map(i => Math.fround(i.loss)), want.losses.map(Math.fround), 'every iteration loss');
    const trained = want.epochs.slice(1);                              // the CLI leaves out epoch 0 (untrained)
    const strip = e => { const { seconds, ...rest } = e; return rest; };
    assert.deepEqual(got.epochs.map(strip), trained.map(strip), 'the epoch rows, seconds aside');
    // seconds: ExperimentRun's, training time only (proved with a hand-moved clock in worker-runtime.test.mjs);
    // it grows from epoch to epoch and stays below the run's wall time
    assert.ok(got.epochs[0].seconds > 0 && got.epochs[1].seconds > got.epochs[0].seconds, JSON.stringify(got.epochs.map(e => e.seconds)));
  } finally { r.free(); freeDatasets(sets); }
});

test('train --save, --load and export-pytorch: help lists them; a file that is not a model fails with its message', () => {
  const help = execFileSync(BIN, ['help'], { encoding: 'utf8' });
  for (const w of ['--save FILE', '--load FILE', 'export-pytorch SPEC.json', 'export-pytorch --model']) assert.ok(help.includes(w), w);
  for (const [args, re] of [
    [['train', '--load', specFile], /format: not a Backprop Lab model file/],
    [['export-pytorch', '--model', specFile, '--out', path.join(tmp, 'x')], /format: not a Backprop Lab model file/],
    [['export-pytorch', specFile, '--lang', 'de'], /--lang: "de" is not one of en, ru/],
  ]) {
    const r = spawnSync(BIN, args, { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, stderr ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('train --iterations 10 --save, then --load to 30: iterations 11..30 have the uninterrupted run\'s losses, to the bit', () => {
  const net = ['--layers', '784,32,10', '--activations', 'relu,softmax', '--optimizer', 'adam', '--lr', '0.001', '--batch', '64', '--seed', '3'];
  const quiet = { stdio: ['ignore', 'pipe', 'pipe'] }, model = path.join(tmp, 'm10.json');
  execFileSync(BIN, ['train', ...net, '--iterations', '30', '--out', path.join(tmp, 'whole')], quiet);
  execFileSync(BIN, ['train', ...net, '--iterations', '10', '--save', model], quiet);
  execFileSync(BIN, ['train', '--load', model, '--iterations', '30', '--out', path.join(tmp, 'resumed')], quiet);
  const rows = f => fs.readFileSync(path.join(tmp, `${f}-iterations.csv`), 'utf8').trim().split('\n').slice(1);
  const resumed = rows('resumed');
  assert.equal(resumed.length, 20);
  assert.deepEqual(resumed, rows('whole').slice(10), 'the same iteration numbers and the same float32 losses, printed in full');
});
