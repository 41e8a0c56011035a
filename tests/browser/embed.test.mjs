// tests/browser/embed.test.mjs - a teacher's course page on another origin embeds panels, the
// training page and the experiment page in iframes: plain and sandboxed (allow-scripts only, an
// opaque origin, as some course platforms do). Each renders, the training page trains, the
// experiment page runs a two-run grid in two workers, and nothing logs an error
// (the service worker registration is skipped or refused quietly where it is not allowed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, launch } from './browser.mjs';

let server, browser, course;
before(async () => {
  server = await startServer();
  browser = await launch();
  // the lab on "localhost", the course page on "127.0.0.1": two origins
  const lab = server.base.replace('127.0.0.1', 'localhost');
  course = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Course</title><h1>Lecture 3</h1>
<iframe id="plain" src="${lab}/web/panels.html?p=chain&embed=1&lang=ru" width="900" height="700"></iframe>
<iframe id="sandboxed" sandbox="allow-scripts" src="${lab}/web/panels.html?p=mlp&embed=1&lang=en" width="900" height="700"></iframe>
<iframe id="train" sandbox="allow-scripts" src="${lab}/web/?embed=1&epochs=1&lang=en" width="1000" height="800"></iframe>
<iframe id="exp" sandbox="allow-scripts" src="${lab}/web/experiments.html?lang=en&opt=adam&lr=0.01,0.001&batch=64&epochs=1&jobs=2" width="1000" height="800"></iframe>`);
  });
  await new Promise(r => course.listen(0, '127.0.0.1', r));
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (course) { course.closeAllConnections(); course.close(); }
});

test('panels and the training page work inside a course page\'s iframes, sandboxed or not', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  // data/mnist-full.bin is optional (not committed): the page's HEAD probe may meet a 404
  page.on('console', m => { if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text()); });
  page.on('response', r => { if (r.status() >= 400 && !r.url().endsWith('/data/mnist-full.bin')) errors.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${course.address().port}/`);
  const frame = id => page.frameLocator(`#${id}`);
  await frame('plain').locator('body[data-ready="1"]').waitFor({ timeout: 20000 });
  await frame('sandboxed').locator('body[data-ready="1"]').waitFor({ timeout: 20000 });
  assert.equal(await frame('plain').locator('html').getAttribute('lang'), 'ru');
  assert.equal(await frame('sandboxed').locator('.status.bad').count(), 0);
  // the training page in a sandboxed frame: data, one epoch, a result
  const train = frame('train');
  await train.locator('#status[data-phase="ready"]').waitFor({ timeout: 30000 });
  await train.locator('#btn-start').click();
  await train.locator('#status[data-phase="done"]').waitFor({ timeout: 60000 });
  const acc = Number(await train.locator('#final-acc').getAttribute('data-value'));
  assert.ok(acc > 0.8, `test accuracy in the frame: ${acc}`);
  // the experiment page in a sandboxed frame (no IndexedDB there: results kept in memory) runs a grid,
  // two runs at once in two workers (web/lib/worker-pool.js: no SharedArrayBuffer, no isolation needed)
  const exp = page.frames().find(f => f.url().includes('experiments.html'));
  await exp.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  await exp.click('#btn-start');
  await exp.waitForFunction(() => window.__experimentStatus === 'done', null, { timeout: 60000 });
  const res = await exp.evaluate(() => window.__experiment.results);
  assert.equal(res.length, 2);
  assert.deepEqual(res.map(r => r.pool), [2, 2], 'a pool of two workers trained them');
  await page.waitForTimeout(2500);       // past the service worker's registration time
  assert.deepEqual(errors, []);
  await context.close();
});
