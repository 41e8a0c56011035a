// exercise.test.mjs - the exercises' pure parts (issue #14): the tolerance rule for hand work
// (web/lib/answer-check.js: digits typed, at least 3, comma on a Russian page, sign, exponent), the
// table of classic mistakes per panel and where their values sit (web/lib/exercise-mistakes.js, with
// the values computed by the f64 core, src/mistakes.c), the drawn exercises (web/lib/exercise-draw.js)
// and the exercise's URL keys. Property tests with fast-check.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAnswer, checkAnswer, agrees, MIN_DIGITS } from '../../web/lib/answer-check.js';
import { EXERCISE_MISTAKES, ALL_MISTAKES, mistakesFor, valueAt, candidates, diagnose } from '../../web/lib/exercise-mistakes.js';
import { drawExercise, DRAW, exerciseUrl, rng } from '../../web/lib/exercise-draw.js';
import { EXERCISE_PANELS } from '../../web/lib/exercise-progress.js';
import { STRINGS } from '../../web/panels/strings.js';
import { loadCore } from '../../web/lib/engine.js';
import { buildNet, targetsOf } from '../../web/lib/spec.js';
import { roundSig } from '../../web/lib/format.js';
import Graph from '../../web/panels/p-graph.js';
import Losses from '../../web/panels/p-losses.js';
import Optimizers from '../../web/panels/p-optimizers.js';
import GradCheck from '../../web/panels/p-gradcheck.js';

test('digits typed: "0.5933" checks 4, "0.6" 3 (the minimum), the trailing zeros of a whole number do not, exponent and sign read', () => {
  assert.deepEqual(parseAnswer('0.5933'), { ok: true, value: 0.5933, digits: 4, zero: false });
  assert.equal(parseAnswer('0.50').digits, 2);
  assert.equal(parseAnswer('100').digits, 1);          // a whole number's trailing zeros may be rounding
  assert.equal(parseAnswer('100.').digits, 3);
  assert.equal(checkAnswer('1000', 1000.4).right, true);
  assert.equal(parseAnswer('-5.933e-1').value, -0.5933);
  assert.equal(parseAnswer('\u22120.25').value, -0.25);
  assert.equal(parseAnswer('+3.').value, 3);
  assert.deepEqual(parseAnswer(''), { ok: false, reason: 'empty' });
  for (const bad of ['abc', '1.2.3', '.', '1e', '--1', '0,5.1', 'Infinity', '1e999']) assert.equal(parseAnswer(bad).ok, false, bad);
  // Mazur's out_h1 = 0.593269992...
  assert.deepEqual(checkAnswer('0.5933', 0.5932699921071872), { ok: true, right: true, value: 0.5933, digits: 4 });
  assert.equal(checkAnswer('0.593', 0.5932699921071872).right, true);
  assert.equal(checkAnswer('0.5932', 0.5932699921071872).right, false);       // 0.59327 rounds to 0.5933
  assert.equal(checkAnswer('0.59', 0.5932699921071872).right, false);         // checked to 3: 0.590 is not 0.593
  assert.equal(checkAnswer('0.6', 0.5932699921071872).right, false);
  assert.equal(checkAnswer('0.6', 0.6).right, true);
  assert.equal(checkAnswer('-16', -16).right, true);
  assert.equal(checkAnswer('16', -16).right, false);
  assert.equal(checkAnswer('0', 0).right, true);
  assert.equal(checkAnswer('0', 1e-5).right, false);
});

test('a decimal comma is read on a Russian page (comma: true) and refused otherwise', () => {
  assert.equal(checkAnswer('0,5933', 0.59327, { comma: true }).right, true);
  assert.equal(checkAnswer('-1,5e-3', -0.0015, { comma: true }).right, true);
  assert.equal(parseAnswer('0,5933').ok, false);
  assert.equal(parseAnswer('1,000,5', { comma: true }).ok, false);
});

test('property: the true value rounded to d >= 3 digits and typed (point or comma, plain or exponent) is right', () => {
  fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter(x => Math.abs(x) > 1e-6), fc.integer({ min: MIN_DIGITS, max: 12 }),
    fc.constantFrom('plain', 'exp', 'comma'), (x, d, form) => {
      const r = roundSig(x, d);
      let text = form === 'exp' ? r.toExponential() : String(r);
      if (form === 'comma') text = text.replace('.', ',');
      return checkAnswer(text, x, { comma: form === 'comma' }).right === true;
    }), { numRuns: 2000 });
});

test('property: a value off by more than one unit in the last digit checked is wrong', () => {
  fc.assert(fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.integer({ min: 3, max: 8 }), fc.boolean(), (x, d, up) => {
    const e = Math.floor(Math.log10(x)), unit = 10 ** (e - d + 1);
    const typed = Number((roundSig(x, d) + (up ? 2 : -2) * unit).toPrecision(d + 1));
    const a = parseAnswer(String(typed));
    fc.pre(a.ok && a.digits >= d);
    return !agrees(a, x);
  }), { numRuns: 2000 });
});

test('the mistake table: every panel is one of the exercises, every mistake has a name and hint in en and ru', () => {
  for (const p of Object.keys(EXERCISE_MISTAKES)) assert.ok(EXERCISE_PANELS.includes(p), p);
  for (const m of ALL_MISTAKES) for (const lang of ['en', 'ru']) {
    assert.ok(STRINGS[lang][`ex.m.${m}`], `${lang} ex.m.${m}`);
    assert.ok(STRINGS[lang][`ex.h.${m}`], `${lang} ex.h.${m}`);
  }
  assert.deepEqual(mistakesFor('mlp', 'l1.db.0').slice(-1), ['bias_axis']);
  assert.ok(mistakesFor('softmax', 'l2.delta.2').includes('softmax_diag'));
  assert.ok(mistakesFor('chain', 'l1.delta').includes('updated_w'));
  assert.deepEqual(mistakesFor('mlp', 'l1.z.0'), []);               // the forward pass: no classic mistake listed
  assert.deepEqual(mistakesFor('nope', 'loss'), []);
});

test('the core names every mistake of the table, and valueAt reads its values from the step', async () => {
  const core = await loadCore({ precision: 'f64' });
  for (const m of ALL_MISTAKES) assert.ok(core.tables.mistake.includes(m), m);
  // Mazur's 2-2-2 (his post's numbers): the core's step under each mistake, read by row key
  const spec = { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half_sse', weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
    biases: [[0.35, 0.35], [0.6, 0.6]], input: [[0.05, 0.1]], target: [[0.01, 0.99]], optimizer: { name: 'sgd', lr: 0.5 }, update_biases: false };
  const { net, spec: s } = buildNet(core, spec);
  net.setTrace(true); net.forward(s.input); net.backward(targetsOf(s)); net.update();
  const T = net.trace();
  const info = { sizes: s.sizes, activations: s.activations, loss: s.loss, lr: 0.5, updateBiases: false };
  const steps = Object.fromEntries(core.tables.mistake.map(m => [m, core.mistakeStep(m, info, T)]));
  net.free();
  assert.equal(valueAt(steps.none, 'loss'), T.loss);
  assert.equal(valueAt(steps.none, 'l2.dW.0.1'), T.layers[1].dW[0][1]);
  assert.equal(valueAt(steps.none, 'l1.delta.1'), T.layers[0].delta[0][1]);
  assert.equal(valueAt(steps.none, 'l1.b.0'), 0.35);
  assert.ok(Math.abs(valueAt(steps.none, 'l2.dW.0.0') - 0.082167041) < 1e-9);                 // Mazur: dE/dw5
  assert.ok(Math.abs(valueAt(steps.sign_flip, 'l2.dW.0.0') + 0.082167041) < 1e-9);
  assert.ok(Math.abs(valueAt(steps.no_half, 'loss') - 2 * 0.298371109) < 1e-8);              // Mazur: E_total, twice
  assert.equal(valueAt(steps.none, 'nothing'), undefined);
  assert.equal(valueAt(steps.none, 'dx.1'), T.dinput[0][1]);                                 // the graph panel's names
  assert.equal(valueAt(steps.none, 'dW.1.0'), T.layers[0].dW[1][0]);
  assert.equal(valueAt(steps.none, 'W.new.0.1'), T.layers[0].W[0][1]);
  // candidates leave out what equals the true value (one row: no 1/B; sigmoid layers: no linear output)
  const truth = T.layers[1].dW[0][0];
  const c = candidates('mlp', 'l2.dW.0.0', truth, steps).map(x => x.mistake);
  assert.ok(!c.includes('no_mean') && !c.includes('deriv_on_linear') && c.includes('sign_flip') && c.includes('no_act_deriv'), c.join());
  assert.deepEqual(diagnose('-0.08217', candidates('mlp', 'l2.dW.0.0', truth, steps)), ['sign_flip']);
  assert.deepEqual(diagnose('0.4398', candidates('mlp', 'l2.dW.0.0', truth, steps)), ['no_act_deriv']);   // (o1 - t1) h1
  assert.deepEqual(diagnose('0,4398', candidates('mlp', 'l2.dW.0.0', truth, steps), { comma: true }), ['no_act_deriv']);
  assert.deepEqual(diagnose('0.3', candidates('mlp', 'l2.dW.0.0', truth, steps)), []);
});

test('drawn exercises: the same seed gives the same numbers, short decimals (<= 4 significant digits), the shapes of the defaults', () => {
  const defaults = { x: [0.05, 0.1], y: [0.01, 0.99], W1: [[0.15, 0.2], [0.25, 0.3]], b1: [0.35, 0.35], W2: [[0.4, 0.45], [0.5, 0.55]], b2: [0.6, 0.6], lr: 0.5, actH: 'sigmoid' };
  fc.assert(fc.property(fc.integer({ min: 0, max: 4294967295 }), seed => {
    const a = drawExercise('mlp', seed, defaults), b = drawExercise('mlp', seed, defaults);
    assert.deepEqual(a, b);
    assert.equal(a.lr, 0.5); assert.equal(a.actH, 'sigmoid');
    for (const v of [a.x, a.y, a.W1, a.b1, a.W2, a.b2].flat(2)) {
      assert.ok(roundSig(v, 4) === v && String(Math.abs(v)).replace(/^0\.0*|\./g, '').length <= 4, `${v}`);
      assert.ok(v >= -1 && v <= 1);
    }
    assert.equal(a.W1.length, 2); assert.equal(a.W1[0].length, 2);
    return true;
  }), { numRuns: 300 });
  assert.notDeepEqual(drawExercise('mlp', 1, defaults), drawExercise('mlp', 2, defaults));
  assert.deepEqual(drawExercise('mlp', 7, defaults).x, [0.01, 0.06]);              // pinned: the same on every machine
  assert.throws(() => drawExercise('perceptron', 1, {}), /no drawn exercises/);
  assert.throws(() => drawExercise('mlp', -1, defaults), /seed/);
  assert.equal(rng(5)(), rng(5)());
  for (const p of Object.keys(DRAW)) assert.ok(EXERCISE_MISTAKES[p], p);
});

/** The drawn fields of a panel's values: [[field, value, range]] (dotted fields read inside objects). */
function drawn(panel, p) {
  return Object.entries(DRAW[panel]).flatMap(([k, r]) => [k.split('.').reduce((o, key) => o[key], p)].flat(Infinity).map(v => [k, v, r]));
}

test('drawn exercises on graph, losses, optimizers, gradcheck: same seed same numbers, <= 4 significant digits, within the ranges, the rest the course\'s', () => {
  // the course examples as the panels give them (web/panels/p-*.js defaults(), built here without a core)
  const ctx = { t: k => k, core: null };
  for (const Panel of [Graph, Losses, Optimizers, GradCheck]) {
    const panel = new Panel(ctx), id = panel.id, defaults = panel.defaults();
    assert.deepEqual(panel.p, defaults, `${id}: no seed, the course example`);
    fc.assert(fc.property(fc.integer({ min: 0, max: 4294967295 }), seed => {
      const a = drawExercise(id, seed, defaults);
      assert.deepEqual(a, drawExercise(id, seed, defaults));
      assert.deepEqual(new Panel({ ...ctx, exercise: { on: true, seed } }).p, a, `${id}: the URL's seed is the panel's values`);
      for (const [k, v, [lo, hi, dec, nonzero]] of drawn(id, a)) {
        assert.ok(roundSig(v, 4) === v && String(Math.abs(v)).replace(/^0\.0*|\./g, '').length <= 4, `${id} ${k}: ${v}`);
        assert.ok(v >= lo && v <= hi && Number(v.toFixed(dec)) === v && !(nonzero && v === 0), `${id} ${k}: ${v} in [${lo}, ${hi}]`);
      }
      // the same shapes, and what is not drawn is the course's (the learning rate, the activations, d, Adam's eps ...)
      const strip = p => JSON.stringify(p, (key, v) => (typeof v === 'number' ? 0 : v));
      assert.equal(strip(a), strip(defaults));
      if (id === 'optimizers') assert.deepEqual({ ...a.o, adam: null }, { ...defaults.o, adam: null });
      if (id === 'optimizers') assert.ok(a.o.adam.beta1 < Math.sqrt(a.o.adam.beta2), 'steps of about lr at most');
      if (id === 'gradcheck') assert.deepEqual([a.lr, a.d], [defaults.lr, defaults.d]);
      // the losses' models: each sample's probabilities sum to 1 and have one largest (one predicted class)
      if (id === 'losses') for (const row of a.models.flat()) {
        assert.equal(Math.round(row.reduce((s, v) => s + v, 0) * 10), 10, `${row}`);
        assert.equal(row.filter(v => v === Math.max(...row)).length, 1, `${row}`);
      }
      return true;
    }), { numRuns: 200 });
    assert.notDeepEqual(drawExercise(id, 1, defaults), defaults, `${id}: other numbers than the course's`);
    assert.notDeepEqual(drawExercise(id, 1, defaults), drawExercise(id, 2, defaults));
  }
  // pinned: the same on every machine (mulberry32 in integer arithmetic)
  const ex = new Optimizers({ t: k => k, core: null, exercise: { on: true, seed: 42 } }).p;
  assert.deepEqual([ex.start, ex.o.adam], [[0.8, 0.3], { lr: 0.44, beta1: 0.87, beta2: 0.958 }]);
  assert.deepEqual(new Losses({ t: k => k, core: null, exercise: { seed: 42 } }).p.models[0][0], [0.5, 0.4, 0.1]);
});

test('URL keys: ex=1 and seed=N are read through the settings table; bad values are refused with a reason', () => {
  assert.deepEqual(exerciseUrl('ex=1&seed=42'), { on: true, seed: 42, errors: [] });
  assert.deepEqual(exerciseUrl(''), { on: false, seed: null, errors: [] });
  const bad = exerciseUrl('ex=maybe&seed=-3');
  assert.deepEqual(bad.errors.map(e => [e.param, e.code]), [['ex', 'enum'], ['seed', 'range']]);
  assert.equal(bad.on, false); assert.equal(bad.seed, null);
});
