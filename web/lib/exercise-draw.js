// exercise-draw.js - "new exercise": fresh inputs and weights for a panel from a seed (issue #14),
// short decimals a student can use by hand (at most 4 significant digits). These are the exercise's
// INPUTS; every value computed from them is the core's. The same seed gives the same numbers on every
// machine (mulberry32, integer arithmetic). No DOM.
import { onPage, parseOne } from './settings.js';

/**
 * Per panel: field -> [lo, hi, decimals, nonzero, rowSum]; a field not listed keeps the course's value.
 * A dotted field ('o.adam.lr') is a value inside an object. rowSum (optional): every innermost row sums to
 * it (the last entry is what the others leave, drawn again until it is in [lo, hi]) and has one largest
 * entry (a model's predicted probabilities: one predicted class).
 */
export const DRAW = Object.freeze({
  'one-weight': { X: [0.5, 3, 1, true], Y: [-10, 10, 0, true], w: [-2, 4, 1, true] },
  chain: { x: [-1, 1, 1, true], y: [-1, 2, 1, false], w: [-1, 1, 1, true], v: [-1, 1, 1, true] },
  mlp: { x: [0, 1, 2, true], y: [0.01, 0.99, 2, false], W1: [-1, 1, 2, true], b1: [-1, 1, 2, false], W2: [-1, 1, 2, true], b2: [-1, 1, 2, false] },
  softmax: { x: [-2, 2, 1, true], cls: [0, 2, 0, false], W1: [-1, 1, 1, false], b1: [-1, 1, 1, false], W2: [-1, 1, 1, false], b2: [-1, 1, 1, false] },
  graph: { x: [-2, 2, 1, true], W: [-1, 1, 1, true], b: [-1, 1, 1, false], t: [-1, 1, 1, false] },
  // three samples' predicted probabilities (no 0: ln 0 in the cross-entropy) and their true classes
  losses: { models: [0.1, 0.8, 1, true, 1], truth: [0, 2, 0, false] },
  // the start (inside every surface's view) and Adam's settings (the exercise's optimizer): with
  // beta1 < sqrt(beta2) an Adam step moves each coordinate by about lr at most
  optimizers: { start: [-1, 2, 1, true], 'o.adam.lr': [0.05, 0.5, 2, true], 'o.adam.beta1': [0.8, 0.9, 2, true], 'o.adam.beta2': [0.95, 0.999, 3, true] },
  gradcheck: { x: [0, 1, 2, true], y: [0.01, 0.99, 2, false], W1: [-1, 1, 2, true], b1: [-1, 1, 2, false], W2: [-1, 1, 2, true], b2: [-1, 1, 2, false] },
});
export const DRAW_PANELS = Object.freeze(Object.keys(DRAW));
export const MAX_SEED = 4294967295;

/** mulberry32: a 32-bit generator, numbers in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A short decimal in [lo, hi] with `dec` decimals (a whole multiple of 10^-dec), not 0 when nonzero. */
function short(next, [lo, hi, dec, nonzero]) {
  const f = 10 ** dec, a = Math.ceil(lo * f - 1e-9), b = Math.floor(hi * f + 1e-9);
  for (;;) {
    const k = a + Math.floor(next() * (b - a + 1));
    if (!(nonzero && k === 0)) return Number((k / f).toFixed(dec));
  }
}

/**
 * The panel's values with the drawn ones in place (same shapes as `defaults`): a new object; the
 * fields DRAW does not list (lr, activations ...) are the defaults'. Throws on a panel without a draw.
 */
export function drawExercise(panel, seed, defaults) {
  const spec = DRAW[panel];
  if (!spec) throw new RangeError(`panel ${panel} has no drawn exercises`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) throw new RangeError(`seed ${seed}: a whole number 0..${MAX_SEED}`);
  const next = rng(seed);
  const p = structuredClone(defaults);
  const fill = (v, r) => (r[4] !== undefined && !Array.isArray(v[0]) ? row(next, r, v.length)
    : Array.isArray(v) ? v.map(x => fill(x, r)) : short(next, r));
  for (const [k, r] of Object.entries(spec)) {
    const path = k.split('.'), last = path.pop();
    const o = path.reduce((a, key) => a[key], p);
    o[last] = fill(o[last], r);
  }
  return p;
}

/** A row of `len` short decimals in [lo, hi] summing to r[4] with a single largest entry. */
function row(next, r, len) {
  const [lo, hi, dec, , sum] = r, f = 10 ** dec;
  for (;;) {
    const v = Array.from({ length: len - 1 }, () => short(next, r));
    const rest = Math.round(sum * f - v.reduce((a, x) => a + Math.round(x * f), 0)) / f;
    v.push(rest);
    const max = Math.max(...v);
    if (rest >= lo && rest <= hi && v.filter(x => x === max).length === 1) return v;
  }
}

/**
 * The exercise's URL keys (lib/settings.js: ex, seed on the panels page): {on, seed, errors} with
 * errors in the URL banner's form ({param, value, code, params}); a bad value is refused, not used.
 */
export function exerciseUrl(query) {
  const sp = query instanceof URLSearchParams ? query : new URLSearchParams(String(query || ''));
  const out = { on: false, seed: null, errors: [] };
  for (const name of ['ex', 'seed']) {
    if (!sp.has(name)) continue;
    const s = onPage(name, 'panels'), r = parseOne(s, sp.get(name));
    if (r.error) {
      const params = s.type === 'bool' ? { allowed: '0, 1' } : { min: s.min, max: s.max };
      out.errors.push({ param: name, value: sp.get(name), code: s.type === 'bool' ? 'enum' : 'range', params });
    } else if (name === 'ex') out.on = r.value; else out.seed = r.value;
  }
  return out;
}
