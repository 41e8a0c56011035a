// exercise-mistakes.js - which classic mistakes an exercise looks for behind a wrong value (issue
// #14), per panel and row key, and where a row's value sits in a step computed by the core under a
// mistake (web/lib/engine/mistakes.js, src/mistakes.c: the values are the core's, never computed
// here). No DOM. The hint of each mistake is in web/panels/strings.js (ex.m.NAME).
import { agrees, parseAnswer } from './answer-check.js';

// mistakes by where they are made
const ACT = ['no_act_deriv', 'deriv_of_a', 'deriv_is_act', 'deriv_on_linear'];   // the activation's derivative
const OUT = ['sign_flip', 'no_half', 'no_two', 'no_mean'];                         // the loss's gradient
const BACK = ['w_not_wt', 'updated_w'];                                            // passing delta down

/**
 * Panel -> [[row key pattern, mistakes]], the first matching pattern wins. A mistake whose value
 * equals the true one in a given step (an identity layer has no derivative to forget, one row has no
 * 1/B) is left out when the exercise runs (candidates()).
 */
export const EXERCISE_MISTAKES = Object.freeze({
  'one-weight': [
    [/^L$/, ['no_mean']],
    [/^(dLdy|dLdz|dLdw|dLdw\.course)$/, [...OUT, ...ACT]],
  ],
  chain: [
    [/^loss$/, ['no_half', 'no_mean']],
    [/^l2\.(delta|dW)$/, [...OUT, ...ACT]],
    [/^l1\.(delta|dW)$/, [...ACT, ...BACK]],
  ],
  mlp: [
    [/^loss$/, ['no_half', 'no_mean']],
    [/^l2\.(delta|dW)\./, [...OUT, ...ACT]],
    [/^l2\.db\./, [...OUT, ...ACT, 'bias_axis']],
    [/^l1\.(delta|dW)\./, [...ACT, ...BACK]],
    [/^l1\.db\./, [...ACT, ...BACK, 'bias_axis']],
  ],
  softmax: [
    [/^loss$/, ['no_mean']],
    [/^l2\.(delta|dW)\./, ['softmax_diag', 'sign_flip', 'no_mean']],
    [/^l2\.db\./, ['softmax_diag', 'sign_flip', 'no_mean', 'bias_axis']],
    [/^l1\.(delta|dW)\./, [...ACT, ...BACK]],
    [/^l1\.db\./, [...ACT, ...BACK, 'bias_axis']],
  ],
  graph: [
    [/^loss$/, ['no_half']],
    [/^(dz|du)\.\d+$/, ['sign_flip', 'no_half']],
    [/^db\.\d+$/, ['sign_flip', 'no_half', 'bias_axis']],
    [/^dx\.\d+$/, ['w_not_wt']],
  ],
  gradcheck: [],          // central differences: no classic mistake of the list applies
  losses: [
    [/^m\d\.se\.rows\.\d+$/, ['no_half']],
    [/^m\d\.(se|sse|mse|ce)\.mean$/, ['no_half', 'no_mean']],
  ],
  optimizers: [
    [/^adam\.(theta|step)\.\d+$/, ['adam_no_bias']],
  ],
});

/** Every mistake named in the table (for the strings' test). */
export const ALL_MISTAKES = Object.freeze([...new Set(Object.values(EXERCISE_MISTAKES).flatMap(rows => rows.flatMap(r => r[1])))]);

/** The mistakes the table lists for a panel's row key (a number's key: "l2.dW.0.1", "dLdw"). */
export function mistakesFor(panel, key) {
  for (const [re, list] of EXERCISE_MISTAKES[panel] || []) if (re.test(key)) return list;
  return [];
}

// the one-weight and graph panels' keys, by the value they name (a key may go on with indices: "dW.0.1")
const ALIAS = { y: 'l1.a', z: 'l1.z', dLdy: 'l1.delta', dLdz: 'l1.delta', dLdw: 'l1.dW', 'dLdw.course': 'l1.dW', 'w.new': 'l1.W', L: 'loss',
  dz: 'l1.delta', du: 'l1.delta', db: 'l1.db', dW: 'l1.dW', 'W.new': 'l1.W', 'b.new': 'l1.b', dx: 'dinput' };
function unalias(key) {
  if (ALIAS[key]) return ALIAS[key];
  const base = Object.keys(ALIAS).filter(a => key.startsWith(`${a}.`)).sort((a, b) => b.length - a.length)[0];
  return base ? ALIAS[base] + key.slice(base.length) : key;
}
const ROWS = new Set(['z', 'a', 'delta']);     // B x O, one row in the panels: key indices pick the unit
const MATS = new Set(['dW', 'W']);             // O x I

/**
 * A number's value in a step shaped as a trace ({loss, ynew, layers: [{z, a, delta, dW, db, W, b}]}):
 * "l2.delta.1", "l1.dW.0.1", "loss", one-weight's aliases; or in a step's flat {values: {key: number}}
 * (the optimizers); undefined when the key names none.
 */
export function valueAt(step, key) {
  if (step.values && key in step.values) return step.values[key];
  if (key === 'y.new') return step.ynew?.[0]?.[0];
  const k = unalias(key);
  if (k === 'loss') return step.loss;
  const dx = /^dinput(?:\.(\d+))?$/.exec(k);
  if (dx) return step.dinput?.[0]?.[Number(dx[1] ?? 0)];
  const m = /^l(\d+)\.(z|a|delta|dW|db|W|b)((?:\.\d+)*)$/.exec(k);
  if (!m) return undefined;
  const L = step.layers?.[Number(m[1]) - 1];
  const v = L && L[m[2]];
  if (!v) return undefined;
  const idx = m[3] ? m[3].slice(1).split('.').map(Number) : [];
  if (ROWS.has(m[2])) return v[0]?.[idx[0] ?? 0];
  if (MATS.has(m[2])) return v[idx[0] ?? 0]?.[idx[1] ?? 0];
  return v[idx[0] ?? 0];
}

/**
 * The candidates for a row: [{mistake, value}] of the listed mistakes whose value differs from the
 * true one (steps: {mistake name: step}).
 */
export function candidates(panel, key, truth, steps) {
  const out = [];
  for (const mistake of mistakesFor(panel, key)) {
    const value = steps[mistake] ? valueAt(steps[mistake], key) : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (Math.abs(value - truth) <= 1e-12 * Math.max(1, Math.abs(truth))) continue;
    out.push({ mistake, value });
  }
  return out;
}

/** The mistakes whose value the typed text agrees with (the same digit rule as a right answer). */
export function diagnose(text, cands, opts = {}) {
  const a = parseAnswer(text, opts);
  if (!a.ok) return [];
  return cands.filter(c => agrees(a, c.value)).map(c => c.mistake);
}
