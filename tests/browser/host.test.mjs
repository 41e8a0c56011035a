// tests/browser/host.test.mjs - the host API (web/ui/host.js, web/lib/embed.js) as a course page on
// another origin meets it: the lab on "localhost", the course page on "127.0.0.1". For the training
// page and a panel, each plain and sandboxed (allow-scripts only): 'ready' arrives within 2 s of the
// course page's load; setState then start trains and progress events arrive; pause stops them; 200
// random junk messages cause no console error (and the frame still answers). The frame's height
// follows its content (grows and shrinks, within 2 px) through the H5P resizer's 'resize' message; in
// a reveal.js deck (the real reveal.js from npm) slide:stop freezes the iteration counter and
// slide:start resumes it. A ?hide=/?lock= URL hides and locks exactly the named controls, and refuses
// an unknown name in the URL banner. Every page under the server's strict CSP: no violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import { startServer, launch } from './browser.mjs';
import { CSP } from '../../scripts/serve.mjs';

// reveal.js from npm (package.json devDependencies); the path where it was installed meanwhile as a fallback
function revealDir() {
  for (const dir of [new URL('../../node_modules/reveal.js/', import.meta.url).pathname, '/tmp/npm-embed/node_modules/reveal.js/'])
    if (fs.existsSync(`${dir}dist/reveal.js`)) return dir;
  return null;
}

let server, browser, course, lab, pages = {};
before(async () => {
  server = await startServer();
  browser = await launch();
  lab = server.base.replace('127.0.0.1', 'localhost');
  const reveal = revealDir();
  course = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname.startsWith('/reveal/')) {
      const f = reveal + u.pathname.slice('/reveal/'.length);
      res.setHeader('content-type', f.endsWith('.css') ? 'text/css' : 'text/javascript');
      res.end(fs.readFileSync(f));
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(pages[u.pathname.slice(1)] || 'none');
  });
  await new Promise(r => course.listen(0, '127.0.0.1', r));
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (course) { course.closeAllConnections(); course.close(); }
});

// The course page's side: every message from the frame kept in window.msgs; send(cmd) posts a command
const HOST_SCRIPT = `<script>
window.msgs = [];
addEventListener('message', e => { msgs.push(e.data); if (e.data && e.data.type === 'ready') window.readyAt = performance.timeOrigin + performance.now(); });
window.send = (type, state) => { const id = Math.random(); document.getElementById('f').contentWindow.postMessage({ protocol: 'backprop-lab', version: 1, type, id, state }, '*'); return id; };
window.reply = id => msgs.find(m => m.type === 'reply' && m.id === id);
</script>`;

async function open(name, html) {
  pages[name] = html;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.errors = errors;
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${course.address().port}/${name}`);
  page.t0 = t0;
  return page;
}
const replyOf = async (page, type, state) => {
  const id = await page.evaluate(([t, s]) => window.send(t, s), [type, state]);
  await page.waitForFunction(i => window.reply(i), id, { timeout: 30000 });
  return page.evaluate(i => window.reply(i), id);
};
const count = (page, type) => page.evaluate(t => msgs.filter(m => m.type === t).length, type);

for (const sandbox of [false, true]) {
  for (const [what, src, state] of [
    ['training page', '/web/?embed=1&lang=en', { optimizer: 'sgd', lr: 0.05, batch: 32, epochs: 20 }],
    ['chain panel', '/web/panels.html?p=chain&embed=1&lang=en', { stage: 2, params: { lr: 0.2 } }]]) {
    test(`${what}${sandbox ? ', sandboxed (allow-scripts only)' : ''}: ready within 2 s, setState + start gives progress, pause stops it, junk is ignored`, async () => {
      const page = await open(`api-${sandbox}-${what.length}`, `<!doctype html><title>Course</title>${HOST_SCRIPT}
<iframe id="f" ${sandbox ? 'sandbox="allow-scripts"' : ''} src="${lab}${src}" width="900" height="600"></iframe>`);
      await page.waitForFunction(() => msgs.some(m => m.type === 'ready' && m.protocol === 'backprop-lab' && m.version === 1), null, { timeout: 10000 });
      // from the frame's start (its navigation) to the course page's receiving 'ready'
      const frame = page.frames().find(f => f !== page.mainFrame());
      const readyMs = (await page.evaluate(() => window.readyAt)) - (await frame.evaluate(() => performance.timeOrigin));
      assert.ok(readyMs < 2000, `ready ${Math.round(readyMs)} ms after the frame started`);
      const set = await replyOf(page, 'setState', state);
      assert.equal(set.ok, true, JSON.stringify(set.error));
      const start = await replyOf(page, 'start');
      assert.equal(start.ok, true, JSON.stringify(start.error));
      await page.waitForFunction(() => msgs.filter(m => m.type === 'progress' && m.iteration > 0).length >= 3, null, { timeout: 60000 });
      const paused = await replyOf(page, 'pause');
      assert.equal(paused.ok, true);
      await page.waitForTimeout(400);          // a progress event already on its way may still arrive
      const n = await count(page, 'progress');
      await page.waitForTimeout(1000);
      assert.equal(await count(page, 'progress'), n, 'no progress after pause');
      assert.ok(await count(page, 'state') > 0, 'state events');
      const got = (await replyOf(page, 'getState')).result;
      if (what === 'training page') assert.deepEqual([got.settings.optimizer, got.settings.lr, got.settings.batch, got.phase], ['sgd', 0.05, 32, 'paused']);
      else assert.equal(got.params.lr, 0.2);
      // 200 random junk messages: no console error, no reply, and the frame still answers
      await page.evaluate(() => {
        let s = 7; const r = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
        const w = document.getElementById('f').contentWindow;
        const junk = () => [null, 0, 'slide:', 'x'.repeat(r() * 100), [1, 2], { protocol: 'backprop-lab' }, { protocol: 'backprop-lab', version: 2, type: 'start' },
          { protocol: 'backprop-lab', version: 1, type: 'nope' }, { protocol: 'backprop-lab', version: 1, type: 'setState', state: 'x' }, { context: 'h5p', action: 'zzz' },
          { context: 'h5p' }, new ArrayBuffer(8), { a: { b: { c: r() } } }][Math.floor(r() * 13)];
        for (let i = 0; i < 200; i++) w.postMessage(junk(), '*');
      });
      await page.waitForTimeout(500);
      assert.equal((await replyOf(page, 'getState')).ok, true);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
}

test('H5P resizer: the frame\'s height follows its content within 2 px as it grows and shrinks', async () => {
  // What h5p-resizer.js (H5P's host script, which Moodle and WordPress load) does on the frame's
  // 'resize' message: iframe.style.height = data.scrollHeight + 'px'. No npm package ships that
  // host script, so the course page does the same here.
  const page = await open('h5p', `<!doctype html><title>Course</title>${HOST_SCRIPT}
<iframe id="f" src="${lab}/web/panels.html?p=chain&embed=1&lang=en" width="900" height="300"></iframe>
<script>addEventListener('message', e => { const f = document.getElementById('f');
  if (e.source === f.contentWindow && e.data && e.data.context === 'h5p' && e.data.action === 'resize') f.style.height = e.data.scrollHeight + 'px'; });</script>`);
  await page.waitForFunction(() => msgs.some(m => m.type === 'ready'), null, { timeout: 10000 });
  const frame = page.frames().find(f => f.url().includes('panels.html'));
  await frame.waitForSelector('body[data-ready="1"]');
  const check = async label => {
    await page.waitForTimeout(600);
    const content = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
    const box = await page.evaluate(() => document.getElementById('f').getBoundingClientRect().height);
    assert.ok(Math.abs(content - box) <= 2 + 4, `${label}: content ${content}, frame ${box}`);    // + the iframe's 2 px borders
    return box;
  };
  const h0 = await check('loaded');
  await frame.evaluate(() => { const d = document.createElement('div'); d.id = 'grow'; d.style.height = '700px'; document.body.append(d); });
  const h1 = await check('grown');
  assert.ok(h1 > h0 + 650, `grew from ${h0} to ${h1}`);
  await frame.evaluate(() => document.getElementById('grow').remove());
  const h2 = await check('shrunk');
  assert.ok(Math.abs(h2 - h0) <= 2, `back to ${h2} (was ${h0})`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('reveal.js: slide:stop freezes the training for 1 s, slide:start resumes it; focus stays with the deck', { skip: revealDir() ? false : 'reveal.js is not installed (npm install)' }, async () => {
  const page = await open('deck', `<!doctype html><html><head><title>Deck</title><link rel="stylesheet" href="/reveal/dist/reveal.css">${HOST_SCRIPT}</head>
<body><div class="reveal"><div class="slides">
<section><h2>Training</h2><iframe id="f" src="${lab}/web/?embed=1&lang=en&epochs=50&batch=16" width="800" height="450"></iframe></section>
<section><h2>Next slide</h2></section>
</div></div><script src="/reveal/dist/reveal.js"></script><script>Reveal.initialize({ hash: false, transition: 'none' });</script></body></html>`);
  await page.waitForFunction(() => msgs.some(m => m.type === 'ready'), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'BODY', 'the frame took no focus');
  assert.equal((await replyOf(page, 'start')).ok, true);
  const iter = () => page.evaluate(() => { const p = msgs.filter(m => m.type === 'progress'); return p.length ? p[p.length - 1].iteration : 0; });
  await page.waitForFunction(() => msgs.filter(m => m.type === 'progress' && m.iteration > 0).length >= 2, null, { timeout: 60000 });
  await page.evaluate(() => Reveal.next());
  await page.waitForTimeout(500);
  const a = await iter();
  await page.waitForTimeout(1000);
  assert.equal(await iter(), a, 'iteration frozen while the slide is not shown');
  await page.evaluate(() => Reveal.prev());
  await page.waitForFunction(n => { const p = msgs.filter(m => m.type === 'progress'); return p.length && p[p.length - 1].iteration > n; }, a, { timeout: 10000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a URL built by "Use in a course", opened in a fresh context, hides and locks exactly what was ticked; an unknown name is refused in the URL banner', async () => {
  // the author: the builder on the full page, ticks, the link (not the compact view: the settings stay)
  const author = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const ap = await author.newPage();
  await ap.goto(`${server.base}/web/?lang=en&epochs=2`);
  await ap.click('#course-open');
  for (const n of ['optimizer', 'seed', 'step', 'weights']) await ap.check(`#b-hide-${n}`);
  for (const n of ['lr', 'batch', 'start']) await ap.check(`#b-lock-${n}`);
  await ap.uncheck('#b-compact');
  const link = await ap.inputValue('#b-link');
  assert.match(await ap.inputValue('#b-snippet'), /<iframe src="[^"]+" title="Backprop Lab: [^"]+" width="900" height="640" loading="lazy" allow="fullscreen" sandbox="allow-scripts[^"]*"/);
  await author.close();
  const u = new URL(link);
  assert.deepEqual([u.searchParams.get('hide'), u.searchParams.get('lock'), u.searchParams.get('epochs'), u.searchParams.has('embed')], ['optimizer,seed,step,weights', 'lr,batch,start', '2', false]);
  u.searchParams.set('hide', `${u.searchParams.get('hide')},nosuch`);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text()); });
  await page.goto(u.href);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  for (const id of ['f-optimizer', 'f-seed', 'btn-step']) assert.equal(await page.isVisible(`#${id}`), false, `${id} hidden`);
  // a part: the first-layer weights and their heading; the misclassified digits' heading stays
  assert.deepEqual([await page.isVisible('#weights'), await page.isVisible('h3[data-i18n="weights.title"]'), await page.isVisible('h3[data-i18n="mis.title"]')], [false, false, true]);
  for (const id of ['f-lr', 'f-batch', 'btn-start']) {
    assert.equal(await page.isVisible(`#${id}`), true, `${id} shown`);
    assert.equal(await page.isDisabled(`#${id}`), true, `${id} locked`);
  }
  for (const id of ['f-epochs', 'f-beta1', 'btn-epoch', 'btn-reset']) if (await page.$(`#${id}`)) assert.equal(await page.isVisible(`#${id}`) && !(await page.isDisabled(`#${id}`)), true, `${id} untouched`);
  assert.match(await page.textContent('#url-errors'), /hide=nosuch/);
  // still locked after the form is rebuilt (a language switch)
  await page.selectOption('#lang', 'ru');
  assert.equal(await page.isDisabled('#f-lr'), true);
  assert.equal(await page.isVisible('#f-optimizer'), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('experiment page: hide and lock a setting by its name (its field is the grid\'s axis); an unknown name is refused in the page\'s message', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/web/experiments.html?lang=en&hide=lr,epochs,nosuch&lock=batch,optimizer`);
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  const disabled = id => page.$eval(`#${id}`, el => [...el.querySelectorAll('input, select')].every(i => i.disabled));
  assert.deepEqual([await page.isVisible('#w-lrs'), await page.isVisible('#w-epochs')], [false, false]);
  assert.deepEqual([await page.isVisible('#w-batches'), await disabled('w-batches'), await disabled('w-optimizers')], [true, true, true]);
  assert.deepEqual([await page.isVisible('#w-seeds'), await disabled('w-seeds')], [true, false]);
  assert.match(await page.textContent('#run-message'), /hide=nosuch/);
  await context.close();
});

test('speed page: hide and lock its parts; an unknown name is refused under the title', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/web/bench.html?lang=en&hide=nav,bogus&lock=start`);
  await page.waitForSelector('#go');
  await page.waitForSelector('[role="alert"]');
  assert.deepEqual([await page.isVisible('.shell-nav'), await page.isVisible('#go'), await page.isDisabled('#go')], [false, true, true]);
  assert.match(await page.textContent('[role="alert"]'), /hide=bogus: not used; allowed: lang, nav, start/);
  await context.close();
});

test('<backprop-lab view="panels" panel="chain" lang="ru">: one script on another origin; attributes open the view, DOM events and methods mirror the host API', async () => {
  const page = await open('element', `<!doctype html><title>Notes</title>
<script type="module" src="${lab}/web/ui/backprop-lab.js"></script>
<p>Before</p><backprop-lab id="el" view="panels" panel="chain" lang="ru" stage="2" hide="plot"></backprop-lab><p id="after">After</p>
<script>window.events = []; const el = document.getElementById('el');
for (const t of ['ready', 'resize', 'state', 'progress']) el.addEventListener(t, e => events.push([t, e.detail.page]));</script>`);
  await page.waitForFunction(() => events.some(e => e[0] === 'ready'), null, { timeout: 10000 });
  const frame = page.frames().find(f => f.url().includes('panels.html'));
  const q = Object.fromEntries(new URL(frame.url()).searchParams);
  assert.deepEqual(q, { p: 'chain', lang: 'ru', stage: '2', hide: 'plot', embed: '1' });
  await frame.waitForSelector('body[data-ready="1"]');
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ru');
  assert.equal((await page.evaluate(() => document.getElementById('el').getState())).stage, 2);
  assert.equal((await page.evaluate(() => document.getElementById('el').step())).stage, 3);
  await page.waitForFunction(() => events.some(e => e[0] === 'state'));
  // as tall as its content (the resize event), so the text after it follows the panel
  await page.waitForTimeout(600);
  const [box, content] = [await page.evaluate(() => document.getElementById('el').getBoundingClientRect().height), await frame.evaluate(() => document.documentElement.getBoundingClientRect().height)];
  assert.ok(Math.abs(box - content) <= 2, `element ${box}, content ${content}`);
  await assert.rejects(page.evaluate(() => document.getElementById('el').setState({ stage: 99 })), /stage 99/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('every page under the strict CSP that make run sends: no violation reported', async () => {
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  const context = await browser.newContext();
  for (const path of ['/web/?epochs=1&lang=en', '/web/panels.html', ...['one-weight', 'chain', 'mlp', 'softmax', 'perceptron', 'graph', 'gradcheck', 'losses', 'optimizers'].map(p => `/web/panels.html?p=${p}`), '/web/experiments.html', '/web/bench.html']) {
    const page = await context.newPage();
    const res = await page.goto('about:blank');
    await page.addInitScript(() => { window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`)); });
    const r = await page.goto(server.base + path);
    assert.equal(r.headers()['content-security-policy'], CSP, path);
    await page.waitForTimeout(path.startsWith('/web/?') ? 2500 : 800);
    if (path.startsWith('/web/?')) {
      await page.click('#btn-start');
      await page.waitForSelector('#status[data-phase="done"]', { timeout: 60000 });
    }
    assert.deepEqual(await page.evaluate(() => window.__csp), [], path);
    await page.close();
    void res;
  }
  await context.close();
});
