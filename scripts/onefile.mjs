// onefile.mjs - make onefile: the one-file offline copy of each page, one HTML file that opens from
// file:// with no network (an LMS that only takes uploads, a lecture hall without Wi-Fi). Into the file
// go the page's style sheets (KaTeX's fonts as data: URLs, woff2 only), its modules bundled by esbuild
// into one module script (dynamic import()s inlined: no code splitting), its workers bundled the same
// way as data: URLs, the three cores and, for the training and experiment pages, the MNIST subset, as
// one object globalThis.__BPL_INLINE__ that web/lib/inline.js describes and only the file loaders read.
// Every module's import.meta.url becomes 'bpl:/' + its path in the repository, so the URLs the code
// makes as usual name the inlined files; a style sheet a module links (new URL('./x.css',
// import.meta.url)) becomes a data: URL. A Content-Security-Policy <meta> allows just what the file
// needs: its own two scripts (by hash), WebAssembly, data: workers, inline and data: styles, data:
// fonts and images, and no connection anywhere.
// Usage: node scripts/onefile.mjs [--out DIR]   (default web/build/offline, which make run serves and
// the pages' "Save for offline use" link downloads; make dist copies the files to dist/offline/)
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { OFFLINE_DIR, OFFLINE_FILES } from '../web/lib/inline.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'web');
const rel = p => path.relative(root, p).split(path.sep).join('/');

/** The pages: id (its file: lib/inline.js's OFFLINE_FILES), the served page, whether it trains on the MNIST subset. */
export const ONEFILE_PAGES = Object.freeze([
  { id: 'training', html: 'index.html', data: true },
  { id: 'panels', html: 'panels.html', data: false },
  { id: 'experiments', html: 'experiments.html', data: true },
]);
const DATA = ['data/mnist-subset.bin'];
const WASM = ['web/build/bp-simd.wasm', 'web/build/bp-scalar.wasm', 'web/build/bp-f64.wasm'];

const b64 = file => fs.readFileSync(path.join(root, file)).toString('base64');
const FONT = { '.woff2': 'font/woff2' };

/** A style sheet with its url()s as data: URLs; of a font's formats only woff2 (every browser that runs the lab reads it). */
function inlineCss(file) {
  let css = fs.readFileSync(file, 'utf8');
  css = css.replace(/,\s*url\([^)]*\.(?:woff|ttf)\)\s*format\(["']?(?:woff|truetype)["']?\)/g, '');
  return css.replace(/url\((["']?)([^)"']+)\1\)/g, (m, q, u) => {
    if (/^data:/.test(u)) return m;
    const p = path.resolve(path.dirname(file), u.split(/[?#]/)[0]);
    const type = FONT[path.extname(p)];
    if (!type || !fs.existsSync(p)) throw new Error(`${rel(file)}: url(${u}) is not a woff2 font the copy can hold`);
    return `url(data:${type};base64,${fs.readFileSync(p).toString('base64')})`;
  });
}

// esbuild: every module under web/ gets its import.meta.url, and a style sheet it links a data: URL; the
// data list offers the subset only (the one data file the copy holds)
const inlinePlugin = {
  name: 'backprop-lab-onefile',
  setup(build) {
    build.onLoad({ filter: /[\\/]web[\\/].*\.js$/ }, args => {
      const r = rel(args.path);
      if (r === 'web/build/data-files.js') return { contents: `export const DATA_FILES = ${JSON.stringify(DATA.map(d => path.basename(d)))};`, loader: 'js' };
      let src = fs.readFileSync(args.path, 'utf8');
      src = src.replace(/new URL\((['"])(\.\.?\/[^'"]+\.css)\1,\s*import\.meta\.url\)/g, (m, q, f) =>
        `new URL(${JSON.stringify(`data:text/css;base64,${Buffer.from(inlineCss(path.resolve(path.dirname(args.path), f))).toString('base64')}`)})`);
      src = src.replace(/\bimport\.meta\.url\b/g, () => JSON.stringify(`bpl:/${r}`));
      return { contents: src, loader: 'js' };
    });
  },
};

/** One module script (text) from the given modules (paths under web/), evaluated in that order; and the modules it holds. */
async function bundle(modules) {
  const res = await esbuild.build({
    stdin: { contents: modules.map(m => `import './${m}';`).join('\n'), resolveDir: web, sourcefile: 'onefile-entry.js', loader: 'js' },
    bundle: true, format: 'esm', platform: 'browser', write: false, minify: true, metafile: true,
    external: ['node:*'], plugins: [inlinePlugin], logLevel: 'silent', legalComments: 'inline',
  });
  // inside an HTML <script> the text must not end the element early
  const text = res.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  return { text, inputs: Object.keys(res.metafile.inputs).map(i => path.resolve(root, i)).filter(i => fs.existsSync(i)) };
}

/** The workers the bundled modules start: moduleWorker(new URL('./x.js', import.meta.url)), as paths under web/. */
function workersOf(inputs) {
  const out = new Set();
  for (const f of inputs.filter(i => i.startsWith(web) && i.endsWith('.js'))) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/moduleWorker\(new URL\((['"])(\.\.?\/[^'"]+)\1,\s*import\.meta\.url\)/g))
      out.add(path.relative(web, path.resolve(path.dirname(f), m[2])).split(path.sep).join('/'));
  }
  return [...out].sort();
}

const sha256 = text => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The one-file copy of a page: {html, workers, bytes}. */
export async function buildPage(page) {
  let html = fs.readFileSync(path.join(web, page.html), 'utf8');
  const entries = [...html.matchAll(/<script type="module" src="([^"]+)"><\/script>\n?/g)].map(m => m[1]);
  const main = await bundle(entries);
  const workers = {};
  for (const w of workersOf(main.inputs)) {
    const b = await bundle(['lib/inline-worker.js', w]);
    workers[`web/${w}`] = `data:text/javascript;charset=utf-8,${encodeURIComponent(b.text)}`;
  }
  const assets = {
    wasm: Object.fromEntries(WASM.map(f => [f, b64(f)])),
    data: page.data ? Object.fromEntries(DATA.map(f => [f, b64(f)])) : {},
    workers,
  };
  const inline = `globalThis.__BPL_INLINE__=${JSON.stringify(assets).replace(/</g, '\\u003c')};`;
  const csp = `default-src 'none'; script-src ${sha256(inline)} ${sha256(main.text)} 'wasm-unsafe-eval'; worker-src data:; ` +
    "style-src 'unsafe-inline' data:; font-src data:; img-src data: blob:; connect-src 'none'; frame-src 'self'; base-uri 'none'";
  html = html
    .replace(/<link rel="modulepreload" href="[^"]+">\n?/g, '')
    .replace(/<link rel="stylesheet" href="([^"]+)">/g, (m, href) => `<style>${inlineCss(path.join(web, href)).replace(/<\/(style)/gi, '<\\/$1')}</style>`)
    .replace(/<script type="module" src="[^"]+"><\/script>\n?/g, '')
    .replace('<meta charset="utf-8">', () => `<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${csp}">`)
    .replace('</head>', () => `<script>${inline}</script>\n<script type="module">${main.text}</script>\n</head>`);
  if (/<(?:script|link)\b[^>]*\b(?:src|href)="(?!data:)/.test(html)) throw new Error(`${page.html}: a file is still linked, not inlined`);
  return { html, workers: Object.keys(workers) };
}

/** Writes the copies into `out`; returns their paths. */
export async function writeOnefiles(out, log = console.log) {
  fs.mkdirSync(out, { recursive: true });
  const files = [];
  for (const page of ONEFILE_PAGES) {
    const { html, workers } = await buildPage(page);
    const file = path.join(out, OFFLINE_FILES[page.id]);
    fs.writeFileSync(file, html);
    files.push(file);
    log(`onefile: ${path.relative(root, file)} ${(Buffer.byteLength(html) / 1048576).toFixed(2)} MB` +
      ` (workers: ${workers.join(', ') || 'none'}${page.data ? '; the MNIST subset' : ''})`);
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  writeOnefiles(path.resolve(i > 0 ? process.argv[i + 1] : path.join(web, OFFLINE_DIR)))
    .catch(e => { console.error(`onefile: ${e.message}`); process.exit(1); });
}
