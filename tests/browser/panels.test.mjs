// panels.test.mjs - the step-by-step panels (web/panels.html) in headless Chromium: every panel opens
// without console errors and shows the core's numbers, checked against the PyTorch fixtures and the
// course's worked examples; keyboard stepping, editing (and refusing) values, the embed view, the
// Russian switch. Screenshots go to test-artifacts/panels-*.png.
// Run: node --test tests/browser/panels.test.mjs
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, newPage, screenshot, VIEWPORTS } from './browser.mjs';
import { loadCore } from '../../web/lib/engine.js';
import { traceSteps } from '../../web/lib/spec.js';

const fixture = name => JSON.parse(fs.readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const course = fixture('course.json'), slides = fixture('slides_losses.json');
const caseOf = name => course.cases.find(c => c.name === name);

let server, browser, core;
before(async () => { server = await startServer(); browser = await launch(); core = await loadCore(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Opens a panel and waits until the core has filled it in. */
async function open(p, { lang = 'en', embed = false, viewport, locale } = {}) {
  const page = await newPage(browser, { viewport, locale });
  const q = new URLSearchParams({ p });
  if (lang) q.set('lang', lang);
  if (embed) q.set('embed', '1');
  await page.goto(`${server.base}/web/panels.html?${q}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  await page.waitForSelector('[data-key]', { state: 'attached' });
  return page;
}
/** The full value of the number shown under data-key (its value attribute). */
async function val(page, key) {
  const v = await page.$eval(`[data-key="${key}"]`, el => el.getAttribute('value'), null).catch(() => null);
  assert.ok(v != null, `no number with data-key="${key}"`);
  return Number(v);
}
/** Every number on the page at once: {data-key: value}. */
async function values(page) {
  return page.$$eval('[data-key][value]', els => Object.fromEntries(els.map(el => [el.getAttribute('data-key'), Number(el.getAttribute('value'))])));
}
function close(got, want, what, tol = 1e-5) {
  assert.ok(Math.abs(got - want) <= tol + tol * Math.abs(want), `${what}: shows ${got}, expected ${want}`);
}
async function noErrors(page, what) {
  assert.deepEqual(page.errors, [], `${what}: console errors`);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 1, `${what}: the page is ${over}px wider than the window`);
}
const stageLabel = page => page.$eval('[data-testid="stage-label"]', el => el.textContent);

test('1. one weight: dL/dw = -16, w -> 3.16, y -> 6.32; keyboard stepping; iterations match PyTorch; bad input refused', async () => {
  const page = await open('one-weight');
  assert.equal(await val(page, 'y'), 6);
  assert.equal(await val(page, 'L'), 16);
  assert.equal(await val(page, 'dLdw'), -16);
  assert.equal(await val(page, 'dLdw.course'), -16);
  close(await val(page, 'w.new'), 3.16, 'w after one step', 1e-6);
  close(await val(page, 'y.new'), 6.32, 'prediction after one step', 1e-6);
  // keyboard: stages 1..4, then the next iteration, and back
  await page.keyboard.press('Home');
  assert.match(await stageLabel(page), /Stage 1 of 4/);
  assert.equal(await page.$$eval('.frow.current', els => els.length), 1);
  assert.equal(await page.$eval('[data-key="L"]', el => getComputedStyle(el.closest('.f-res')).display), 'none', 'later results are hidden');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.match(await stageLabel(page), /Stage 4 of 4: update/);
  await screenshot(page, 'panels-one-weight-laptop');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.$eval('[data-testid="iter-label"]', el => el.dataset.iter), '2');
  const steps = caseOf('one_weight').steps;
  close(await val(page, 'w.new'), steps[1].w, 'w after two steps');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.$eval('[data-testid="iter-label"]', el => el.dataset.iter), '1');
  assert.match(await stageLabel(page), /Stage 4 of 4/);
  // Reset, then run N iterations: 19 more make 20, as in the fixture
  await page.click('[data-testid="reset"]');
  assert.equal(await page.$eval('[data-testid="iter-label"]', el => el.dataset.iter), '1');
  await page.fill('[data-field="runN"]', '19');
  await page.click('[data-testid="run"]');
  assert.equal(await page.$eval('[data-testid="iter-label"]', el => el.dataset.iter), '20');
  close(await val(page, 'w.new'), steps[19].w, 'w after 20 steps');
  assert.ok(await page.$eval('.lossfig canvas', c => c.width > 0));
  // a refused value: the reason at the field, the numbers unchanged; a good one applies at once
  await page.fill('[data-field="X"]', '2,5x');
  assert.equal(await page.getAttribute('[data-field="X"]', 'aria-invalid'), 'true');
  assert.match(await page.$eval('[data-field="X"] ~ .err', el => el.textContent), /Not a number/);
  close(await val(page, 'w.new'), steps[19].w, 'unchanged after a refused value');
  await page.fill('[data-field="lr"]', '-1');
  assert.match(await page.$eval('[data-field="lr"] ~ .err', el => el.textContent), /greater than 0/);
  await page.fill('[data-field="lr"]', '0.01');
  await page.fill('[data-field="X"]', '4');
  assert.equal(await val(page, 'y'), 12);
  assert.equal(await val(page, 'dLdw'), 4 * 2 * (12 - 10), 'dL/dw = 2 (y - Y) X with X = 4');
  await noErrors(page, 'one-weight');
  await page.context().close();
});

test('3. the 2-2-2 network: z, a, loss, every delta, dW, db and updated W, b equal PyTorch (Mazur example, biases updated)', async () => {
  const page = await open('mlp');
  // Mazur's post does not update the biases (the default, tests/browser/panels64.test.mjs); course.json's
  // torch step does, as the switch does when on
  assert.equal(await page.isChecked('[data-field="updateBiases"]'), false);
  await page.check('[data-field="updateBiases"]');
  await page.$eval('[data-field="updateBiases"]', el => el.blur());   // the keys below step the panel, not the box
  const cs = caseOf('mazur_222'), ex = cs.expect, V = await values(page);
  const got = k => { assert.ok(k in V, `no number with data-key="${k}"`); return V[k]; };
  close(got('loss'), ex.loss, 'loss');
  close(got('loss'), 0.298371109, 'Mazur loss', 1e-6);
  for (let l = 0; l < 2; l++) {
    const e = ex.layers[l], L = `l${l + 1}`;
    for (const k of ['z', 'a', 'delta']) for (let j = 0; j < 2; j++) close(got(`${L}.${k}.${j}`), e[k][0][j], `${L} ${k}[${j}]`);
    for (const k of ['dW', 'W']) for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) close(got(`${L}.${k}.${r}.${c}`), e[k][r][c], `${L} ${k}[${r}][${c}]`);
    for (const k of ['db', 'b']) for (let j = 0; j < 2; j++) close(got(`${L}.${k}.${j}`), e[k][j], `${L} ${k}[${j}]`);
  }
  close(got('l2.W.0.0'), 0.35891648, 'Mazur w5 (v11)', 1e-6);
  // the diagram lights the current stage's neurons and weights
  await page.keyboard.press('Home');
  assert.deepEqual(await page.$$eval('svg.diagram .on', els => els.map(e => e.id).sort()),
    ['d-bh1', 'd-bh2', 'd-h1', 'd-h2', 'd-w11', 'd-w12', 'd-w21', 'd-w22', 'd-x1', 'd-x2']);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.match(await stageLabel(page), /Stage 4 of 6: backward: output layer/);
  await screenshot(page, 'panels-mlp-laptop');
  // three iterations follow the PyTorch trajectory
  await page.keyboard.press('End'); await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End'); await page.keyboard.press('ArrowRight');
  assert.equal(await page.$eval('[data-testid="iter-label"]', el => el.dataset.iter), '3');
  close(await val(page, 'loss'), cs.trajectory[2].loss, 'loss before step 3');
  close(await val(page, 'l2.W.1.1'), cs.trajectory[2].layers[1].W[1][1], 'W2 after step 3');
  await noErrors(page, 'mlp');
  await page.context().close();
});

test('8. losses: classification error, squared error (with and without 1/2), MSE and cross-entropy of both models as PyTorch computes them; the slides\' error is named', async () => {
  const page = await open('losses');
  const V = await values(page);
  for (const [m, M] of slides.models.entries()) {
    const k = `m${m + 1}`;
    assert.equal(await page.$eval(`[data-key="${k}.cls"]`, el => el.getAttribute('value')), '1/3');
    close(V[`${k}.se.mean`], M.half_sse_mean_over_samples, `${k} squared error (1/2 sum, mean over samples)`);
    close(V[`${k}.sse.mean`], M.mse_mean_over_samples_of_sum_over_classes, `${k} squared error (sum over classes, mean over samples)`);
    close(V[`sum.sse.${m + 1}`], M.mse_mean_over_samples_of_sum_over_classes, `${k} sum-over-classes squared error in the comparison table`);
    close(V[`${k}.mse.mean`], M.mse_torch_mean, `${k} MSELoss`);
    close(V[`${k}.ce.mean`], M.cross_entropy_mean_ln, `${k} cross-entropy`);
    close(V[`sum.ce.${m + 1}`], M.cross_entropy_mean_ln, `${k} cross-entropy in the comparison table`);
    for (let r = 0; r < 3; r++) {
      close(V[`${k}.ce.rows.${r}`], M.per_sample_cross_entropy[r], `${k} cross-entropy of sample ${r + 1}`);
      close(V[`${k}.se.rows.${r}`], M.per_sample_sum_squared_error[r] / 2, `${k} squared error of sample ${r + 1}`);
    }
  }
  await page.keyboard.press('End');
  assert.match(await stageLabel(page), /Stage 5 of 5/);
  const text = await page.$eval('[data-stage="4"]', el => el.textContent);
  assert.match(text, /0\.38 \/ 0\.08/);
  assert.match(text, /wrong/);
  // McCaffrey's convention (sum over classes, mean over samples), computed by the core, not written in the text
  assert.equal(await page.$eval('[data-key="sum.sse.1"]', el => el.textContent), '0.8067');
  assert.equal(await page.$eval('[data-key="sum.sse.2"]', el => el.textContent), '0.34');
  const explanation = await page.$eval('[data-stage="4"] .box', el => el.textContent);
  assert.doesNotMatch(explanation, /0\.8067|0\.3400|0\.4033|0\.2689/, 'the explanation refers to the computed rows instead of repeating numbers');
  await screenshot(page, 'panels-losses-laptop');
  // an edited prediction: the core's numbers follow; a probability of 0 is refused (log 0)
  await page.fill('[data-field="m1.2.0"]', '0');
  assert.match(await page.$eval('[data-field="m1.2.0"] ~ .err', el => el.textContent), /\(0, 1\]/);
  await page.fill('[data-field="m1.2.0"]', '0.5');
  close(await val(page, 'm1.ce.rows.2'), -Math.log(Math.fround(0.5)), 'cross-entropy of the edited row', 1e-6);
  await noErrors(page, 'losses');
  await page.context().close();
});

test('2. chain x -> h -> o: forward, delta, both gradients and updates equal PyTorch', async () => {
  const page = await open('chain');
  const [A, B] = caseOf('chain').expect.layers;
  close(await val(page, 'l1.z'), A.z[0][0], 'z_h');
  close(await val(page, 'l1.a'), A.a[0][0], 'h');
  close(await val(page, 'l2.a'), B.a[0][0], 'o');
  close(await val(page, 'loss'), caseOf('chain').expect.loss, 'loss');
  close(await val(page, 'l2.delta'), B.delta[0][0], 'delta_o = o - y');
  close(await val(page, 'l2.dW'), B.dW[0][0], 'dL/dv');
  close(await val(page, 'l1.delta'), A.delta[0][0], 'delta_h');
  close(await val(page, 'l1.dW'), A.dW[0][0], 'dL/dw');
  close(await val(page, 'l2.W'), B.W[0][0], 'v after the update');
  close(await val(page, 'l1.W'), A.W[0][0], 'w after the update');
  assert.match(await page.$eval('.notes', el => el.textContent), /Formula 21/);
  // a sigmoid output: the course's factor g'(z_o) now applies, delta_o changes
  await page.selectOption('[data-field="actO"]', 'sigmoid');
  assert.ok(Math.abs(await val(page, 'l2.delta') - B.delta[0][0]) > 0.1, 'delta_o changes with a sigmoid output');
  await noErrors(page, 'chain');
  await page.context().close();
});

test('7. numerical gradient: L(w ± d), central differences and relative errors from the core for every parameter; stepping moves the detail', async () => {
  const page = await open('gradcheck');
  const rows = await page.$$eval('tr.gcrow', trs => trs.length);
  assert.equal(rows, 12);
  const V = await values(page), d = 0.001;
  for (let i = 0; i < rows; i++) {
    const num = V[`num.${i}`], ana = V[`ana.${i}`], plus = V[`plus.${i}`], minus = V[`minus.${i}`], rel = V[`rel.${i}`];
    for (const [k, v] of Object.entries({ num, ana, plus, minus, rel })) assert.ok(Number.isFinite(v), `parameter ${i}: no ${k} shown`);
    assert.ok(Math.abs(num - ana) <= 2e-4 + 1e-2 * Math.abs(ana), `parameter ${i}: numerical ${num} vs backprop ${ana}`);
    close(num, (plus - minus) / (2 * d), `parameter ${i}: (L(w+d) - L(w-d)) / 2d`, 1e-5);
    const den = Math.max(Math.abs(num), Math.abs(ana));
    close(rel, den > 0 ? Math.abs(num - ana) / den : 0, `parameter ${i}: |num - bp| / max(|num|, |bp|)`, 1e-5);
    assert.ok(rel >= 0 && rel < 1e-6, `parameter ${i}: relative error ${rel} is below 1e-6 at d = 0.001 in double precision`);
  }
  close(await val(page, 'ana.0'), caseOf('mazur_222').expect.layers[1].dW[0][0], 'backprop dL/dv11');
  close(await val(page, 'loss'), caseOf('mazur_222').expect.loss, 'the loss at the current parameters');
  assert.equal(await val(page, 'cur.ana'), await val(page, 'ana.0'));
  assert.equal(await val(page, 'cur.plus'), V['plus.0']);
  assert.equal(await val(page, 'cur.minus'), V['minus.0']);
  assert.equal(await val(page, 'cur.rel'), V['rel.0']);
  assert.ok(!(await page.$('.ph')), 'no placeholders left');
  assert.doesNotMatch(await page.$eval('main', el => el.textContent), /doubled|\(num − bp\)²/, 'no squared-difference workaround left');
  assert.match(await page.$eval('.side figure', el => el.textContent), /relative error/);
  await page.keyboard.press('ArrowRight');
  assert.equal(await val(page, 'cur.ana'), await val(page, 'ana.1'));
  assert.equal(await val(page, 'cur.rel'), V['rel.1']);
  assert.match(await stageLabel(page), /Stage 2 of 12/);
  await page.keyboard.press('Home');
  await page.fill('[data-field="d"]', '0');
  assert.equal(await page.getAttribute('[data-field="d"]', 'aria-invalid'), 'true');
  // the same check in single precision (the float32 core that trains on MNIST)
  await page.selectOption('[data-field="precision"]', 'f32');
  await page.waitForFunction(() => Number(document.querySelector('[data-key="rel.0"]')?.getAttribute('value')) > 1e-6);
  await page.fill('[data-field="d"]', '1e-6');
  const worse = Math.abs(await val(page, 'num.0') - await val(page, 'ana.0'));
  assert.ok(worse > 1e-4, `d = 1e-6 in float32 is visibly worse (${worse})`);
  assert.ok(await val(page, 'rel.0') > 1e-2, 'and so is its relative error');
  // d so small that L(w + d) and L(w - d) are the same float32 number: numerical 0, relative error 1, explained
  await page.fill('[data-field="d"]', '1e-8');
  assert.equal(await val(page, 'cur.plus'), await val(page, 'cur.minus'));
  assert.equal(await val(page, 'cur.num'), 0);
  assert.equal(await val(page, 'cur.rel'), 1);
  assert.match(await page.$eval('[data-key="cur.rel"]', el => el.closest('.frow').textContent), /same number in this precision/);
  await page.selectOption('[data-field="precision"]', 'f64');
  await page.waitForFunction(() => Number(document.querySelector('[data-key="rel.0"]')?.getAttribute('value')) < 1);
  await page.fill('[data-field="d"]', '0.001');
  assert.equal(await val(page, 'rel.0'), V['rel.0']);
  await screenshot(page, 'panels-gradcheck-laptop');
  await noErrors(page, 'gradcheck');
  await page.context().close();
});

test('5. perceptron: AND, NAND, OR truth tables with the slides\' weights; XOR by two layers; XOR learned', async () => {
  const page = await open('perceptron');
  const ys = async g => Promise.all([0, 1, 2, 3].map(i => val(page, `${g}.y.${i}`)));
  assert.deepEqual(await ys('and'), [0, 0, 0, 1]);
  assert.deepEqual(await ys('nand'), [1, 1, 1, 0]);
  assert.deepEqual(await ys('or'), [0, 1, 1, 1]);
  assert.deepEqual(await ys('xor2'), [0, 1, 1, 0]);
  close(await val(page, 'and.z.3'), 0.3, 'AND: 0.5 + 0.5 - 0.7');
  assert.ok((await page.$$eval('[data-stage="3"] td.no', els => els.length)) >= 1, 'one neuron gets some XOR row wrong');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert.match(await stageLabel(page), /Stage 6 of 6/);
  await page.click('[data-testid="train"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="learn-iter"]').textContent.includes('300'), null, { timeout: 20000 });
  const y = await ys('learn');
  assert.ok(y[0] < 0.5 && y[1] > 0.5 && y[2] > 0.5 && y[3] < 0.5, `learned XOR: ${y}`);
  await screenshot(page, 'panels-perceptron-laptop');
  await noErrors(page, 'perceptron');
  await page.context().close();
});

test('6. graph rules: u = W x, the + node passes the gradient unchanged, the dot node gives W^T delta and delta x^T', async () => {
  const page = await open('graph');
  const v = async (k, n) => Promise.all(Array.from({ length: n }, (_, i) => val(page, `${k}.${i}`)));
  const u = await v('u', 2), dz = await v('dz', 2), du = await v('du', 2), db = await v('db', 2), dx = await v('dx', 2);
  close(u[0], -0.1, 'u1'); close(u[1], 1.2, 'u2');
  assert.deepEqual(du, dz, 'dL/du = dL/dz'); assert.deepEqual(db, dz, 'dL/db = dL/dz');
  close(dx[0], 0.5 * dz[0] + 0.8 * dz[1], 'dL/dx1 = (W^T delta)_1');
  close(dx[1], -0.3 * dz[0] + 0.2 * dz[1], 'dL/dx2 = (W^T delta)_2');
  close(await val(page, 'dW.1.0'), dz[1] * 1, 'dW21 = delta2 x1');
  close(await val(page, 'dW.0.1'), dz[0] * 2, 'dW12 = delta1 x2');
  assert.ok(await page.$('svg.diagram.graph'));
  await screenshot(page, 'panels-graph-laptop');
  await noErrors(page, 'graph');
  await page.context().close();
});

/** The softmax panel's fields as a network spec (the same layout as web/panels/p-softmax.js). */
async function softmaxSpec(page) {
  const F = await page.$$eval('[data-field]', els => Object.fromEntries(els.map(el => [el.getAttribute('data-field'), el.value])));
  const vec = (k, n) => Array.from({ length: n }, (_, j) => Number(F[`${k}.0.${j}`]));
  const mat = (k, r, c) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => Number(F[`${k}.${i}.${j}`])));
  return { fields: F, spec: { layers: [4, 3, 3], activations: [F.act, 'softmax'], loss: 'cross_entropy',
    weights: [mat('W1', 3, 4), mat('W2', 3, 3)], biases: [vec('b1', 3), vec('b2', 3)], input: [vec('x', 4)],
    target: [[0, 1, 2].map(k => (k === Number(F.cls) ? 1 : 0))], optimizer: { name: 'sgd', lr: Number(F.lr) } } };
}
/** The Jacobian shown equals diag(a) - a a^T computed here from the softmax outputs shown. */
function checkJacobian(V, what) {
  const a = [0, 1, 2].map(i => V[`l2.a.${i}`]);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    assert.ok(`J.${i}.${j}` in V, `${what}: no Jacobian entry J.${i}.${j}`);
    close(V[`J.${i}.${j}`], (i === j ? a[i] : 0) - a[i] * a[j], `${what}: J[${i}][${j}] = a_i (1[i=j] - a_j)`, 1e-6);
  }
}
/** Every number of the panel against a trace {loss, layers: [A, B]} (a PyTorch fixture or the core in Node). */
function checkSoftmax(V, ex, what, tol = 1e-5) {
  const [A, B] = ex.layers;
  close(V.loss, ex.loss, `${what}: loss`, tol);
  for (let i = 0; i < 3; i++) {
    close(V[`l1.z.${i}`], A.z[0][i], `${what}: z1 ${i}`, tol);
    close(V[`l1.a.${i}`], A.a[0][i], `${what}: a1 ${i}`, tol);
    close(V[`l2.z.${i}`], B.z[0][i], `${what}: z2 ${i}`, tol);
    close(V[`l2.a.${i}`], B.a[0][i], `${what}: y_hat ${i}`, tol);
    close(V[`l2.delta.${i}`], B.delta[0][i], `${what}: delta2 ${i}`, tol);
    close(V[`l1.delta.${i}`], A.delta[0][i], `${what}: delta1 ${i}`, tol);
    close(V[`l2.db.${i}`], B.db[i], `${what}: db2 ${i}`, tol);
    close(V[`l1.b.${i}`], A.b[i], `${what}: b1 after the update ${i}`, tol);
    for (let j = 0; j < 3; j++) {
      close(V[`l2.dW.${i}.${j}`], B.dW[i][j], `${what}: dW2 ${i},${j}`, tol);
      close(V[`l2.W.${i}.${j}`], B.W[i][j], `${what}: W2 after the update ${i},${j}`, tol);
    }
    for (let j = 0; j < 4; j++) {
      close(V[`l1.dW.${i}.${j}`], A.dW[i][j], `${what}: dW1 ${i},${j}`, tol);
      close(V[`l1.W.${i}.${j}`], A.W[i][j], `${what}: W1 after the update ${i},${j}`, tol);
    }
  }
}

test('4. softmax + cross-entropy: round defaults; the Jacobian is diag(y_hat) - y_hat y_hat^T; with the test example typed in, every value equals PyTorch', async () => {
  const page = await open('softmax');
  // the defaults are round (at most one decimal); the page shows for them what the core gives in this process
  const { fields, spec } = await softmaxSpec(page);
  for (const [k, v] of Object.entries(fields))
    if (/^(x|W1|b1|W2|b2)\./.test(k)) assert.match(v, /^-?\d+(\.\d)?$/, `default ${k} = ${v} is a round number`);
  let V = await values(page);
  checkSoftmax(V, traceSteps(core, spec, 1)[0], 'round defaults', 1e-6);
  checkJacobian(V, 'round defaults');
  await page.keyboard.press('Home');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.match(await stageLabel(page), /Stage 4 of 9: the softmax Jacobian/);
  assert.ok(!(await page.$('.ph')), 'no placeholders left');
  assert.match(await page.$eval('.fsec.current', el => el.textContent), /diag/);
  await screenshot(page, 'panels-softmax-laptop');
  // the PyTorch-checked example (tests/fixtures/course.json softmax_ce_2layer) typed into the fields
  const cs = caseOf('softmax_ce_2layer'), S = cs.spec;
  assert.deepEqual([S.layers, S.activations, S.loss, S.optimizer], [[4, 3, 3], ['sigmoid', 'softmax'], 'cross_entropy', { name: 'sgd', lr: 0.1 }]);
  const typed = {};
  S.input[0].forEach((v, j) => { typed[`x.0.${j}`] = v; });
  for (const [l, W] of S.weights.entries()) W.forEach((row, i) => row.forEach((v, j) => { typed[`W${l + 1}.${i}.${j}`] = v; }));
  for (const [l, b] of S.biases.entries()) b.forEach((v, j) => { typed[`b${l + 1}.0.${j}`] = v; });
  assert.equal(Object.keys(typed).length, 4 + 12 + 9 + 3 + 3);
  await page.evaluate(typed => {
    for (const [k, v] of Object.entries(typed)) {
      const el = document.querySelector(`[data-field="${k}"]`);
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, typed);
  assert.equal(await page.$$eval('[data-field][aria-invalid="true"]', els => els.length), 0, 'every typed value accepted');
  assert.equal(await page.$eval('[data-field="cls"]', el => el.value), String(S.target[0].indexOf(1)));
  V = await values(page);
  checkSoftmax(V, cs.expect, 'PyTorch example');
  checkJacobian(V, 'PyTorch example');
  await noErrors(page, 'softmax');
  await page.context().close();
});

test('9. optimizers: each step\'s numbers from the core (SGD, Momentum, Adam at step 1), all surfaces draw', async () => {
  const page = await open('optimizers');
  // quadratic f = (x^2 + 10 y^2)/2 from (-4.5, 2): g = (-4.5, 20)
  close(await val(page, 'sgd.g.0'), -4.5, 'g_x'); close(await val(page, 'sgd.g.1'), 20, 'g_y');
  close(await val(page, 'sgd.theta.0'), -4.5 + 0.15 * 4.5, 'SGD x1', 1e-6);
  close(await val(page, 'sgd.theta.1'), 2 - 0.15 * 20, 'SGD y1', 1e-6);
  close(await val(page, 'momentum.v.1'), 0.01 * 20, 'momentum v1 = eta g');
  close(await val(page, 'adam.m_hat.1'), 20, 'Adam m_hat1 = g', 1e-5);
  close(await val(page, 'adam.v_hat.1'), 400, 'Adam v_hat1 = g^2', 1e-5);
  close(await val(page, 'adam.step.0'), 0.3, 'Adam\'s first step is -lr sign(g)', 1e-5);
  await page.keyboard.press('ArrowRight');
  assert.match(await stageLabel(page), /Stage 2 of 60/);
  close(await val(page, 'sgd.theta0.0'), -4.5 + 0.15 * 4.5, 'step 2 starts where step 1 ended', 1e-6);
  await screenshot(page, 'panels-optimizers-laptop');
  for (const s of ['rosenbrock', 'saddle']) {
    await page.selectOption('[data-field="surface"]', s);
    assert.ok((await page.$$('.opcard')).length === 6, `${s}: six cards`);
  }
  await noErrors(page, 'optimizers');
  await page.context().close();
});

test('embed view, Russian, the language from the browser, the index; tablet screenshots', async () => {
  let page = await open('one-weight', { embed: true });
  assert.equal(await page.$eval('#shell', el => getComputedStyle(el).display), 'none', 'no header when embedded');
  assert.equal(await page.$eval('#nav', el => getComputedStyle(el.parentElement).display), 'none', 'no navigation between panels when embedded');
  assert.equal(await val(page, 'dLdw'), -16);
  await screenshot(page, 'panels-one-weight-embed');
  await noErrors(page, 'embed');
  await page.context().close();

  page = await open('mlp', { lang: 'ru' });
  assert.equal(await page.$eval('html', el => el.lang), 'ru');
  assert.match(await page.$eval('h2', el => el.textContent), /Один скрытый слой/);
  assert.match(await stageLabel(page), /Этап 1 из 6/);
  await page.fill('[data-field="lr"]', 'abc');
  assert.match(await page.$eval('[data-field="lr"] ~ .err', el => el.textContent), /Это не число/);
  await page.fill('[data-field="lr"]', '0,5');
  close(await val(page, 'l2.W.0.0'), 0.35891648, 'comma decimal accepted', 1e-6);
  await screenshot(page, 'panels-mlp-ru');
  await page.selectOption('#lang', 'en');
  assert.match(await page.$eval('h2', el => el.textContent), /One hidden layer/);
  assert.match(page.url(), /lang=en/);
  close(await val(page, 'l2.W.0.0'), 0.35891648, 'numbers kept after the switch', 1e-6);
  await noErrors(page, 'ru');
  await page.context().close();

  page = await open('losses', { lang: null, locale: 'ru-RU' });
  assert.equal(await page.$eval('html', el => el.lang), 'ru', 'navigator.language ru-RU gives Russian');
  // the reader's switch is saved: the next page opened without ?lang keeps it over the browser's language
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.goto(`${server.base}/web/bench.html`);
  assert.equal(await page.$eval('html', el => el.lang), 'en', 'the saved choice comes before navigator.languages');
  assert.equal(await page.$eval('#lang', el => el.value), 'en');
  await page.context().close();

  page = await newPage(browser);
  await page.goto(`${server.base}/web/panels.html?lang=en`);
  assert.equal(await page.$$eval('.cards li a', as => as.length), 9);
  await noErrors(page, 'index');
  await page.context().close();

  for (const p of ['mlp', 'optimizers', 'softmax', 'gradcheck', 'losses']) {
    page = await open(p, { viewport: VIEWPORTS.tablet });
    await screenshot(page, `panels-${p}-tablet`);
    await noErrors(page, `${p} tablet`);
    await page.context().close();
  }
});
