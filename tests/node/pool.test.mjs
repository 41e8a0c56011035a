// pool.test.mjs - the grid on several workers (web/lib/worker-pool.js over web/experiments/worker.js,
// each under worker_threads, as `backprop-lab grid --jobs N` runs it): a run gives the same bits alone
// in this process, in a pool of 1, of 3 and in the reverse order (the expected numbers come from the
// library's GridRunner run here, one run after another); pause and cancel with several runs in flight
// stop every worker, and a paused run continues in its worker to the same bits; `grid --jobs 3` writes
// what the grid run in this process writes; the pool's size follows the cores and the memory; a worker
// that dies is reported and every later request refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { core } from './helpers.mjs';
import { nodeWorker } from './node-worker.mjs';
import { WorkerClient } from '../../web/lib/worker-client.js';
import { GridPool, poolSize, MAX_JOBS } from '../../web/lib/worker-pool.js';
import { GridRunner } from '../../web/lib/grid-runner.js';
import { loadMnistRaw } from '../../web/lib/data.js';
import { createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { expandGrid } from '../../web/lib/experiments.js';
import { concurrencyGroups } from '../../web/lib/concurrency.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const WORKER = new URL('../../web/experiments/worker.js', import.meta.url);
const BASE = { layers: [784, 32, 10], activations: ['relu', 'softmax'] };
// 6 short runs: 3 optimizers x 2 seeds, batch 64, one epoch (188 iterations)
const SIX = expandGrid({ optimizers: ['sgd', 'momentum', 'adam'], lrs: [0.01], batches: [64], seeds: [1, 2], epochs: 1, base: BASE })
  .map(cfg => ({ key: cfg.id, cfg }));
const RULES = { stop: { kind: 'epochs' }, target: 0.9, checkEvery: 50 };

const spawn = () => new WorkerClient(nodeWorker(WORKER));
const nextEvent = (pool, type, pred = () => true) => new Promise(resolve => pool.on(type, e => { if (pred(e)) resolve(e); }));

/** The runs in this process, one after another, with the page's runner: the reference numbers. */
let reference = null;
async function here() {
  if (reference) return reference;
  const raw = await loadMnistRaw(DATA);
  const c = await core();
  const sets = createDatasets(c, { train: raw.train, test: raw.test }, 10, { scale: '01' });
  const out = new Map();
  const runner = new GridRunner(c, sets, 'subset');
  try { await runner.run(SIX, RULES, { onRunDone: ({ key, result }) => out.set(key, result) }); } finally { runner.drop(); freeDatasets(sets); }
  return (reference = out);
}

// every number of a result but the times (and the pool's own fields)
const numbers = r => ({ id: r.id, params: r.params_fnv1a, losses: r.losses, final: r.final, diverged: r.diverged, stopped_by: r.stopped_by,
  epochs: r.epochs.map(({ seconds, ...rest }) => rest), checks: r.checks.map(({ seconds, ...rest }) => rest),
  reached: r.reached && { epoch: r.reached.epoch, iteration: r.reached.iteration }, stability: r.stability, confusion: r.confusion });

async function inPool(jobs, runs = SIX) {
  const pool = new GridPool(spawn);
  const got = new Map(), workers = new Set(), progress = [];
  pool.on('run-done', ev => got.set(ev.key, ev.result)).on('progress', ev => { workers.add(ev.worker); progress.push(ev); });
  try {
    const info = await pool.request('init', { data: 'subset', validation: 0 });
    assert.equal(info.nTrain, 12000);
    const out = await pool.request('start', { runs, ...RULES, jobs });
    assert.deepEqual(out, { reason: 'done', finished: runs.length });
    return { got, workers, progress };
  } finally { pool.terminate(); }
}

test('a 6-run grid gives the same bits in this process, in a pool of 1 and of 3, and in the reverse order in a pool of 2', async () => {
  const want = await here();
  for (const [jobs, runs, what] of [[1, SIX, 'pool of 1'], [3, SIX, 'pool of 3'], [2, [...SIX].reverse(), 'pool of 2, reverse order']]) {
    const { got, workers, progress } = await inPool(jobs, runs);
    assert.equal(workers.size, jobs, `${what}: every worker ran runs`);
    for (const { key } of SIX) {
      const g = got.get(key), w = want.get(key);
      assert.match(g.params_fnv1a, /^[0-9a-f]{8}$/);
      assert.deepEqual(numbers(g), numbers(w), `${what}: ${key} final parameters, losses, epochs, checks identical`);
      assert.equal(g.pool, jobs, `${what}: the pool's size is recorded`);
      assert.ok(Number.isInteger(g.concurrency) && g.concurrency >= 1 && g.concurrency <= jobs, `${what}: ${key} ran with ${g.concurrency} at once`);
    }
    if (jobs === 3) {
      assert.ok([...got.values()].some(r => r.concurrency === 3), 'in a pool of 3, runs trained three at once');
      // live curves: each run's progress events, put together, are its whole loss curve
      for (const { key } of SIX) {
        const ls = progress.filter(e => e.key === key).flatMap(e => [...e.losses]);
        assert.deepEqual(ls, want.get(key).losses.map(Math.fround), `${key}: the live curve is the run's curve`);
      }
    }
  }
  const ids = new Set([...(await here()).values()].map(r => r.params_fnv1a));
  assert.equal(ids.size, SIX.length, 'six different runs end with six different parameter hashes (the hash tells runs apart)');
});

// runs long enough to stop in the middle: 3 epochs at batch 16, 2,250 iterations each (one epoch of
// 750 took 0.15 s on a fast CI machine, so a worker could finish a whole run before the third began)
const LONG = SIX.map(({ key, cfg }) => ({ key, cfg: { ...cfg, batch: 16, epochs: 3 } }));
const ITERS = 3 * 750;

test('pause with three runs in flight stops every worker; the next start continues each paused run in its worker, to the same bits', async t => {
  const pool = new GridPool(spawn);
  t.after(() => pool.terminate());
  const got = new Map(), events = [];
  pool.on('run-done', ev => got.set(ev.key, ev.result)).on('progress', ev => events.push(ev));
  await pool.request('init', { data: 'subset', validation: 0 });
  const running = pool.request('start', { runs: LONG, ...RULES, jobs: 3 });
  const inFlight = new Set();
  await new Promise(resolve => pool.on('progress', e => { if (e.iteration > 0) inFlight.add(e.worker); if (inFlight.size === 3) resolve(); }));
  const p = await pool.request('pause');
  assert.equal(p.keys.length, 3, 'pause reaches the three workers');
  assert.equal((await running).reason, 'paused');
  const stoppedAt = new Map(p.keys.map(k => [k, Math.max(...events.filter(e => e.key === k).map(e => e.iteration))]));
  const n = events.length;
  await new Promise(r => setTimeout(r, 400));
  assert.equal(events.length, n, 'no worker trains while paused');
  assert.ok([...stoppedAt.values()].every(it => it > 0 && it < ITERS), 'each paused run stopped half-way');
  // the next start: each paused run goes on from where it stopped, in the worker that holds it
  const firstAgain = new Map();
  pool.on('progress', e => { if (!firstAgain.has(e.key)) firstAgain.set(e.key, e); });
  assert.equal((await pool.request('start', { runs: LONG, ...RULES, jobs: 3 })).reason, 'done');
  for (const [k, it] of stoppedAt) assert.equal(firstAgain.get(k).iteration, it, `${k} continued at iteration ${it}, not from the start`);
  // and every run's numbers are those of a run never paused (the same six runs at batch 16, here)
  const raw = await loadMnistRaw(DATA);
  const c = await core();
  const sets = createDatasets(c, { train: raw.train, test: raw.test }, 10, { scale: '01' });
  const runner = new GridRunner(c, sets, 'subset');
  try {
    await runner.run(LONG.filter(r => stoppedAt.has(r.key)), RULES, {
      onRunDone: ({ key, result }) => assert.deepEqual(numbers(got.get(key)), numbers(result), `${key}: paused and continued = never paused`),
    });
  } finally { runner.drop(); freeDatasets(sets); }
});

test('cancel with three runs in flight stops every worker and drops their runs; a bad start is refused', async t => {
  const pool = new GridPool(spawn);
  t.after(() => pool.terminate());
  await assert.rejects(pool.request('start', { runs: LONG }), e => e.code === 'ESTATE');
  await pool.request('init', { data: 'subset', validation: 0 });
  await assert.rejects(pool.request('start', { runs: LONG, ...RULES, checkEvery: -1, jobs: 2 }), e => e.code === 'EINVAL' && e.field === 'checkEvery');
  const events = [];
  pool.on('progress', e => events.push(e));
  const running = pool.request('start', { runs: LONG, ...RULES, jobs: 3 });
  const inFlight = new Set();
  await new Promise(resolve => pool.on('progress', e => { if (e.iteration > 0) inFlight.add(e.worker); if (inFlight.size === 3) resolve(); }));
  const done = new Set();
  pool.on('run-done', e => done.add(e.key));
  assert.equal((await pool.request('cancel')).keys.length, 3);
  // a run that ended before the cancel reached its worker counts as finished (none, unless a machine is very fast)
  assert.deepEqual(await running, { reason: 'cancelled', finished: done.size });
  const n = events.length;
  await new Promise(r => setTimeout(r, 400));
  assert.equal(events.length, n, 'no worker trains after cancel');
  // nothing is kept: the next start begins each run at iteration 0
  const first = new Map();
  pool.on('progress', e => { if (!first.has(e.key)) first.set(e.key, e.iteration); });
  const again = pool.request('start', { runs: LONG.slice(0, 3), ...RULES, jobs: 3 });
  await nextEvent(pool, 'progress', e => e.iteration > 0);
  await pool.request('cancel');
  await again;
  assert.ok([...first.values()].every(it => it === 0), 'cancelled runs start again from the beginning');
});

test('a worker that dies is reported once as fatal; every later request is refused', async () => {
  const pool = new GridPool(spawn);
  await pool.request('init', { data: 'subset', validation: 0 });
  await pool.request('resize', { jobs: 2 });
  const fatal = [];
  pool.on('fatal', e => fatal.push(e));
  // the second worker's error event, as a browser (or bin/node-worker.mjs, on an exit) reports a dead worker
  pool.workers[1].client.worker.onerror({ message: 'the worker exited (code 1)', preventDefault() {} });
  assert.equal(fatal.length, 1);
  assert.equal(fatal[0].code, 'NO_WORKER');
  await assert.rejects(pool.request('start', { runs: SIX, ...RULES }), e => e.code === 'NO_WORKER');
});

test('backprop-lab grid --jobs 3 writes the numbers of the grid run in this process, in grid order; a bad --jobs is refused', () => {
  const bin = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-jobs-'));
  const args = ['grid', '--optimizers', 'sgd,adam', '--lrs', '0.1,0.01', '--batches', '128', '--epochs', '1', '--check-every', '20'];
  execFileSync(bin, [...args, '--out', path.join(dir, 'one')], { stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync(bin, [...args, '--jobs', '3', '--out', path.join(dir, 'three')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const one = JSON.parse(fs.readFileSync(path.join(dir, 'one.json'), 'utf8')), three = JSON.parse(fs.readFileSync(path.join(dir, 'three.json'), 'utf8'));
  assert.deepEqual(three.runs.map(r => r.id), one.runs.map(r => r.id), 'grid order, whatever order the runs finished in');
  for (let i = 0; i < one.runs.length; i++) assert.deepEqual(numbers(three.runs[i]), numbers(one.runs[i]), `${one.runs[i].id}: the same numbers`);
  assert.deepEqual([one.jobs, three.jobs], [1, 3]);
  assert.ok(one.runs.every(r => r.concurrency === 1 && r.pool === 1) && three.runs.every(r => r.pool === 3));
  assert.equal(fs.readFileSync(path.join(dir, 'three-tables.md'), 'utf8').split('\n').length, fs.readFileSync(path.join(dir, 'one-tables.md'), 'utf8').split('\n').length);
  for (const bad of ['-1', '1.5', 'x', '65']) {
    const r = spawnSync(bin, ['grid', '--jobs', bad], { encoding: 'utf8' });
    assert.equal(r.status, 2, `--jobs ${bad} is refused`);
    assert.match(r.stderr, /--jobs: /);
  }
});

test('poolSize: one worker per core but one for the page, capped by memory and by the runs; a chosen size is kept within them', () => {
  assert.deepEqual(poolSize({ cores: 8 }), { size: 7, auto: 7, memoryCap: MAX_JOBS });
  assert.equal(poolSize({ cores: 2 }).size, 1, 'two cores: one for the page, one for the grid');
  assert.equal(poolSize({ cores: 1 }).size, 1, 'one core: still one worker');
  assert.equal(poolSize({ cores: undefined }).size, 1, 'no hardwareConcurrency: one worker');
  assert.equal(poolSize({ cores: 16, memoryGB: 1, workerMB: 64 }).size, 4, 'a quarter of 1 GB holds 4 workers of 64 MB');
  assert.equal(poolSize({ cores: 16, memoryGB: 0.5, workerMB: 160 }).size, 1, 'never fewer than one');
  assert.equal(poolSize({ requested: 3, cores: 2 }).size, 3, 'a chosen size is used even above the cores');
  assert.equal(poolSize({ requested: 12, cores: 16, runs: 5 }).size, 5, 'no more workers than runs');
  assert.equal(poolSize({ requested: 40, memoryGB: 2, workerMB: 48 }).size, 10, 'a chosen size is capped by memory too');
});

test('concurrencyGroups: results by how many ran at once, most runs first; a result without the field is "not recorded"', () => {
  const rs = [{ id: 'a', concurrency: 2 }, { id: 'b', concurrency: 2 }, { id: 'c', concurrency: 1 }, { id: 'd' }];
  assert.deepEqual(concurrencyGroups(rs), [{ concurrency: 2, runs: 2, ids: ['a', 'b'] }, { concurrency: null, runs: 1, ids: ['d'] }, { concurrency: 1, runs: 1, ids: ['c'] }]);
  assert.deepEqual(concurrencyGroups([]), []);
});
