// tests/browser/health.test.mjs - a run that did not learn never ends in green (issue #16, "Health of a
// run"; the classification is web/lib/health.js): SGD with lr 1 on the training page, the defaults
// otherwise (784-128-64-10, batch 32, 3 epochs, seed 1), ends at 6.80 % test accuracy (the CLI shows
// the same run: `backprop-lab train --optimizer sgd --lr 1`), so the page ends it in the warning
// state with the reason and the hint, in English and in Russian. Screenshots go to test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, newPage, screenshot, VIEWPORTS, ARTIFACTS } from './browser.mjs';
import { toQuery } from '../../web/lib/experiment-settings.js';

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

// ---------------------------------------------------------------- the experiments report (issue #17)
// A grid with runs that diverge, explode and stick at chance: SGD and Adam x lr 10, 1, 0.01 x batch 32
// x seeds 1, 2, one epoch on the 12,000-image subset (12 runs, a few seconds). What each run's class is
// comes from web/lib/health.js (tested in tests/node/health.test.mjs); here: the report shows every
// class, every conclusion cites cells that exist, and the printed report (page.pdf) in Russian has no
// English words outside formulas and names and no caption on a page without its table.

const GRID = { optimizers: 'sgd,adam', lrs: '10, 1, 0.01', batches: '32', epochs: '1', seeds: '1, 2' };

// Latin words allowed in the Russian report: names (optimizers, activations, data, the program,
// people), formula symbols and units the course writes in Latin.
const NAMES = new Set(['SGD', 'Momentum', 'RMSprop', 'Adam', 'AdaGrad', 'Adagrad', 'AMSGrad', 'ReLU', 'Leaky', 'ELU', 'softmax', 'tanh', 'NaN', 'MNIST',
  'Backprop', 'Lab', 'He', 'Xavier', 'dropout', 'ln', 'max', 'log', 'exp', 'wasm', 'simd128', 'SIMD', 'WebAssembly', 'L2', 'ms', 'PyTorch', 'torch', 'optim']);

async function reportPdf(page, lang) {
  await page.goto('about:blank');
  await page.goto(`${server.base}/web/experiments.html?${toQuery(GRID, { lang })}#report`);
  await page.waitForFunction(() => document.body.dataset.report === 'ready', null, { timeout: 30000 });
  await page.emulateMedia({ media: 'print' });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-report-')), `report-${lang}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.copyFileSync(file, path.join(ARTIFACTS, `health-report-${lang}.pdf`));
  const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter(p => p.trim());
  return { file, pages };
}

// Each language's report is a fresh page load (the saved runs come from IndexedDB): with the address of
// the page the grid ran in, only the hash would change and the report would come from the page's memory.
test('experiments report: every health class counted, conclusions cite existing cells, the printed report in both languages', { timeout: 240000 }, async () => {
  const page = await newPage(browser, { viewport: VIEWPORTS.laptop, locale: 'en-US' });
  try {
    await page.goto(`${server.base}/web/experiments.html?${toQuery(GRID, { lang: 'en' })}`);
    await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
    await page.click('#btn-start');
    await page.waitForFunction(() => window.__experimentStatus === 'done' && window.__experiment.results.length === window.__experiment.total, null, { timeout: 120000, polling: 200 });
    const classes = await page.evaluate(() => Object.fromEntries(window.__experiment.results.map(r => [r.id, r.health])));
    assert.equal(Object.keys(classes).length, 12);
    for (const c of ['stuck', 'exploded', 'diverged'])
      assert.ok(Object.values(classes).includes(c), `the grid has a run ${c}: ${JSON.stringify(classes)}`);

    for (const lang of ['en', 'ru']) {
      const { pages } = await reportPdf(page, lang);
      const report = page.locator('[data-testid="report"]');
      // Table 1 and Table 2 count each class; the unhealthy runs are listed, each with its class
      const counts = await page.$$eval('[data-testid="table2"] td.health [data-health]', ns => ns.map(n => [n.dataset.health, Number(n.dataset.count)]));
      const sum = {};
      for (const [c, n] of counts) sum[c] = (sum[c] || 0) + n;
      const want = {};
      for (const c of Object.values(classes)) want[c] = (want[c] || 0) + 1;
      assert.deepEqual(sum, want, `${lang}: Table 2 counts every run's class`);
      const bad = await page.$$eval('[data-testid="table-unhealthy"] tbody tr', ns => ns.map(n => n.dataset.health));
      assert.equal(bad.length, Object.values(classes).filter(c => ['stuck', 'exploded', 'diverged'].includes(c)).length);
      // every cited cell exists; every sentence of the conclusions (course advice aside) cites one
      const refs = await page.$$eval('[data-testid="report"] li[data-refs]', ns => ns.map(n => ({ text: n.textContent, ids: n.dataset.refs.split(' ').filter(Boolean), course: !!n.querySelector('.course') })));
      assert.ok(refs.length > 8);
      for (const r of refs) {
        if (!r.course) assert.ok(r.ids.length, `${lang}: "${r.text}" cites a cell`);
        for (const id of r.ids) assert.ok(await page.$(`[id="${id}"]`), `${lang}: cell ${id} exists ("${r.text}")`);
      }
      // the heading names the data and the kernels even when printed from a fresh load (the worker has not answered yet)
      assert.match(await report.locator('.rhead .meta').innerText(), lang === 'en' ? /; MNIST subset: 12,000 training \+ 2,000 test; 12 runs; kernels: [\w-]+\./
        : /; часть MNIST: 12\s000 обучающих \+ 2\s000 тестовых; 12 запусков; ядро: [\w-]+\./);
      // the table of runs that did not learn names the report's own numbers of Tables 1 and 2 of the assignment
      const cap = id => page.$eval(`.tblock:has([data-testid="${id}"]) .tcap`, n => n.textContent);
      const [n1, n2] = [(await cap('table1')).match(/\d+/)[0], (await cap('table2')).match(/\d+/)[0]];
      assert.match(await cap('table-unhealthy'), new RegExp(`${n1} ${lang === 'en' ? 'and' : 'и'} ${n2}$`), `${lang}: the caption of the unhealthy runs cites Tables ${n1} and ${n2}`);
      assert.match(await report.innerText(), lang === 'en' ? new RegExp(`Table ${n2} gives the mean of S`) : new RegExp(`в таблице ${n2} — среднее S`), `${lang}: the stability note cites Table ${n2}`);
      const concl = await report.locator('[data-testid="conclusions"]').innerText();
      assert.match(concl, lang === 'en' ? /Stuck at chance/ : /Застряли на уровне угадывания/);
      assert.match(concl, lang === 'en' ? /Exploded/ : /«Взорвались»/);
      // printed: each caption on the page of its table (at least a header and a row follow it there)
      const capRe = lang === 'en' ? /^\s*Table \d+ —/ : /^\s*Таблица \d+ —/;
      let captions = 0;
      for (const [i, p] of pages.entries()) {
        const lines = p.split('\n').filter(l => l.trim());
        lines.forEach((l, k) => {
          if (!capRe.test(l)) return;
          captions++;
          assert.ok(k < lines.length - 2, `${lang}: "${l.trim()}" at the end of page ${i + 1} without its table`);
        });
      }
      assert.ok(captions >= 5, `${lang}: ${captions} table captions printed`);
      if (lang === 'ru') {
        const text = pages.join('\n');
        // the formulas (KaTeX) are Latin by nature: their words are allowed
        const math = new Set(((await page.$$eval('.katex', ns => ns.map(n => n.textContent).join(' '))).match(/[A-Za-z][A-Za-z0-9]*/g) || []));
        const latin = [...new Set((text.match(/[A-Za-z][A-Za-z0-9]*/g) || []))].filter(w => !NAMES.has(w) && !math.has(w) && w.length > 1);
        assert.deepEqual(latin, [], 'Russian report: no English words outside formulas and names');
      }
      execFileSync('pdftoppm', ['-png', '-r', '60', path.join(ARTIFACTS, `health-report-${lang}.pdf`), path.join(ARTIFACTS, `health-report-${lang}`)]);
    }
  } finally { await page.context().close(); }
});
