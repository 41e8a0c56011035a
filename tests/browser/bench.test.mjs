// tests/browser/bench.test.mjs - the speed page (web/bench.html) in headless Chromium: one epoch per
// batch size 16, 32, 64 in a Web Worker with the SIMD core, a row per batch size with a positive time,
// the page's own longest pause measured, progress shown, Russian text with ?lang=ru. No timing is
// asserted (the numbers depend on the machine; `make bench` reports them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, screenshot } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

test('the speed page times an epoch at batch 16, 32 and 64 and says how long the page paused', async () => {
  const page = await newPage(browser, { locale: 'ru-RU' });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  // data/mnist-full.bin is optional (not committed): its 404 is the designed fallback to the subset
  page.on('response', r => { if (r.status() >= 400 && !r.url().endsWith('/data/mnist-full.bin')) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${server.base}/web/bench.html?lang=ru`);
  assert.equal(await page.textContent('#go'), 'Измерить');
  await page.click('#go');
  await page.waitForFunction(() => !document.getElementById('bar').hidden || window.__bench, null, { timeout: 10000 });
  await page.waitForFunction(() => window.__bench, null, { timeout: 240000 });
  const rows = await page.evaluate(() => window.__bench);
  assert.ok(!rows.error, rows.error);
  assert.deepEqual(rows.map(r => r.batch), [16, 32, 64]);
  for (const r of rows) {
    assert.ok(r.seconds > 0 && Number.isFinite(r.rate), `batch ${r.batch}: ${r.seconds} s`);
    assert.ok(Number.isFinite(r.pauseMs) && r.pauseMs >= 0, `batch ${r.batch}: pause ${r.pauseMs}`);
    assert.equal(r.kernels, 'wasm-simd128');
  }
  assert.equal(await page.locator('#out tbody tr').count(), 3);
  assert.match(await page.textContent('#status'), /^готово/);
  assert.match(await page.textContent('#h-seconds'), /секунд на эпоху/);
  // switching the language keeps the results and rewrites the text
  await page.selectOption('#lang', 'en');
  assert.match(await page.textContent('#h-seconds'), /seconds per epoch/);
  assert.equal(await page.locator('#out tbody tr').count(), 3);
  assert.match(page.url(), /lang=en/);
  await screenshot(page, 'bench-laptop');
  assert.deepEqual(errors.filter(e => !/Failed to load resource/.test(e)), []);
});
