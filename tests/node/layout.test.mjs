// layout.test.mjs - the web/ layout keeps the architecture it shows (issue #11):
//   web/lib/  the library: no DOM, imports only web/lib/ (and node: built-ins), so that the workers,
//             bin/backprop-lab, bench/ and these tests can import it;
//   web/ui/   DOM helpers shared by the pages: import web/lib/ and web/ui/ only, never a page;
//   web/PAGE/ one folder per page: imports lib/, ui/ and its own folder, never another page's.
// and one layer, web/lib/engine.js with web/lib/engine/, owns the core's WebAssembly memory.
// Read from the source text, so a new file is covered the day it is added.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const PAGES = ['training', 'panels', 'experiments', 'bench'];
const MAX_LINES = 400;

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['vendor', 'build'].includes(e.name) ? [] : jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}
const rel = p => path.relative(WEB, p).split(path.sep).join('/');
const FILES = jsFiles(WEB);

/** Relative import specifiers of a module (static, dynamic and `new URL(..., import.meta.url)`), resolved. */
function importsOf(file) {
  const src = fs.readFileSync(file, 'utf8');
  const out = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"])(\.\.?\/[^'"]*)\1/g;
  for (let m; (m = re.exec(src));) out.push(rel(path.resolve(path.dirname(file), m[2].split(/[?#]/)[0])));
  return out;
}
const area = r => r.split('/')[0];

test('web/lib imports only web/lib and touches no DOM', () => {
  const lib = FILES.filter(f => rel(f).startsWith('lib/'));
  assert.ok(lib.length >= 8, `library modules found: ${lib.length}`);
  for (const f of lib) {
    for (const i of importsOf(f)) {
      if (i === 'build' || i.startsWith('build/') || i.startsWith('../data/')) continue;   // the core's .wasm, data files
      assert.equal(area(i), 'lib', `${rel(f)} imports ${i}`);
    }
    const code = fs.readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const dom of [/\bdocument\./, /\bwindow\.(?!matchMedia)/, /\bHTML\w*Element\b/, /\bgetElementById\b/, /\blocalStorage\b/]) {
      assert.ok(!dom.test(code), `${rel(f)} uses the DOM (${dom})`);
    }
  }
});

test('web/ui imports no page; a page imports no other page', () => {
  for (const f of FILES) {
    const from = area(rel(f));
    for (const i of importsOf(f)) {
      const to = area(i);
      if (from === 'ui') assert.ok(!PAGES.includes(to), `${rel(f)} imports the page module ${i}`);
      if (PAGES.includes(from) && PAGES.includes(to)) assert.equal(to, from, `${rel(f)} imports another page's ${i}`);
    }
  }
});

test('only the engine layer (web/lib/engine.js, web/lib/engine/) calls the core\'s exports or reads its memory', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  const files = [...FILES, ...['bin', 'bench'].flatMap(d => fs.readdirSync(path.join(ROOT, d))
    .filter(n => /\.m?js$/.test(n)).map(n => path.join(ROOT, d, n)))];
  const engine = f => /^lib\/engine(\.js$|\/)/.test(rel(f));
  // x.bp_* / x.malloc / x.free: the core's exports (Core keeps them as core.x); memory.buffer: its memory
  const touches = /\bx\.(?:bp_\w+|malloc|free)\b|memory\.buffer/;
  const users = files.filter(f => touches.test(fs.readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '')));
  assert.ok(users.filter(engine).length >= 4, `engine modules found using the exports: ${users.filter(engine).map(rel)}`);
  assert.deepEqual(users.filter(f => !engine(f)).map(f => path.relative(ROOT, f)), [], 'modules outside the engine layer touching WASM memory');
});

test(`no module over ${MAX_LINES} lines (translation dictionaries aside)`, () => {
  const long = FILES.filter(f => !/strings\.js$/.test(f))
    .map(f => [rel(f), fs.readFileSync(f, 'utf8').split('\n').length])
    .filter(([, n]) => n > MAX_LINES);
  assert.deepEqual(long, [], 'modules too long to read');
});
