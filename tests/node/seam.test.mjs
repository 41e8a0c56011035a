// seam.test.mjs - the seam between the C core and JS checks itself: the core's names and defaults
// (bp_enum_name, bp_optim_default, bp_act_alpha_default) equal the tables shipped in
// web/lib/core-tables.js, loadCore() refuses a drift, and errors cross as data (code, field, index,
// iteration, value) that agree with the English message the core writes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core } from './helpers.mjs';
import { loadCore, CoreError } from '../../web/lib/engine.js';
import { SHIPPED, ACTIVATIONS, LOSSES, OPTIMIZERS, INITS, OPTIMIZER_DEFAULTS, OPTIMIZER_BASE, ALPHA_DEFAULTS, seamDrift }
  from '../../web/lib/core-tables.js';

const copy = () => structuredClone(SHIPPED);

for (const flavor of ['simd', 'scalar']) {
  test(`[${flavor}] the shipped tables equal the core's names and defaults`, async () => {
    const t = (await core(flavor)).tables;
    assert.deepEqual(t.activation, ACTIVATIONS);
    assert.deepEqual(t.loss, LOSSES);
    assert.deepEqual(t.init, INITS);
    assert.deepEqual(t.optimizer, OPTIMIZERS);
    assert.deepEqual(t.optimizer_setting, Object.keys(OPTIMIZER_BASE));
    for (const name of OPTIMIZERS) {
      const own = Object.fromEntries(t.optimizerOwn[name].map(f => [f, t.optimizerDefaults[name][f]]));
      assert.deepEqual(own, OPTIMIZER_DEFAULTS[name], `${name}: its own settings and their defaults`);
      for (const f of Object.keys(OPTIMIZER_BASE))
        if (!(f in own)) assert.equal(t.optimizerDefaults[name][f], OPTIMIZER_BASE[f], `${name}: ${f} takes the shared value`);
    }
    assert.deepEqual(t.alphaDefaults, ALPHA_DEFAULTS);
    assert.deepEqual(t.status, ['OK', 'EINVAL', 'ENOMEM', 'ENOGRAD', 'DIVERGED', 'ESTATE']);
    assert.equal(seamDrift(t), null);
  });
}

test('loadCore refuses tables that drifted from the core, naming the first differing entry', async () => {
  const refuses = async (shipped, re) => {
    await assert.rejects(loadCore({ flavor: 'scalar', shipped }),
      e => e instanceof CoreError && e.code === 'SEAM' && re.test(e.message), `expected SEAM ${re}`);
  };
  // a new activation added in JS before softmax (or in C without JS): softmax is no longer number 7
  let s = copy();
  s.ACTIVATIONS.splice(7, 0, 'gelu');
  await refuses(s, /activation 7: the core has "softmax", the shipped table "gelu"/);
  s = copy();
  s.LOSSES.pop();
  await refuses(s, /loss 4: the core has "sse", the shipped table nothing/);
  s = copy();
  s.OPTIMIZER_DEFAULTS.adam.lr = 0.002;
  await refuses(s, /optimizer adam: default lr is 0.001 in the core, 0.002 in the shipped defaults/);
  s = copy();
  delete s.OPTIMIZER_DEFAULTS.rmsprop.alpha;
  await refuses(s, /optimizer rmsprop: alpha is one of its own settings in the core, not in the shipped defaults/);
  s = copy();
  s.OPTIMIZER_BASE.eps = 1e-7;
  await refuses(s, /optimizer sgd: default eps is 1e-8 in the core, 1e-7 in the shipped defaults/);
  s = copy();
  s.ALPHA_DEFAULTS.elu = 0.5;
  await refuses(s, /alpha of elu: the core's default is 1, the shipped one 0.5/);
  // the other direction: a core with one entry more than the page knows
  const t = structuredClone((await core('scalar')).tables);
  t.activation.push('gelu');
  assert.match(seamDrift(t), /activation 8: the core has "gelu", the shipped table nothing/);
});

test('errors from the core carry the argument, its index and value as data, matching the message', async () => {
  const c = await core();
  const err = fn => { try { fn(); } catch (e) { assert.ok(e instanceof CoreError, String(e)); return e; } assert.fail('no error'); };
  let e = err(() => c.createNet({ sizes: [2, 3, 1], activations: ['relu', 'sigmoid'], alphas: [NaN, null], loss: 'mse' }));
  assert.deepEqual([e.code, e.field, e.index, Number.isNaN(e.value)], ['EINVAL', 'alphas', 1, true]);
  assert.match(e.message, /alpha of layer 1: nan/);
  e = err(() => c.createNet({ sizes: [2, 5000, 1], activations: ['relu', 'sigmoid'], loss: 'mse' }));
  assert.deepEqual([e.field, e.index, e.value], ['sizes', 2, 5000]);
  const net = c.createNet({ sizes: [2, 3, 2], activations: ['relu', 'softmax'], loss: 'cross_entropy' });
  net.init('he_normal', 1);
  e = err(() => net.setOptimizer({ name: 'adam', beta2: 1.5 }));
  assert.deepEqual([e.field, e.value, e.iteration], ['beta2', 1.5, null]);
  e = err(() => net.setOptimizer({ name: 'adam', gamma: 0.9 }));
  assert.deepEqual([e.code, e.field], ['EINVAL', 'gamma']);
  net.forward([[1, 2]]);
  e = err(() => net.backward({ labels: [5] }));
  assert.deepEqual([e.field, e.index, e.value], ['labels', 1, 5]);
  const d = c.createData(10, 2, 2, true);
  net.beginEpoch(d);
  e = err(() => net.trainBatches(d, 0, 1));
  assert.deepEqual([e.field, e.value], ['batch', 0]);
  e = err(() => c.createData(0, 2, 2, true));
  assert.deepEqual([e.code, e.field], ['EINVAL', 'dataset']);
  net.free(); d.free();
  const v = c.createVectorOptimizer(2);
  e = err(() => v.set({ name: 'nesterov', momentum: 0 }));
  assert.deepEqual([e.field, e.value], ['momentum', 0]);
  v.free();
});

test('a divergence reports its iteration and the non-finite loss as data (the workers use these, not the text)', async () => {
  const c = await core();
  for (const lr of [10, 1e30]) {
    const net = c.createNet({ sizes: [1, 1], activations: ['identity'], loss: 'mse' });
    net.setLayer(0, [[3]], [0]);
    net.setOptimizer({ name: 'sgd', lr });
    let e, steps = 0;
    try { for (; steps < 200; steps++) net.step([[2]], [[10]]); } catch (x) { e = x; }
    assert.equal(e && e.code, 'DIVERGED', `lr ${lr} diverges`);
    assert.equal(e.iteration, steps + 1, 'the step that failed, counted from 1');
    assert.equal(e.iteration, net.stepCount + 1);
    assert.equal(e.field, 'loss');
    assert.ok(!Number.isFinite(e.value), `loss ${e.value}`);
    const what = Number.isNaN(e.value) ? 'NaN' : 'infinite';
    assert.match(e.message, new RegExp(`became ${what} at iteration ${e.iteration}:`), 'the text says the same');
    net.free();
  }
});
