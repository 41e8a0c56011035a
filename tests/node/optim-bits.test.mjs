// optim-bits.test.mjs - the SIMD update loops of src/optim.c (the fast path, 8 parameters per turn)
// against the scalar loop (the traced path, one parameter at a time, also the scalar build's loop):
// for every optimizer and option they must give the same parameter bits and the same step length,
// so what the panels show (traced) is exactly what training does (not traced). Reference: the
// scalar loop, itself checked against torch.optim in core.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core } from './helpers.mjs';

const CONFIGS = [
  { name: 'sgd', lr: 0.1 },
  { name: 'sgd', lr: 0.1, weight_decay: 0.01 },
  { name: 'sgd', lr: 0.1, momentum: 0.9 },
  { name: 'sgd', lr: 0.1, momentum: 0.9, weight_decay: 0.01 },
  { name: 'nesterov', lr: 0.1, momentum: 0.9 },
  { name: 'nesterov', lr: 0.1, momentum: 0.9, weight_decay: 0.01 },
  { name: 'momentum', lr: 0.1, momentum: 0.9 },
  { name: 'momentum', lr: 0.1, momentum: 0.9, weight_decay: 0.01 },
  { name: 'adagrad', lr: 0.1 },
  { name: 'adagrad', lr: 0.1, weight_decay: 0.01 },
  { name: 'rmsprop', lr: 0.01 },
  { name: 'rmsprop', lr: 0.01, weight_decay: 0.01 },
  { name: 'rmsprop', lr: 0.01, momentum: 0.9 },
  { name: 'rmsprop', lr: 0.01, momentum: 0.9, weight_decay: 0.01 },
  { name: 'adam', lr: 0.01 },
  { name: 'adam', lr: 0.01, weight_decay: 0.01 },
  { name: 'amsgrad', lr: 0.01 },
  { name: 'amsgrad', lr: 0.01, weight_decay: 0.01 },
  { name: 'adamw', lr: 0.01, weight_decay: 0.1 },
  { name: 'adamw', lr: 0.01, weight_decay: 0.1, amsgrad: true },
];
// parameter blocks of 28 and 108 floats (n % 8 == 4: the loops' tail) and 296 (n % 8 == 0)
const NETS = [[3, 4, 2], [6, 9, 4], [10, 16, 6]];

function run(c, sizes, opt, traced, steps = 25) {
  const net = c.createNet({ sizes, activations: ['tanh', 'softmax'], loss: 'cross_entropy' });
  net.init('he_normal', 7);
  net.setOptimizer(opt);
  if (traced) net.setTrace(true);
  const B = 5, [inp, , out] = sizes;
  const norms = [];
  for (let s = 0; s < steps; s++) {
    const X = Array.from({ length: B }, (_, r) => Array.from({ length: inp }, (_, j) => Math.sin(1.3 * (s * B + r) + 0.7 * j)));
    const labels = Int32Array.from({ length: B }, (_, r) => (s * 3 + r) % out);
    net.step(X, labels);
    norms.push(net.stepNorm);
  }
  const params = Buffer.from(net.params().slice().buffer);
  net.free();
  return { params, norms };
}

for (const flavor of ['simd', 'scalar']) {
  test(`[${flavor}] the fast update and the traced update give the same bits for every optimizer`, async () => {
    const c = await core(flavor);
    for (const sizes of NETS)
      for (const opt of CONFIGS) {
        const what = `${JSON.stringify(opt)} on ${sizes.join('-')}`;
        const fast = run(c, sizes, opt, false), traced = run(c, sizes, opt, true);
        assert.ok(fast.params.equals(traced.params), `${what}: parameters differ between the fast and the traced update`);
        assert.deepEqual(fast.norms, traced.norms, `${what}: step lengths differ`);
        assert.ok(fast.norms.every(x => Number.isFinite(x) && x > 0), `${what}: every step moves the parameters`);
      }
  });
}

// Adam's moments decay by beta each step where the gradient is 0 and would become subnormal floats
// (slow arithmetic on x86); every 16th step the core sets |m|, |v| < 1e-30 to 0. Without it, m of a
// weight whose input became 0 would be 0.1 g 0.9^k: subnormal (< 1.18e-38) from k = 819 on.
test('Adam never leaves subnormal moments behind: they are set to 0 by step 640', async () => {
  const c = await core('simd');
  const net = c.createNet({ sizes: [4, 2], activations: ['softmax'], loss: 'cross_entropy' });
  net.init('he_normal', 1);
  net.setOptimizer({ name: 'adam', lr: 0.01, beta2: 0.9 });     // beta2 0.9: v decays as fast as m
  const isSub = x => x !== 0 && Math.abs(x) < 1.1754943508222875e-38;
  const moments = () => [...net.view('m_W', 0).data, ...net.view('v_W', 0).data];
  net.step([[1, 1, 1, 1]], Int32Array.of(0));
  assert.ok(moments().every(x => x !== 0), 'the first step gives every weight a moment');
  for (let k = 1; k <= 900; k++) {
    net.step([[0, 0, 0, 0]], Int32Array.of(k % 2));           // input 0: dL/dW = 0 from now on
    const ms = moments();
    assert.ok(!ms.some(isSub), `a subnormal moment after step ${k + 1}`);
    if (k === 640) assert.ok(ms.every(x => x === 0), `moments not yet 0 after step ${k + 1}: ${ms.slice(0, 2)}`);
  }
  net.free();
});
