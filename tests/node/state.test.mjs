// tests/node/state.test.mjs - the training page's state table and its URL form (web/lib/state.js).
// Run: node --test tests/node/state.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIELDS, FIELD, defaults, parse, serialize, update, validate, toRunConfig, parseValue, sameRun, PRESETS,
} from '../../web/lib/state.js';
import { DEFAULT_RUN } from '../../web/lib/trainer.js';
import { OPTIMIZER_DEFAULTS } from '../../web/lib/engine.js';

const errorsOf = q => parse(q).errors;
const only = (q, field, code) => {
  const errs = errorsOf(q);
  assert.ok(errs.length >= 1, `${q}: expected an error`);
  const e = errs.find(x => x.param === field || x.field === field);
  assert.ok(e, `${q}: expected an error for ${field}, got ${JSON.stringify(errs)}`);
  if (code) assert.equal(e.code, code, `${q}: code`);
  return e;
};

test('the defaults are the practical work run of web/lib/trainer.js and serialise to an empty query', () => {
  const s = defaults();
  const cfg = toRunConfig(s);
  assert.deepEqual(cfg.layers, DEFAULT_RUN.layers);
  assert.deepEqual(cfg.activations, DEFAULT_RUN.activations);
  assert.equal(cfg.loss, DEFAULT_RUN.loss);
  assert.equal(cfg.init, DEFAULT_RUN.init);
  assert.equal(cfg.optimizer.name, DEFAULT_RUN.optimizer.name);
  assert.equal(cfg.optimizer.lr, DEFAULT_RUN.optimizer.lr);
  assert.equal(cfg.batch, DEFAULT_RUN.batch);
  assert.equal(cfg.epochs, DEFAULT_RUN.epochs);
  assert.equal(cfg.seed, DEFAULT_RUN.seed);
  assert.equal(serialize(s), '');
  assert.deepEqual(parse('').state, s);
  assert.deepEqual(parse('').errors, []);
  assert.deepEqual(validate(s), []);
});

test('a changed setup round-trips through the URL, with only the changed fields in it', () => {
  let s = defaults();
  s = update(s, 'hidden', [...PRESETS.lecture, 32]);
  s = update(s, 'act', ['tanh', 'leaky_relu', 'elu']);
  s = update(s, 'slope', 0.05);
  s = update(s, 'elu', 0.5);
  s = update(s, 'optimizer', 'sgd');
  s = update(s, 'lr', 0.05);
  s = update(s, 'momentum', 0.9);
  s = update(s, 'nesterov', true);
  s = update(s, 'weight_decay', 0.0005);
  s = update(s, 'batch', 64);
  s = update(s, 'epochs', 5);
  s = update(s, 'seed', 42);
  s = update(s, 'scale', 'pm05');
  s = update(s, 'lang', 'ru');
  s = update(s, 'logy', false);
  s = update(s, 'smooth', 0.95);
  s = update(s, 'init', 'xavier_normal');
  const q = serialize(s);
  for (const k of ['hidden=256,128,32', 'act=tanh,leaky_relu,elu', 'optimizer=sgd', 'lr=0.05', 'momentum=0.9', 'nesterov=1', 'weight_decay=0.0005',
    'batch=64', 'epochs=5', 'seed=42', 'scale=pm05', 'lang=ru', 'logy=0', 'smooth=0.95', 'init=xavier_normal', 'slope=0.05', 'elu=0.5'])
    assert.ok(q.includes(k), `${q} should contain ${k}`);
  for (const k of ['loss=', 'out=', 'beta1=', 'beta2=', 'eps=', 'alpha=', 'amsgrad=', 'data=', 'embed='])
    assert.ok(!q.includes(k), `${q} should not contain ${k} (default or unused)`);
  const back = parse(q);
  assert.deepEqual(back.errors, []);
  assert.deepEqual(back.state, s);
  assert.equal(serialize(back.state), q);
});

test('every float survives the round trip exactly', () => {
  for (const lr of [1e-7, 0.1 + 0.2, 3e-4, 1 / 3, 99.99]) {
    const s = update(defaults(), 'lr', lr);
    assert.equal(parse(serialize(s)).state.lr, lr);
  }
});

test('defaults that depend on the optimizer are left out of the URL and follow a change of optimizer', () => {
  let s = update(defaults(), 'optimizer', 'sgd');
  assert.equal(s.lr, OPTIMIZER_DEFAULTS.sgd.lr);
  assert.equal(serialize(s), '?optimizer=sgd');
  s = update(s, 'optimizer', 'momentum');
  assert.equal(s.momentum, OPTIMIZER_DEFAULTS.momentum.momentum);
  assert.equal(serialize(s), '?optimizer=momentum');
  s = update(s, 'lr', 0.2);
  s = update(s, 'optimizer', 'rmsprop');           // a changed lr is kept, a default one follows
  assert.equal(s.lr, 0.2);
  assert.equal(s.momentum, 0);
  assert.equal(parse('?optimizer=adamw').state.weight_decay, OPTIMIZER_DEFAULTS.adamw.weight_decay);
  assert.equal(serialize(parse('?optimizer=adamw').state), '?optimizer=adamw');
});

test('the activation list follows the number of hidden layers', () => {
  let s = update(defaults(), 'hidden', [100, 50, 25]);
  assert.deepEqual(s.act, ['relu', 'relu', 'relu']);
  s = update(s, 'act', ['tanh', 'sigmoid', 'elu']);
  s = update(s, 'hidden', [100]);
  assert.deepEqual(s.act, ['tanh']);
  s = update(s, 'hidden', []);
  assert.deepEqual(toRunConfig(s).layers, [784, 10]);
  assert.equal(serialize(s), '?hidden=');
  assert.deepEqual(parse('?hidden=').state.hidden, []);
});

test('every malformed or out-of-range parameter is reported with its field and not used', () => {
  const cases = [
    ['lr', 'NaN', 'nan'], ['lr', 'abc', 'nan'], ['lr', '0', 'gt'], ['lr', '-0.1', 'gt'], ['lr', '1e9', 'max'], ['lr', '', 'empty'],
    ['lr', 'Infinity', 'nan'], ['lr', '0x10', 'nan'],
    ['batch', '0', 'min'], ['batch', '1.5', 'int'], ['batch', '60001', 'max'], ['batch', 'x', 'nan'],
    ['epochs', '0', 'min'], ['epochs', '-3', 'min'], ['epochs', '2.5', 'int'],
    ['seed', '-1', 'min'], ['seed', '4294967296', 'max'],
    ['hidden', '0', 'item'], ['hidden', '4097', 'item'], ['hidden', '128,abc', 'item'], ['hidden', '1,2,3,4,5,6,7,8,9', 'list_len'],
    ['act', 'relu,softmax', 'item'], ['act', 'relu', 'act_len'],
    ['out', 'swish', 'enum'], ['loss', 'hinge', 'enum'], ['init', 'ones', 'enum'], ['optimizer', 'lbfgs', 'enum'],
    ['data', 'huge', 'enum'], ['scale', '0255', 'enum'], ['lang', 'de', 'enum'],
    ['beta1', '1', 'lt'], ['beta2', '-0.1', 'min'], ['eps', '0', 'gt'], ['weight_decay', '-1', 'min'],
    ['embed', 'maybe', 'bool'], ['logy', '2', 'bool'], ['smooth', '1', 'max'],
  ];
  const def = defaults();
  for (const [field, value, code] of cases) {
    const q = `?${field}=${encodeURIComponent(value)}`;
    const { state, errors } = parse(q);
    assert.equal(errors.length, 1, `${q}: ${JSON.stringify(errors)}`);
    const e = errors[0];
    assert.equal(e.field, field, `${q}: field`);
    assert.equal(e.param, field, `${q}: param`);
    assert.equal(e.value, value, `${q}: value`);
    assert.equal(e.code, code, `${q}: code`);
    assert.deepEqual(state[field], def[field], `${q}: the default is used instead`);
  }
  const e = only('?hidden=128,0', 'hidden', 'item');
  assert.equal(e.params.index, 2);
  assert.equal(e.params.error.code, 'min');
  assert.equal(only('?lr=0', 'lr').params.min, 0);
});

test('unknown, repeated and unused parameters are reported too', () => {
  assert.equal(only('?colour=red', 'colour', 'unknown').field, null);
  only('?lr=0.1&lr=0.2', 'lr', 'duplicate');
  const e = only('?optimizer=sgd&beta1=0.5', 'beta1', 'unused');
  assert.equal(e.params.opt, 'sgd');
  assert.equal(parse('?optimizer=sgd&beta1=0.5').state.beta1, 0.9);
  only('?optimizer=sgd&amsgrad=1', 'amsgrad', 'unused');
  assert.deepEqual(errorsOf('?amsgrad=1'), []);   // Adam has an AMSGrad variant
});

test('combinations the core refuses are reported at a field', () => {
  only('?loss=bce', 'loss', 'bce_needs_sigmoid');
  only('?out=identity', 'loss', 'ce_needs_prob');
  only('?optimizer=nesterov&momentum=0', 'momentum', 'nesterov_momentum');
  only('?optimizer=sgd&nesterov=1', 'momentum', 'nesterov_momentum');
  assert.deepEqual(errorsOf('?out=sigmoid&loss=bce'), []);
  assert.deepEqual(errorsOf('?out=identity&loss=mse'), []);
  assert.deepEqual(errorsOf('?optimizer=sgd&nesterov=1&momentum=0.9'), []);
});

test('the batch may not exceed the training set', () => {
  const s = update(defaults(), 'batch', 20000);
  const errs = validate(s);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].field, 'batch');
  assert.equal(errs[0].code, 'batch_gt_train');
  assert.equal(errs[0].params.max, 12000);
  assert.deepEqual(validate(update(s, 'data', 'full')), []);
  assert.equal(validate(update(defaults(), 'batch', 600), { nTrain: 500 })[0].code, 'batch_gt_train');
  only('?batch=12001', 'batch', 'batch_gt_train');
  assert.deepEqual(errorsOf('?batch=12001&data=full'), []);
});

test('field values typed in the form: decimal comma accepted there, not in the URL', () => {
  assert.deepEqual(parseValue('lr', '0,01', { comma: true }), { value: 0.01 });
  assert.equal(parseValue('lr', '0,01').error.code, 'nan');
  assert.equal(parseValue('lr', ' 0.5 ').value, 0.5);
  assert.equal(parseValue('batch', '1e2').value, 100);
  assert.deepEqual(parseValue('hidden', '256, 128').value, [256, 128]);
});

test('the table is complete and consistent', () => {
  for (const f of FIELDS) {
    // text: only the shell's embedding keys (hide, lock, origin: lib/embed.js checks them)
    assert.ok(['int', 'number', 'bool', 'enum', ...(f.shell ? ['text'] : [])].includes(f.type), f.key);
    const d = defaults()[f.key];
    if (f.key === 'lang') { assert.equal(d, null); continue; }
    assert.deepEqual(validate(defaults()).filter(e => e.field === f.key), [], `${f.key}: default valid`);
    if (f.type === 'enum' && !f.list) assert.ok(f.values.includes(d), f.key);
  }
  assert.equal(FIELD.lr.minEx, true);
  assert.ok(sameRun(defaults(), update(update(defaults(), 'logy', false), 'lang', 'ru')));
  assert.ok(!sameRun(defaults(), update(defaults(), 'seed', 2)));
});

test('toRunConfig gives the core its optimizer settings and activation alphas', () => {
  let s = update(defaults(), 'optimizer', 'rmsprop');
  s = update(s, 'alpha', 0.9);
  s = update(s, 'act', ['leaky_relu', 'elu']);
  s = update(s, 'slope', 0.2);
  const c = toRunConfig(s);
  assert.deepEqual(c.optimizer, { name: 'rmsprop', lr: 0.01, momentum: 0, alpha: 0.9, eps: 1e-8, weight_decay: 0 });
  assert.deepEqual(c.alphas, [0.2, 1, null]);
});

test('parse accepts a full URL and a URLSearchParams', () => {
  assert.equal(parse('http://localhost:8080/web/?epochs=7').state.epochs, 7);
  assert.equal(parse(new URLSearchParams('epochs=8')).state.epochs, 8);
  assert.equal(parse('?embed=1').state.embed, true);
});
