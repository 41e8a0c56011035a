// tests/browser/health.test.mjs - a run that did not learn never ends in green (issue #16, "Health of a
// run"; the classification is web/lib/health.js): SGD with lr 1 on the training page, the defaults
// otherwise (784-128-64-10, batch 32, 3 epochs, seed 1), ends at 6.80 % test accuracy (the CLI shows
// the same run: `backprop-lab train --optimizer sgd --lr 1`), so the page ends it in the warning
// state with the reason and the hint, in English and in Russian. Screenshots go to test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, screenshot, VIEWPORTS } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

for (const [lang, locale, reason, hint] of [
  ['en', 'en-US', /stuck at chance: test accuracy 6\.80%/, /learning rate \(1\) is probably too high; try a lower one, e\.g\. 0\.1/],
  ['ru', 'ru-RU', /застряла на уровне случайного угадывания: точность на тесте после обучения 6,80\s?%/, /Скорость обучения \(1\), вероятно, слишком велика/],
]) {
  test(`training page (${lang}): SGD lr 1 ends in the warning state with the reason and a hint, not "Done"`, { timeout: 120000 }, async () => {
    const page = await newPage(browser, { viewport: VIEWPORTS.laptop, locale });
    try {
      await page.goto(`${server.base}/web/?optimizer=sgd&lr=1&lang=${lang}`);
      await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
      await page.click('#btn-start');
      await page.waitForSelector('#status[data-phase="warning"], #status[data-phase="done"], #status[data-phase="diverged"], #status[data-phase="error"]', { timeout: 90000 });
      assert.equal(await page.getAttribute('#status', 'data-phase'), 'warning');
      const status = await page.textContent('#status');
      assert.doesNotMatch(status, /^Done|^Готово/);
      assert.equal(await page.getAttribute('#message', 'data-kind'), 'health');
      assert.equal(await page.isVisible('#message'), true);
      const msg = await page.textContent('#message');
      assert.match(msg, reason);
      assert.match(msg, hint);
      // a warning colour, not the green of "Done"
      const color = await page.$eval('#status', n => getComputedStyle(n).color);
      const ok = await page.evaluate(() => { const d = document.createElement('p'); d.className = 'status'; d.dataset.phase = 'done'; document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; });
      assert.notEqual(color, ok);
      await screenshot(page, `health-training-sgd-lr1-${lang}`);
    } finally { await page.context().close(); }
  });
}
