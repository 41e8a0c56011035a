// dist.mjs - make dist: a folder that any static host serves as it is, also under a sub-path (a
// project site such as https://USER.github.io/REPO/): every URL in the pages is relative, and the
// files live in dist/v-VERSION/ (web/ and data/, as in the repository), VERSION being the hash of
// their contents that web/build/precache.json holds, so a new build is a new folder and no cache
// serves an old file. At dist/'s root, index.html, panels.html, experiments.html and bench.html
// forward to the current version's pages, keeping the query (?p=chain&lang=ru) and the hash.
// The one-file offline copies (scripts/onefile.mjs) go to dist/offline/ and, for the pages' "Save for
// offline use" link, to the version's web/build/offline/.
// Usage: node scripts/dist.mjs [--out DIR]   (after make precache; the Makefile's dist target does both)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOnefiles } from './onefile.mjs';
import { OFFLINE_DIR } from '../web/lib/inline.js';
import { webFiles } from '../web/lib/scorm-package.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'web');
const i = process.argv.indexOf('--out');
const out = path.resolve(i > 0 ? process.argv[i + 1] : path.join(root, 'dist'));
const pre = JSON.parse(fs.readFileSync(path.join(web, 'build', 'precache.json'), 'utf8'));
const dir = `v-${pre.version}`;

fs.rmSync(out, { recursive: true, force: true });
const copy = rel => {
  const to = path.join(out, dir, 'web', rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(path.join(web, rel), to);
};
// the service worker's list (the pages, modules, styles, fonts, cores, the MNIST subset), the
// service worker and its list, and the fonts' other formats for the browsers that want them
// (web/lib/scorm-package.js webFiles: the SCORM package of `make scorm` carries the same list)
const files = webFiles(pre, fs.readdirSync(path.join(web, 'vendor/katex/fonts')));
for (const f of files) copy(f);

// the one-file copies, made from the same files
for (const f of await writeOnefiles(path.join(out, 'offline'), () => {})) {
  const to = path.join(out, dir, 'web', OFFLINE_DIR, path.basename(f));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(f, to);
}

// the root: one forwarding page per entry page (a script keeps the query; the meta refresh without it)
const PAGES = [['index.html', ''], ['panels.html', 'panels.html'], ['experiments.html', 'experiments.html'], ['bench.html', 'bench.html']];
for (const [name, target] of PAGES) {
  const href = `${dir}/web/${target}`;
  fs.writeFileSync(path.join(out, name), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backprop Lab</title>
<meta http-equiv="refresh" content="1; url=${href}">
<link rel="icon" href="data:,"></head>
<body><p><a id="go" href="${href}">Backprop Lab</a></p><script src="forward.js"></script></body></html>
`);
}
fs.writeFileSync(path.join(out, 'forward.js'), `// forward.js - the root pages of make dist forward to the current version, keeping ?query and #hash
const a = document.getElementById('go');
location.replace(a.getAttribute('href') + location.search + location.hash);
`);
const n = files.length;
console.log(`dist: ${path.relative(root, out) || out}/ (${dir}, ${n} files; offline/: the one-file copies); serve the folder as it is`);
