// settings.test.mjs - the settings table (web/lib/settings.js) and what derives from it: the two
// pages' URL forms (old keys included), the labels' translation keys, the optimizer defaults
// (engine.js's, not copies) and bin/backprop-lab's flags and help.
// Run: node --test tests/node/settings.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SETTINGS, SETTING, onPage, pageSettings, urlKeys, cliFlags, parseOne, formatValue, optimizerUses } from '../../web/lib/settings.js';
import { OPTIMIZER_DEFAULTS, OPTIMIZERS } from '../../web/lib/engine.js';
import { parseNum } from '../../web/lib/format.js';
import * as training from '../../web/lib/state.js';
import * as exp from '../../web/lib/experiment-settings.js';
import { DICTIONARIES } from '../../web/training/strings.js';
import { STRINGS } from '../../web/experiments/strings.js';

const BIN = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
const PAGES = ['training', 'experiments'];
const COMMANDS = ['trace', 'gradcheck', 'train', 'grid', 'help'];

// A value is valid for a setting when its own text parses back to it (type, range, enum).
function assertValid(s, v, what) {
  for (const x of s.list ? v : [v]) {
    const r = parseOne(s, formatValue(s, x));
    assert.ok(!r.error, `${what}: default ${JSON.stringify(x)} refused (${JSON.stringify(r.error)})`);
    assert.deepEqual(r.value, x, `${what}: default reads back`);
  }
  if (s.list && s.minLen != null) assert.ok(v.length >= s.minLen && v.length <= s.maxLen, `${what}: list length`);
}

test('every default is within its range, on the table and on each page that narrows it', () => {
  const names = SETTINGS.map(s => s.name);
  assert.equal(new Set(names).size, names.length, 'each setting once');
  for (const s of SETTINGS) {
    for (const view of [s, ...PAGES.map(p => onPage(s.name, p)).filter(Boolean)]) {
      if (view.shell || view.type === 'text' || view.def == null) continue;
      if (typeof view.def === 'function') continue;          // checked below, per optimizer
      assertValid(view, view.def, s.name);
    }
    if (s.min != null && s.max != null) assert.ok(s.min <= s.max, `${s.name}: min <= max`);
  }
  // the optimizer hyperparameters' defaults, for every optimizer that uses them
  for (const s of SETTINGS.filter(x => x.optimizer))
    for (const opt of OPTIMIZERS.filter(o => optimizerUses(s.name, o))) assertValid(s, s.def({ optimizer: opt }), `${s.name} with ${opt}`);
});

test('URL keys and old keys are unique on each page; flags are unique for each command', () => {
  for (const page of PAGES) {
    const keys = SETTINGS.filter(s => s[page]).flatMap(s => [s.name, ...(s.aliases || [])]);
    assert.equal(new Set(keys).size, keys.length, `${page}: ${keys.join(' ')}`);
    assert.equal(urlKeys(page).size, keys.length);
  }
  for (const c of COMMANDS) {
    const specs = SETTINGS.filter(s => s.cli && s.cli[c]);
    const flags = specs.flatMap(s => [s.cli[c].flag || s.name.replace(/_/g, '-'), ...(s.cli[c].aliases || [])]);
    assert.equal(new Set(flags).size, flags.length, `${c}: ${flags.join(' ')}`);
    assert.equal(cliFlags(c).size, flags.length);
  }
  assert.ok(cliFlags('train').has('weight-decay'), 'canonical flags are the names with dashes');
  assert.equal(cliFlags('grid').get('lr').flag, 'lrs', 'the grid takes --lr as its axis --lrs');
});

test('every label key the pages use is in both languages of that page\'s dictionary', () => {
  const dicts = { training: DICTIONARIES, experiments: STRINGS };
  let n = 0;
  for (const page of PAGES)
    for (const name of pageSettings(page)) {
      const label = onPage(name, page).label;
      if (!label) continue;
      for (const [lang, d] of Object.entries(dicts[page])) assert.ok(label in d, `${page} ${name}: ${label} missing in ${lang}`);
      n++;
    }
  for (const f of exp.FIELDS) for (const [lang, d] of Object.entries(STRINGS)) assert.ok(exp.labelKey(f) in d, `${f} (${lang})`);
  assert.ok(n >= 40, `${n} labels checked`);
  for (const [lang, d] of Object.entries(STRINGS)) assert.ok('msg.unknownParams' in d, lang);
});

test('optimizer defaults are engine.js\'s OPTIMIZER_DEFAULTS on both pages', () => {
  for (const opt of OPTIMIZERS) {
    const s = training.update(training.defaults(), 'optimizer', opt);
    for (const [k, v] of Object.entries(OPTIMIZER_DEFAULTS[opt])) {
      if (k === 'lr' && opt === 'adam') continue;            // the page's default run (trainer.js), the same 0.001
      assert.equal(s[k], v, `${opt}.${k}`);
    }
  }
  assert.equal(exp.DEFAULTS.momentum, OPTIMIZER_DEFAULTS.momentum.momentum);
  assert.equal(exp.DEFAULTS.alpha, OPTIMIZER_DEFAULTS.rmsprop.alpha);
  assert.equal(exp.DEFAULTS.beta1, OPTIMIZER_DEFAULTS.adam.beta1);
  assert.equal(exp.DEFAULTS.beta2, OPTIMIZER_DEFAULTS.adam.beta2);
  assert.equal(SETTING.slope.def, 0.01, 'Leaky ReLU slope: the core\'s default (layers.c)');
  assert.equal(SETTING.elu.def, 1, 'ELU alpha: the core\'s default (layers.c)');
});

test('training page: the old keys opt and wd open the same state; serialize writes the names', () => {
  // the URL of tests/browser/page.test.mjs (written before the rename) and one with wd
  const old = training.parse('?hidden=256,128,32&act=tanh,relu,elu&opt=sgd&lr=0.05&momentum=0.9&batch=64&epochs=2&seed=7&scale=pm05&init=xavier_normal&wd=0.001');
  const now = training.parse('?hidden=256,128,32&act=tanh,relu,elu&optimizer=sgd&lr=0.05&momentum=0.9&batch=64&epochs=2&seed=7&scale=pm05&init=xavier_normal&weight_decay=0.001');
  assert.deepEqual(old.errors, []);
  assert.deepEqual(old.state, now.state);
  assert.equal(old.state.optimizer, 'sgd');
  assert.equal(old.state.weight_decay, 0.001);
  const q = training.serialize(old.state);
  assert.match(q, /optimizer=sgd/);
  assert.match(q, /weight_decay=0.001/);
  assert.doesNotMatch(q, /(\?|&)(opt|wd)=/);
  assert.deepEqual(training.parse('?seeds=5').state.seed, 5, 'the experiment page\'s old key for seeds opens the seed');
  // an old key reports errors under the key as written
  const e = training.parse('?wd=2').errors[0];
  assert.deepEqual([e.field, e.param, e.code], ['weight_decay', 'wd', 'max']);
  const d = training.parse('?opt=sgd&optimizer=adam').errors[0];
  assert.deepEqual([d.field, d.param, d.code], ['optimizer', 'optimizer', 'duplicate'], 'old and new key together: the second is refused');
});

// Every key of the experiment page's URL before the rename (PARAMS at f885f4f), each with a value
// other than the default, and the same settings under the names.
const OLD_EXP = 'opt=adam,sgd&lr=0.05&batch=8,128&epochs=2&seeds=1,2&target=85&check=20&stop=patience&xi=0.01&patience=3&val=600'
  + '&hidden=32&act=tanh&dropout=0.1&bn=1&wd=0.001&mom=0.5&alpha=0.9&beta1=0.8&beta2=0.99&data=subset';
const NEW_EXP = 'optimizer=adam,sgd&lr=0.05&batch=8,128&epochs=2&seed=1,2&target=85&check_every=20&stop=patience&xi=0.01&patience=3&validation=600'
  + '&hidden=32&act=tanh&dropout=0.1&batchnorm=1&weight_decay=0.001&momentum=0.5&alpha=0.9&beta1=0.8&beta2=0.99&data=subset';

test('experiment page: every old key still opens the same settings; toQuery writes the names', () => {
  const old = exp.fromQuery(`?${OLD_EXP}`), now = exp.fromQuery(`?${NEW_EXP}`);
  assert.deepEqual(old.errors, {});
  assert.deepEqual(old.unknown, []);
  assert.deepEqual(old.settings, now.settings);
  const s = old.settings;
  assert.deepEqual([s.optimizers, s.seeds, s.check_every, s.validation, s.batchnorm, s.weight_decay, s.momentum], [['sgd', 'adam'], [1, 2], 20, 600, true, 0.001, 0.5]);
  const q = new URLSearchParams(exp.toQuery(old.strs));
  assert.deepEqual([...q.keys()].sort(), [...new URLSearchParams(NEW_EXP).keys()].filter(k => k !== 'data').sort(), 'names, defaults left out');
  // the embedding test's link (tests/browser/embed.test.mjs)
  const e = exp.fromQuery('?lang=en&opt=adam&lr=0.01&batch=64&epochs=1');
  assert.deepEqual([e.settings.optimizers, e.settings.lrs, e.settings.batches, e.settings.epochs, e.unknown], [['adam'], [0.01], [64], 1, []]);
});

test('experiment page: settings survive the URL round trip', () => {
  const s = { ...exp.DEFAULTS, optimizers: ['nesterov', 'adam'], lrs: [0.3, 1e-4], weight_decay: 0.0005, check_every: 7, target: 0.875, hidden: [64, 32, 16] };
  const back = exp.fromQuery(`?${exp.toQuery(exp.toStrings(s))}`);
  assert.deepEqual(back.errors, {});
  assert.deepEqual(back.settings, s);
});

test('unknown and repeated URL parameters are reported on both pages, never ignored', () => {
  assert.equal(training.parse('?colour=red').errors[0].code, 'unknown');
  assert.deepEqual(exp.fromQuery('?colour=red&lang=ru&opt=adam&optimizer=sgd').unknown,
    [{ param: 'colour', value: 'red', code: 'unknown' }, { param: 'optimizer', value: 'sgd', code: 'duplicate' }]);
  assert.deepEqual(exp.fromQuery('?opt=adam&optimizer=sgd').settings.optimizers, ['adam'], 'the first one is used');
  assert.equal(training.parse('?momentum=0.5&mom=0.4').errors[0].code, 'duplicate');
});

test('the pages read numbers with format.js\'s parseNum: decimal comma in a form field, not in a URL', () => {
  assert.deepEqual(parseNum('0,5'), { ok: true, value: 0.5 });
  assert.deepEqual(parseNum('0,5', { comma: false }), { ok: false, reason: 'nan' });
  assert.deepEqual(parseNum('\u22121e-3'), { ok: true, value: -0.001 }, 'a real minus sign');
  assert.equal(parseNum('1e999').reason, 'inf');
  assert.equal(parseNum('Infinity').reason, 'nan');
  assert.equal(training.parseValue('lr', '0,01').error.code, 'nan');
  assert.equal(training.parseValue('lr', '0,01', { comma: true }).value, 0.01);
  assert.equal(exp.parse({ momentum: '0,5' }).settings.momentum, 0.5, 'one-number field: comma accepted');
  assert.equal(exp.parse({ lrs: '0,5' }).errors.lrs.params.v, '0', 'a list: the comma separates, and 0 is no learning rate');
});

const run = args => spawnSync(BIN, args, { encoding: 'utf8' });

test('backprop-lab train --help and grid --help list every flag of the table for the command', () => {
  for (const cmd of ['train', 'grid']) {
    const r = run([cmd, '--help']);
    assert.equal(r.status, 0, r.stderr);
    const flags = [...new Set([...cliFlags(cmd).values()].map(f => f.flag))];
    assert.ok(flags.length >= 12, `${cmd}: ${flags.length} flags`);
    for (const f of flags) assert.match(r.stdout, new RegExp(`--${f}\\b`), `${cmd} --help lists --${f}`);
  }
  assert.ok(cliFlags('train').has('weight-decay') && cliFlags('grid').has('lrs'));
});

test('backprop-lab refuses unknown flags and values outside the table\'s ranges, naming the flag', () => {
  for (const [args, re] of [
    [['train', '--wd', '0.1'], /unknown option --wd for "train" \(allowed: .*--weight-decay/],
    [['grid', '--momentum', '0.9'], /unknown option --momentum for "grid"/],
    [['train', '--lr', '0'], /--lr: "0" is not a number > 0/],
    [['train', '--epochs', '2.5'], /--epochs: "2.5" is not a whole number/],
    [['train', '--optimizer', 'lbfgs'], /--optimizer: "lbfgs" is not one of sgd, /],
    [['grid', '--batches', '16,x'], /--batches: item 2 "x" is not a whole number/],
    [['gradcheck', 'x.json', '--steps', '2'], /unknown option --steps for "gradcheck"/],
  ]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});
