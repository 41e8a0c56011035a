// experiments-page.test.mjs - the DOM-free part of the experiment page (web/experiments/page-state.js,
// web/experiments/export-data.js), in Node: which runs of a grid are done or still to do, which runs
// the charts show, run names, the view a URL opens, the progress bars' numbers and the ETA, which
// buttons apply, a queue item's status, the test hook, and what the exports write. The grids come
// from web/lib/experiment-settings.js parse(); the results are made up with only the fields these
// functions read; expected numbers are worked out by hand in the comments.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse, toRuns, toGrid } from '../../web/lib/experiment-settings.js';
import { STRINGS } from '../../web/experiments/strings.js';
import {
  VIEWS, viewOf, createState, setLanguage, gridRuns, currentResults, runsToDo, selectedKeys, groupBy,
  runName, runNameFromId, runLabel, progressOf, buttonStates, queueItem, testHook,
} from '../../web/experiments/page-state.js';
import { runsRows, experimentJson, exportStamp } from '../../web/experiments/export-data.js';

const SMALL = { optimizers: 'sgd,adam', lrs: '0.1, 0.01', batches: '64', epochs: '1' };   // 2 x 2 x 1 = 4 runs

/** A state with the settings `strs` valid and no result yet. */
function stateOf(strs = SMALL, lang = 'en') {
  const s = createState(lang);
  const { settings, errors } = parse(strs);
  assert.deepEqual(errors, {}, 'the test grid is valid');
  s.strs = strs; s.valid = settings; s.status = 'idle';
  return s;
}
/** A made-up result of a run of the grid: the fields the page reads. */
const resultOf = (run, accuracy, extra = {}) => ({
  id: run.cfg.id, optimizer: run.cfg.optimizer.name, lr: run.cfg.optimizer.lr, batch: run.cfg.batch, seed: run.cfg.seed,
  final: { test_accuracy: accuracy, train_accuracy: accuracy, test_loss: 0.5, train_loss: 0.4 }, diverged: null,
  stability: { spread: 0.2 }, stopped_by: 'epochs', reached: null, train_seconds: 1.5, check_every: 100, ...extra,
});

test('viewOf: #setup, #results and #report open their view; no hash or an unknown one opens the setup', () => {
  assert.deepEqual(VIEWS, ['setup', 'results', 'report']);
  assert.equal(viewOf('#results'), 'results');
  assert.equal(viewOf('#report'), 'report');
  assert.equal(viewOf('#setup'), 'setup');
  assert.equal(viewOf(''), 'setup');
  assert.equal(viewOf('#nonsense'), 'setup');
  assert.equal(viewOf(undefined), 'setup');
});

test('createState / setLanguage: the translator and the number formats follow the language', () => {
  const s = createState('en');
  assert.equal(s.t('btn.start'), STRINGS.en['btn.start']);
  assert.equal(s.status, 'loading', 'the page starts loading');
  setLanguage(s, 'ru');
  assert.equal(s.lang, 'ru');
  assert.equal(s.t('btn.start'), STRINGS.ru['btn.start']);
  assert.equal(s.f.short(0.5), '0,5', 'Russian decimal comma');
});

test('gridRuns / currentResults / runsToDo: the saved results of this grid, in grid order; another grid\'s results do not count', () => {
  const s = stateOf();
  const runs = gridRuns(s);
  assert.equal(runs.length, 4);
  assert.deepEqual(runs, toRuns(s.valid), 'the runs of experiment-settings.js toRuns');
  s.results.set(runs[2].key, resultOf(runs[2], 0.8));
  s.results.set(runs[0].key, resultOf(runs[0], 0.7));
  const other = toRuns(parse({ ...SMALL, epochs: '2' }).settings)[1];
  s.results.set(other.key, resultOf(other, 0.9));
  assert.deepEqual(currentResults(s).map(r => r.id), [runs[0].cfg.id, runs[2].cfg.id], 'grid order, not saving order');
  assert.deepEqual(runsToDo(s).map(r => r.key), [runs[1].key, runs[3].key]);
  assert.deepEqual(gridRuns(createState('en')), [], 'no runs before there are settings');
});

test('selectedKeys: by default the best lr x batch of each optimizer; the reader\'s pick when there is one', () => {
  const s = stateOf();
  const [sgd1, sgd01, adam1, adam01] = gridRuns(s);   // toRuns: optimizer-major, then lr
  assert.equal(sgd1.cfg.optimizer.name, 'sgd'); assert.equal(adam01.cfg.optimizer.lr, 0.01);
  const acc = [[sgd1, 0.86], [sgd01, 0.73], [adam1, 0.72], [adam01, 0.87]];
  for (const [r, a] of acc) s.results.set(r.key, resultOf(r, a));
  assert.deepEqual(selectedKeys(s, currentResults(s)), new Set([sgd1.key, adam01.key]), 'SGD 0.1 (86 %) and Adam 0.01 (87 %)');
  s.results.set(adam01.key, resultOf(adam01, NaN, { diverged: { iteration: 3 } }));
  assert.deepEqual(selectedKeys(s, currentResults(s)), new Set([sgd1.key, adam1.key]), 'a diverged run is never the best');
  s.selection = new Set([sgd01.key, 'a key of another grid']);
  assert.deepEqual(selectedKeys(s, currentResults(s)), new Set([sgd01.key]), 'the pick, limited to this grid\'s finished runs');
});

test('groupBy: groups in the order keys first appear', () => {
  assert.deepEqual(groupBy([1, 2, 3, 4, 5], x => x % 2), [[1, [1, 3, 5]], [0, [2, 4]]]);
});

test('runName / runNameFromId: the same name from a result and from its id; the seed only when the grid has several', () => {
  const s = stateOf();
  const run = gridRuns(s)[1];
  const r = resultOf(run, 0.7);
  assert.equal(runName(s, r), 'SGD η=0.01 B=64', 'run.name of strings.js');
  assert.equal(runNameFromId(s, run.cfg.id), runName(s, r));
  assert.equal(runNameFromId(s, 'not-an-id'), 'not-an-id', 'an id of another form is shown as it is');
  assert.equal(runLabel(s, r), 'η 0.01 · B 64');
  const m = stateOf({ ...SMALL, seeds: '1, 2' });
  assert.equal(runName(m, r), 'SGD η=0.01 B=64 seed 1');
  assert.equal(runLabel(m, r), 'η 0.01 · B 64 · s1');
  setLanguage(m, 'ru');
  assert.equal(runNameFromId(m, 'adam-lr0.001-b32-s2'), 'Adam η=0,001 B=32 зерно 2');
});

test('progressOf: runs done, the current run\'s part, the grid\'s part and the ETA, worked out by hand', () => {
  const s = stateOf();
  const runs = gridRuns(s);
  s.results.set(runs[0].key, resultOf(runs[0], 0.8));
  s.status = 'running';
  const cur = { key: runs[1].key, id: runs[1].cfg.id, iteration: 50, totalBatches: 200 };
  s.running.set(cur.key, cur);
  s.session = { t0: 1000, count: 3, done: 0 };
  // 1 of 4 done, the current run at 50/200 = 0.25: the grid at (1 + 0.25) / 4 = 0.3125.
  // 10 s since the start (t0 = 1000 ms, now 11000 ms); this start's 3 runs are (0 + 0.25) / 3 = 1/12 done,
  // so 10 / (1/12) * (11/12) = 110 s are left.
  const p = progressOf(s, 11000);
  assert.equal(p.n, 4); assert.equal(p.done, 1);
  assert.equal(p.runFrac, 0.25);
  assert.equal(p.gridFrac, 0.3125);
  assert.equal(p.elapsed, 10);
  assert.ok(Math.abs(p.eta - 110) < 1e-9, `eta ${p.eta}`);
  assert.equal(progressOf(s, 2500).eta, null, 'no estimate in the first 2 s');
  cur.iteration = 1;   // 1/200 / 3 of the work: below 2 %
  assert.equal(progressOf(s, 60000).eta, null, 'no estimate before 2 % of the work');
  cur.iteration = 500;
  assert.equal(progressOf(s, 11000).runFrac, 1, 'a run\'s part is at most 1');
  // two runs in flight (a pool of workers): each has its bar, the grid counts both parts
  cur.iteration = 50;
  const other = { key: runs[2].key, id: runs[2].cfg.id, iteration: 100, totalBatches: 200, worker: 0 };
  cur.worker = 1;
  s.running.set(other.key, other);
  const two = progressOf(s, 11000);
  assert.deepEqual(two.runs.map(r => [r.run.key, r.frac]), [[runs[2].key, 0.5], [runs[1].key, 0.25]], 'by worker, so each bar keeps its place');
  assert.equal(two.gridFrac, (1 + 0.25 + 0.5) / 4);
  assert.ok(Math.abs(two.eta - 10 / (0.75 / 3) * (1 - 0.75 / 3)) < 1e-9, 'the ETA counts both runs\' parts');
  s.running.delete(other.key);
  s.status = 'paused';
  assert.deepEqual([progressOf(s, 11000).elapsed, progressOf(s, 11000).eta], [null, null], 'no clock unless running');
  s.errors = { lrs: { key: 'err.x' } };
  assert.deepEqual([progressOf(s, 0).n, progressOf(s, 0).done], [0, 0], 'no grid while the settings are invalid');
});

test('buttonStates: start, continue or resume; pause while running; cancel while running or paused; clear when not running', () => {
  const s = stateOf();
  const runs = gridRuns(s);
  assert.deepEqual(buttonStates(s), { start: true, pause: false, cancel: false, clear: false, startLabel: 'btn.start' });
  s.results.set(runs[0].key, resultOf(runs[0], 0.8));
  assert.deepEqual(buttonStates(s), { start: true, pause: false, cancel: false, clear: true, startLabel: 'btn.continue' });
  s.status = 'running';
  assert.deepEqual(buttonStates(s), { start: false, pause: true, cancel: true, clear: false, startLabel: 'btn.continue' });
  s.status = 'pausing';
  assert.deepEqual(buttonStates(s), { start: false, pause: false, cancel: false, clear: false, startLabel: 'btn.continue' });
  s.status = 'paused';
  assert.deepEqual(buttonStates(s), { start: true, pause: false, cancel: true, clear: true, startLabel: 'btn.resume' });
  s.status = 'done';
  for (const r of runs) s.results.set(r.key, resultOf(r, 0.8));
  assert.deepEqual(buttonStates(s), { start: false, pause: false, cancel: false, clear: true, startLabel: 'btn.start' }, 'nothing left to run');
  s.results = new Map(); s.status = 'idle'; s.errors = { lrs: { key: 'err.x' } };
  assert.equal(buttonStates(s).start, false, 'invalid settings cannot start');
});

test('queueItem: done with its accuracy, diverged, running or paused with the part done, else to do', () => {
  const s = stateOf();
  const runs = gridRuns(s);
  s.results.set(runs[0].key, resultOf(runs[0], 0.8575));
  s.results.set(runs[1].key, resultOf(runs[1], NaN, { diverged: { iteration: 7 } }));
  const cur = { key: runs[2].key, iteration: 30, totalBatches: 200 };
  s.running.set(cur.key, cur);
  s.status = 'running';
  assert.deepEqual(queueItem(s, runs[0]), { cls: 'done', value: s.f.pct(0.8575, 1) });
  assert.deepEqual(queueItem(s, runs[1]), { cls: 'diverged', value: '✕' });
  assert.deepEqual(queueItem(s, runs[2]), { cls: 'running', value: '15\u00a0%' }, '30 / 200');
  assert.deepEqual(queueItem(s, runs[3]), { cls: 'todo', value: '' });
  s.status = 'paused';
  assert.equal(queueItem(s, runs[2]).cls, 'paused');
  delete cur.totalBatches;
  assert.equal(queueItem(s, runs[2]).value, '0\u00a0%', 'before the first progress event knows the batch count');
});

test('testHook: live getters over the state (what tests/browser/experiments.test.mjs reads as window.__experiment)', () => {
  const s = stateOf();
  const hook = testHook(s);
  const runs = gridRuns(s);
  assert.equal(hook.total, 4);
  assert.deepEqual(hook.results, []);
  s.results.set(runs[0].key, resultOf(runs[0], 0.8, { epochs: [], losses: [] }));
  s.status = 'running';
  assert.equal(hook.status, 'running');
  assert.equal(hook.results.length, 1, 'read when asked, not when made');
  assert.equal(hook.settings, s.valid);
  assert.equal(typeof hook.curvesCsv().epochs, 'string');
});

test('export-data: runs.csv rows, the JSON with non-finite numbers as strings, the file stamp', () => {
  const s = stateOf();
  const [a, b] = gridRuns(s);
  const results = [resultOf(a, 0.8, { concurrency: 2 }), resultOf(b, NaN, { final: null, diverged: { iteration: 12 }, stability: { spread: Infinity } })];
  const rows = runsRows(results);
  assert.deepEqual(rows[0], { run: a.cfg.id, optimizer: 'sgd', lr: 0.1, batch: 64, seed: 1, train_seconds: 1.5, train_loss: 0.4, test_loss: 0.5,
    train_accuracy: 0.8, test_accuracy: 0.8, spread: 0.2, diverged: '', stopped_by: 'epochs', reached_iteration: '', reached_seconds: '', check_every: 100, health: 'slow',
    concurrency: 2 });
  assert.equal(rows[1].health, 'diverged', 'the health class (lib/health.js)');
  assert.equal(rows[1].concurrency, '', 'a result saved before the pool recorded it: empty');
  assert.equal(rows[1].diverged, 12, 'the iteration it diverged at');
  assert.ok(Number.isNaN(rows[1].test_loss), 'no final numbers: NaN');
  const date = new Date(Date.UTC(2026, 11, 1, 14, 38, 59));
  assert.equal(exportStamp(date), '2026-12-01-14-38');
  const json = JSON.parse(experimentJson({ settings: s.valid, info: { nTrain: 6000 }, lang: 'ru', results }, date));
  assert.deepEqual(json.grid, JSON.parse(JSON.stringify(toGrid(s.valid))), 'the grid the settings make');
  assert.equal(json.exported, '2026-12-01T14:38:59.000Z');
  assert.equal(json.lang, 'ru');
  assert.deepEqual(json.data, { nTrain: 6000 });
  assert.equal(json.runs[1].stability.spread, 'Infinity', 'JSON has no Infinity: written as a string');
  assert.equal(json.runs.length, 2);
});
