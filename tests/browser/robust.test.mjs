// robust.test.mjs - issue #16 in headless Chromium: no page logs a console error or warning on a
// normal load (before: a 404 for data/mnist-full.bin, probed on every load of two pages); a 100 kB
// query string reaches the page (before: HTTP 431 from scripts/serve.mjs) and the page reports the
// parameter instead of showing 100 kB of it; a worker killed mid-run (self.close(), as the browser
// ends a worker it terminates) or crashing (an uncaught error) is reported within 3 s in the page's
// language, and Reset starts a fresh worker that trains.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, screenshot } from './browser.mjs';

let server, browser, base;
before(async () => { server = await startServer(); base = server.base; browser = await launch(); });
after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

/** A page that records console errors AND warnings, with where they come from. */
async function watched(opts) {
  const page = await newPage(browser, opts);
  page.noise = [];
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') page.noise.push(`${m.type()}: ${m.text()} (${m.location().url})`); });
  page.on('requestfailed', r => page.noise.push(`request failed: ${r.url()}`));
  page.on('response', r => { if (r.status() >= 400) page.noise.push(`HTTP ${r.status()}: ${r.url()}`); });
  return page;
}

// each page and what it shows once it has loaded normally
const PAGES = [
  ['index.html', p => p.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 })],
  ['experiments.html', p => p.waitForSelector('#btn-start:not([disabled])', { timeout: 30000 })],
  ['bench.html', p => p.waitForSelector('#go:not([disabled])', { timeout: 30000 })],
  ...['one-weight', 'chain', 'mlp', 'softmax', 'perceptron', 'graph', 'gradcheck', 'losses', 'optimizers']
    .map(n => [`panels.html?p=${n}`, p => p.waitForSelector('.katex', { timeout: 30000 })]),
];

test('no page logs a console error or warning, or makes a failing request, on a normal load', { timeout: 300000 }, async () => {
  for (const [url, ready] of PAGES) {
    const page = await watched();
    await page.goto(`${base}/web/${url}`);
    await ready(page);
    await page.waitForTimeout(500);                     // late requests (service worker, lazy modules)
    assert.deepEqual(page.noise, [], url);
    await page.context().close();
  }
});

test('a 100 kB query string opens the page (no HTTP 431) and the page reports the parameter, shortened', async () => {
  const page = await watched();
  const long = 'x'.repeat(100000);
  const res = await page.goto(`${base}/web/index.html?lr=${long}`);
  assert.equal(res.status(), 200);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  const banner = await page.locator('#url-errors').innerText();
  assert.match(banner, /lr=x{10,}/);
  assert.ok(banner.length < 1000, `the banner shows ${banner.length} characters`);
  await screenshot(page, 'robust-long-url');
  await page.context().close();
});

/** The dedicated worker of a page whose script URL contains `part`. */
async function workerOf(page, part, timeout = 10000) {
  const t0 = Date.now();
  for (;;) {
    const w = page.workers().find(x => x.url().includes(part));
    if (w) return w;
    if (Date.now() - t0 > timeout) throw new Error(`no worker ${part} among ${page.workers().map(x => x.url())}`);
    await page.waitForTimeout(100);
  }
}
/** Ends a worker from inside, as a terminate() or the browser's out-of-memory kill would, or makes it crash. */
function kill(worker, how) {
  // not awaited: a closed worker never answers the evaluation
  worker.evaluate(how === 'crash' ? () => setTimeout(() => { throw new Error('boom'); }, 0) : () => self.close()).catch(() => {});
}

test('training page: a worker killed or crashed mid-run is reported within 3 s, and Reset starts a fresh one that trains', { timeout: 180000 }, async () => {
  for (const [lang, how, said] of [['en', 'close', /training worker stopped/], ['ru', 'crash', /аварийно завершился \(.*boom/]]) {
    const page = await watched({ locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
    await page.goto(`${base}/web/index.html?epochs=50&lang=${lang}`);
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    const w = await workerOf(page, 'training/worker.js');
    await page.click('#btn-start');
    await page.waitForSelector('#status[data-phase="running"]', { timeout: 10000 });
    await page.waitForTimeout(500);
    const t0 = Date.now();
    kill(w, how);
    await page.waitForSelector('#status[data-phase="error"]', { timeout: 3000 });
    assert.match(await page.locator('#message').innerText(), said);
    assert.ok(Date.now() - t0 <= 3000, `${Date.now() - t0} ms`);
    await screenshot(page, `robust-dead-worker-training-${lang}`);
    assert.ok(await page.isEnabled('#btn-reset'), 'Reset usable');
    await page.click('#btn-reset');
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    await page.click('#btn-step');
    await page.waitForSelector('#status[data-phase="paused"]', { timeout: 30000 });
    assert.equal(await page.locator('#message').isVisible(), false, 'the message is gone');
    await page.context().close();
  }
});

test('experiments page: a worker killed mid-grid is reported within 3 s; Continue starts a fresh worker and the grid goes on', { timeout: 180000 }, async () => {
  const page = await watched();
  await page.goto(`${base}/web/experiments.html?optimizers=sgd,adam&lrs=0.1&batches=16,32&epochs=2&lang=en`);
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  const w = await workerOf(page, 'experiments/worker.js');
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experimentStatus === 'running', null, { timeout: 10000 });
  await page.waitForTimeout(800);
  const t0 = Date.now();
  kill(w, 'close');
  await page.waitForFunction(() => window.__experimentStatus === 'error', null, { timeout: 3000 });
  assert.ok(Date.now() - t0 <= 3000, `${Date.now() - t0} ms`);
  assert.match(await page.locator('#run-message').innerText(), /experiment worker stopped.*starts a new worker/s);
  await screenshot(page, 'robust-dead-worker-experiments');
  assert.ok(await page.isEnabled('#btn-start'), 'Continue usable');
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experimentStatus === 'running', null, { timeout: 30000 });
  await page.waitForFunction(() => window.__experiment.results.length >= 1, null, { timeout: 90000 });
  await page.context().close();
});

test('a wide network shows its evaluation\'s progress, starts training without waiting for it, and pauses', { timeout: 180000 }, async () => {
  // 784-2048-2048-10: its untrained metrics take 160 GFLOP (half a minute here), one batch of 32 about 1 GFLOP.
  // Before: "Training..." at iteration 0 for the whole evaluation, Pause ignored.
  const page = await watched();
  await page.goto(`${base}/web/index.html?hidden=2048,2048&act=relu,relu&lang=en`);
  await page.waitForFunction(() => /Evaluating the network: [\d,]+ of 14,000 images/.test(document.querySelector('#status').textContent), null, { timeout: 30000 });
  await page.click('#btn-start');
  await page.waitForFunction(() => /iteration [1-9]/.test(document.querySelector('#p-iter').textContent), null, { timeout: 60000 });
  assert.match(await page.textContent('#status'), /Training…/);
  const t0 = Date.now();
  await page.click('#btn-start');                       // Pause
  await page.waitForSelector('#status[data-phase="paused"]', { timeout: 5000 });
  assert.ok(Date.now() - t0 < 5000, `paused after ${Date.now() - t0} ms`);
  await screenshot(page, 'robust-wide-net-paused');
  await page.context().close();
});
