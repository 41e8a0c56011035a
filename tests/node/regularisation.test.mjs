// regularisation.test.mjs - dropout, batch normalisation and L2 weight decay in the core against
// PyTorch (tests/fixtures/regularisation.json, made by tests/fixtures/make_fixtures.py): forward and
// backward of two training steps, running statistics, and the evaluation-mode output.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core, fixture, close } from './helpers.mjs';
import { buildNet } from '../../web/lib/spec.js';

const fx = fixture('regularisation.json');

for (const flavor of ['simd', 'scalar']) {
  test(`[${flavor}] batch norm + dropout + L2: two steps match PyTorch (z, zhat, h, a, delta, dW, db, dgamma, dbeta, updates, running stats)`, async () => {
    const c = await core(flavor);
    const { net, spec } = buildNet(c, fx.spec);
    try {
      net.fixMasks(true);
      net.forward(spec.input);           // sizes the workspace for the batch; undo its running-statistics update
      for (let l = 0; l < 2; l++) { net.liveView('running_mean', l).fill(0); net.liveView('running_var', l).fill(1); }
      for (let i = 0; i < 2; i++) {
        net.liveView('mask', 0).set(fx.masks[0].flat());
        net.forward(spec.input);
        const loss = net.backward({ labels: spec.labels });
        net.update();
        const want = fx.steps[i];
        close(loss, want.loss, { what: `step ${i + 1} loss` });
        want.layers.forEach((w, l) => {
          for (const k of ['z', 'zhat', 'h', 'a', 'delta', 'dW', 'W']) if (w[k]) close(net.view(k, l).data, w[k].flat(), { what: `step ${i + 1} layer ${l + 1} ${k}` });
          for (const k of ['db', 'b', 'dgamma', 'dbeta', 'gamma', 'beta', 'running_mean', 'running_var'])
            if (w[k]) close(net.view(k, l).data, w[k], { what: `step ${i + 1} layer ${l + 1} ${k}` });
        });
      }
      close(net.predict(spec.input), fx.eval_output.flat(), { what: 'evaluation-mode output (running statistics, no dropout)' });
    } finally { net.free(); }
  });
}

test('dropout draws a new mask each step from the seeded RNG: zeros at about rate p, kept units scaled by 1/(1-p)', async () => {
  const c = await core();
  const net = c.createNet({ sizes: [10, 200, 2], activations: ['relu', 'softmax'], dropout: [0.25, 0], loss: 'cross_entropy' });
  net.init('he_normal', 9);
  const X = Array.from({ length: 50 }, (_, i) => Array.from({ length: 10 }, (_, j) => Math.sin(i + j)));
  net.forward(X);
  const m1 = net.view('mask', 0).data;
  net.forward(X);
  const m2 = net.view('mask', 0).data;
  const zeros = m1.filter(v => v === 0).length / m1.length;
  assert.ok(Math.abs(zeros - 0.25) < 0.02, `dropped fraction ${zeros}`);
  assert.ok(m1.every(v => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6));
  assert.notDeepEqual(m1, m2, 'a new mask each forward pass in training');
  // evaluation uses no dropout: predict is deterministic
  assert.deepEqual(net.predict(X), net.predict(X));
  net.free();
});

test('gradient check passes through dropout (fixed mask) and batch norm', async () => {
  const c = await core();
  const { net, spec } = buildNet(c, { ...fx.spec, optimizer: { name: 'sgd', lr: 0.1 } });
  const T = { labels: spec.labels };
  let checked = 0;
  for (const p of [0, 5, 17, net.paramOffset(0, 'gamma') + 2, net.paramOffset(0, 'beta') + 1, net.paramOffset(1, 'W') + 3, net.paramOffset(2, 'b')]) {
    const { numeric, analytic } = net.gradcheck(spec.input, T, p, 1e-2);
    assert.ok(Math.abs(numeric - analytic) <= 5e-4 + 2e-2 * Math.abs(analytic), `param ${p}: numeric ${numeric} vs analytic ${analytic}`);
    checked++;
  }
  assert.equal(checked, 7);
  net.free();
});

test('bad settings: dropout 1 or on the output layer, batch norm with one row', async () => {
  const c = await core();
  assert.throws(() => c.createNet({ sizes: [2, 3, 2], activations: ['relu', 'softmax'], dropout: [1, 0], loss: 'cross_entropy' }), /dropout of layer 1: 1 is not allowed; it must be in \[0, 1\)/);
  assert.throws(() => c.createNet({ sizes: [2, 3, 2], activations: ['relu', 'softmax'], dropout: [0, 0.5], loss: 'cross_entropy' }), /hidden layers, not the output layer/);
  const net = c.createNet({ sizes: [2, 3, 2], activations: ['relu', 'softmax'], batchnorm: [true, false], loss: 'cross_entropy' });
  assert.throws(() => net.forward([[1, 2]]), /batch normalisation \(layer 1\) needs at least 2 rows/);
  net.free();
});
