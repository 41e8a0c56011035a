// helpers.mjs - shared by the Node tests: the core loaded once per flavor, fixtures, comparisons.
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { loadCore } from '../../web/lib/engine.js';

const cores = {};
export async function core(flavor = 'simd') {
  if (!cores[flavor]) cores[flavor] = await loadCore({ flavor });
  return cores[flavor];
}

export function fixture(name) {
  return JSON.parse(fs.readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

/** Asserts |got - want| <= atol + rtol |want| elementwise over nested arrays; returns the largest difference. */
export function close(got, want, { atol = 1e-6, rtol = 1e-5, what = 'value' } = {}) {
  const flat = v => (ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v.flatMap(flat) : [v]);
  const g = flat(got), w = flat(want);
  assert.equal(g.length, w.length, `${what}: ${g.length} values, expected ${w.length}`);
  let worst = 0;
  for (let i = 0; i < w.length; i++) {
    const d = Math.abs(g[i] - w[i]);
    worst = Math.max(worst, d);
    assert.ok(d <= atol + rtol * Math.abs(w[i]),
      `${what}[${i}]: got ${g[i]}, expected ${w[i]} (difference ${d.toExponential(2)} > ${atol} + ${rtol} x |expected|)`);
  }
  return worst;
}
