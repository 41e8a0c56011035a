// tests/browser/offline.test.mjs - "offline once loaded": after one page of Backprop Lab has been
// opened online, the service worker (web/sw.js) has kept every page, the core and the MNIST subset,
// so with the network cut a panel never opened before, the training page (data, training, results)
// and the experiment page still open and work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage } from './browser.mjs';
import { createServer } from '../../scripts/serve.mjs';

// A server of the test's own, stopped once the files are kept: offline then means no server at all,
// not only the browser's offline switch (which need not hold for the service worker's own fetches).
let http, server, browser;
before(async () => {
  http = createServer();
  await new Promise(r => http.listen(0, '127.0.0.1', r));
  server = { base: `http://127.0.0.1:${http.address().port}` };
  browser = await launch();
});
after(async () => { if (browser) await browser.close(); if (http.listening) { http.closeAllConnections(); http.close(); } });

test('every page works offline once one page has been opened', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.base}/web/panels.html?p=chain&lang=en`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  // the service worker registers after the page has settled, then keeps the files of the manifest
  const files = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const m = await (await fetch('build/precache.json')).json();
    const manifest = new URL('build/precache.json', reg.scope).href;
    for (let i = 0; i < 300; i++) {
      const c = await caches.open('backprop-lab-v1');
      const kept = await c.match(manifest);
      if (kept && (await kept.json()).version === m.version && navigator.serviceWorker.controller) return m.files.length;
      await new Promise(r => setTimeout(r, 100));
    }
    return 0;
  });
  assert.ok(files > 50, `the service worker did not keep the files (${files})`);
  // the full MNIST file (when the server has it; not committed) is kept once it has been loaded
  const fullKept = await page.evaluate(async () => {
    const r = await fetch('../data/mnist-full.bin').catch(() => null);
    if (!r || !r.ok) return false;
    await r.arrayBuffer();
    for (let i = 0; i < 100; i++) {
      if (await (await caches.open('backprop-lab-v1')).match(new URL('../data/mnist-full.bin', location.href).href)) return true;
      await new Promise(res => setTimeout(res, 100));
    }
    return false;
  });

  http.closeAllConnections();
  await new Promise(r => http.close(r));
  await page.context().setOffline(true);
  try {
    // a panel never opened online
    await page.goto(`${server.base}/web/panels.html?p=softmax&lang=ru`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
    assert.equal(await page.$('.status.bad'), null, 'the softmax panel shows an error offline');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    // the training page: data from the kept subset, one epoch trained, results drawn
    await page.goto(`${server.base}/web/?epochs=1&lang=en`);
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    // the full data is offered offline exactly when its file is kept (the page asks with HEAD)
    if (fullKept) await page.waitForFunction(() => !document.querySelector('#f-data option[value="full"]').disabled, null, { timeout: 5000 });
    else assert.ok(await page.$eval('#f-data option[value="full"]', o => o.disabled), 'full data offered offline though never kept');
    await page.click('#btn-start');
    await page.waitForSelector('#status[data-phase="done"]', { timeout: 60000 });
    const acc = Number(await page.getAttribute('#final-acc', 'data-value'));
    assert.ok(acc > 0.8, `test accuracy offline: ${acc}`);
    // the experiment page opens and is ready to run
    await page.goto(`${server.base}/web/experiments.html?lang=en`);
    await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  } finally {
    await page.context().setOffline(false);
  }
  const real = page.errors.filter(e => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e));
  assert.deepEqual(real, []);
});
