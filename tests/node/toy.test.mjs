// toy.test.mjs - the core's small computations for the panels: losses of given predictions (the
// slides' two models, against PyTorch), the softmax Jacobian, the full gradient check, 2-D surfaces.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core, fixture, close } from './helpers.mjs';
import { buildNet } from '../../web/lib/spec.js';

test("the slides' 3-class comparison: every loss of both models matches PyTorch (tests/fixtures/slides_losses.json)", async () => {
  const c = await core();
  for (const m of fixture('slides_losses.json').models) {
    close(c.lossValues('sse', m.predictions, m.targets).mean, m.mse_mean_over_samples_of_sum_over_classes, { what: `${m.name} sum of squares` });
    close(c.lossValues('half_sse', m.predictions, m.targets).mean, m.half_sse_mean_over_samples, { what: `${m.name} half sse` });
    close(c.lossValues('mse', m.predictions, m.targets).mean, m.mse_torch_mean, { what: `${m.name} mse` });
    close(c.lossValues('cross_entropy', m.predictions, m.targets).mean, m.cross_entropy_mean_ln, { what: `${m.name} cross-entropy` });
    close(c.lossValues('cross_entropy', m.predictions, m.targets).rows, m.per_sample_cross_entropy, { what: `${m.name} per-sample cross-entropy` });
  }
});

test('softmax Jacobian: diag(a) - a a^T, rows summing to 0, and the finite difference of softmax', async () => {
  const c = await core();
  const z = [1.0, -0.5, 2.0, 0.3];
  const J = c.softmaxJacobian(z);
  const net = c.createNet({ sizes: [4, 4], activations: ['softmax'], bias: [false], loss: 'cross_entropy' });
  net.setLayer(0, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], null);
  const a = Array.from(net.predict([z]));
  for (let i = 0; i < 4; i++) {
    close(J[i].reduce((s, v) => s + v, 0), 0, { atol: 1e-7, what: `row ${i} sum` });
    for (let j = 0; j < 4; j++) {
      close(J[i][j], a[i] * ((i === j) - a[j]), { what: `J[${i}][${j}]` });
      const h = 1e-3, zp = z.slice(), zm = z.slice();
      zp[j] += h; zm[j] -= h;
      const fd = (net.predict([zp])[i] - net.predict([zm])[i]) / (2 * h);
      close(J[i][j], fd, { atol: 2e-4, rtol: 1e-2, what: `J[${i}][${j}] vs finite difference` });
    }
  }
  net.free();
});

test('the full gradient check reports L(w+d), L(w-d), both gradients and the relative error consistently', async () => {
  const c = await core();
  const cs = fixture('course.json').cases.find(x => x.name === 'mazur_222');
  const { net, spec } = buildNet(c, cs.spec);
  const r = net.gradcheck(spec.input, spec.target, net.paramOffset(1, 'W'), 1e-2);  // W2[1][1], Mazur's w5
  close(r.numeric, (r.lossPlus - r.lossMinus) / 2e-2, { rtol: 1e-12, what: 'numeric = (L+ - L-) / 2d' });
  close(r.analytic, 0.082167044, { rtol: 1e-6, what: "Mazur's dE/dw5 = 0.082167041" });
  close(r.absError, Math.abs(r.numeric - r.analytic), { rtol: 1e-12, what: 'absolute error' });
  close(r.relError, r.absError / Math.max(Math.abs(r.numeric), Math.abs(r.analytic)), { rtol: 1e-12, what: 'relative error' });
  assert.ok(r.relError < 1e-3);
  net.free();
});

test('2-D surfaces: values and gradients of the quadratic, Rosenbrock and the saddle', async () => {
  const c = await core();
  assert.deepEqual(c.surface('quadratic', 1, 2), { f: 20.5, gx: 1, gy: 20 });
  assert.deepEqual(c.surface('rosenbrock', 1, 1), { f: 0, gx: -0, gy: 0 });   // the minimum
  assert.deepEqual(c.surface('rosenbrock', 0, 0), { f: 1, gx: -2, gy: 0 });
  assert.deepEqual(c.surface('saddle', 1, 1), { f: 0, gx: 2, gy: -2 });
  assert.throws(() => c.surface('himmelblau', 0, 0), /unknown "himmelblau"/);
});
