// onefile.test.mjs - the one-file offline copies as files (scripts/onefile.mjs): each page's HTML links
// nothing (no <script src>, no <link href>, no url() but data:), its module script imports nothing but
// node: built-ins that only the Node paths reach, its two inline scripts are the ones its CSP <meta>
// allows by hash, it has no inline event handler, and it holds the cores, the data and the workers
// lib/inline.js reads (each worker a data: URL under Chromium's 2 MB URL limit). And lib/inline.js itself:
// no copy -> undefined everywhere; in a copy the bytes by repository path, or null for a file it lacks.
// tests/browser/onefile.test.mjs opens the files from file:// with the network blocked.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { buildPage, ONEFILE_PAGES } from '../../scripts/onefile.mjs';
import { inlineFile, inlineWorker, inlineKey, isOneFileCopy } from '../../web/lib/inline.js';

const built = {};
const page = async id => built[id] || (built[id] = await buildPage(ONEFILE_PAGES.find(p => p.id === id)));
const scripts = html => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map(m => ({ attrs: m[1], text: m[2] }));
const assetsOf = html => JSON.parse(scripts(html)[0].text.replace(/^globalThis\.__BPL_INLINE__=/, '').replace(/;$/, ''));

for (const { id, data } of ONEFILE_PAGES) {
  test(`${id}: one file that links nothing, with its CSP, cores${data ? ', the MNIST subset' : ''} and workers inside`, async () => {
    const { html } = await page(id);
    assert.doesNotMatch(html, /<script\b[^>]*\bsrc=/, 'no <script src>');
    for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]*)"/g)) assert.match(m[1], /^data:/, `<link href="${m[1]}">`);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(m => m[1]).join('\n');
    assert.ok(styles.length > 1000, 'the style sheets are inlined');
    for (const m of styles.matchAll(/url\(\s*["']?([^)"']{0,40})/g)) assert.match(m[1], /^data:/, `url(${m[1]}...)`);
    assert.doesNotMatch(styles, /@import/);
    // markup outside the scripts: no inline event handler (the CSP forbids them, and so does the project)
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/g, '');
    assert.doesNotMatch(markup, /<[^>]+\son[a-z]+=/i, 'an inline event handler');

    const s = scripts(html);
    assert.equal(s.length, 2, 'the inlined object, then the page\'s module');
    assert.match(s[0].text, /^globalThis\.__BPL_INLINE__=\{/);
    assert.equal(s[1].attrs.trim(), 'type="module"');
    // (ok(!test), not doesNotMatch: a failure would print megabytes)
    assert.ok(!/\bimport\s*\(\s*["'](?!node:)/.test(s[1].text), 'a dynamic import left unbundled');
    assert.ok(!/\bimport\s*(?:[\w$*{][^'";]*?\bfrom\s*)?["'](?!node:)/.test(s[1].text), 'a static import left unbundled');
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
    assert.ok(csp, 'a CSP <meta>');
    for (const t of s) assert.ok(csp[1].includes(`'sha256-${crypto.createHash('sha256').update(t.text).digest('base64')}'`), 'the CSP allows the inline script by its hash');
    assert.match(csp[1], /connect-src 'none'/);
    assert.doesNotMatch(csp[1], /'unsafe-inline'[^;]*;\s*worker|script-src[^;]*'unsafe-(inline|eval)'/, 'no unsafe script source');

    const a = assetsOf(html);
    assert.deepEqual(Object.keys(a.wasm).sort(), ['web/build/bp-f64.wasm', 'web/build/bp-scalar.wasm', 'web/build/bp-simd.wasm']);
    for (const [k, b64] of Object.entries(a.wasm)) assert.deepEqual(Buffer.from(b64, 'base64'), fs.readFileSync(new URL(`../../${k}`, import.meta.url)), k);
    assert.deepEqual(Object.keys(a.data), data ? ['data/mnist-subset.bin'] : []);
    if (data) assert.deepEqual(Buffer.from(a.data['data/mnist-subset.bin'], 'base64'), fs.readFileSync(new URL('../../data/mnist-subset.bin', import.meta.url)));
    for (const [k, u] of Object.entries(a.workers)) {
      assert.match(u, /^data:text\/javascript;charset=utf-8,/, k);
      assert.ok(u.length < 2 * 1024 * 1024, `${k}: ${u.length} characters (Chromium refuses URLs over 2 MB)`);
      const src = decodeURIComponent(u.slice(u.indexOf(',') + 1));
      assert.ok(!/\bimport\s*\(\s*["'](?!node:)|\bimport\s*(?:[\w$*{][^'";]*?\bfrom\s*)?["'](?!node:)/.test(src), `${k}: an import left unbundled`);
      assert.match(src, /backprop-lab-inline/, `${k}: takes the page's first message (lib/inline-worker.js)`);
    }
    const workers = { training: ['web/training/worker.js'], panels: [], experiments: ['web/experiments/pytorch-worker.js', 'web/experiments/worker.js'] }[id];
    assert.deepEqual(Object.keys(a.workers).sort(), workers);
  });
}

test('lib/inline.js: without the object nothing changes; with it, files by repository path, null for one it lacks', async () => {
  assert.equal(isOneFileCopy(), false);
  assert.equal(await inlineFile('wasm', 'bpl:/web/build/bp-simd.wasm'), undefined);
  assert.equal(inlineWorker(new URL('bpl:/web/training/worker.js')), undefined);
  assert.equal(inlineKey(new URL('../../build/bp-f64.wasm', 'bpl:/web/lib/engine/core.js')), 'web/build/bp-f64.wasm');
  assert.equal(inlineKey(new URL('../../data/mnist-subset.bin', 'bpl:/web/lib/worker-runtime.js')), 'data/mnist-subset.bin');
  try {
    globalThis.__BPL_INLINE__ = Promise.resolve({ wasm: { 'web/build/bp-f64.wasm': Buffer.from([0, 97, 115, 109]).toString('base64') }, data: {} });
    assert.equal(isOneFileCopy(), true);
    assert.deepEqual([...await inlineFile('wasm', 'bpl:/web/build/bp-f64.wasm')], [0, 97, 115, 109]);
    assert.equal(await inlineFile('data', 'bpl:/data/mnist-full.bin'), null);
  } finally { delete globalThis.__BPL_INLINE__; }
});
