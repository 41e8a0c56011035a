// panels64.test.mjs - the double-precision core (bp-f64.wasm) against torch.float64 (issue #12): for every
// panel on a network spec, its default example and two cases with other numbers, `bin/backprop-lab trace`
// (f64, the default) prints every value of the step as torch.float64 computes it, to 1e-12 relative; and
// `gradcheck` prints autograd's gradient to 1e-12 and the central difference to 1e-9 (L(w + d) - L(w - d)
// loses about 3 of double's 16 digits at d = 1e-3, in torch and in the core alike, each its own way).
// Expected values: tests/fixtures/panels64.json, written by tests/fixtures/panels64.py (make fixtures).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIX = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/panels64.json'), 'utf8'));
const PANELS = ['one-weight', 'chain', 'mlp', 'softmax', 'graph', 'gradcheck'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-panels64-'));

function cli(spec, ...args) {
  const file = path.join(tmp, 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/backprop-lab'), ...args.slice(0, 1), file, ...args.slice(1)], { encoding: 'utf8', maxBuffer: 1 << 30 }));
}

/** Walks expected and got together; every number within rel * |expected| (exact zeros: 1e-300). */
function close(got, exp, rel, where, worst) {
  if (exp === null) return assert.equal(got, null, where);
  if (typeof exp === 'number') {
    const d = Math.abs(got - exp), tol = rel * Math.max(Math.abs(exp), 1e-300);
    worst.v = Math.max(worst.v, d / Math.max(Math.abs(exp), 1e-300));
    return assert.ok(d <= tol, `${where}: ${got} vs torch.float64 ${exp} (relative ${(d / Math.abs(exp)).toExponential(2)})`);
  }
  assert.equal(got.length, exp.length, `${where}: length`);
  exp.forEach((e, i) => close(got[i], e, rel, `${where}[${i}]`, worst));
}

test('panels64.json holds every spec panel, each with its default and two other cases', () => {
  for (const p of PANELS) {
    assert.deepEqual(FIX[p].map(c => c.name), ['default', 'other-1', 'other-2'], p);
    for (const c of FIX[p].slice(1)) assert.ok(c.fields && Object.keys(c.fields).length, `${p} ${c.name}: what the browser test types in`);
  }
  assert.equal(FIX.mlp[0].spec.update_biases, false, "Mazur's example does not update the biases");
});

for (const p of PANELS) {
  test(`${p}: bin/backprop-lab trace (f64) equals torch.float64 to 1e-12 relative, every value of the step`, () => {
    const worst = { v: 0 };
    for (const c of FIX[p]) {
      const tr = cli(c.spec, 'trace');
      close(tr.loss, c.step.loss, 1e-12, `${p} ${c.name} loss`, worst);
      c.step.layers.forEach((L, l) => {
        for (const k of ['z', 'a', 'delta', 'dW', 'db', 'W_prev', 'b_prev', 'W', 'b'])
          close(tr.layers[l][k], L[k], 1e-12, `${p} ${c.name} layer ${l + 1} ${k}`, worst);
      });
    }
    assert.ok(worst.v < 1e-12, `worst relative difference ${worst.v}`);
  });
}

test("Mazur's example in f64 without bias updates: iterations 1, 2 and 10,000 as his post (0.291027774, not the post's 0.291027924)", () => {
  const c = FIX.mlp[0];
  const out = cli(c.spec, 'trace', '--steps', '10000');
  const worst = { v: 0 };
  for (const [i, L] of Object.entries(c.losses)) close(out.steps[Number(i) - 1].loss, L, 1e-12, `loss of iteration ${i}`, worst);
  assert.equal(out.steps[1].loss.toFixed(9), '0.291027774');
  assert.equal(out.steps[9999].loss.toPrecision(6), '0.0000351085');
  assert.deepEqual(out.steps[9999].layers[0].b, [0.35, 0.35], 'the biases stay as set');
});

test('gradcheck (f64, the default): autograd to 1e-12, central differences to 1e-9, relative errors below 1e-6 at d = 1e-3', () => {
  for (const c of FIX.gradcheck) {
    const out = cli(c.spec, 'gradcheck', '--json');
    assert.equal(out.d, 1e-3);
    const exp = c.gradcheck['0'], worst = { v: 0 };
    assert.equal(out.params.length, exp.length);
    out.params.forEach((r, i) => {
      close(r.analytic, exp[i].analytic, 1e-12, `${c.name} ${r.param} analytic`, worst);
      close(r.numeric, exp[i].numeric, 1e-9, `${c.name} ${r.param} numeric`, worst);
      assert.ok(r.rel_error < 1e-6, `${c.name} ${r.param}: relative error ${r.rel_error}`);
    });
    const f32 = cli(c.spec, 'gradcheck', '--json', '--precision', 'f32');
    assert.ok(Math.max(...f32.params.map(r => r.rel_error)) > 1e-4, 'float32 round-off shows at d = 1e-3 (what the panel\'s switch teaches)');
  }
});
