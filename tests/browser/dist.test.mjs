// tests/browser/dist.test.mjs - make dist's folder (scripts/dist.mjs) served as it is under a sub-path,
// as a project site is (https://USER.github.io/REPO/), by a plain static server with no rewriting: the
// root forwards to the current version keeping the query, the training page trains one epoch, a
// panel steps to its last stage, and nothing fails to load (but the optional full MNIST file).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';

const SUB = '/course/backprop-lab/';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.woff2': 'font/woff2' };
let dir, server, browser, base;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-dist-'));
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/dist.mjs', import.meta.url)), '--out', dir]);
  server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (!u.pathname.startsWith(SUB)) { res.writeHead(404); res.end(); return; }
    let rel = decodeURIComponent(u.pathname.slice(SUB.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}${SUB}`;
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) { server.closeAllConnections(); server.close(); }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/status of 404/.test(m.text())) page.errors.push(m.text()); });
  page.on('response', r => { if (r.status() >= 400 && !r.url().endsWith('/data/mnist-full.bin')) page.errors.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', e => page.errors.push(String(e)));
  await page.goto(url);
  return page;
}

test('the folder has the root pages, one versioned folder, and nothing absolute in the pages', () => {
  const names = fs.readdirSync(dir).sort();
  const v = names.filter(n => /^v-[0-9a-f]{16}$/.test(n));
  assert.equal(v.length, 1, names.join(' '));
  for (const p of ['index.html', 'panels.html', 'experiments.html', 'bench.html']) {
    assert.ok(names.includes(p), p);
    const html = fs.readFileSync(path.join(dir, v[0], 'web', p), 'utf8');
    assert.doesNotMatch(html, /(src|href)="\//, `${p}: a root-absolute URL`);
  }
  assert.ok(fs.existsSync(path.join(dir, v[0], 'data', 'mnist-subset.bin')));
});

test('under a sub-path: the root forwards with the query, the training page trains one epoch', async () => {
  const page = await open(`${base}?epochs=1&lang=en`);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  const u = new URL(page.url());
  assert.match(u.pathname, new RegExp(`^${SUB}v-[0-9a-f]{16}/web/$`));
  assert.deepEqual([u.searchParams.get('epochs'), u.searchParams.get('lang')], ['1', 'en']);
  await page.click('#btn-start');
  await page.waitForSelector('#status[data-phase="done"]', { timeout: 90000 });
  const acc = Number(await page.getAttribute('#final-acc', 'data-value'));
  assert.ok(acc > 0.8, `test accuracy ${acc}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('under a sub-path: a panel opened through the root steps to its last stage', async () => {
  const page = await open(`${base}panels.html?p=mlp&lang=en`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.keyboard.press('End');
  const label = await page.textContent('[data-testid="stage-label"]');
  const [, k, n] = label.match(/(\d+)\D+(\d+)/);
  assert.equal(k, n, label);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
