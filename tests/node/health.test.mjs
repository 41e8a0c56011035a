// tests/node/health.test.mjs - the one health classification of a run (web/lib/health.js) and the
// report's numbers built on it (web/lib/report-stats.js, web/experiments/conclusions.js): issue #16's
// "Health of a run" and issue #17. Expected classes come from the thresholds stated in health.js
// (exploded: final training loss > 10 x the untrained network's; stuck: accuracy < 2 x chance = 20 %
// after an epoch) applied to a small seeded grid whose runs were looked at one by one (see below).
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { core } from './helpers.mjs';
import { loadMnist } from '../../web/lib/data.js';
import { createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { expandGrid, ExperimentRun, tablesMarkdown } from '../../web/lib/experiments.js';
import { classify, healthOfMetrics, healthWarning, EXPLODE_FACTOR, CHANCE_FACTOR } from '../../web/lib/health.js';
import { table1, table2, rankTimes, spikeOf, cellId, healthOf } from '../../web/lib/report-stats.js';
import { conclusions } from '../../web/experiments/conclusions.js';
import { STRINGS } from '../../web/experiments/strings.js';
import { translator } from '../../web/lib/i18n.js';
import { numberFormats } from '../../web/lib/format.js';
import { doneOutcome, messageView, pageI18n } from '../../web/training/page-model.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const LN10 = Math.log(10);

test('thresholds: ln 10 start, exploded above 10 x, stuck below 2 x chance after an epoch, NaN diverged', () => {
  assert.equal(EXPLODE_FACTOR, 10);
  assert.equal(CHANCE_FACTOR, 2);
  const ep = (loss, accuracy, epoch = 1, batch_loss = loss) => ({ epoch, loss, batch_loss, accuracy });
  assert.equal(classify({ start_loss: LN10, epochs: [ep(0.3, 0.95)], reached: true }).cls, 'converged');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(0.6, 0.85)] }).cls, 'slow');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(10.1 * LN10, 0.5)] }).cls, 'exploded', 'loss 10.1 x its start');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(9.9 * LN10, 0.5)] }).cls, 'slow', 'loss 9.9 x its start: not yet exploded');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(LN10, 0.1)] }).cls, 'stuck', 'ln 10 and 10 %: the uniform guess');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(2, 0.199)] }).cls, 'stuck');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(2, 0.2)] }).cls, 'slow', '20 % is not below twice chance');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(2, 0.1, 0.5)] }).cls, 'slow', 'half an epoch: too early to call it stuck');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(2.4, 0.1, 1, 1e27)] }).cls, 'exploded', 'mini-batch losses of 1e27 and no recovery');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(0.3, 0.95, 1, 50)], reached: true }).cls, 'converged', 'a spike in a run that recovered');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(NaN, NaN)], diverged: true }).cls, 'diverged');
  assert.equal(classify({ start_loss: LN10, epochs: [ep(Infinity, 0.1)] }).cls, 'diverged');
  assert.equal(healthWarning(classify({ start_loss: LN10, epochs: [ep(0.3, 0.95)] })), null, 'no warning for a healthy run');
  assert.match(healthWarning(classify({ start_loss: LN10, epochs: [ep(2.3, 0.068)] }), { lr: 1 }), /stuck at chance: test accuracy 6\.80 %.*lower the learning rate \(1; try 0\.1\)/);
});

test('training page: a finished run at chance ends in the warning state with its reason and a hint; a good one in done', () => {
  const m = (epoch, loss, acc) => ({ epoch, train: { loss, accuracy: acc }, test: { loss, accuracy: acc }, runningLoss: loss });
  // SGD lr 1 on the page's defaults: 6.80 % at epoch 3 (the CLI prints the same run)
  const stuck = [m(0, 2.34, 0.1), m(1, 2.1, 0.179), m(2, 1.73, 0.3155), m(3, 2.295, 0.068)];
  const o = doneOutcome(stuck, 1);
  assert.equal(o.phase, 'warning');
  assert.equal(o.message.cls, 'stuck');
  for (const lang of ['en', 'ru']) {
    const i = pageI18n(lang);
    const v = messageView(o.message, i.t, i);
    assert.equal(v.kind, 'health');
    assert.match(v.text, lang === 'en' ? /stuck at chance: test accuracy 6\.80%.*try a lower one, e\.g\. 0\.1/ : /угадывания: точность на тесте после обучения 6,80\s%.*например 0,1/);
  }
  assert.deepEqual(doneOutcome([m(0, 2.3, 0.1), m(1, 0.3, 0.95)], 0.001), { phase: 'done', message: null });
  assert.equal(doneOutcome([m(0, 2.3, 0.1), m(1, 30.3, 0.1)], 100).message.cls, 'exploded', 'SGD lr 100: loss 30 after an epoch');
  assert.equal(healthOfMetrics([m(0, 2.3, 0.1), m(1, 30.3, 0.1)]).factor > 10, true);
});

test('noise-aware speed: a ranking only when the spreads do not overlap', () => {
  const sep = rankTimes([{ key: 'a', times: [1.0, 1.1, 0.9] }, { key: 'b', times: [2.0, 2.1, 1.9] }]);
  assert.equal(sep.fastest, 'a');
  assert.equal(sep.slowest, 'b');
  const over = rankTimes([{ key: 'a', times: [1.0, 1.6, 1.1] }, { key: 'b', times: [1.3, 1.9, 1.2] }]);
  assert.equal(over.fastest, null, 'means 1.23 and 1.47 with spreads 0.32 and 0.38: within noise');
  assert.equal(rankTimes([{ key: 'a', times: [1] }, { key: 'b', times: [5] }]).fastest, null, 'one run each: no spread, no claim');
  // the same in the conclusions, through Table 2
  const run = (optimizer, seed, s) => ({ id: `${optimizer}-lr0.01-b32-s${seed}`, optimizer, lr: 0.01, batch: 32, seed, train_seconds: s, health: 'converged',
    final: { test_accuracy: 0.95 }, losses: [], epochs: [], stability: { spread: 0.1, spike: 0.5 }, reached: { epoch: 1, iteration: 100, seconds: s / 2 }, target: 0.9 });
  const ctx = { t: translator(STRINGS, 'en'), f: numberFormats('en'), settings: { epochs: 1 }, runName: r => r.id };
  const facts = rs => conclusions(rs, ctx).facts.map(x => x.text).join('\n');
  const separated = [run('sgd', 1, 1.0), run('sgd', 2, 1.1), run('sgd', 3, 0.9), run('adam', 1, 2.0), run('adam', 2, 2.1), run('adam', 3, 1.9)];
  assert.match(facts(separated), /SGD took the least training time per run, 1\.00\ss ± 0\.10/);
  assert.doesNotMatch(facts(separated), /within measurement noise/);
  const overlapping = [run('sgd', 1, 1.0), run('sgd', 2, 1.6), run('sgd', 3, 1.1), run('adam', 1, 1.3), run('adam', 2, 1.9), run('adam', 3, 1.2)];
  assert.match(facts(overlapping), /within measurement noise, so they are not ranked by time/);
  assert.doesNotMatch(facts(overlapping), /least training time|fastest/);
  assert.equal(table2(overlapping).find(r => r.optimizer === 'sgd').time_rank, 'noise');
});

test('loss spikes: the largest mini-batch loss over its moving mean of 50, in the last 80 %', () => {
  const flat = Array(200).fill(1);
  assert.equal(spikeOf(flat), 0);
  const spiky = flat.slice(); spiky[150] = 3;
  assert.equal(spikeOf(spiky), 2, 'a loss 3 x its moving mean');
  const early = flat.slice(); early[20] = 3;
  assert.equal(spikeOf(early), 0, 'in the first 20 %: not counted');
});

// The grid: SGD and Adam x lr 10, 1, 0.01 x batch 32 x seeds 1, 2 on the default 784-128-64-10,
// 1 epoch on the 12,000 training images, 1,000 test images, target 90 % checked every 20 iterations.
// Per run (final test accuracy; training loss at the start -> end): SGD lr 10 seed 1 loss NaN at
// iteration 13; seed 2 10 % with mini-batch losses far above 23 in its epoch; SGD lr 1 seed 1 18.4 %,
// seed 2 59.3 %; SGD lr 0.01 81-83 %; Adam lr 10 and lr 1 at 10-13 % after mini-batch losses of
// 10-1e4 x the start; Adam lr 0.01 90.1 and 90.2 % (reached at iterations 260 and 180).
const EXPECTED = {
  'sgd-lr10-b32-s1': 'diverged', 'sgd-lr10-b32-s2': 'exploded', 'sgd-lr1-b32-s1': 'stuck', 'sgd-lr1-b32-s2': 'slow',
  'sgd-lr0.01-b32-s1': 'slow', 'sgd-lr0.01-b32-s2': 'slow', 'adam-lr10-b32-s1': 'exploded', 'adam-lr10-b32-s2': 'exploded',
  'adam-lr1-b32-s1': 'exploded', 'adam-lr1-b32-s2': 'exploded', 'adam-lr0.01-b32-s1': 'converged', 'adam-lr0.01-b32-s2': 'converged',
};

let gridResults = null;
async function knownGrid() {
  if (gridResults) return gridResults;
  const c = await core();
  const data = await loadMnist(DATA, {});
  const cut = (p, n) => ({ x: p.x.subarray(0, n * 784), y: p.y.subarray(0, n), n });
  const sets = createDatasets(c, { train: data.train, test: cut(data.test, 1000) });
  const out = [];
  try {
    for (const cfg of expandGrid({ optimizers: ['sgd', 'adam'], lrs: [10, 1, 0.01], batches: [32], seeds: [1, 2], epochs: 1 })) {
      const r = new ExperimentRun(c, sets, cfg, { target: 0.9, checkEvery: 20 });
      try { while (!r.advance(100).finished); out.push(r.result()); } finally { r.free(); }
    }
  } finally { freeDatasets(sets); }
  return (gridResults = out);
}

test('a seeded grid with known outcomes: the class of every run, the counts in Table 1 and Table 2', { timeout: 120000 }, async () => {
  const rs = await knownGrid();
  assert.deepEqual(Object.fromEntries(rs.map(r => [r.id, r.health])), EXPECTED);
  for (const r of rs) assert.equal(healthOf(r), r.health);
  const [t1] = table1(rs);
  assert.deepEqual(t1.health, { converged: 2, slow: 3, stuck: 1, exploded: 5, diverged: 1 });
  assert.equal(t1.healthy, 5);
  assert.equal(t1.left_out, 7);
  const t2 = Object.fromEntries(table2(rs).map(r => [r.optimizer, r]));
  assert.deepEqual(t2.sgd.health, { converged: 0, slow: 3, stuck: 1, exploded: 1, diverged: 1 });
  assert.deepEqual(t2.adam.health, { converged: 2, slow: 0, stuck: 0, exploded: 4, diverged: 0 });
  // statistics over healthy runs only
  const mean = a => a.reduce((x, y) => x + y, 0) / a.length;
  const ok = o => rs.filter(r => r.optimizer === o && ['converged', 'slow'].includes(r.health));
  assert.equal(t2.adam.mean_accuracy, mean(ok('adam').map(r => r.final.test_accuracy)));
  assert.equal(t2.sgd.mean_seconds, mean(ok('sgd').map(r => r.train_seconds)));
  assert.equal(t2.sgd.best_run, 'sgd-lr0.01-b32-s1');
  // a run at chance is never "stable": its flat loss is left out of the loss spikes
  assert.equal(t2.adam.mean_spike, mean(ok('adam').map(r => r.stability.spike)));
  assert.equal(t2.sgd.mean_spike, mean(ok('sgd').map(r => r.stability.spike)));
  assert.ok(!ok('sgd').some(r => r.id === 'sgd-lr1-b32-s1'), 'the stuck run is not among them');
  assert.match(tablesMarkdown(rs), /\| sgd \| 3 slow, 1 stuck, 1 exploded, 1 diverged \|/);
});

test('time to the target comes from one run, whose iterations and seconds match its own log', { timeout: 120000 }, async () => {
  const rs = await knownGrid();
  const t2 = table2(rs);
  const adam = t2.find(r => r.optimizer === 'adam');
  assert.equal(adam.to_target.id, 'adam-lr0.01-b32-s2', 'the run with the fewest iterations (180 vs 260)');
  for (const row of t2.filter(r => r.to_target)) {
    const run = rs.find(r => r.id === row.to_target.id);
    const check = run.checks.find(c => c.iteration === row.to_target.iteration);
    assert.ok(check && check.test_accuracy >= 0.9, `${run.id}: its log has the check at iteration ${row.to_target.iteration}`);
    assert.equal(row.to_target.seconds, check.seconds, 'the seconds of that same check');
    assert.equal(row.best_iterations_to_target, run.reached.iteration);
    assert.equal(row.best_seconds_to_target, run.reached.seconds);
  }
  assert.equal(t2.find(r => r.optimizer === 'sgd').to_target, null, 'no healthy SGD run reached 90 %');
});

test('the conclusions mention every unhealthy run with its class and cite a table cell in every sentence', { timeout: 120000 }, async () => {
  const rs = await knownGrid();
  for (const lang of ['en', 'ru']) {
    const t = translator(STRINGS, lang);
    const c = conclusions(rs, { t, f: numberFormats(lang), settings: { epochs: 1 }, runName: r => r.id });
    const all = [...c.facts, ...c.analysis, ...c.recommendations, ...c.problems];
    for (const x of all) if (!x.course) assert.ok(x.refs.length > 0, `${lang}: "${x.text}" cites a table cell`);
    for (const r of rs.filter(x => ['stuck', 'exploded', 'diverged'].includes(x.health))) {
      const f = c.facts.find(x => x.refs.includes(cellId('bad', r.id)));
      assert.ok(f, `${lang}: ${r.id} is named`);
      assert.ok(f.text.includes(r.id), `${lang}: ${r.id} in "${f.text}"`);
      const word = { en: { stuck: /stuck at chance/i, exploded: /exploded/i, diverged: /diverged/i }, ru: { stuck: /угадывания/, exploded: /взорвал/i, diverged: /разошл/i } }[lang][r.health];
      assert.match(f.text, word, `${lang}: ${r.id}'s class (${r.health})`);
    }
    const health = c.facts[0].text;
    assert.match(health, lang === 'en' ? /12 runs: 2 converged, 3 slow \(target not reached\), 1 stuck at chance, 5 exploded, 1 diverged/ : /сошёлся: 2.*застрял на уровне угадывания: 1.*взорвался: 5/);
    assert.ok(c.facts.some(x => (lang === 'en' ? /healthy runs only; the 7 runs that did not learn are counted but left out/ : /исключены из статистики/).test(x.text)), `${lang}: says how many were left out`);
  }
});

test('command line: the health warning, and --strict exits with code 3 for a run that did not learn (train and grid)', { timeout: 120000 }, async () => {
  const { spawnSync } = await import('node:child_process');
  const bin = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
  // SGD lr 1 on the defaults, 3 epochs: 6.80 % at the end (the training page's browser test shows the same run)
  const stuck = spawnSync(bin, ['train', '--optimizer', 'sgd', '--lr', '1', '--strict'], { encoding: 'utf8' });
  assert.equal(stuck.status, 3, stuck.stderr);
  assert.match(stuck.stderr, /warning: the run is stuck at chance: test accuracy 6\.80 %.*lower the learning rate \(1; try 0\.1\)/);
  const lenient = spawnSync(bin, ['train', '--optimizer', 'sgd', '--lr', '1', '--epochs', '1', '--layers', '784,32,10', '--iterations', '10'], { encoding: 'utf8' });
  assert.equal(lenient.status, 0, 'without --strict a warning only (and 10 iterations are too few to judge)');
  const grid = spawnSync(bin, ['grid', '--optimizers', 'adam', '--lrs', '10,0.01', '--batches', '64', '--epochs', '1', '--check-every', '0', '--strict'], { encoding: 'utf8' });
  assert.equal(grid.status, 3, grid.stderr);
  assert.match(grid.stderr, /adam-lr10-b64-s1: .* exploded\n  warning: the run exploded/);
  assert.match(grid.stderr, /health: 0 converged, 1 slow, 0 stuck, 1 exploded, 0 diverged/);
  const ok = spawnSync(bin, ['grid', '--optimizers', 'adam', '--lrs', '0.01', '--batches', '64', '--epochs', '1', '--check-every', '0', '--strict'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, 'every run healthy: exit 0 with --strict');
});
