// experiments.test.mjs - the optimizer experiments (web/lib/experiments.js) and `backprop-lab grid`:
// the grid, stopping criteria, measured stability and convergence, tables, CSV, determinism.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { core } from './helpers.mjs';
import { loadMnist } from '../../web/lib/data.js';
import { createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { expandGrid, ExperimentRun, PRACTICAL_GRID, table1, table2, heatmaps, findings, curvesCsv, parseCsv, tablesMarkdown, stability } from '../../web/lib/experiments.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const small = { layers: [784, 32, 10], activations: ['relu', 'softmax'] };

async function runGrid(grid, opts = {}) {
  const c = await core();
  const data = await loadMnist(DATA, { validation: opts.validation || 0 });
  // a 3,000-image slice keeps the test quick
  const cut = (p, n) => ({ x: p.x.subarray(0, n * 784), y: p.y.subarray(0, n), n });
  const sets = createDatasets(c, { train: cut(data.train, opts.n || 3000), test: cut(data.test, 1000), ...(data.val.n ? { val: data.val } : {}) });
  const results = [];
  try {
    for (const cfg of expandGrid({ base: small, ...grid })) {
      const r = new ExperimentRun(c, sets, cfg, { stop: opts.stop, target: opts.target, checkEvery: opts.checkEvery || 0 });
      try { while (!r.advance(50).finished); results.push(r.result()); } finally { r.free(); }
    }
  } finally { freeDatasets(sets); }
  return results;
}

test("the practical work's grid is 4 optimizers x 3 learning rates x 3 batch sizes = 36 runs", () => {
  const runs = expandGrid(PRACTICAL_GRID);
  assert.equal(runs.length, 36);
  assert.deepEqual(new Set(runs.map(r => r.optimizer.name)), new Set(['sgd', 'momentum', 'rmsprop', 'adam']));
  assert.equal(runs.find(r => r.optimizer.name === 'momentum').optimizer.momentum, 0.9);
  assert.equal(new Set(runs.map(r => r.id)).size, 36, 'every run has its own id');
});

test('bad grid settings name the field', () => {
  for (const [g, field] of [[{ lrs: [] }, 'lrs'], [{ lrs: [NaN] }, 'lrs'], [{ batches: [0] }, 'batches'], [{ epochs: 0 }, 'epochs'], [{ seeds: [-1] }, 'seeds']])
    assert.throws(() => expandGrid(g), e => e.field === field, JSON.stringify(g));
});

test('a small grid (2 optimizers x 2 learning rates x 1 batch, 1 epoch) gives identical numbers twice; tables, heatmap and CSV agree', async () => {
  const grid = { optimizers: ['sgd', 'adam'], lrs: [0.1, 0.01], batches: [64], epochs: 1 };
  const a = await runGrid(grid), b = await runGrid(grid);
  assert.equal(a.length, 4);
  assert.deepEqual(a.map(r => r.losses), b.map(r => r.losses), 'same seed, same losses');
  assert.deepEqual(a.map(r => r.final), b.map(r => r.final));
  for (const r of a) assert.ok(r.final.test_accuracy > 0.2, `${r.id}: ${r.final.test_accuracy}`);
  const t1 = table1(a), t2 = table2(a);
  assert.equal(t1.length, 1);
  assert.equal(t1[0].runs, 4);
  assert.deepEqual(t2.map(r => r.optimizer), ['sgd', 'adam']);
  const best = Math.max(...a.map(r => r.final.test_accuracy));
  assert.equal(Math.max(...t2.map(r => r.best_accuracy)), best);
  const h = heatmaps(a);
  assert.equal(h.adam.cells.length, 2, 'two learning rates');
  assert.equal(h.adam.best.accuracy, Math.max(...a.filter(r => r.optimizer === 'adam').map(r => r.final.test_accuracy)));
  assert.equal(findings(a).best.accuracy, best);
  const csv = curvesCsv(a);
  const epochs = parseCsv(csv.epochs), iters = parseCsv(csv.iterations);
  assert.equal(epochs.length, 8, 'epoch 0 (untrained) and epoch 1 of each run');
  assert.equal(epochs[0].epoch, 0);
  assert.ok(epochs[0].test_accuracy < 0.3, 'the untrained network guesses');
  assert.equal(epochs[1].test_accuracy, a[0].epochs[1].test_accuracy, 'CSV keeps full precision');
  assert.equal(iters.length, a.reduce((n, r) => n + r.losses.length, 0));
  const md = tablesMarkdown(a);
  assert.match(md, /\| batch \| runs \|/);
  assert.match(md, /\| optimizer \| health \| mean_time \|/, 'Table 2 counts each health class (web/lib/health.js)');
});

test('convergence speed checked every 20 iterations is found within the epoch, not at its end', async () => {
  const [r] = await runGrid({ optimizers: ['adam'], lrs: [0.01], batches: [32], epochs: 2 }, { target: 0.8, checkEvery: 20 });
  assert.ok(r.reached, 'Adam lr 0.01 reaches 80% on the slice');
  assert.equal(r.reached.iteration % 20, 0);
  assert.ok(r.reached.iteration < 94, `reached at iteration ${r.reached.iteration}, before the end of epoch 1 (94 batches)`);
  assert.ok(r.checks.length >= 1 && r.checks.every(c => c.iteration % 20 === 0));
  const [e] = await runGrid({ optimizers: ['adam'], lrs: [0.01], batches: [32], epochs: 2 }, { target: 0.8 });
  assert.equal(e.reached.iteration, 94, 'without checks the target is seen at the end of epoch 1');
  assert.deepEqual(e.losses, r.losses, 'the checks do not change the training');
});

test('stopping criteria: gradient norm, step length and validation patience stop a run early and say why', async () => {
  const [g] = await runGrid({ optimizers: ['sgd'], lrs: [0.01], batches: [64], epochs: 2 }, { stop: { kind: 'grad_norm', xi: 1e6 } });
  assert.equal(g.stopped_by, 'grad_norm');
  assert.equal(g.losses.length, 1, 'any gradient norm is below 1e6: stops after the first step');
  const [s] = await runGrid({ optimizers: ['adam'], lrs: [0.001], batches: [64], epochs: 2 }, { stop: { kind: 'step_length', xi: 1 } });
  assert.equal(s.stopped_by, 'step_length');
  const [p] = await runGrid({ optimizers: ['adam'], lrs: [0.1], batches: [64], epochs: 6 }, { stop: { kind: 'patience', patience: 1 }, validation: 600 });
  assert.ok(p.epochs.length >= 2 && p.epochs.length <= 7);
  assert.ok(p.epochs.every(e => Number.isFinite(e.val_loss)), 'validation loss measured every epoch');
  if (p.stopped_by === 'patience') {
    const v = p.epochs.map(e => e.val_loss);
    assert.ok(v[v.length - 1] >= Math.min(...v.slice(0, -1)), 'stopped when the validation loss stopped falling');
  }
  assert.throws(() => new ExperimentRun(null, { train: {} }, {}, { stop: { kind: 'patience', patience: 2 } }), /validation part/);
  assert.throws(() => new ExperimentRun(null, { train: {} }, {}, { stop: { kind: 'grad_norm', xi: 0 } }), e => e.field === 'xi');
});

test('a diverging run is recorded with its iteration and counted in Table 2; stability is measured, not guessed', async () => {
  const rs = await runGrid({ base: {}, optimizers: ['sgd'], lrs: [10, 0.1], batches: [32], epochs: 1 }, { n: 12000 });   // the default 784-128-64-10
  const div = rs.find(r => r.lr === 10), ok = rs.find(r => r.lr === 0.1);
  assert.ok(div.diverged, 'SGD with lr 10 diverges on the default network');
  assert.ok(div.diverged.iteration >= 1 && /lower/.test(div.diverged.message));
  assert.equal(div.stability.spread, Infinity);
  assert.equal(table2(rs)[0].diverged, 1);
  assert.ok(ok.stability.spread > 0 && ok.stability.spread < 1, `spread ${ok.stability.spread}`);
  const st = stability([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  assert.equal(st.window, 2);
  assert.equal(st.spread, 0, 'the last 20% of [.., 2, 2] do not vary');
});

test('backprop-lab grid writes the CSV files, both tables and the JSON', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-grid-')), 'g');
  const bin = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
  execFileSync(bin,
    ['grid', '--optimizers', 'sgd,adam', '--lrs', '0.1', '--batches', '128', '--epochs', '1', '--check-every', '20', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  const runs = parseCsv(fs.readFileSync(`${out}-runs.csv`, 'utf8'));
  assert.deepEqual(runs.map(r => r.run), ['sgd-lr0.1-b128-s1', 'adam-lr0.1-b128-s1']);
  assert.deepEqual(runs.map(r => r.check_every), [20, 20], '--check-every reaches the runs');
  for (const r of runs) if (r.reached_iteration !== '') assert.equal(r.reached_iteration % 20, 0, `${r.run}: reached at ${r.reached_iteration}`);
  const md = fs.readFileSync(`${out}-tables.md`, 'utf8');
  assert.equal(md.split('\n').filter(l => l.startsWith('|---')).length, 2, 'Table 1 and Table 2');
  assert.match(md, /to_target \(checked every 20 it\.\)/, 'Table 2 says how often the target was checked');
  const j = JSON.parse(fs.readFileSync(`${out}.json`, 'utf8'));
  assert.equal(j.runs.length, 2);
  assert.equal(j.table2.length, 2);
  assert.equal(j.check_every, 20);
  assert.equal(j.findings.check_every, 20);
  for (const bad of ['-1', '1.5', 'abc']) {
    const r = spawnSync(bin, ['grid', '--check-every', bad], { encoding: 'utf8' });
    assert.equal(r.status, 2, `--check-every ${bad} is refused`);
    assert.match(r.stderr, /--check-every: .* is not a whole number >= 0/);
  }
  assert.match(execFileSync(bin, ['help'], { encoding: 'utf8' }), /--check-every 100/, 'the help names the option and its default');
});

test('tables say how finely the iterations to the target are known', () => {
  const run = (every, it) => ({ id: 'adam-lr0.01-b32-s1', optimizer: 'adam', lr: 0.01, batch: 32, seed: 1, train_seconds: 1, diverged: null,
    final: { test_accuracy: 0.95 }, stability: { spread: 0.1 }, reached: { epoch: 0.5, iteration: it, seconds: 0.5 }, target: 0.9, check_every: every });
  assert.match(tablesMarkdown([run(100, 300)]), /\| to_target \(checked every 100 it\.\) \|[\s\S]*\| 300 it\., 0\.5 s \(adam-lr0\.01-b32-s1\) \|/);
  assert.match(tablesMarkdown([run(0, 94)]), /\| to_target \(checked at epoch ends\) \|/);
  assert.match(tablesMarkdown([{ ...run(0, 94), check_every: undefined }]), /checked at epoch ends/, 'results without the field: epoch ends');
  assert.equal(findings([run(100, 300)]).check_every, 100);
});
