// exercises.test.mjs - "Check yourself" (issue #14) in headless Chromium, on the panels that have it
// (one weight, chain, 2-2-2, softmax, graph rules, gradient check: two parameters, losses, optimizers:
// Adam's first steps): typing the true values (from the core, the fields' data-truth)
// passes every stage with Enter alone; typing the value of each classic mistake the table lists for a
// panel (the f64 core's mistake step, computed here in Node from the panel's default example) is
// diagnosed as that mistake; a seeded URL gives the same numbers twice (on graph, losses, optimizers and
// gradcheck also: other numbers than the course's, whose true values pass); the index's checklist shows a
// finished exercise; axe-core finds nothing critical or serious in exercise mode, in both languages.
// Screenshots: test-artifacts/exercise-*.png.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, screenshot } from './browser.mjs';
import { axeViolations, describe } from './axe.mjs';
import { loadCore } from '../../web/lib/engine.js';
import { buildNet, targetsOf } from '../../web/lib/spec.js';
import { candidates } from '../../web/lib/exercise-mistakes.js';
import { STRINGS } from '../../web/panels/strings.js';

let server, browser, core;
before(async () => { server = await startServer(); browser = await launch(); core = await loadCore({ precision: 'f64' }); });
after(async () => { await browser?.close(); await server?.close(); });

// the panels' default examples (web/panels/p-*.js defaults() and spec()), for the mistakes' values
const SPECS = {
  'one-weight': { layers: [1, 1], activations: ['identity'], loss: 'mse', weights: [[[3]]], biases: [null], input: [[2]], target: [[10]], optimizer: { name: 'sgd', lr: 0.01 } },
  chain: { layers: [1, 1, 1], activations: ['sigmoid', 'identity'], loss: 'half_sse', weights: [[[0.4]], [[0.6]]], biases: [null, null], input: [[0.5]], target: [[1]], optimizer: { name: 'sgd', lr: 0.1 } },
  mlp: { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half_sse', weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
    biases: [[0.35, 0.35], [0.6, 0.6]], input: [[0.05, 0.1]], target: [[0.01, 0.99]], optimizer: { name: 'sgd', lr: 0.5 }, update_biases: false },
  graph: { layers: [2, 2], activations: ['identity'], loss: 'half_sse', weights: [[[0.5, -0.3], [0.8, 0.2]]], biases: [[0.2, -0.1]],
    input: [[1, 2]], target: [[1, 0]], optimizer: { name: 'sgd', lr: 0.1 } },
  softmax: { layers: [4, 3, 3], activations: ['sigmoid', 'softmax'], loss: 'cross_entropy',
    weights: [[[0, 0.9, -0.4, 0.7], [0.3, -0.2, -0.4, 0.3], [-0.2, 0.1, 0.3, 0.3]], [[-0.3, 0.4, -0.5], [-1, -0.1, -0.5], [0.5, 0.7, -0.2]]],
    biases: [[0.3, -0.7, -0.3], [0.3, -0.3, 0.2]], input: [[0.5, 0.3, -1.4, -0.3]], target: [[0, 1, 0]], optimizer: { name: 'sgd', lr: 0.1 } },
};
const PANELS = [...Object.keys(SPECS), 'gradcheck', 'losses', 'optimizers'];

/** The losses panel's default models (web/panels/p-losses.js) with the 1/2 or the 1/B forgotten, by the core. */
function lossSteps() {
  const models = [[[0.3, 0.3, 0.4], [0.3, 0.4, 0.3], [0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7], [0.1, 0.7, 0.2], [0.3, 0.4, 0.3]]];
  const T = [[0, 0, 1], [0, 1, 0], [1, 0, 0]], steps = {};
  for (const mistake of ['no_half', 'no_mean']) {
    const values = {};
    models.forEach((Y, m) => {
      for (const [loss, k] of [['half_sse', 'se'], ['sse', 'sse'], ['mse', 'mse'], ['cross_entropy', 'ce']]) {
        const r = core.lossMistake(mistake, loss, Y, T);
        values[`m${m + 1}.${k}.mean`] = r.mean;
        r.rows.forEach((v, i) => { values[`m${m + 1}.${k}.rows.${i}`] = v; });
      }
    });
    steps[mistake] = { values };
  }
  return steps;
}

/** Adam without the bias correction at step 1 of the optimizers panel (quadratic surface, start (-4.5, 2),
 * lr 0.3, betas 0.9, 0.999: web/panels/p-optimizers.js), by the core: the gradient from core.surface. */
function adamMistake() {
  const th = [-4.5, 2], s = core.surface('quadratic', th[0], th[1]);
  const [r] = core.adamSteps({ corrected: false, prev: [th], grads: [[s.gx, s.gy]], lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  return { adam_no_bias: { values: { 'adam.theta.0': r.theta[0], 'adam.theta.1': r.theta[1], 'adam.step.0': r.step[0], 'adam.step.1': r.step[1] } } };
}

/** The core's step of a spec under every mistake: {mistake: step}. */
function mistakeSteps(spec) {
  const { net, spec: s } = buildNet(core, spec);
  net.setTrace(true); net.forward(s.input); net.backward(targetsOf(s)); net.update();
  const T = net.trace();
  net.free();
  const info = { sizes: s.sizes, activations: s.activations, loss: s.loss, lr: s.optimizer.lr, updateBiases: s.updateBiases };
  return Object.fromEntries(core.tables.mistake.map(m => [m, core.mistakeStep(m, info, T)]));
}

async function open(q, { page = null, lang = 'en', viewport } = {}) {
  page ??= await newPage(browser, { viewport });
  await page.goto(`${server.base}/web/panels.html?${q}&lang=${lang}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  return page;
}
/** The open stage's fields: [{key, truth}]. */
const openFields = page => page.$$eval('input.exin', els => els.filter(e => e.offsetParent).map(e => ({ key: e.dataset.ex, truth: Number(e.dataset.truth), stage: Number(e.dataset.stage) })));
/** Types a value into every open field (value(key, truth) gives the text) and presses Enter in the last. */
async function typeStage(page, value = (k, v) => v.toPrecision(6)) {
  const fields = await openFields(page);
  for (const f of fields) await page.fill(`input.exin[data-ex="${f.key}"]`, value(f.key, f.truth));
  await page.press(`input.exin[data-ex="${fields[fields.length - 1].key}"]`, 'Enter');
  return fields;
}
const status = page => page.$eval('[data-testid="ex-status"]', el => el.textContent);

for (const pid of PANELS) {
  test(`${pid}: the true values pass every stage (keyboard only); the result is recorded`, async () => {
    const page = await open(`p=${pid}&ex=1`);
    const n = Number((await page.$eval('[data-testid="stage-label"]', el => el.textContent)).match(/of (\d+)/)[1]);
    let stages = 0;
    while (await page.$('input.exin')) {
      const fields = await typeStage(page);
      assert.ok(fields.length > 0);
      // the checked stage stays in view with its marks (the optimizers and the gradient check show one
      // stage at a time: the status says it)
      if (pid === 'optimizers' || pid === 'gradcheck') assert.match(await status(page), new RegExp(`Stage ${stages + 1} is right`));
      else for (const f of fields) {
        const mark = await page.$eval(`.exmark[data-key="${f.key}"]`, el => el.textContent);
        assert.match(mark, /✓ right \(checked to 6 significant digits\)/, `${pid} ${f.key}`);
      }
      stages++;
      assert.ok(stages <= n, 'no more stages than the panel has');
    }
    // stages without a value to find (the losses' table and summary) are not counted
    assert.match(await status(page), new RegExp(`Exercise done: ${stages} of ${stages} stages right at the first try, 0 hints`));
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('backprop-lab.exercises.v1')));
    assert.equal(saved.length, 1);
    assert.deepEqual(saved[0].slice(0, 5), [pid, null, stages, stages, 0]);
    assert.equal(saved[0][6], 1, 'finished');
    if (pid === 'mlp') await screenshot(page, 'exercise-mlp-done');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  if (pid !== 'gradcheck') test(`${pid}: each listed mistake's value is diagnosed as that mistake`, async t => {
    const steps = pid === 'optimizers' ? adamMistake() : pid === 'losses' ? lossSteps() : mistakeSteps(SPECS[pid]);
    const page = await open(`p=${pid}&ex=1`);
    // one row per mistake: the first field (in stage order) where the mistake gives another value
    const fields = await page.$$eval('input.exin', els => els.map(e => ({ key: e.dataset.ex, truth: Number(e.dataset.truth), stage: Number(e.dataset.stage) })));
    const where = new Map();
    for (const f of fields) for (const c of candidates(pid, f.key, f.truth, steps)) if (!where.has(c.mistake)) where.set(c.mistake, { ...f, value: c.value });
    assert.ok(where.size >= (pid === 'optimizers' ? 1 : 2), `${pid}: mistakes found: ${[...where.keys()]}`);
    for (const [mistake, f] of where) await t.test(`${mistake} at ${f.key}`, async () => {
      await open(`p=${pid}&ex=1`, { page });
      while ((await openFields(page))[0].stage < f.stage) await typeStage(page);
      await typeStage(page, (k, v) => (k === f.key ? f.value.toPrecision(6) : v.toPrecision(6)));
      const mark = await page.$eval(`.exmark[data-key="${f.key}"]`, el => el.textContent);
      assert.ok(mark.includes(STRINGS.en[`ex.m.${mistake}`]), `${pid} ${f.key} typed as "${mistake}" (${f.value}): "${mark}"`);
      assert.match(mark, /✗ not right/);
      assert.equal(await page.$eval(`input.exin[data-ex="${f.key}"]`, el => el.getAttribute('aria-invalid')), 'true');
    });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('a seeded exercise: the same URL gives the same numbers twice, other numbers than the course example', async () => {
  const numbers = async q => {
    const page = await open(q);
    assert.equal(await page.$('.url-errors'), null, `${q}: ex and seed are the page's own keys, not refused`);
    const r = await page.$$eval('.controls input[data-field]', els => els.map(e => e.value));
    const truths = (await openFields(page)).map(f => f.truth);
    await page.context().close();
    return { r, truths };
  };
  const a = await numbers('p=mlp&ex=1&seed=42'), b = await numbers('p=mlp&ex=1&seed=42'), c = await numbers('p=mlp&ex=1');
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.r, c.r);
  for (const v of a.r.filter(x => /\d/.test(x) && x !== '0.5')) assert.ok(v.replace(/^-?0?\.?0*|\./g, '').length <= 4, `short decimal: ${v}`);
  // "New exercise" puts a seed into the URL; the same URL opens it again
  const page = await open('p=chain&ex=1');
  await page.click('[data-testid="ex-new"]');
  const url = page.url(), vals = await page.$$eval('.controls input[data-field]', els => els.map(e => e.value));
  assert.match(url, /seed=\d+/);
  await page.goto(url); await page.waitForSelector('body[data-ready="1"]');
  assert.deepEqual(await page.$$eval('.controls input[data-field]', els => els.map(e => e.value)), vals);
  // a bad seed is refused in the URL banner
  await open('p=chain&ex=1&seed=abc', { page });
  assert.match(await page.$eval('.url-errors', el => el.textContent), /seed=abc/);
  await page.context().close();
});

// the drawn exercises of the four panels that had none before (web/lib/exercise-draw.js DRAW): the
// fields the draw fills (data-field keys of their controls) and, for the short-decimal check, those alone
const DRAWN = {
  graph: /^(x|W|b|t)\./, losses: /^(m[12]|truth)\./, optimizers: /^(x0|y0|adam\.(lr|beta1|beta2))$/, gradcheck: /^(x|y|W1|b1|W2|b2)\./,
};
for (const [pid, drawnKey] of Object.entries(DRAWN)) {
  test(`${pid}: a seeded URL gives the same numbers twice, other numbers than the course example, and its true values pass every stage`, async () => {
    const fieldsOf = page => page.$$eval('.controls [data-field]', els => els.map(e => [e.dataset.field, e.type === 'checkbox' ? e.checked : e.value]));
    const numbers = async q => {
      const page = await open(q);
      const r = { fields: await fieldsOf(page), truths: (await openFields(page)).map(f => f.truth) };
      await page.context().close();
      return r;
    };
    const a = await numbers(`p=${pid}&ex=1&seed=42`), b = await numbers(`p=${pid}&ex=1&seed=42`), c = await numbers(`p=${pid}&ex=1`);
    assert.deepEqual(a, b, 'the same URL, the same exercise');
    assert.notDeepEqual(a.fields, c.fields); assert.notDeepEqual(a.truths, c.truths);
    const drawn = a.fields.filter(([k]) => drawnKey.test(k));
    assert.ok(drawn.length >= 4, `${pid}: drawn fields ${drawn.map(x => x[0])}`);
    for (const [k, v] of drawn) assert.ok(/^-?\d*\.?\d+$/.test(v) && v.replace(/^-?0?\.?0*|\./g, '').length <= 4, `${pid} ${k}: short decimal ${v}`);
    // the fields not drawn are the course example's (the learning rate, the activations, d, the other optimizers ...)
    assert.deepEqual(a.fields.filter(([k]) => !drawnKey.test(k)), c.fields.filter(([k]) => !drawnKey.test(k)));
    // typing the true values (the core's, from the fields' data-truth) passes every stage of the drawn exercise
    const page = await open(`p=${pid}&ex=1&seed=42`);
    let stages = 0;
    while (await page.$('input.exin')) { await typeStage(page); stages++; assert.ok(stages <= 12); }
    assert.match(await status(page), new RegExp(`Exercise done: ${stages} of ${stages} stages right at the first try, 0 hints`));
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('backprop-lab.exercises.v1')));
    assert.deepEqual(saved[0].slice(0, 2), [pid, 42]);
    await screenshot(page, `exercise-${pid}-seeded`);
    // "New exercise" draws another seed into the link, "Course example" goes back to the course's numbers
    await page.click('[data-testid="ex-new"]');
    assert.match(page.url(), /seed=\d+/);
    assert.notDeepEqual(await fieldsOf(page), a.fields);
    await page.click('[data-testid="ex-course"]');
    assert.doesNotMatch(page.url(), /seed=/);
    assert.deepEqual(await fieldsOf(page), c.fields);
    if (pid === 'optimizers') {           // another surface keeps the drawn start and Adam's settings
      await open(`p=${pid}&ex=1&seed=42`, { page });
      await page.selectOption('select[data-field="surface"]', 'rosenbrock');
      const f = Object.fromEntries(await fieldsOf(page)), f0 = Object.fromEntries(a.fields);
      assert.deepEqual(['x0', 'y0', 'adam.lr', 'adam.beta1', 'adam.beta2'].map(k => f[k]), ['x0', 'y0', 'adam.lr', 'adam.beta1', 'adam.beta2'].map(k => f0[k]));
      assert.notEqual(f['sgd.lr'], f0['sgd.lr'], 'the other optimizers take the surface\'s course settings');
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('the index checklist shows a finished exercise and one in progress, in both languages', async () => {
  const page = await open('p=one-weight&ex=1');
  while (await page.$('input.exin')) await typeStage(page);
  await open('p=chain&ex=1', { page });
  await typeStage(page, () => '123');                  // a wrong first stage: in progress
  await page.goto(`${server.base}/web/panels.html?lang=en`);            // pagehide recorded the chain
  await page.waitForSelector('[data-testid="ex-checklist"]');
  assert.equal(await page.$eval('li[data-panel="one-weight"]', el => el.dataset.state), 'done');
  assert.match(await page.$eval('li[data-panel="one-weight"]', el => el.textContent), /done, 4 of 4 stages right at the first try/);
  assert.equal(await page.$eval('li[data-panel="chain"]', el => el.dataset.state), 'part');
  assert.equal(await page.$eval('li[data-panel="mlp"]', el => el.dataset.state), 'none');
  await page.goto(`${server.base}/web/panels.html?lang=ru`);
  await page.waitForSelector('[data-testid="ex-checklist"]');
  assert.match(await page.$eval('li[data-panel="one-weight"]', el => el.textContent), /выполнено, с первой попытки 4 из 4 этапов/);
  await screenshot(page, 'exercise-index-ru');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('axe: exercise mode clean in both languages (open fields, a diagnosis, a finished stage), Russian comma accepted', async () => {
  for (const lang of ['en', 'ru']) {
    const page = await open('p=mlp&ex=1', { lang });
    await typeStage(page, (k, v) => (lang === 'ru' ? v.toPrecision(5).replace('.', ',') : v.toPrecision(5)));
    await typeStage(page, (k, v) => String(-v));
    const v = await axeViolations(page);
    assert.equal(v.length, 0, `${lang}: ${describe(v)}`);
    const label = await page.$eval('input.exin', el => el.getAttribute('aria-label'));
    assert.match(label, lang === 'en' ? /stage 2/ : /этап 2/);
    await screenshot(page, `exercise-mlp-${lang}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
