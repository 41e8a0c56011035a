// onefile.test.mjs - the one-file offline copies (scripts/onefile.mjs, README "One-file offline copy")
// opened from file:// with the network blocked: every http(s) request is aborted and recorded, and the
// test asserts there was none (every request the page made is the file itself or a data: URL). In
// Chromium: the training copy trains one epoch (test accuracy 0.8985 with the defaults: the same number
// the served page and Node give, tests/browser/dist.test.mjs and page.test.mjs train the same network;
// here > 0.8 is required and Chromium's and Firefox's copies must agree); the panels copy steps the
// chain panel to its last stage and shows exactly the numbers the served page shows; the experiments
// copy runs a 2-run grid whose final test accuracy and loss are ExperimentRun's in Node, bit for bit.
// In Firefox ESR: the training copy trains the same epoch to the same accuracy (its data: module worker
// starts from file:// as Chromium's does) and the panels copy shows the same numbers. No console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, launch, screenshot } from './browser.mjs';
import { launchFirefox, newFirefoxPage, FIREFOX } from './firefox.mjs';
import { writeOnefiles } from '../../scripts/onefile.mjs';
import { OFFLINE_FILES } from '../../web/lib/inline.js';
import { loadCore } from '../../web/lib/engine.js';
import { loadMnist } from '../../web/lib/data.js';
import { createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { ExperimentRun } from '../../web/lib/experiments.js';
import { parse, toRuns, toGrid, toQuery } from '../../web/lib/experiment-settings.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));
const GRID = { optimizers: 'sgd,adam', lrs: '0.1', batches: '64', epochs: '1' };     // 2 runs
let dir, browser, server;
const accuracy = {};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-onefile-'));
  await writeOnefiles(dir, () => {});
  browser = await launch();
  server = await startServer();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const copyUrl = (id, query) => `${pathToFileURL(path.join(dir, OFFLINE_FILES[id])).href}?${query}`;

/** A Chromium page with every http(s) request aborted; page.requests: every URL it asked for, page.errors. */
async function openOffline(url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  page.errors = [];
  page.requests = [];
  page.blocked = [];
  await context.route(/^https?:/, r => { page.blocked.push(r.request().url()); return r.abort(); });
  context.on('request', r => page.requests.push(r.url()));
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') page.errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => page.errors.push(String(e)));
  await page.goto(url);
  return page;
}

function assertNoNetwork(page, file) {
  assert.deepEqual(page.blocked, [], 'no http(s) request was attempted');
  const other = page.requests.filter(u => !u.startsWith('data:') && u.split('?')[0] !== pathToFileURL(path.join(dir, file)).href);
  assert.deepEqual(other, [], 'every request is the file itself or a data: URL');
}

test('the training copy from file://, network blocked: one epoch trains (test accuracy > 0.8), no request, no console error', async () => {
  const page = await openOffline(copyUrl('training', 'epochs=1&lang=en'));
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  assert.equal(await page.isHidden('#save-offline'), true, 'a copy does not offer to save itself');
  assert.equal(await page.getAttribute('.shell-nav a[data-page="panels"]', 'href'), `${OFFLINE_FILES.panels}?lang=en`, 'the header links to the copies beside it');
  assert.equal(await page.isHidden('.shell-nav a[data-page="bench"]'), true, 'the speed page has no copy');
  await page.click('#btn-start');
  await page.waitForSelector('#status[data-phase="done"]', { timeout: 120000 });
  accuracy.chromium = Number(await page.getAttribute('#final-acc', 'data-value'));
  assert.ok(accuracy.chromium > 0.8, `test accuracy ${accuracy.chromium}`);
  await screenshot(page, 'onefile-training');
  assertNoNetwork(page, OFFLINE_FILES.training);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

const shownNumbers = () => ({
  stage: document.querySelector('[data-testid="stage-label"]').textContent,
  numbers: [...document.querySelectorAll('[data-key]')].map(el => [el.dataset.key, el.getAttribute('value'), el.textContent]),
});
let servedChain;
async function servedChainNumbers() {
  if (servedChain) return servedChain;
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${server.base}/web/panels.html?p=chain&lang=en`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.keyboard.press('End');
  servedChain = await page.evaluate(shownNumbers);
  await context.close();
  return servedChain;
}

test('the panels copy from file://, network blocked: the chain panel steps to its last stage with the served page\'s numbers', async () => {
  const page = await openOffline(copyUrl('panels', 'p=chain&lang=en'));
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.keyboard.press('End');
  const got = await page.evaluate(shownNumbers);
  const [, k, n] = got.stage.match(/(\d+)\D+(\d+)/);
  assert.equal(k, n, got.stage);
  assert.ok(got.numbers.length >= 10, `numbers shown: ${got.numbers.length} (the chain panel shows 10 at its last stage)`);
  assert.deepEqual(got, await servedChainNumbers(), 'the same stage and numbers as the served page');
  await screenshot(page, 'onefile-panels');
  assertNoNetwork(page, OFFLINE_FILES.panels);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the experiments copy from file://, network blocked: a 2-run grid gives ExperimentRun\'s numbers in Node', async () => {
  const { settings, errors } = parse(GRID);
  assert.deepEqual(errors, {});
  const page = await openOffline(copyUrl('experiments', toQuery(GRID, { lang: 'en' })));
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.__experiment.total), 2);
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experimentStatus === 'done', null, { timeout: 120000, polling: 100 });
  const got = await page.evaluate(() => window.__experiment.results);
  // the reference: the same two runs in this process
  const core = await loadCore({ flavor: 'simd' });
  const sets = createDatasets(core, (({ train, test }) => ({ train, test }))(await loadMnist(DATA)));
  const g = toGrid(settings);
  try {
    const want = toRuns(settings).map(({ cfg }) => {
      const r = new ExperimentRun(core, sets, cfg, { stop: g.stop, target: g.target, checkEvery: g.checkEvery });
      try { while (!r.advance(50).finished); return r.result(); } finally { r.free(); }
    });
    assert.deepEqual(got.map(r => r.id), want.map(r => r.id));
    for (let i = 0; i < want.length; i++) {
      assert.equal(got[i].final.test_accuracy, want[i].final.test_accuracy, `${want[i].id}: test accuracy`);
      assert.equal(got[i].final.test_loss, want[i].final.test_loss, `${want[i].id}: test loss`);
    }
  } finally { freeDatasets(sets); }
  await screenshot(page, 'onefile-experiments');
  assertNoNetwork(page, OFFLINE_FILES.experiments);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the served page links its one-file copy for download ("Save for offline use")', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  for (const [id, file] of [['training', ''], ['panels', 'panels.html'], ['experiments', 'experiments.html']]) {
    await page.goto(`${server.base}/web/${file}?lang=en`);
    const a = page.locator('#save-offline');
    assert.equal(await a.textContent(), 'Save for offline use', id);
    assert.equal(await a.getAttribute('href'), `build/offline/${OFFLINE_FILES[id]}`, id);
    assert.equal(await a.getAttribute('download'), OFFLINE_FILES[id], id);
  }
  await page.goto(`${server.base}/web/panels.html?lang=ru`);
  assert.equal(await page.textContent('#save-offline'), 'Сохранить для работы без сети');
  await page.goto(`${server.base}/web/bench.html?lang=en`);
  assert.equal(await page.isHidden('#save-offline'), true, 'the speed page has no copy');
  await context.close();
});

test('Firefox ESR: the training copy trains the same epoch from file:// (a data: module worker), the panels copy shows the same numbers', { skip: !fs.existsSync(FIREFOX) && `no ${FIREFOX}` }, async () => {
  const firefox = await launchFirefox();
  try {
    const page = await newFirefoxPage(firefox);
    const requests = [];
    page.on('request', r => requests.push(r.url()));
    await page.goto(copyUrl('training', 'epochs=1&lang=en'));
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 60000 });
    await page.click('#btn-start');
    await page.waitForSelector('#status[data-phase="done"]', { timeout: 180000 });
    const acc = Number(await page.$eval('#final-acc', el => el.dataset.value));
    assert.ok(acc > 0.8, `test accuracy ${acc}`);
    if (accuracy.chromium !== undefined) assert.equal(acc, accuracy.chromium, 'the same accuracy as Chromium');
    await page.goto(copyUrl('panels', 'p=chain&lang=en'));
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    await page.keyboard.press('End');
    assert.deepEqual(await page.evaluate(shownNumbers), await servedChainNumbers(), 'the served page\'s numbers');
    assert.deepEqual(requests.filter(u => /^https?:/.test(u)), [], 'no http(s) request');
    assert.deepEqual(page.problems, []);
    await page.closeAll();
  } finally { await firefox.close(); }
});
