// tests/browser/scorm.test.mjs - reporting to a course (issue #14) against a real SCORM 1.2 runtime:
// scorm-again's Scorm12API (its dist file from npm) is window.API of a host page that iframes the
// launch page of the package scripts/scorm.mjs made (manifest href + parameters, unzipped and served
// from the same origin, as an LMS serves a package). The exercise results come through the store
// seam (web/ui/progress.js in the frame) until the exercise UI lands. What it proves:
//   - LMSInitialize, then each kept result writes cmi.core.score.raw (the mean of the package's two
//     exercises: 0.8 and 1.0 -> 40 with one done, 90 with both; lib/scorm-cmi.js) and lesson_status
//     ('incomplete' with one of two passed, 'passed' with both), suspend_data and session_time;
//   - every session_time written is HHHH:MM:SS.SS; leaving the page calls LMSFinish (scorm-again: terminated);
//   - a new LMS session holding the old CMI data (loadFromJSON, browser storage cleared) restores the
//     results from suspend_data into the store;
//   - xAPI `statement` events reach the host page with the result's score (raw 80 for 4 of 5 at
//     first try, verb completed) and the actor the host set with setState (a bad one refused);
//   - a launch with an unknown exercise, a bad actor or activity shows the refusals in the status
//     line; one on a panel shows no URL banner, and the panel links keep the launch keys;
//   - no console error anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';
import { createServer } from '../../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCORM_AGAIN = path.join(ROOT, 'node_modules/scorm-again/dist/scorm12.js');
const HOST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,">
<script src="/scorm-again/scorm12.js"></script>
<script>
window.statements = [];
window.replies = [];
addEventListener('message', e => {
  if (!e.data || e.data.protocol !== 'backprop-lab') return;
  if (e.data.type === 'statement') statements.push(e.data.statement);
  if (e.data.type === 'reply') replies.push(e.data);
});
window.send = (type, id, state) => document.getElementById('f').contentWindow.postMessage({ protocol: 'backprop-lab', version: 1, type, id, state }, '*');
</script></head><body><iframe id="f" title="SCO" width="1000" height="700"></iframe></body></html>`;

let server, browser, dir, launchUrl;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorm-test-'));
  execFileSync('node', [path.join(ROOT, 'scripts/scorm.mjs'), '--exercises', 'mlp,softmax', '--out', path.join(dir, 'p.zip')]);
  execFileSync('unzip', ['-q', path.join(dir, 'p.zip'), '-d', path.join(dir, 'pkg')]);
  const manifest = fs.readFileSync(path.join(dir, 'pkg/imsmanifest.xml'), 'utf8');
  const href = manifest.match(/<resource [^>]*href="([^"]+)"/)[1];
  const params = manifest.match(/<item [^>]*parameters="([^"]+)"/)[1].replace(/&amp;/g, '&');
  launchUrl = `/${href}${params}`;
  const pkg = createServer({ root: path.join(dir, 'pkg') }).listeners('request')[0];
  server = http.createServer((req, res) => {
    if (req.url === '/host.html') { res.setHeader('content-type', 'text/html; charset=utf-8'); res.end(HOST); return; }
    if (req.url === '/scorm-again/scorm12.js') { res.setHeader('content-type', 'text/javascript'); res.end(fs.readFileSync(SCORM_AGAIN)); return; }
    pkg(req, res);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) { server.closeAllConnections(); server.close(); }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const R = o => ({ seed: null, stages: 5, firstTry: 4, hints: 1, seconds: 120, finished: true, ...o });

async function hostPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', m => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', e => page.errors.push(String(e)));
  page.on('response', r => { if (r.status() >= 400) page.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(`http://127.0.0.1:${server.address().port}/host.html`);
  return page;
}
/** Starts an LMS session (a fresh Scorm12API with `cmi` loaded) and launches the SCO in the frame. */
async function session(page, cmi = null, url = launchUrl) {
  await page.evaluate(({ cmi }) => {
    window.API = new window.Scorm12API({ autocommit: false });
    if (cmi) window.API.loadFromJSON(cmi);
    // every call the SCO makes that writes, kept in order: [name, element, value]
    window.calls = [];
    for (const f of ['LMSInitialize', 'LMSSetValue', 'LMSCommit', 'LMSFinish']) {
      const real = window.API[f].bind(window.API);
      window.API[f] = (...a) => { window.calls.push([f, ...a]); return real(...a); };
    }
  }, { cmi });
  await page.evaluate(u => { document.getElementById('f').src = u; }, url);
  const frame = page.frameLocator('#f');
  await frame.locator('#lms-status:not([hidden])').waitFor({ timeout: 30000 });
  return page.frames().find(f => f.url().includes('/web/panels.html'));
}
const record = (frame, r) => frame.evaluate(r => import(new URL('ui/progress.js', location.href).href).then(m => { m.progress().record(r); }), r);
const lms = (page, el) => page.evaluate(el => window.API.LMSGetValue(el), el);

test('a finished exercise sets the score and the status; a new session restores suspend_data; statements reach the host', async () => {
  const page = await hostPage();
  let frame = await session(page);
  assert.equal(await lms(page, 'cmi.core.lesson_status'), 'incomplete', 'incomplete from the start');
  assert.equal(await lms(page, 'cmi.core.score.raw'), '0');

  // the host names the student (setState {actor}); a bad actor is refused with BAD_STATE
  await page.evaluate(() => { send('setState', 1, { actor: { objectType: 'Agent' } }); send('setState', 2, { actor: { mbox: 'mailto:ann@uni.example', name: 'Ann' } }); });
  await page.waitForFunction(() => replies.length === 2);
  const replies = await page.evaluate(() => replies.sort((a, b) => a.id - b.id));
  assert.equal(replies[0].ok, false);
  assert.equal(replies[0].error.code, 'BAD_STATE');
  assert.match(replies[0].error.message, /exactly one of mbox/);
  assert.equal(replies[1].ok, true);

  await record(frame, R({ panel: 'mlp' }));                      // 4 of 5 at first try: 0.8
  assert.equal(await lms(page, 'cmi.core.score.raw'), '40', 'mean of 0.8 and nothing yet');
  assert.equal(await lms(page, 'cmi.core.lesson_status'), 'incomplete', 'one of two exercises passed');
  await record(frame, R({ panel: 'softmax', stages: 4, firstTry: 4 }));   // 1.0
  assert.equal(await lms(page, 'cmi.core.score.raw'), '90', 'mean of 0.8 and 1.0');
  assert.equal(await lms(page, 'cmi.core.score.max'), '100');
  assert.equal(await lms(page, 'cmi.core.lesson_status'), 'passed', 'both exercises passed');
  assert.match(await frame.locator('#lms-status').textContent(), /Score 90 %, passed/);
  const suspend = await lms(page, 'cmi.suspend_data');
  assert.equal(JSON.parse(suspend).length, 2);

  // the xAPI statements of both results, in order, with their scores
  const st = await page.evaluate(() => window.statements);
  assert.equal(st.length, 2);
  assert.equal(st[0].verb.id, 'http://adlnet.gov/expapi/verbs/completed');
  assert.deepEqual(st[0].result.score, { scaled: 0.8, raw: 80, min: 0, max: 100 });
  assert.equal(st[0].result.success, true);
  assert.match(st[0].object.id, /\/web\/panels\.html\/mlp$/);
  assert.deepEqual(st[0].actor, { objectType: 'Agent', mbox: 'mailto:ann@uni.example', name: 'Ann' });
  assert.equal(st[1].result.score.raw, 100);

  // leaving: LMSFinish; the LMS keeps the CMI data; the browser's own copy is cleared
  const old = await page.evaluate(() => JSON.parse(JSON.stringify(window.API.cmi)));
  await page.evaluate(() => { document.getElementById('f').src = 'about:blank'; });
  await page.waitForFunction(() => window.API.isTerminated());
  const calls = await page.evaluate(() => window.calls);
  assert.deepEqual(calls[0], ['LMSInitialize', '']);
  assert.deepEqual(calls[calls.length - 1], ['LMSFinish', '']);
  const times = calls.filter(c => c[1] === 'cmi.core.session_time').map(c => c[2]);
  assert.ok(times.length >= 3 && times.every(v => /^\d{4}:\d{2}:\d{2}\.\d{2}$/.test(v)), times.join(' '));
  await page.evaluate(() => localStorage.clear());
  frame = await session(page, { suspend_data: old.suspend_data, core: { lesson_status: old.core.lesson_status } });
  const restored = await frame.evaluate(() => import(new URL('ui/progress.js', location.href).href).then(m => m.progress().all().map(r => [r.id, r.firstTry, r.stages])));
  assert.deepEqual(restored.sort(), [['mlp', 4, 5], ['softmax', 4, 4]]);
  assert.equal(await lms(page, 'cmi.core.score.raw'), '90', 'the restored results give the same score');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a launch with an unknown exercise, a bad actor or activity is refused in the status line, without an error', async () => {
  const page = await hostPage();
  await page.evaluate(() => { window.API = new window.Scorm12API({ autocommit: false }); });
  await page.evaluate(() => { document.getElementById('f').src = '/web/panels.html?scorm=1&exercises=mlp,perceptron&lang=ru&actor=%7B%22name%22%3A%22Ann%22%7D&activity=course'; });
  const line = page.frameLocator('#f').locator('#lms-status:not([hidden])');
  await line.waitFor({ timeout: 30000 });
  const said = await line.textContent();
  assert.match(said, /exercises=mlp,perceptron не применён: неизвестное упражнение perceptron/);
  assert.match(said, /actor=\{"name":"Ann"\} не применён: это не агент xAPI/);
  assert.match(said, /activity=course не применён: нужен абсолютный адрес/);
  assert.equal(await page.evaluate(() => window.API.isInitialized()), false, 'no SCORM session without a valid package');
  // launched on a panel: the launch keys are the page's own (no URL banner), and its links keep them
  const frame = await session(page, null, '/web/panels.html?p=mlp&scorm=1&exercises=mlp&lang=en');
  await frame.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  assert.match(await frame.locator('#lms-status').textContent(), /Connected to the course \(SCORM 1\.2\)\. Graded here: Hidden layer 2-2-2\. Score 0 %, not yet passed\./);
  assert.equal(await frame.locator('.url-errors').count(), 0);
  assert.match(await frame.getAttribute('#nav a[href*="p=softmax"]', 'href'), /scorm=1&exercises=mlp/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the index\'s "Package for an LMS" button saves the same zip as scripts/scorm.mjs for the ticked exercises', async () => {
  const page = await hostPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/web/panels.html?lang=en`);
  const button = page.locator('#scorm-package');
  await button.waitFor();
  for (const id of ['one-weight', 'chain', 'graph', 'gradcheck', 'losses', 'optimizers']) await page.uncheck(`#pkg-${id}`);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), button.click()]);
  const file = path.join(dir, 'button.zip');
  await download.saveAs(file);
  assert.equal(download.suggestedFilename(), 'backprop-lab-scorm12.zip');
  assert.match(await page.locator('.pkg-status').textContent(), /Saved backprop-lab-scorm12\.zip/);
  // the script on the same files (the package served here is the script's own copy of web/)
  const script = path.join(dir, 'script.zip');
  execFileSync('node', [path.join(ROOT, 'scripts/scorm.mjs'), '--exercises', 'mlp,softmax', '--lang', 'en', '--out', script]);
  assert.ok(fs.readFileSync(file).equals(fs.readFileSync(script)), 'byte for byte');
  // none ticked: a message, no download
  for (const id of ['mlp', 'softmax']) await page.uncheck(`#pkg-${id}`);
  await button.click();
  assert.match(await page.locator('.pkg-status').textContent(), /Tick at least one exercise/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** In the SCO's frame: types every open exercise field's true value (data-truth, from the core) and presses Enter, stage after stage. */
async function solve(frame) {
  for (let stage = 0; stage < 20 && await frame.$('input.exin'); stage++) {
    const keys = await frame.$$eval('input.exin', els => els.filter(e => e.offsetParent).map(e => [e.dataset.ex, Number(e.dataset.truth).toPrecision(6)]));
    for (const [k, v] of keys) await frame.fill(`input.exin[data-ex="${k}"]`, v);
    await frame.press(`input.exin[data-ex="${keys[keys.length - 1][0]}"]`, 'Enter');
  }
}

test('end to end: solving the package\'s exercises in the page (the real exercise UI) grades them in the LMS, one session per page', async () => {
  const page = await hostPage();
  let frame = await session(page, null, `${launchUrl}&p=mlp&ex=1`);
  await frame.waitForSelector('input.exin');
  await solve(frame);
  assert.equal(await lms(page, 'cmi.core.score.raw'), '50', 'mlp right at every first try, softmax not yet: the mean of 1 and 0');
  assert.equal(await lms(page, 'cmi.core.lesson_status'), 'incomplete');
  // the student opens the next exercise: the page ends its session, the LMS starts the next with the CMI data it keeps
  const cmi = await page.evaluate(() => { const c = JSON.parse(JSON.stringify(window.API.cmi)); return { suspend_data: c.suspend_data, core: { lesson_status: c.core.lesson_status } }; });
  await page.evaluate(() => { document.getElementById('f').src = 'about:blank'; });
  await page.waitForFunction(() => window.API.isTerminated());
  frame = await session(page, cmi, `${launchUrl}&p=softmax&ex=1`);
  await frame.waitForSelector('input.exin');
  await solve(frame);
  assert.equal(await lms(page, 'cmi.core.score.raw'), '100');
  assert.equal(await lms(page, 'cmi.core.lesson_status'), 'passed');
  const st = await page.evaluate(() => window.statements);
  assert.deepEqual(st.map(s => [s.verb.id.split('/').pop(), s.object.id.split('/').pop(), s.result.score.raw]), [['completed', 'mlp', 100], ['completed', 'softmax', 100]]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
