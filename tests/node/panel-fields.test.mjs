// panel-fields.test.mjs - web/lib/panel-fields.js: a panel's field values read from the URL (issue #13).
// Proves: good values of every field type are taken (numbers as parseNum reads them, a comma too;
// selects by option; checkboxes 1/0), selects first; an out-of-range value is refused with the field's
// own check's reason; an unparsable number with parseNum's; an unknown key is refused naming the
// panel's keys; the page's own keys (p, lang, stage, hide ...) are not fields; a lower-case key names a
// field whose key differs only in case (custom-element attributes); a key given twice is refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFields, fieldValue } from '../../web/lib/panel-fields.js';
import { PANEL_PAGE_KEYS } from '../../web/lib/settings.js';
import { translator } from '../../web/lib/i18n.js';
import { STRINGS } from '../../web/panels/strings.js';

const t = translator(STRINGS, 'en');
const lr = v => (v > 0 ? (v <= 100 ? null : t('err.lrBig')) : t('err.lrPos'));   // web/panels/ui.js checks.lr
const FIELDS = new Map([
  ['X', { key: 'X', type: 'number', check: v => (Math.abs(v) <= 1e6 ? null : t('err.range', { lo: -1e6, hi: 1e6 })) }],
  ['lr', { key: 'lr', type: 'number', check: lr }],
  ['W1.0.1', { key: 'W1.0.1', type: 'number', check: null }],
  ['act', { key: 'act', type: 'select', options: ['identity', 'sigmoid', 'tanh'] }],
  ['sgd.on', { key: 'sgd.on', type: 'check' }],
]);
const parse = q => parseFields(new URLSearchParams(q), FIELDS, t);

test('good values of every kind are taken, selects first, the page\'s own keys skipped', () => {
  const r = parse('p=one-weight&lang=ru&stage=2&hide=plot&X=-1.5e2&lr=0,05&W1.0.1=0.3&act=tanh&sgd.on=0');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.values.map(v => [v.key, v.value]), [['act', 'tanh'], ['X', -150], ['lr', 0.05], ['W1.0.1', 0.3], ['sgd.on', false]]);
  assert.deepEqual(fieldValue(FIELDS.get('sgd.on'), 'true', t), { value: true });
});

test('out of range: refused with the field\'s own check\'s reason, in the page\'s language', () => {
  const r = parse('lr=-1&X=2e6&lr2=1');
  assert.deepEqual(r.values, []);
  assert.deepEqual(r.errors.slice(0, 2).map(e => [e.param, e.value, e.code, e.params.reason]),
    [['lr', '-1', 'field', t('err.lrPos')], ['X', '2e6', 'field', t('err.range', { lo: -1e6, hi: 1e6 })]]);
  const ru = translator(STRINGS, 'ru');
  assert.equal(parseFields([['lr', '500']], new Map([['lr', { key: 'lr', type: 'number', check: v => (v <= 100 ? null : ru('err.lrBig')) }]]), ru).errors[0].params.reason, STRINGS.ru['err.lrBig']);
});

test('unknown and malformed: an unknown key names the panel\'s keys; a non-number, a foreign option, a bad switch, a key twice', () => {
  const r = parse('Q=3&X=abc&act=softmax2&sgd.on=yes&lr=0.1&lr=0.2');
  assert.deepEqual(r.errors.map(e => [e.param, e.code]), [['Q', 'key'], ['X', 'field'], ['act', 'field'], ['sgd.on', 'field'], ['lr', 'twice']]);
  assert.equal(r.errors[0].params.allowed, 'X, lr, W1.0.1, act, sgd.on');
  assert.equal(r.errors[1].params.reason, t('err.nan'));
  assert.equal(r.errors[2].params.reason, t('url.allowed', { allowed: 'identity, sigmoid, tanh' }));
  assert.equal(r.errors[3].params.reason, t('url.bool'));
  assert.deepEqual(r.values.map(v => [v.key, v.value]), [['lr', 0.1]]);
  // on the index (no panel) every key that is not the page's own is unknown
  assert.deepEqual(parseFields(new URLSearchParams('lang=en&x=1'), new Map(), t).errors.map(e => [e.param, e.code, e.params.allowed]), [['x', 'key', '']]);
});

test('a lower-case key names the field whose key differs only in case (HTML attributes are lower case)', () => {
  assert.deepEqual(parse('x=2').values.map(v => [v.key, v.value]), [['X', 2]]);
  const two = new Map([['X', FIELDS.get('X')], ['x', { key: 'x', type: 'number', check: null }]]);
  assert.deepEqual(parseFields([['x', '1'], ['X', '2']], two, t).values.map(v => [v.key, v.value]), [['x', 1], ['X', 2]]);
});

test('the panels page\'s own keys are not fields', () => {
  for (const k of ['p', 'stage', 'lang', 'embed', 'theme', 'hide', 'lock', 'origin']) assert.ok(PANEL_PAGE_KEYS.includes(k), k);
});
