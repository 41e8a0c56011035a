// a11y.test.mjs - every page for a screen reader, a keyboard, a phone and a projector (issue 15):
// axe-core (npm axe-core, run in the page) finds no critical or serious violation on any page, in
// both languages, settled and after training / stepping / running a grid, also embedded; no page
// is wider than a 360 px phone or a 768 px tablet at any panel stage, and nothing is clipped
// without a scroll box; the accessibility tree names every field by its symbol and meaning and
// reads a formula row as words with its numbers; the keyboard alone trains, resets and draws, and
// steps a panel to its end; ?theme=projector gives at least 7:1 text. One browser for all.
// Screenshots: test-artifacts/a11y-*.png. Run: node --test tests/browser/a11y.test.mjs
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, screenshot } from './browser.mjs';
import { axeViolations, describe } from './axe.mjs';

const PANELS = ['one-weight', 'chain', 'mlp', 'softmax', 'perceptron', 'graph', 'gradcheck', 'losses', 'optimizers'];
const LANGS = ['en', 'ru'];
const PHONE = { width: 360, height: 740 }, TABLET = { width: 768, height: 1024 };

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function clean(page, what, opts) {
  const v = await axeViolations(page, opts);
  assert.equal(v.length, 0, `${what}: ${v.length} critical/serious axe violations:\n${describe(v)}`);
}
const openPanel = async (p, lang, { viewport, embed = false, theme } = {}) => {
  const page = await newPage(browser, { viewport });
  const q = new URLSearchParams({ p, lang });
  if (embed) q.set('embed', '1');
  if (theme) q.set('theme', theme);
  await page.goto(`${server.base}/web/panels.html?${q}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  return page;
};
const stageOf = page => page.$eval('[data-testid="stage-label"]', el => el.textContent);
const atLastStage = async page => { const m = /(\d+)\D+(\d+)/.exec(await stageOf(page)); return m && m[1] === m[2]; };

/** Page width against the window, and elements whose content is cut off without a scroll box. */
async function overflow(page, deep) {
  return page.evaluate(deep => {
    const over = document.documentElement.scrollWidth - window.innerWidth;
    const clipped = [];
    if (deep) for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.katex, .uplot, .sr-only, svg, [hidden]') && !el.matches('.katex-display')) continue;
      const cs = getComputedStyle(el);
      if (!['hidden', 'clip'].includes(cs.overflowX) || el.clientWidth <= 2 || cs.display === 'none') continue;
      if (el.scrollWidth > el.clientWidth + 2) clipped.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}#${el.id} (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return { over, clipped };
  }, deep);
}
/** The page fits its window; deep: also no element cuts its content off (slower: every element's style). */
async function fits(page, what, deep = true) {
  const { over, clipped } = await overflow(page, deep);
  assert.ok(over <= 1, `${what}: the page is ${over}px wider than the window`);
  assert.deepEqual(clipped, [], `${what}: content cut off without a scroll box`);
}

test('axe: every panel in both languages, settled and stepped to its last stage, and embedded', async () => {
  for (const lang of LANGS) for (const p of PANELS) {
    const page = await openPanel(p, lang);
    await clean(page, `${p} ${lang} settled`);
    await page.keyboard.press('End');
    if (p === 'perceptron') {
      await page.click('[data-testid="train"]');
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="learn-iter"]').textContent), null, { timeout: 20000 });
    } else if (await page.$('[data-testid="run"]')) await page.click('[data-testid="run"]');
    await clean(page, `${p} ${lang} after stepping and running`);
    assert.deepEqual(page.errors, [], `${p} ${lang}: console errors`);
    await page.context().close();
  }
  for (const [p, lang] of [['mlp', 'en'], ['softmax', 'ru']]) {
    const page = await openPanel(p, lang, { embed: true });
    await clean(page, `${p} ${lang} embedded`);
    await page.context().close();
  }
  const page = await newPage(browser);
  for (const lang of LANGS) {
    await page.goto(`${server.base}/web/panels.html?lang=${lang}`);
    await page.waitForSelector('.cards li a');
    await clean(page, `panels index ${lang}`);
  }
  await page.context().close();
});

test('axe: the training page in both languages, settled, after one epoch and a drawn digit, embedded; bench', async () => {
  for (const lang of LANGS) {
    const page = await newPage(browser);
    await page.goto(`${server.base}/web/?lang=${lang}&epochs=1`);
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    await clean(page, `training ${lang} settled`);
    await page.click('#btn-start');
    await page.waitForSelector('#status[data-phase="done"]', { timeout: 60000 });
    await page.click('#pad-sample');
    await page.waitForFunction(() => document.querySelector('#draw-answer').textContent.trim() !== '');
    await clean(page, `training ${lang} after training`);
    if (lang === 'ru') await screenshot(page, 'a11y-training-ru-done');
    await page.goto(`${server.base}/web/?lang=${lang}&embed=1`);
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    await clean(page, `training ${lang} embedded`);
    await page.goto(`${server.base}/web/bench.html?lang=${lang}`);
    await page.waitForSelector('#lang');
    await clean(page, `bench ${lang}`);
    await page.context().close();
  }
});

test('axe: the experiments page in both languages: setup, a one-run grid, results and report', async () => {
  for (const lang of LANGS) {
    const page = await newPage(browser);
    await page.goto(`${server.base}/web/experiments.html?lang=${lang}&opt=adam&lr=0.01&batch=64&epochs=1`);
    await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
    await clean(page, `experiments ${lang} setup`);
    await page.click('#btn-start');
    await page.waitForFunction(() => window.__experimentStatus === 'done', null, { timeout: 60000 });
    await clean(page, `experiments ${lang} after the grid`);
    await page.evaluate(() => { location.hash = 'results'; });
    await page.waitForSelector('[data-testid="table1"]');
    await clean(page, `experiments ${lang} results`);
    await page.evaluate(() => { location.hash = 'report'; });
    await page.waitForFunction(() => document.body.dataset.report === 'ready', null, { timeout: 15000 });
    await clean(page, `experiments ${lang} report`);
    await page.context().close();
  }
});

test('phones and tablets: no page wider than 360 or 768 px at any panel stage in either language, nothing clipped', async () => {
  for (const viewport of [PHONE, TABLET]) for (const lang of LANGS) {
    const w = viewport.width;
    for (const p of PANELS) {
      const page = await openPanel(p, lang, { viewport });
      await page.keyboard.press('Home');
      for (let i = 0; i < 80; i++) {
        const last = await atLastStage(page);
        await fits(page, `${p} ${lang} ${w}px ${await stageOf(page)}`, i === 0 || last);
        if (last) break;
        // past 12 stages (the optimizers' 60 steps, each the same six cards), straight to the last
        await page.keyboard.press(i < 11 ? 'ArrowRight' : 'End');
      }
      if (w === 360 && ['softmax', 'losses', 'mlp'].includes(p)) {
        await screenshot(page, `a11y-${p}-${lang}-360`);
        if (lang === 'en') await clean(page, `${p} at 360 px (scroll boxes reachable by keyboard)`);
      }
      await page.context().close();
    }
    const page = await newPage(browser, { viewport });
    await page.goto(`${server.base}/web/?lang=${lang}&epochs=1`);
    await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    await fits(page, `training ${lang} ${w}px`);
    await page.click('#btn-start');
    await page.waitForSelector('#status[data-phase="done"]', { timeout: 60000 });
    await fits(page, `training ${lang} ${w}px after training`);
    if (w === 360) await screenshot(page, `a11y-training-${lang}-360`);
    for (const u of [`panels.html?lang=${lang}`, `bench.html?lang=${lang}`, `experiments.html?lang=${lang}`]) {
      await page.goto(`${server.base}/web/${u}`);
      await page.waitForLoadState('networkidle');
      await fits(page, `${u} ${w}px`);
    }
    await page.goto(`${server.base}/web/experiments.html?lang=${lang}&opt=adam&lr=0.01&batch=64&epochs=1#results`);
    await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
    await page.evaluate(() => document.querySelector('#btn-start').click());   // (on a phone the button is below the fold)
    await page.waitForFunction(() => window.__experimentStatus === 'done', null, { timeout: 60000 });
    await page.evaluate(() => { location.hash = 'results'; });
    await page.waitForSelector('[data-testid="table1"]');
    await fits(page, `experiments results ${lang} ${w}px`);
    await page.evaluate(() => { location.hash = 'report'; });
    await page.waitForFunction(() => document.body.dataset.report === 'ready', null, { timeout: 15000 });
    await fits(page, `experiments report ${lang} ${w}px`);
    await page.context().close();
  }
});

test('accessibility tree of the 2-2-2 panel: fields named by symbol and meaning, a formula row read as words with its numbers', async () => {
  for (const [lang, w11, row] of [
    ['en', /textbox "w 1 1 ?, weight from input 1 to hidden neuron 1": "0\.15"/, /z h 1 equals w 1 1 x 1 plus w 2 1 x 2 plus b h 1 equals 0\.15 times 0\.05 plus 0\.2 times 0\.1 plus 0\.35 equals 0\.3775/],
    ['ru', /textbox "w 1 1 ?, вес от входа 1 к скрытому нейрону 1": "0\.15"/, /z h 1 равно w 1 1 x 1 плюс w 2 1 x 2 плюс b h 1 равно 0\.15 умножить на 0\.05/]]) {
    const page = await openPanel('mlp', lang);
    await page.keyboard.press('Home');
    const fields = await page.locator('.controls').ariaSnapshot();
    assert.match(fields, w11, `${lang}: the field w11 by its symbol and meaning:\n${fields.slice(0, 600)}`);
    // every text field has a name (no bare "textbox")
    assert.doesNotMatch(fields, /- textbox(: | *$)/m, `${lang}: a field without a name`);
    const formula = await page.locator('.fsec[data-stage="0"]').ariaSnapshot();
    assert.match(formula, row, `${lang}: the first formula row in words:\n${formula.slice(0, 600)}`);
    assert.doesNotMatch(formula, /\\(frac|cdot|htmlData)/, 'no TeX source read aloud');
    // a matrix result is a table of rows and cells; the stage label is a polite live region
    assert.equal(await page.getAttribute('[data-testid="stage-label"]', 'aria-live'), 'polite', 'stage changes are announced');
    await page.context().close();
  }
  // a matrix result (softmax's W1 after the update, 3 x 4) is a table of rows of cells
  const page = await openPanel('softmax', 'en');
  await page.keyboard.press('End');
  const mat = await page.locator('.fsec .mat').last().ariaSnapshot();
  assert.match(mat, /^- table:\s*\n\s*- row "[^"]+":\s*\n\s*- cell "/, `matrix results are tables of rows of cells:\n${mat.slice(0, 300)}`);
  await page.context().close();
});

test('keyboard only: skip links; train, reset and draw on the training page; step a panel to its end', async () => {
  const page = await newPage(browser);
  const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || '');
  const tabTo = async (id, max = 80, key = 'Tab') => {
    for (let i = 0; i < max; i++) { if (await active() === id) return; await page.keyboard.press(key); }
    assert.equal(await active(), id, `Tab reaches #${id}`);
  };
  await page.goto(`${server.base}/web/?lang=en&epochs=1`);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to controls', 'the first Tab stop is the skip link');
  await page.keyboard.press('Enter');
  assert.equal(await active(), 'controls', 'the skip link moves the focus to the controls');
  await page.keyboard.press('Tab');
  assert.equal(await active(), 'btn-start', 'the next Tab stop is Start');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#status[data-phase="done"]', { timeout: 60000 });
  await tabTo('btn-reset', 6);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#status[data-phase="ready"]');
  await tabTo('btn-start', 6, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#status[data-phase="done"]', { timeout: 60000 });
  await tabTo('pad');
  await page.keyboard.press('Space');
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /The network says \d/.test(document.querySelector('#draw-answer').textContent));

  await page.goto(`${server.base}/web/panels.html?p=chain&lang=en`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the stage bar');
  await page.keyboard.press('Enter');
  assert.equal(await active(), 'stagebar');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'prev', 'then Back');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'next', 'then Next');
  for (let i = 0; i < 20 && !(await atLastStage(page)); i++) await page.keyboard.press('Enter');
  assert.ok(await atLastStage(page), `Next steps to the last stage: ${await stageOf(page)}`);
  // (the training page asks whether the optional data/mnist-full.bin is there: a 404 where it is not)
  assert.deepEqual(page.errors.filter(e => !/Failed to load resource/.test(e)), []);
  await page.context().close();
});

test('projector view: the switch, ?theme=projector kept across pages, every text at least 7:1, larger type; screenshots', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.base}/web/panels.html?p=mlp&lang=en`);
  await page.waitForSelector('body[data-ready="1"]');
  const size0 = await page.$eval('.f-line', el => parseFloat(getComputedStyle(el).fontSize));
  await page.click('#theme-projector');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'projector');
  assert.match(page.url(), /theme=projector/);
  assert.equal(await page.getAttribute('#theme-projector', 'aria-pressed'), 'true');
  assert.ok(await page.$eval('.f-line', el => parseFloat(getComputedStyle(el).fontSize)) > size0 * 1.2, 'larger type');
  assert.match(await page.getAttribute('.shell-nav a[data-page="training"]', 'href'), /theme=projector/, 'the other pages keep the look');
  await page.context().close();
  const pages = [...PANELS.map(p => `panels.html?p=${p}`), 'index.html?epochs=1', 'experiments.html?', 'bench.html?'];
  // colours do not depend on the language: every page in English, one panel in Russian
  for (const [lang, u] of [...pages.map(u => ['en', u]), ['ru', 'panels.html?p=mlp']]) {
    const pg = await newPage(browser, { viewport: { width: 1280, height: 720 } });
    await pg.goto(`${server.base}/web/${u}&lang=${lang}&theme=projector`);
    if (u.startsWith('panels')) { await pg.waitForSelector('body[data-ready="1"]'); await pg.keyboard.press('End'); }
    else if (u.startsWith('index')) await pg.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    else await pg.waitForLoadState('networkidle');
    const v = await axeViolations(pg, { only: ['color-contrast-enhanced'] });
    assert.equal(v.length, 0, `${u} ${lang} projector: text below 7:1:\n${describe(v)}`);
    if (lang === 'en' && /mlp|index|optimizers/.test(u)) await screenshot(pg, `a11y-projector-${u.split(/[.=?&]/)[u.startsWith('panels') ? 3 : 0]}`);
    await pg.context().close();
  }
});

test('dark colour scheme (prefers-color-scheme: dark): no critical or serious axe violation on the pages', async () => {
  for (const u of ['panels.html?p=mlp&lang=en', 'panels.html?p=optimizers&lang=ru', 'panels.html?p=losses&lang=en', 'index.html?lang=en', 'experiments.html?lang=ru', 'bench.html?lang=en']) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${server.base}/web/${u}`);
    if (u.startsWith('panels')) { await page.waitForSelector('body[data-ready="1"]'); await page.keyboard.press('End'); }
    else if (u.startsWith('index')) await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
    else await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(11, 18, 32)', `${u}: dark background`);
    await clean(page, `${u} dark`);
    await context.close();
  }
});

test('Russian: one decimal separator per page (panels: a point, as in their formulas; training page: a comma); the fields take both (panels.test.mjs, page.test.mjs)', async () => {
  const page = await newPage(browser);
  for (const p of PANELS) {
    await page.goto(`${server.base}/web/panels.html?p=${p}&lang=ru`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.keyboard.press('End');
    const text = await page.evaluate(() => document.querySelector('main').innerText);
    const values = await page.$$eval('input[data-field]', els => els.map(e => e.value).join(' '));
    // (a comma between two numbers of a tuple, "(0.5,0.5,0.4)", is not a decimal comma)
    assert.doesNotMatch(`${text} ${values}`, /(?<![\d.])\d+,\d+(?![.\d])/, `${p}: a decimal comma among the points`);
  }
  await page.goto(`${server.base}/web/?lang=ru`);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  const values = await page.$$eval('#settings-form input[type="text"]', els => els.map(e => e.value));
  assert.ok(values.some(v => /\d,\d/.test(v)), `the training page's fields show decimal commas: ${values}`);
  assert.ok(values.every(v => !/\d\.\d/.test(v)), `and no decimal points: ${values}`);
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /\d\.\d/, 'nor in its text');
  await page.context().close();
});
