// experiments.test.mjs - the optimizer experiment page (web/experiments.html) in headless Chromium:
// a small grid run in the page's Web Worker gives exactly the numbers ExperimentRun gives in Node;
// pause and resume keep finished runs (and a reload keeps them too); the CSV export parses; the
// report has both tables and the conclusions; bad settings are refused at the field in both
// languages; no console errors. Screenshots go to test-artifacts/experiments-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, launch, newPage, screenshot, VIEWPORTS } from './browser.mjs';
import { loadCore } from '../../web/engine.js';
import { loadMnist } from '../../web/data.js';
import { createDatasets, freeDatasets } from '../../web/trainer.js';
import { ExperimentRun, parseCsv } from '../../web/experiments.js';
import { parse, toRuns, toGrid, toQuery } from '../../web/experiments/settings.js';
import { STRINGS } from '../../web/experiments/strings.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const SMALL = { optimizers: 'sgd,adam', lrs: '0.1, 0.01', batches: '64', epochs: '1' };      // 2 x 2 x 1 = 4 runs
const PAUSE = { optimizers: 'sgd,adam', lrs: '0.1', batches: '16, 32', epochs: '1' };          // 4 runs, long enough to pause in

let server, browser, nodeCore, nodeData;
const nodeCache = new Map();

/** The same grid in this process: ExperimentRun on the same data and configurations as the page. */
async function runInNode(strs) {
  const { settings, errors } = parse(strs);
  assert.deepEqual(errors, {}, 'the test grid is valid');
  const g = toGrid(settings);
  if (!nodeCore) nodeCore = await loadCore({ flavor: 'simd' });
  if (!nodeData) nodeData = await loadMnist(DATA);
  const sets = createDatasets(nodeCore, { train: nodeData.train, test: nodeData.test });
  const out = [];
  try {
    for (const { cfg, key } of toRuns(settings)) {
      if (nodeCache.has(key)) { out.push(nodeCache.get(key)); continue; }
      const r = new ExperimentRun(nodeCore, sets, cfg, { stop: g.stop, target: g.target });
      try { while (!r.advance(50).finished); const res = r.result(); nodeCache.set(key, res); out.push(res); } finally { r.free(); }
    }
  } finally { freeDatasets(sets); }
  return out;
}

const numbers = r => ({
  id: r.id, final: r.final, losses: r.losses, diverged: r.diverged, stopped_by: r.stopped_by,
  epochs: r.epochs.map(({ seconds, ...rest }) => rest), stability: r.stability,
});

function assertSameNumbers(browserResults, nodeResults, what) {
  assert.deepEqual(browserResults.map(r => r.id), nodeResults.map(r => r.id), `${what}: the same runs in the same order`);
  for (let i = 0; i < nodeResults.length; i++) {
    const b = browserResults[i], n = nodeResults[i];
    assert.equal(b.final.test_accuracy, n.final.test_accuracy, `${what}: ${n.id} final test accuracy`);
    assert.equal(b.final.test_loss, n.final.test_loss, `${what}: ${n.id} final test loss`);
    assert.equal(b.losses.length, n.losses.length, `${what}: ${n.id} number of iterations`);
    assert.deepEqual(b.losses, n.losses, `${what}: ${n.id} per-iteration losses identical`);
    assert.deepEqual(numbers(b), numbers(n), `${what}: ${n.id} every number but the times`);
  }
}

function url(strs, { lang = 'en', hash = '' } = {}) {
  return `${server.base}/web/experiments.html?${toQuery({ ...strs }, { lang })}${hash}`;
}

async function open(strs, opts = {}) {
  const page = await newPage(browser, { viewport: opts.viewport || VIEWPORTS.laptop, locale: opts.locale || 'en-US' });
  await page.goto(url(strs, opts));
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  return page;
}

const status = page => page.evaluate(() => window.__experimentStatus);
const results = page => page.evaluate(() => window.__experiment.results);
async function waitDone(page, timeout = 90000) {
  await page.waitForFunction(() => window.__experimentStatus === 'done', null, { timeout, polling: 100 });
  await page.waitForFunction(() => window.__experiment && window.__experiment.results.length === window.__experiment.total, null, { timeout: 5000 });
}
// The server has no data/mnist-full.bin unless `make data-full` ran: the page asks for it (HEAD) to offer it.
const realErrors = page => page.errors.filter(e => !/Failed to load resource.*404/.test(e) && !/mnist-full\.bin/.test(e));

test.before(async () => {
  server = await startServer();
  browser = await launch();
});
test.after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

test('the page and the strings: both languages have the same keys', () => {
  const en = Object.keys(STRINGS.en).sort(), ru = Object.keys(STRINGS.ru).sort();
  assert.deepEqual(ru.filter(k => !en.includes(k)), [], 'no Russian key without English');
  assert.deepEqual(en.filter(k => !ru.includes(k)), [], 'no English key without Russian');
});

test('a 2 x 2 x 1 grid in the page gives the numbers ExperimentRun gives in Node, bit for bit; CSV, tables, report', async () => {
  const page = await open(SMALL);
  await screenshot(page, 'experiments-setup-1366');
  assert.equal(await page.evaluate(() => window.__experiment.total), 4);
  const nodeResults = await runInNode(SMALL);
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experimentStatus === 'running', null, { timeout: 5000 }).catch(() => {});
  await screenshot(page, 'experiments-running-1366');
  await waitDone(page);
  await screenshot(page, 'experiments-done-1366');
  const got = await results(page);
  assertSameNumbers(got, nodeResults, 'page vs Node');
  for (const r of got) assert.ok(r.final.test_accuracy > 0.5, `${r.id} learned something: ${r.final.test_accuracy}`);

  // results view: tables, heatmaps, charts
  await page.evaluate(() => { location.hash = 'results'; });
  await page.waitForSelector('[data-testid="table1"]');
  await page.waitForSelector('#chart-loss canvas');
  assert.equal(await page.locator('[data-testid="table1"] tbody tr').count(), 1, 'Table 1: one batch size');
  assert.equal(await page.locator('[data-testid="table2"] tbody tr').count(), 2, 'Table 2: two optimizers');
  assert.match(await page.locator('.stability-note').innerText(), /20 %.*std \/ mean|std \/ mean.*20 %/s, 'how stability is measured is said');
  assert.equal(await page.locator('[data-testid="heatmaps"] table').count(), 2, 'a heatmap per optimizer');
  assert.equal(await page.locator('[data-testid="heatmaps"] td.best').count(), 2, 'the best cell of each optimizer is marked');
  assert.equal(await page.locator('[data-testid="runs-table"] tbody tr').count(), 4);
  await screenshot(page, 'experiments-results-1366');

  // CSV export, through the download the page offers
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#exp-epochs')]);
  const epochs = parseCsv(fs.readFileSync(await dl.path(), 'utf8'));
  assert.equal(epochs.length, nodeResults.reduce((a, r) => a + r.epochs.length, 0), 'one row per run and measured epoch');
  for (const row of epochs) {
    const e = nodeResults.find(r => r.id === row.run).epochs.find(x => x.epoch === row.epoch);
    assert.equal(row.test_accuracy, e.test_accuracy, `${row.run}: CSV test accuracy at full precision`);
    assert.equal(row.train_loss, e.train_loss);
  }
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.click('#exp-iters')]);
  const iters = parseCsv(fs.readFileSync(await dl2.path(), 'utf8'));
  assert.equal(iters.length, nodeResults.reduce((a, r) => a + r.losses.length, 0), 'every iteration of every run');
  assert.equal(iters[5].loss, nodeResults[0].losses[5]);
  const [dl3] = await Promise.all([page.waitForEvent('download'), page.click('#exp-json')]);
  assert.equal(JSON.parse(fs.readFileSync(await dl3.path(), 'utf8')).runs.length, 4);
  const [dl4] = await Promise.all([page.waitForEvent('download'), page.click('#png-loss')]);
  const png = fs.readFileSync(await dl4.path());
  assert.deepEqual([...png.subarray(1, 4)].map(c => String.fromCharCode(c)).join(''), 'PNG', 'a chart as PNG');

  // the report: both tables, the formulas, the conclusions
  await page.evaluate(() => { location.hash = 'report'; });
  await page.waitForFunction(() => document.body.dataset.report === 'ready', null, { timeout: 15000 });
  const report = page.locator('[data-testid="report"]');
  assert.equal(await report.locator('[data-testid="table1"]').count(), 1, 'Table 1 in the report');
  assert.equal(await report.locator('[data-testid="table2"]').count(), 1, 'Table 2 in the report');
  assert.ok(await report.locator('.katex').count() > 10, 'gradient formulas and update rules in KaTeX');
  assert.ok(await report.locator('img').count() >= 6, 'the charts as images');
  const concl = await report.locator('[data-testid="conclusions"]').innerText();
  const best = nodeResults.reduce((a, b) => (b.final.test_accuracy > a.final.test_accuracy ? b : a));
  assert.match(concl, new RegExp(`${(100 * best.final.test_accuracy).toFixed(2)}\\s%`), 'the conclusions state the best measured accuracy');
  assert.match(concl, /No run diverged|diverged/);
  await screenshot(page, 'experiments-report-1366');
  await page.setViewportSize(VIEWPORTS.tablet);
  await page.waitForTimeout(300);
  await screenshot(page, 'experiments-report-768');

  // the Russian report, switched in the page
  await page.click('button[lang="ru"]');
  await page.waitForFunction(() => document.documentElement.lang === 'ru' && document.body.dataset.report === 'ready');
  await page.waitForFunction(() => /Таблица/.test(document.querySelector('[data-testid="report"]')?.innerText || ''));
  assert.match(await page.locator('[data-testid="report"]').innerText(), /Заключение/);
  assert.match(page.url(), /lang=ru/, 'the language is in the URL');
  await screenshot(page, 'experiments-report-ru-768');
  assert.deepEqual(realErrors(page), [], 'no console errors');
  await page.context().close();
});

test('pause keeps finished runs, resume continues the paused run, a reload keeps everything, clear empties', async () => {
  const page = await open(PAUSE);
  assert.equal(await page.evaluate(() => window.__experiment.total), 4);
  const nodeResults = await runInNode(PAUSE);
  await page.click('#btn-start');
  // pause while the second run is in progress
  await page.waitForFunction(() => window.__experiment.results.length >= 1 || window.__experimentStatus === 'done', null, { timeout: 60000, polling: 20 });
  await page.click('#btn-pause');
  await page.waitForFunction(() => window.__experimentStatus === 'paused' || window.__experimentStatus === 'done', null, { timeout: 10000 });
  const st = await status(page);
  const before = await results(page);
  assert.ok(before.length >= 1, 'a finished run is kept');
  if (st === 'paused') {
    assert.ok(before.length < 4, 'paused before the end');
    await page.waitForTimeout(400);
    assert.equal((await results(page)).length, before.length, 'nothing trains while paused');
    assert.match(await page.locator('#btn-start').innerText(), /Resume/);
    await screenshot(page, 'experiments-paused-1366');
    await page.click('#btn-start');
  }
  await waitDone(page);
  const after = await results(page);
  assert.equal(after.length, 4);
  assert.deepEqual(after.slice(0, before.length), before, 'the runs finished before the pause are unchanged');
  assertSameNumbers(after, nodeResults, 'paused and resumed grid vs Node');

  // a reload keeps the finished runs (IndexedDB), and there is nothing left to run
  await page.reload();
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus) && window.__experiment.results.length === 4, null, { timeout: 20000 });
  assertSameNumbers(await results(page), nodeResults, 'after a reload');
  assert.equal(await page.locator('#btn-start').isDisabled(), true, 'every run finished: nothing to start');

  // a cancelled run is dropped, finished ones stay; clear (two clicks) empties
  await page.click('#btn-clear');
  await page.click('#btn-clear');
  await page.waitForFunction(() => window.__experiment.results.length === 0, null, { timeout: 5000 });
  await page.reload();
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus));
  assert.equal((await results(page)).length, 0, 'cleared for good');
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experiment.results.length >= 1, null, { timeout: 60000, polling: 20 });
  await page.click('#btn-cancel');
  await page.waitForFunction(() => window.__experimentStatus === 'idle', null, { timeout: 10000 });
  const kept = await results(page);
  assert.ok(kept.length >= 1 && kept.length <= 4, 'cancel keeps the finished runs');
  assertSameNumbers(kept, nodeResults.slice(0, kept.length), 'finished before cancel');
  assert.deepEqual(realErrors(page), [], 'no console errors');
  await page.context().close();
});

test('bad settings are refused at the field, in English and in Russian; settings in the URL are checked too', async () => {
  const page = await open(SMALL, { viewport: VIEWPORTS.tablet });
  const type = async (id, v) => { await page.fill(`#f-${id}`, v); await page.dispatchEvent(`#f-${id}`, 'input'); };
  const err = id => page.locator(`#e-${id}`).innerText();
  await type('lrs', '0.1, 0');
  assert.match(await err('lrs'), /"0" is not a learning rate.*greater than 0/);
  assert.equal(await page.locator('#f-lrs').getAttribute('aria-invalid'), 'true');
  await type('lrs', 'abc');
  assert.match(await err('lrs'), /"abc" is not a learning rate/);
  await type('batches', '0');
  assert.match(await err('batches'), /whole number of at least 1/);
  await type('batches', '20000');
  assert.match(await err('batches'), /larger than the 12000 training images/);
  await type('epochs', '0');
  assert.match(await err('epochs'), /epochs must be a whole number/);
  for (const n of ['sgd', 'adam']) await page.uncheck(`#f-opt-${n}`);
  assert.match(await err('optimizers'), /Choose at least one optimizer/);
  await page.selectOption('#f-stop', 'grad_norm');
  await type('xi', '0');
  assert.match(await err('xi'), /ξ must be a number greater than 0/);
  assert.equal(await page.locator('#btn-start').isDisabled(), true, 'Start is off while a field is wrong');
  await screenshot(page, 'experiments-errors-768');
  // fixing a field clears its message, and the URL follows valid input
  await type('epochs', '2');
  assert.equal(await err('epochs'), '');
  assert.match(page.url(), /epochs=2/);
  await page.context().close();

  // a teacher's link with bad values: messages at the fields, in Russian
  const ru = await newPage(browser, { viewport: VIEWPORTS.tablet, locale: 'ru-RU' });
  await ru.goto(`${server.base}/web/experiments.html?opt=&lr=0.1,-1&batch=16,x&epochs=0&stop=step_length&xi=nan`);
  await ru.waitForSelector('#e-lrs');
  assert.equal(await ru.evaluate(() => document.documentElement.lang), 'ru', 'Russian from the browser language');
  assert.match(await ru.locator('#e-optimizers').innerText(), /Выберите хотя бы один оптимизатор/);
  assert.match(await ru.locator('#e-lrs').innerText(), /«-1» — не скорость обучения/);
  assert.match(await ru.locator('#e-batches').innerText(), /«x» — не размер батча/);
  assert.match(await ru.locator('#e-epochs').innerText(), /число эпох/);
  assert.match(await ru.locator('#e-xi').innerText(), /ξ — число больше 0/);
  await screenshot(ru, 'experiments-errors-ru-768');
  assert.deepEqual(realErrors(ru), [], 'no console errors');
  await ru.context().close();

  // the default grid in Russian at the tablet size (what a student sees first)
  const d = await newPage(browser, { viewport: VIEWPORTS.tablet, locale: 'ru-RU' });
  await d.goto(`${server.base}/web/experiments.html`);
  await d.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  assert.equal(await d.evaluate(() => window.__experiment.total), 36, 'the default is the practical work\'s 36-run grid');
  assert.match(await d.locator('#grid-summary').innerText(), /36 запусков/);
  await screenshot(d, 'experiments-setup-ru-768');
  assert.deepEqual(realErrors(d), [], 'no console errors');
  await d.context().close();
});
