// precache.mjs - writes web/build/precache.json: the files the service worker (web/sw.js) keeps so
// that every page works offline once one of them has been opened, and a version (a hash of their
// contents) that tells the service worker when to fetch them again. Paths are relative to web/.
// Run by the Makefile after the WebAssembly build and the vendor copy.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'web');
const walk = dir => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
  const p = path.join(dir, e.name);
  return e.isDirectory() ? walk(p) : [p];
});
const keep = p => {
  const rel = path.relative(web, p);
  if (rel === 'build/precache.json' || rel === 'sw.js' || rel.endsWith('.stamp')) return false;
  if (rel.startsWith(`build${path.sep}offline${path.sep}`)) return false;   // the one-file copies (make onefile): downloaded, not kept
  if (rel.startsWith('vendor/katex/fonts/')) return rel.endsWith('.woff2');   // every browser with WASM SIMD reads woff2
  return /\.(html|js|mjs|css|wasm|woff2|xsd)$/.test(rel);          // xsd: the SCORM schema files (the panels' package button)
};
// which data files are there, for the pages to offer without probing (a probe that fails is a console
// error on every load): web/build/data-files.js, written first so that it is itself in the list below
const dataDir = path.join(root, 'data');
const dataFiles = fs.readdirSync(dataDir).filter(f => /^mnist-.*\.bin$/.test(f)).sort();
fs.mkdirSync(path.join(web, 'build'), { recursive: true });
fs.writeFileSync(path.join(web, 'build', 'data-files.js'), '// written by scripts/precache.mjs at build time (make precache, make data-full): the data files\n' +
  `// in data/ then. A page offers mnist-full.bin only when it is listed here.\nexport const DATA_FILES = ${JSON.stringify(dataFiles)};\n`);
const files = walk(web).filter(keep).map(p => path.relative(web, p).split(path.sep).join('/')).sort();
files.push('../data/mnist-subset.bin');                     // the default data; the full file is kept once used
const hash = crypto.createHash('sha256');
for (const f of files) { hash.update(f); hash.update(fs.readFileSync(path.join(web, f))); }
// the pages load './' (index.html) by its folder's URL too
const out = { version: hash.digest('hex').slice(0, 16), files: ['./', ...files] };
fs.mkdirSync(path.join(web, 'build'), { recursive: true });
fs.writeFileSync(path.join(web, 'build', 'precache.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`precache: ${files.length} files, version ${out.version}; data files: ${dataFiles.join(', ')}`);
