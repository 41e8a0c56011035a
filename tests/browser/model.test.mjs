// model.test.mjs - model files and "Open in PyTorch" in headless Chromium. The training page: a run
// saved after one epoch, the page reloaded with other settings, the file loaded and trained one more
// epoch, gives the same model file (every weight, optimizer moment, the RNG, the position) and the same
// test accuracy as two epochs never interrupted; the form shows the loaded settings; a truncated file
// and a foreign JSON each get their message in the page's language, and the run before stays. The
// code dialog of the training page and of a panel: labelled, focus inside, Escape closes; its text is
// the generator's own output (the command line's export-pytorch for the training page, the panel's
// generator in Node for the panel); Copy puts it on the clipboard and Download saves the .py, which
// /usr/bin/python3 runs to print the panel's own numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, launch, newPage, screenshot } from './browser.mjs';

const BIN = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-model-'));
let server, browser, base;
before(async () => { server = await startServer(); base = server.base; browser = await launch(); });
after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

const RUN = '?hidden=16&batch=100';      // a small network: an epoch of the subset takes well under a second

async function open(query, opts = {}) {
  const page = await newPage(browser, opts);
  await page.goto(`${base}/web/${query}`);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  return page;
}
/** One epoch by the Epoch button; resolves when the page shows its result. */
async function epoch(page, n) {
  await page.click('#btn-epoch');
  await page.waitForFunction(e => document.querySelector('#status').dataset.phase === 'paused' && document.querySelector('#final-acc').dataset.value !== ''
    && document.querySelector('#final-after').textContent.includes(String(e)), n, { timeout: 60000 });
}
async function save(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#btn-save')]);
  const file = path.join(tmp, name);
  await dl.saveAs(file);
  return { file, suggested: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}
async function load(page, file) {
  const [fc] = await Promise.all([page.waitForEvent('filechooser'), page.click('#btn-load')]);
  await fc.setFiles(file);
}
// the page's real console errors (the server has no full MNIST file: its HEAD request is a 404 by design)
const realErrors = page => page.errors.filter(e => !/404 \(Not Found\)/.test(e));

test('save after one epoch, reload, load, one more epoch: the same model file and accuracy as two epochs in one go', async () => {
  const a = await open(RUN);
  await epoch(a, 1);
  const one = await save(a, 'one.json');
  assert.match(one.suggested, /^backprop-lab-784-16-10-it120\.json$/);
  assert.match(await a.textContent('#model-status'), /Saved backprop-lab-784-16-10-it120\.json/);
  await a.context().close();

  const b = await open('?hidden=64&optimizer=sgd');              // other settings: the file brings its own
  await load(b, one.file);
  await b.waitForSelector('#status[data-phase="paused"]', { timeout: 30000 });
  assert.match(await b.textContent('#model-status'), /Loaded one\.json: epoch 1, iteration 120/);
  assert.equal(await b.inputValue('#settings-form input[id*="width"], #settings-form .layer-row input'), '16', 'the form shows the loaded width');
  assert.match(b.url(), /hidden=16/, 'and the URL the loaded settings');
  assert.match(b.url(), /batch=100/);
  assert.doesNotMatch(b.url(), /optimizer=sgd/);
  assert.match(await b.textContent('#p-iter'), /120/, 'the progress row continues at iteration 120');
  await b.click('#pad-sample');                                  // the drawing pad answers with the loaded network
  await b.waitForFunction(() => /[0-9]/.test(document.querySelector('#draw-answer').textContent), null, { timeout: 15000 });
  await epoch(b, 2);
  const continued = await save(b, 'continued.json');
  const accB = await b.getAttribute('#final-acc', 'data-value');
  assert.deepEqual(realErrors(b), []);
  await b.context().close();

  const c = await open(RUN);
  await epoch(c, 1);
  await epoch(c, 2);
  const straight = await save(c, 'straight.json');
  const accC = await c.getAttribute('#final-acc', 'data-value');
  await c.context().close();
  const m1 = JSON.parse(continued.text), m2 = JSON.parse(straight.text);
  assert.equal(m1.training.iteration, 240);
  assert.deepEqual(m1.tensors, m2.tensors, 'every weight and optimizer moment, bit for bit (base64 of the float32 bytes)');
  assert.deepEqual(m1.rng, m2.rng);
  assert.equal(continued.text, straight.text, 'the whole file');
  assert.equal(accB, accC, 'the same test accuracy');
});

test('a truncated file, a foreign JSON, a newer version, another architecture: each its message, in English and Russian; the run before stays', async () => {
  const good = path.join(tmp, 'cli-model.json');      // a model file written by the command line
  execFileSync(BIN, ['train', '--layers', '784,16,10', '--batch', '100', '--iterations', '3', '--save', good], { stdio: 'pipe' });
  const cut = path.join(tmp, 'cut.json'), foreign = path.join(tmp, 'package.json');
  const text = fs.readFileSync(good, 'utf8');
  fs.writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
  fs.writeFileSync(foreign, JSON.stringify({ name: 'something', version: '1.0.0' }));
  const newer = path.join(tmp, 'newer.json'), other = path.join(tmp, 'other.json');
  fs.writeFileSync(newer, JSON.stringify({ ...JSON.parse(text), version: 2 }));
  const o = JSON.parse(text);
  o.network.layers[0] = 100;                                 // a network for 100 inputs
  fs.writeFileSync(other, JSON.stringify(o));
  for (const [lang, want, files] of [['en', [/cut\.json is cut off/, /package\.json is JSON, but not a Backprop Lab model file/,
    /newer\.json was saved by a newer Backprop Lab \(format version 2\)/, /other\.json is a network for other data .*784 inputs/], [cut, foreign, newer, other]],
  ['ru', [/cut\.json обрезан/, /package\.json — JSON, но не файл модели Backprop Lab/], [cut, foreign]]]) {
    const page = await open(`${RUN}&lang=${lang}`);
    for (const [i, f] of files.entries()) {
      await load(page, f);
      await page.waitForSelector('#message:not([hidden])', { timeout: 15000 });
      assert.match(await page.textContent('#message'), want[i]);
      assert.equal(await page.getAttribute('#status', 'data-phase'), 'ready', 'the run before is still there');
      await epoch(page, 1);                        // and trains
      await page.click('#btn-reset');
      await page.waitForSelector('#status[data-phase="ready"]');
    }
    if (lang === 'ru') await screenshot(page, 'model-foreign-ru');
    assert.deepEqual(realErrors(page), []);
    await page.context().close();
  }
});

/** The dialog's checks: labelled by its title, modal, focus inside; Copy (clipboard), Download; Escape closes. */
async function checkDialog(page, { file, script }) {
  await page.waitForSelector('dialog[open] pre[data-script="ready"]', { timeout: 30000 });
  const dlg = page.locator('dialog[open]');
  const title = await page.evaluate(() => { const d = document.querySelector('dialog[open]'); return document.getElementById(d.getAttribute('aria-labelledby')).textContent; });
  assert.equal(title, `In PyTorch: ${file}`);
  assert.ok(await page.evaluate(() => document.querySelector('dialog[open]').contains(document.activeElement)), 'focus is in the dialog');
  assert.equal(await dlg.locator('pre').textContent(), script, 'the dialog shows the generator\'s script');
  assert.ok(await dlg.locator('pre .py-keyword').count() > 3 && await dlg.locator('pre .py-comment').count() > 3, 'highlighted');
  await dlg.locator('[data-testid="code-copy"]').click();
  await page.waitForFunction(() => /Copied/.test(document.querySelector('dialog[open] .code-status').textContent));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), script, 'Copy puts the script on the clipboard');
  const [dl] = await Promise.all([page.waitForEvent('download'), dlg.locator('[data-testid="code-download"]').click()]);
  assert.equal(dl.suggestedFilename(), file);
  const saved = path.join(tmp, `dl-${file}`);
  await dl.saveAs(saved);
  assert.equal(fs.readFileSync(saved, 'utf8'), script, 'Download saves the script');
  for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.querySelector('dialog[open]').contains(document.activeElement)), 'Tab stays in the dialog');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog'));
  return saved;
}

test('training page: Open in PyTorch shows export-pytorch\'s script for the run; the .zip holds it with the model and the data', async () => {
  const page = await open(RUN);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await epoch(page, 1);
  const model = await save(page, 'for-torch.json');
  await page.click('#btn-pytorch');
  const outDir = path.join(tmp, 'cli');
  execFileSync(BIN, ['export-pytorch', '--model', model.file, '--steps', '20', '--out', outDir], { stdio: 'pipe' });
  const script = fs.readFileSync(path.join(outDir, 'train.py'), 'utf8');
  await page.waitForSelector('dialog[open] pre[data-script="ready"]', { timeout: 30000 });
  await screenshot(page, 'model-dialog-training');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('dialog[open] [data-testid^="code-extra-"]').click()]);
  assert.equal(dl.suggestedFilename(), 'backprop-lab-784-16-10-it120.zip');
  const zip = path.join(tmp, 'run.zip');
  await dl.saveAs(zip);
  const list = spawnSync('/usr/bin/python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(" ".join(z.namelist())); sys.stdout.write(z.read("train.py").decode())', zip], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const [names, ...rest] = list.stdout.split('\n');
  assert.equal(names, 'train.py model.json train_x.npy train_y.npy order.npy');
  assert.equal(rest.join('\n'), script, 'the zip\'s train.py is the command line\'s');
  await checkDialog(page, { file: 'train.py', script });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-pytorch', 'focus back on the button');
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('panel: the dialog shows the panel\'s generator output; the downloaded script prints the panel\'s shown numbers', async () => {
  const page = await newPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.goto(`${base}/web/panels.html?p=one-weight&lang=en`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.click('[data-testid="pytorch"]');
  // the generator, in Node, on the panel's default example
  const { toyScript } = await import('../../web/lib/pytorch-script.js');
  const { OPTIMIZER_DEFAULTS, loadCore } = await import('../../web/lib/engine.js');
  const P = (await import('../../web/panels/p-one-weight.js')).default;
  const core = await loadCore({ flavor: 'simd' });
  const p = Object.create(P.prototype);
  p.p = p.defaults();
  const script = toyScript(p.spec(), { lang: 'en', defaults: OPTIMIZER_DEFAULTS, version: core.version, file: 'one-weight.py' });
  await page.waitForSelector('dialog[open] pre[data-script="ready"]', { timeout: 30000 });
  await screenshot(page, 'model-dialog-panel');
  const saved = await checkDialog(page, { file: 'one-weight.py', script });
  const r = spawnSync('/usr/bin/python3', [saved], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const printed = new Map(r.stdout.trim().split('\n').map(l => [l.slice(0, l.indexOf(' ')), [JSON.parse(l.slice(l.indexOf(' ') + 1))].flat(Infinity)]));
  // the numbers the panel shows (the core's float32, in each value's `value` attribute) by their data-key,
  // beside the keys the script prints for them: y = a1, L = the loss, dL/dw = dW1, the new w = W1
  const shown = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('data[data-key]')].map(e => [e.dataset.key, Number(e.value)])));
  for (const [key, py] of [['y', 'l1.a'], ['L', 'loss'], ['dLdw', 'l1.dW'], ['w.new', 'l1.W']]) {
    assert.ok(key in shown, `the panel shows ${key} (it shows ${Object.keys(shown).join(', ')})`);
    const want = shown[key], got = printed.get(py)[0];
    assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want), `${key}: the panel ${want}, PyTorch ${got}`);
  }
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('experiment run: its PyTorch script from the run table, run by /usr/bin/python3, prints the run\'s first 20 losses', async () => {
  const page = await newPage(browser);
  await page.goto(`${base}/web/experiments.html?opt=adam&lr=0.01&batch=64&epochs=1&lang=en`);
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experimentStatus === 'done' && window.__experiment.results.length === 1, null, { timeout: 120000, polling: 200 });
  const losses = await page.evaluate(() => window.__experiment.results[0].losses.slice(0, 20));
  await page.evaluate(() => { location.hash = 'results'; });
  await page.waitForSelector('[data-testid="runs-table"]');
  const button = page.locator('[data-testid="runs-table"] tbody tr button.code-open');
  assert.match(await button.getAttribute('aria-label'), /^Open the run Adam, .* in PyTorch$/);
  await button.click();
  await page.waitForSelector('dialog[open] pre[data-script="ready"]', { timeout: 60000 });
  await screenshot(page, 'model-dialog-experiment');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('dialog[open] [data-testid^="code-extra-"]').click()]);
  const dir = path.join(tmp, 'exp');
  fs.mkdirSync(dir);
  const zip = path.join(dir, 'run.zip');
  await dl.saveAs(zip);
  const un = spawnSync('/usr/bin/python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, dir], { encoding: 'utf8' });
  assert.equal(un.status, 0, un.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), await page.locator('dialog[open] pre').textContent());
  const r = spawnSync('/usr/bin/python3', [path.join(dir, 'train.py')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = r.stdout.trim().split('\n').map(l => l.split(' ').map(Number));
  assert.deepEqual(got.map(g => g[0]), losses.map((_, i) => i + 1), 'iterations 1..20');
  // float32 on both sides, sums in other orders: pytorch-script.test.mjs's bound (1e-5 relative)
  got.forEach(([it, loss]) => assert.ok(Math.abs(loss - losses[it - 1]) <= 1e-5 * Math.abs(losses[it - 1]), `iteration ${it}: PyTorch ${loss}, the lab ${losses[it - 1]}`));
  await page.keyboard.press('Escape');
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});
