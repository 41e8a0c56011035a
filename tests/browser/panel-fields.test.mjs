// panel-fields.test.mjs - issue #13: a panel's field values from the URL (one key per field, the key
// hide and lock take). Proves: a URL with field values shows the panel with those numbers (every value
// of `bin/backprop-lab trace` for the same network, the core's double-precision build, is on the page;
// the optimizers' first step equals tests/fixtures/panels64.json's torch.float64 path); an edit goes
// into the address and the "Use in a course" link reopens the author's numbers in a fresh context;
// a refused value or an unknown key shows the URL banner in the page's language, the field keeping
// its default; the host API's getState gives the fields and setState sets them, checked the same way.
// Run: node --test tests/browser/panel-fields.test.mjs
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, launch, newPage } from './browser.mjs';
import { STRINGS } from '../../web/panels/strings.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIX = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/panels64.json'), 'utf8'));

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(query, page = null) {
  page ??= await newPage(browser);
  await page.goto(`${server.base}/web/panels.html?${query}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  return page;
}
/** The full value of every number on the panel, by data-key. */
const shownValues = page => page.$$eval('main data[value]', els => els.map(e => [e.dataset.key, e.getAttribute('value')]));
const field = (page, k) => page.$eval(`[data-field="${k}"]`, el => (el.type === 'checkbox' ? el.checked : el.value));

/** `bin/backprop-lab trace` (f64) of a spec: every number of the step. */
function trace(spec) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-fields-')), file = path.join(dir, 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/backprop-lab'), 'trace', file], { encoding: 'utf8' }));
}

test('one-weight: ?X=1.5&Y=-2&w=0.7&lr=0.05&act=tanh shows those fields and every number of the core\'s trace for that network', async () => {
  const page = await open('p=one-weight&lang=en&X=1.5&Y=-2&w=0.7&lr=0.05&act=tanh');
  assert.deepEqual(await Promise.all(['X', 'Y', 'w', 'lr', 'act'].map(k => field(page, k))), ['1.5', '-2', '0.7', '0.05', 'tanh']);
  const tr = trace({ layers: [1, 1], activations: ['tanh'], loss: 'mse', weights: [[[0.7]]], biases: [null], input: [[1.5]], target: [[-2]], optimizer: { name: 'sgd', lr: 0.05 } });
  const L = tr.layers[0], shown = new Set((await shownValues(page)).map(([, v]) => v));
  const want = { loss: tr.loss, z: L.z[0][0], y: L.a[0][0], 'dL/dz': L.delta[0][0], 'dL/dw': L.dW[0][0], 'w after': L.W[0][0] };
  for (const [what, v] of Object.entries(want)) assert.ok(shown.has(String(v)), `${what} = ${v} (bin/backprop-lab trace) is on the page`);
  assert.equal(await page.$('.url-errors'), null, 'no URL banner');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('optimizers: ?surface=rosenbrock&n=100&sgd.lr=0.001&adam.lr=0.05&nesterov.on=0 shows torch.float64\'s first step (panels64.json) and no Nesterov', async () => {
  const page = await open('p=optimizers&lang=en&sgd.lr=0.001&adam.lr=0.05&surface=rosenbrock&n=100&nesterov.on=0');
  assert.deepEqual(await Promise.all(['surface', 'n', 'sgd.lr', 'adam.lr', 'nesterov.on'].map(k => field(page, k))), ['rosenbrock', '100', '0.001', '0.05', false]);
  const c = FIX.optimizers[2], shown = new Map(await shownValues(page));
  assert.equal(shown.has('nesterov.theta'), false, 'Nesterov is off');
  for (const o of ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam']) {
    const r = c.paths[o][0];
    r.next.forEach((v, i) => { const got = Number(shown.get(`${o}.theta.${i}`)); assert.ok(Math.abs(got - v) <= 1e-12 * Math.abs(v), `${o} theta_1[${i}]: ${got} vs torch.float64 ${v}`); });
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an edit goes into the address; the builder\'s link reopens the same fields and numbers in a fresh context', async () => {
  const page = await open('p=mlp&lang=en');
  await page.fill('[data-field="W1.0.1"]', '-0.35');
  await page.fill('[data-field="x.0.0"]', '0.3');
  await page.fill('[data-field="lr"]', '0.05');
  const q = new URL(await page.evaluate(() => location.href)).searchParams;
  assert.deepEqual([q.get('W1.0.1'), q.get('x.0.0'), q.get('lr'), q.has('W1.0.0')], ['-0.35', '0.3', '0.05', false], 'changed fields in the address, unchanged ones not');
  const numbers = await shownValues(page);
  await page.click('#course-open');
  await page.check('#b-lock-lr');
  const link = await page.inputValue('#b-link');
  await page.context().close();
  const fresh = await open(new URL(link).search.slice(1));
  assert.deepEqual(await Promise.all(['W1.0.1', 'x.0.0', 'lr'].map(k => field(fresh, k))), ['-0.35', '0.3', '0.05']);
  assert.deepEqual(await shownValues(fresh), numbers, 'every number as the author saw it');
  assert.equal(await fresh.isDisabled('[data-field="lr"]'), true, 'lr locked');
  assert.deepEqual(fresh.errors, []);
  await fresh.context().close();
});

test('a refused value or an unknown key shows the URL banner in the page\'s language; the field keeps its default', async () => {
  const ru = STRINGS.ru;
  const page = await open('p=one-weight&lang=ru&lr=-1&w=abc&Q=3&X=4');
  const items = await page.$$eval('.url-errors li', els => els.map(e => e.textContent));
  assert.equal(items.length, 3, items.join(' | '));
  assert.ok(items[0].startsWith('lr=-1: ') && items[0].includes(ru['err.lrPos']), items[0]);
  assert.ok(items[1].startsWith('w=abc: ') && items[1].includes(ru['err.nan']), items[1]);
  assert.ok(items[2].startsWith('Q=3: ') && items[2].includes(ru['url.unknownKey'].split(' (')[0]), items[2]);
  assert.deepEqual(await Promise.all(['lr', 'w', 'X'].map(k => field(page, k))), ['0.01', '3', '4'], 'refused values are not used; good ones are');
  await page.context().close();
});

test('host API: getState gives the fields by key; setState({fields}) sets them with the fields\' checks', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.base}/web/index.html?lang=en`);      // any page of the site as the host
  await page.evaluate(src => new Promise(res => {
    window.msgs = [];
    addEventListener('message', e => { if (e.data?.protocol === 'backprop-lab') window.msgs.push(e.data); });
    const f = document.createElement('iframe');
    f.src = src; f.id = 'lab'; f.onload = res;
    document.body.append(f);
  }), `${server.base}/web/panels.html?p=chain&lang=en&embed=1&x=0.8`);
  await page.waitForFunction(() => window.msgs.some(m => m.type === 'ready'), null, { timeout: 15000 });
  const call = (type, extra = {}) => page.evaluate(([type, extra]) => new Promise(res => {
    const id = Math.random();
    addEventListener('message', function on(e) { if (e.data?.type === 'reply' && e.data.id === id) { removeEventListener('message', on); res(e.data); } });
    document.getElementById('lab').contentWindow.postMessage({ protocol: 'backprop-lab', version: 1, type, id, ...extra }, '*');
  }), [type, extra]);
  const s0 = await call('getState');
  assert.equal(s0.result.fields.x, '0.8');
  const s1 = await call('setState', { state: { fields: { w: '-0.8', y: 0.3 } } });
  assert.equal(s1.ok, true, JSON.stringify(s1));
  assert.deepEqual([s1.result.fields.w, s1.result.fields.y, s1.result.fields.x], ['-0.8', '0.3', '0.8']);
  const bad = await call('setState', { state: { fields: { lr: 0 } } });
  assert.equal(bad.ok, false);
  assert.match(bad.error.message ?? String(bad.error), /lr=0/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('no panel has a field whose key is one of the page\'s own URL keys (p, lang, stage, hide ...)', async () => {
  const { PANEL_PAGE_KEYS } = await import('../../web/lib/settings.js');
  const page = await newPage(browser);
  for (const p of ['one-weight', 'chain', 'mlp', 'softmax', 'perceptron', 'graph', 'gradcheck', 'losses', 'optimizers']) {
    await open(`p=${p}&lang=en`, page);
    const keys = await page.$$eval('main [data-field]', els => els.map(e => e.dataset.field));
    assert.ok(keys.length > 0, p);
    assert.deepEqual(keys.filter(k => PANEL_PAGE_KEYS.includes(k)), [], p);
  }
  await page.context().close();
});
