// wasm-simd.test.mjs - the SIMD build really runs v128 instructions in its hot loops, the scalar build
// none; read from the disassembly of the built modules (wasm2wat from Debian's wabt).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const wat = flavor => execFileSync('wasm2wat', ['--enable-all', fileURLToPath(new URL(`../../web/build/bp-${flavor}.wasm`, import.meta.url))],
  { encoding: 'utf8', maxBuffer: 64 << 20 });
const count = (text, op) => text.split(op).length - 1;

test('the SIMD build multiplies and adds with f32x4 and loads with v128.load; the scalar build has no v128 code', () => {
  const simd = wat('simd'), scalar = wat('scalar');
  for (const op of ['f32x4.mul', 'f32x4.add', 'v128.load', 'v128.store'])
    assert.ok(count(simd, op) >= 6, `${op} appears ${count(simd, op)} times in bp-simd.wasm`);
  assert.equal(count(scalar, 'v128'), 0, 'bp-scalar.wasm must run on engines without SIMD');
});

test('the exported training entry points reach SIMD code: bp_forward and bp_train_batches are not scalar-only', () => {
  const simd = wat('simd');
  // functions are separated by "(func"; the products are inlined into the callers or called from them,
  // so a function body with many f32x4.mul exists next to the exported ones
  const bodies = simd.split('\n  (func ').slice(1);
  const heavy = bodies.filter(b => count(b, 'f32x4.mul') >= 4).length;
  assert.ok(heavy >= 2, `only ${heavy} functions do f32x4 multiplications in a loop`);
});
