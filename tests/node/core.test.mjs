// core.test.mjs - the WebAssembly core against independent references:
// PyTorch fixtures (tests/fixtures/make_fixtures.py), the course's worked examples, finite differences.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core, fixture, close } from './helpers.mjs';
import { buildNet, traceSteps, targetsOf } from '../../web/lib/spec.js';
import { CoreError } from '../../web/lib/engine.js';

const grads = fixture('grads.json'), course = fixture('course.json'), optim = fixture('optim.json');

function checkStep(tr, expect, what, tol = {}) {
  close(tr.loss, expect.loss, { ...tol, what: `${what} loss` });
  expect.layers.forEach((e, l) => {
    const g = tr.layers[l];
    for (const k of ['z', 'a', 'delta', 'dW', 'W']) close(g[k], e[k], { ...tol, what: `${what} layer ${l + 1} ${k}` });
    for (const k of ['db', 'b']) {
      if (e[k] == null) assert.equal(g[k], null, `${what} layer ${l + 1} ${k} should not exist`);
      else close(g[k], e[k], { ...tol, what: `${what} layer ${l + 1} ${k}` });
    }
  });
}

for (const flavor of ['simd', 'scalar']) {
  test(`[${flavor}] every activation x loss: z, a, delta, dW, db and the SGD update match PyTorch (${grads.cases.length} cases)`, async () => {
    const c = await core(flavor);
    for (const cs of grads.cases) checkStep(traceSteps(c, cs.spec, 1)[0], cs.expect, cs.name);
  });
}

test('course: one weight y = wX, X=2, Y=10, w=3, lr=0.01 gives dL/dw = -16, w = 3.16, y = 6.32 (lab report)', async () => {
  const c = await core();
  const cs = course.cases.find(x => x.name === 'one_weight');
  const [tr] = traceSteps(c, cs.spec, 1);
  assert.equal(tr.layers[0].dW[0][0], -16);
  close(tr.layers[0].W[0][0], 3.16, { what: 'w after one step' });
  close(tr.layers[0].W[0][0] * 2, 6.32, { what: 'prediction after one step' });
  assert.equal(tr.layers[0].b, null, 'y = wX has no bias');
  // 20 iterations against PyTorch: y approaches Y
  const steps = traceSteps(c, cs.spec, 20);
  cs.steps.forEach((s, i) => close(steps[i].layers[0].W[0][0], s.w, { what: `w after ${i + 1} steps` }));
});

test("course: Mazur's 2-2-2 sigmoid network, half squared error, lr 0.5: loss 0.298371109, w5 -> 0.35891648, 3 steps", async () => {
  const c = await core();
  const cs = course.cases.find(x => x.name === 'mazur_222');
  const trs = traceSteps(c, cs.spec, 3);
  checkStep(trs[0], cs.expect, 'mazur');
  close(trs[0].loss, 0.298371109, { what: 'Mazur loss' });
  close(trs[0].layers[1].W[0][0], 0.35891648, { what: 'Mazur w5' });
  cs.trajectory.forEach((t, i) => {
    close(trs[i].loss, t.loss, { what: `loss before step ${i + 1}` });
    t.layers.forEach((L, l) => close(trs[i].layers[l].W, L.W, { what: `W${l + 1} after step ${i + 1}` }));
  });
});

test('course: chain x -> h -> o (sigmoid, then linear) and softmax + cross-entropy 4-3-3 match PyTorch', async () => {
  const c = await core();
  for (const name of ['chain', 'softmax_ce_2layer']) {
    const cs = course.cases.find(x => x.name === name);
    checkStep(traceSteps(c, cs.spec, 1)[0], cs.expect, name);
  }
  // softmax + cross-entropy: delta2 = y_hat - y (one sample)
  const cs = course.cases.find(x => x.name === 'softmax_ce_2layer');
  const [tr] = traceSteps(c, cs.spec, 1);
  const t = cs.spec.target.flat();
  close(tr.layers[1].delta[0], tr.layers[1].a[0].map((y, k) => y - t[k]), { what: 'delta2 = y_hat - y' });
});

for (const flavor of ['simd', 'scalar']) {
  test(`[${flavor}] 100-step trajectories of every optimizer match torch.optim (${optim.cases.length} configurations)`, async () => {
    const c = await core(flavor);
    for (const cs of optim.cases) {
      const { net, spec } = buildNet(c, cs.spec);
      try {
        for (let i = 0; i < 100; i++) {
          net.forward(spec.input);
          const loss = net.backward(targetsOf(spec));
          close(loss, cs.losses[i], { atol: 1e-5, rtol: 1e-4, what: `${cs.name} loss before step ${i + 1}` });
          net.update();
          const check = i === 0 ? cs.params_1 : i === 99 ? cs.params_100 : null;
          if (check) check.forEach((L, l) => {
            const tol = i === 0 ? { atol: 1e-6, rtol: 1e-5 } : { atol: 2e-5, rtol: 2e-4 };
            close(net.view('W', l).data, L.W.flat(), { ...tol, what: `${cs.name} W${l + 1} after step ${i + 1}` });
            close(net.view('b', l).data, L.b, { ...tol, what: `${cs.name} b${l + 1} after step ${i + 1}` });
          });
        }
      } finally { net.free(); }
    }
  });
}

test('analytic gradients agree with central differences for every weight of a 3-4-2 tanh/sigmoid network', async () => {
  const c = await core();
  const spec = { layers: [3, 4, 2], activations: ['tanh', 'sigmoid'], loss: 'half_sse', init: 'xavier_normal', seed: 7,
    input: [[0.5, -1, 2], [1, 0.3, -0.7]], target: [[0.2, 0.9], [0.6, 0.1]], optimizer: { name: 'sgd', lr: 0.1 } };
  const { net, spec: s } = buildNet(c, spec);
  let nonzero = 0;
  for (let p = 0; p < net.nparams; p++) {
    const { numeric, analytic } = net.gradcheck(s.input, s.target, p, 1e-2);
    if (p < 12 + 4 || (p >= 16 && p < 16 + 8) || (p >= 24 && p < 26)) {
      // a parameter that exists (padding entries have zero gradient on both sides)
      assert.ok(Math.abs(numeric - analytic) <= 2e-4 + 1e-2 * Math.abs(analytic), `param ${p}: numeric ${numeric} vs analytic ${analytic}`);
      if (Math.abs(analytic) > 1e-4) nonzero++;
    }
  }
  assert.ok(nonzero >= 20, `only ${nonzero} gradients were non-zero: the check would not catch a zero gradient`);
  net.free();
});

test('numerical gradient error grows when d is too large (truncation) and too small (float round-off)', async () => {
  const c = await core();
  const { net, spec: s } = buildNet(c, { layers: [1, 1, 1], activations: ['tanh', 'sigmoid'], loss: 'half_sse',
    weights: [[[1.5]], [[2]]], biases: [[0.1], [-0.3]], input: [0.8], target: [0.2] });
  const err = d => { const r = net.gradcheck(s.input, s.target, 0, d); return Math.abs(r.numeric - r.analytic); };
  const mid = err(1e-2), big = err(1), tiny = err(1e-7);
  assert.ok(big > mid * 10, `d = 1 should be far worse than d = 0.01 (${big} vs ${mid})`);
  assert.ok(tiny > mid * 10, `d = 1e-7 should be far worse than d = 0.01 in float32 (${tiny} vs ${mid})`);
  net.free();
});

test('the same seed gives bit-identical training; the SIMD and scalar builds agree to float precision', async () => {
  const run = async (flavor, seed) => {
    const c = await core(flavor);
    const net = c.createNet({ sizes: [20, 16, 8, 4], activations: ['relu', 'tanh', 'softmax'], loss: 'cross_entropy' });
    net.init('he_normal', seed);
    net.setOptimizer({ name: 'adam', lr: 0.01 });
    const n = 100, d = c.createData(n, 20, 4, true);
    const x = d.x(), y = d.labels();
    for (let i = 0; i < n * 20; i++) x[i] = Math.sin(i * 0.37) * ((i % 7) - 3);
    for (let i = 0; i < n; i++) y[i] = i % 4;
    const losses = [];
    for (let e = 0; e < 3; e++) {
      net.beginEpoch(d, true);
      losses.push(...net.trainBatches(d, 16, 1000));
    }
    const params = Float32Array.from(net.params());
    net.free(); d.free();
    return { losses, params };
  };
  const a = await run('simd', 42), b = await run('simd', 42), other = await run('simd', 43), sc = await run('scalar', 42);
  assert.equal(a.losses.length, 3 * 7, '100 samples in batches of 16 make 7 batches (the last one of 4)');
  assert.deepEqual(a.params, b.params, 'same seed, same bits');
  assert.deepEqual(a.losses, b.losses);
  assert.notDeepEqual(a.params, other.params, 'another seed, other numbers');
  close(Array.from(sc.params), Array.from(a.params), { atol: 1e-4, rtol: 1e-3, what: 'scalar vs SIMD params' });
});

test('training learns: a 2-4-1 sigmoid network learns XOR from a fixed seed', async () => {
  const c = await core();
  const net = c.createNet({ sizes: [2, 4, 1], activations: ['sigmoid', 'sigmoid'], loss: 'bce' });
  net.init('xavier_normal', 3);
  net.setOptimizer({ name: 'adam', lr: 0.05 });
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]], T = [[0], [1], [1], [0]];
  let first;
  for (let i = 0; i < 2000; i++) { const l = net.step(X, T); if (i === 0) first = l; }
  const p = net.predict(X);
  assert.ok(p[0] < 0.1 && p[1] > 0.9 && p[2] > 0.9 && p[3] < 0.1, `XOR outputs ${Array.from(p)} (loss from ${first})`);
  net.free();
});

test('evaluation: loss, accuracy and the confusion matrix agree with the per-sample probabilities', async () => {
  const c = await core();
  const net = c.createNet({ sizes: [5, 7, 3], activations: ['relu', 'softmax'], loss: 'cross_entropy' });
  net.init('pytorch', 5);
  const n = 300, d = c.createData(n, 5, 3, true);
  const x = d.x(), y = d.labels();
  for (let i = 0; i < n * 5; i++) x[i] = Math.cos(i * 1.3);
  for (let i = 0; i < n; i++) y[i] = (i * 7) % 3;
  const r = net.evaluate(d, { confusion: true, probs: true });
  let correct = 0, loss = 0;
  const conf = new Array(9).fill(0);
  for (let i = 0; i < n; i++) {
    const p = r.probs.subarray(i * 3, i * 3 + 3);
    const pred = p.indexOf(Math.max(...p));
    correct += pred === y[i];
    conf[y[i] * 3 + pred]++;
    loss -= Math.log(p[y[i]]);
  }
  assert.equal(r.correct, correct);
  assert.deepEqual(Array.from(r.confusion), conf);
  close(r.loss, loss / n, { rtol: 1e-5, what: 'mean cross-entropy' });
  net.free(); d.free();
});

test('bad arguments get an error naming the argument, the value and what is allowed', async () => {
  const c = await core();
  const bad = (fn, code, re) => assert.throws(fn, e => e instanceof CoreError && e.code === code && re.test(e.message), `expected ${code} ${re}`);
  bad(() => c.createNet({ sizes: [2, 0, 1], activations: ['relu', 'sigmoid'], loss: 'mse' }), 'EINVAL', /layer size 1: 0 neurons is not allowed/);
  bad(() => c.createNet({ sizes: [2, 3, 1], activations: ['softmax', 'sigmoid'], loss: 'mse' }), 'EINVAL', /softmax is only allowed on the output layer/);
  bad(() => c.createNet({ sizes: [2, 3], activations: ['relu'], loss: 'cross_entropy' }), 'EINVAL', /cross-entropy needs probabilities/);
  bad(() => c.createNet({ sizes: [2, 3], activations: ['relu'], loss: 'bce' }), 'EINVAL', /must be sigmoid/);
  bad(() => c.createNet({ sizes: [2, 3], activations: ['swish'], loss: 'mse' }), 'EINVAL', /unknown "swish"/);
  const net = c.createNet({ sizes: [2, 3, 2], activations: ['relu', 'softmax'], loss: 'cross_entropy' });
  net.init('he_normal', 1);
  bad(() => net.setOptimizer({ name: 'sgd', lr: NaN }), 'EINVAL', /learning rate: nan is not allowed/);
  bad(() => net.setOptimizer({ name: 'sgd', lr: -1 }), 'EINVAL', /learning rate: -1 is not allowed/);
  bad(() => net.setOptimizer({ name: 'adam', beta1: 1 }), 'EINVAL', /beta1: 1 is not allowed; it must be in \[0, 1\)/);
  bad(() => net.setOptimizer({ name: 'rmsprop', eps: 0 }), 'EINVAL', /eps: 0 is not allowed/);
  bad(() => net.setOptimizer({ name: 'sgd', momentum: 1.5 }), 'EINVAL', /momentum: 1.5 is not allowed/);
  bad(() => net.setOptimizer({ name: 'sgd', weight_decay: -0.1 }), 'EINVAL', /weight decay/);
  bad(() => net.setOptimizer({ name: 'lbfgs' }), 'EINVAL', /unknown name "lbfgs"/);
  bad(() => net.init('orthogonal', 1), 'EINVAL', /unknown "orthogonal"/);
  bad(() => net.setLayer(5, [[1, 2]], null), 'EINVAL', /layer 6 does not exist/);
  bad(() => net.setLayer(0, [[1, NaN], [1, 2], [3, 4]], null), 'EINVAL', /not a finite number/);
  bad(() => net.backward([[1, 0]]), 'ESTATE', /backward needs a forward pass first/);
  bad(() => net.update(), 'ESTATE', /update needs a backward pass first/);
  net.forward([[1, 2]]);
  bad(() => net.backward({ labels: [2] }), 'EINVAL', /label of row 1: 2 is not a class \(0..1\)/);
  bad(() => net.backward([[1, 0], [0, 1]]), 'EINVAL', /target: expected 1 x 2 values/);
  bad(() => net.gradcheck([[1, 2]], [[1, 0]], 999, 1e-3), 'EINVAL', /parameter index 999 does not exist/);
  bad(() => net.gradcheck([[1, 2]], [[1, 0]], 0, 0), 'EINVAL', /step d: 0 is not allowed/);
  const d = c.createData(10, 2, 2, true);
  bad(() => net.trainBatches(d, 4, 1), 'ESTATE', /epoch_begin/);
  net.beginEpoch(d);
  bad(() => net.trainBatches(d, 0, 1), 'EINVAL', /batch size: 0 is not allowed; it must be at least 1/);
  bad(() => net.trainBatches(d, 11, 1), 'EINVAL', /batch size: 11 is larger than the 10 training samples/);
  const d3 = c.createData(10, 3, 2, true);
  bad(() => net.beginEpoch(d3), 'EINVAL', /samples have 3 values but the network's input has 2/);
  d.labels()[4] = 7;
  bad(() => net.beginEpoch(d), 'EINVAL', /label of sample 4 is 7/);
  bad(() => c.createData(0, 2, 2, true), 'EINVAL', /dataset: 0 samples/);
  net.free(); d.free(); d3.free();
  bad(() => net.params(), 'ESTATE', /freed/);
});

test('the step activation (perceptron) runs forward and refuses backward with a reason', async () => {
  const c = await core();
  const net = c.createNet({ sizes: [2, 1], activations: ['step'], loss: 'half_sse' });
  net.setLayer(0, [[0.5, 0.5]], [-0.7]);   // AND from the slides: w = (0.5, 0.5), theta = 0.7
  assert.deepEqual(Array.from(net.predict([[0, 0], [0, 1], [1, 0], [1, 1]])), [0, 0, 0, 1]);
  net.forward([[1, 1]]);
  assert.throws(() => net.backward([[1]]), e => e.code === 'ENOGRAD' && /step activation, which has no gradient/.test(e.message));
  net.free();
});

test('a diverging run stops with DIVERGED, names the iteration and suggests a lower learning rate', async () => {
  const c = await core();
  const net = c.createNet({ sizes: [1, 1], activations: ['identity'], loss: 'mse' });
  net.setLayer(0, [[3]], [0]);
  net.setOptimizer({ name: 'sgd', lr: 10 });
  let err;
  try { for (let i = 0; i < 200; i++) net.step([[2]], [[10]]); } catch (e) { err = e; }
  assert.ok(err, 'the run must stop');
  assert.equal(err.code, 'DIVERGED');
  assert.match(err.message, /became (NaN|infinite) at iteration \d+.*lower/);
  net.free();
});

test('memory: creating and freeing networks and datasets does not grow the heap', async () => {
  const c = await core();
  const cycle = () => {
    const net = c.createNet({ sizes: [784, 256, 128, 10], activations: ['relu', 'relu', 'softmax'], loss: 'cross_entropy' });
    const d = c.createData(1000, 784, 10, true);
    net.init('he_normal', 1); net.setOptimizer({ name: 'adam' }); net.beginEpoch(d); net.trainBatches(d, 64, 2);
    net.free(); d.free();
  };
  cycle();
  const before = c.memory.buffer.byteLength;
  for (let i = 0; i < 10; i++) cycle();
  assert.equal(c.memory.buffer.byteLength, before);
});

test('stopping-criterion norms: ||g|| and ||theta_t - theta_t-1|| agree with the traced gradients and steps', async () => {
  const c = await core();
  for (const name of ['sgd', 'adam', 'rmsprop']) {
    const cs = optim.cases.find(x => x.name === name);
    const { net, spec } = buildNet(c, cs.spec);
    net.setTrace(true);
    net.step(spec.input, targetsOf(spec));
    const tr = net.trace();
    let g2 = 0, s2 = 0;
    for (const L of tr.layers) {
      for (const v of [L.dW.flat(), L.db].flat()) g2 += v * v;
      L.W.flat().forEach((w, i) => { const d = w - L.W_prev.flat()[i]; s2 += d * d; });
      L.b.forEach((b, i) => { const d = b - L.b_prev[i]; s2 += d * d; });
    }
    close(tr.grad_norm, Math.sqrt(g2), { rtol: 1e-6, what: `${name} gradient norm` });
    close(tr.step_norm, Math.sqrt(s2), { rtol: 1e-5, what: `${name} step norm` });
    // the same norm without tracing (the fast path)
    const { net: fast } = buildNet(c, cs.spec);
    fast.step(spec.input, targetsOf(spec));
    close(fast.stepNorm, tr.step_norm, { rtol: 1e-6, what: `${name} step norm without tracing` });
    net.free(); fast.free();
  }
});
