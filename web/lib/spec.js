// spec.js - the public network spec (a JSON a teacher can write by hand) -> a ready network.
// Pure validation and conversion; the numbers themselves come from the core (engine.js).
//
// {"layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], "loss": "half_sse",
//  "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],   W is out x in
//  "biases": [[0.35, 0.35], [0.60, 0.60]],        null for a layer without bias
//  "alphas": [null, null],                        leaky_relu slope / elu alpha
//  "input": [0.05, 0.10] or [[...], ...],         one sample or a batch
//  "target": [0.01, 0.99] or [[...], ...] or class indices,
//  "optimizer": {"name": "sgd", "lr": 0.5},
//  "init": "xavier_uniform", "seed": 1,          used when "weights" is absent
//  "update_biases": true}                         false: updates leave b as it is (Mazur's example)

import { ACTIVATIONS, LOSSES, CoreError } from './engine.js';
import { OPTIMIZERS, INITS, OPTIMIZER_BASE } from './core-tables.js';

const KEYS = ['layers', 'activations', 'alphas', 'loss', 'weights', 'biases', 'bias', 'input', 'target', 'optimizer', 'init', 'seed',
  'dropout', 'batchnorm', 'gamma', 'beta', 'name', 'note', 'title', 'update_biases'];
/** Deepest nesting a spec can need: weights are a list of matrices (3 levels) inside the object. */
export const MAX_DEPTH = 8;
/** The largest finite float32: the core stores every number of a spec as one. */
export const FLT_MAX = 3.4028234663852886e38;

function fail(msg, field = null) { throw new CoreError('SPEC', msg, { field }); }
/** A finite number the core can hold as a float32 (1e39 would become Infinity there). */
const isNum = v => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= FLT_MAX;
/** A value for a message: short, and never a RangeError however it is nested. */
export function show(v) {
  if (Array.isArray(v)) return v.length ? `a list of ${v.length}` : 'an empty list';
  if (v && typeof v === 'object') return 'an object';
  const t = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v) : String(v);
  return t;
}
/** The first array entry that is not a number, as a message (or null). */
function badNumber(arr) {
  const i = arr.findIndex(v => !isNum(v));
  if (i < 0) return null;
  const v = arr[i];
  return `value ${i + 1} is ${typeof v === 'number' && Number.isFinite(v) ? `${v}, beyond float32's range (about 3.4e38)` : show(v)}`;
}
/** Longest list a spec can need (a batch of input rows; 4096 weights in a row). */
const MAX_LIST = 1 << 20;
/**
 * A plain copy of what the caller gave: lists as plain arrays, objects as their own enumerable keys
 * (an own "__proto__" stays a key, to be refused), at most MAX_DEPTH levels. Whatever a JS caller
 * hands in (a list with its own "constructor", a throwing getter, a sparse list of length 1e9) ends
 * here in a CoreError, and the checks below read only plain data.
 */
function plain(v, depth = 1) {
  if (!v || typeof v !== 'object') return v;
  if (depth > MAX_DEPTH) fail(`spec: nested more than ${MAX_DEPTH} levels deep; no key of a spec needs more than 4`);
  try {
    if (Array.isArray(v)) {
      if (v.length > MAX_LIST) fail(`spec: a list of ${v.length} entries is longer than any spec needs (at most ${MAX_LIST})`);
      const out = new Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = plain(v[i], depth + 1);
      return out;
    }
    const out = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain(v[k], depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  } catch (e) {
    if (e instanceof CoreError) throw e;
    return fail(`spec: a value cannot be read (${e && e.message})`);
  }
}

/** The optimizer object: a known name, and only that optimizer's own settings, each of its type. */
function checkOptimizer(o) {
  if (!o || typeof o !== 'object' || Array.isArray(o) || typeof o.name !== 'string' || !Object.hasOwn(o, 'name'))
    fail('optimizer: expected an object like {"name": "sgd", "lr": 0.5}', 'optimizer');
  if (!OPTIMIZERS.includes(o.name)) fail(`optimizer: unknown name ${show(o.name)} (allowed: ${OPTIMIZERS.join(', ')})`, 'optimizer');
  const dflt = OPTIMIZER_BASE;                                     // every setting the core's bp_optim has, with its type
  for (const k of Object.keys(o)) {
    if (k === 'name') continue;
    if (!Object.hasOwn(dflt, k)) fail(`optimizer: unknown setting ${show(k)} (allowed: ${Object.keys(dflt).join(', ')})`, k);
    const v = o[k];
    if (typeof dflt[k] === 'boolean') {
      if (typeof v !== 'boolean') fail(`optimizer.${k}: expected true or false, not ${show(v)}`, k);
    } else if (!isNum(v)) fail(`optimizer.${k}: expected a finite number, not ${show(v)}`, k);
  }
}

/** Checks a spec and returns it normalised: batch rows for input and target, per-layer arrays. */
export function normalizeSpec(given) {
  if (!given || typeof given !== 'object' || Array.isArray(given)) fail('spec: expected a JSON object');
  const spec = plain(given);
  for (const k of Object.keys(spec)) if (!KEYS.includes(k)) fail(`spec: unknown key ${show(k)} (allowed: ${KEYS.join(', ')})`, k);
  for (const k of ['name', 'note', 'title']) if (spec[k] != null && typeof spec[k] !== 'string') fail(`${k}: expected text, not ${show(spec[k])}`, k);
  const sizes = spec.layers;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every(n => Number.isInteger(n) && n >= 1))
    fail('layers: expected a list of at least two positive integers, input size first, e.g. [2, 2, 2]', 'layers');
  const L = sizes.length - 1;
  const acts = spec.activations;
  if (!Array.isArray(acts) || acts.length !== L)
    fail(`activations: expected ${L} names, one per weight layer (allowed: ${ACTIVATIONS.join(', ')})`, 'activations');
  acts.forEach((a, i) => { if (!ACTIVATIONS.includes(a)) fail(`activations[${i}]: unknown ${show(a)} (allowed: ${ACTIVATIONS.join(', ')})`, 'activations'); });
  if (!LOSSES.includes(spec.loss)) fail(`loss: unknown ${show(spec.loss)} (allowed: ${LOSSES.join(', ')})`, 'loss');
  const alphas = spec.alphas == null ? acts.map(() => null) : spec.alphas;
  if (!Array.isArray(alphas) || alphas.length !== L || !alphas.every(a => a == null || isNum(a)))
    fail(`alphas: expected ${L} finite numbers or nulls`, 'alphas');
  let weights = null, biases = null;
  if (spec.biases != null && (!Array.isArray(spec.biases) || spec.biases.length !== L))
    fail(`biases: expected ${L} vectors (or null for a layer without bias)`, 'biases');
  const bias = spec.bias != null ? spec.bias : (spec.biases ? spec.biases.map(b => b != null) : acts.map(() => true));
  if (!Array.isArray(bias) || bias.length !== L || !bias.every(b => typeof b === 'boolean'))
    fail(`bias: expected ${L} true/false values`, 'bias');
  if (spec.weights != null) {
    if (!Array.isArray(spec.weights) || spec.weights.length !== L) fail(`weights: expected ${L} matrices (out x in), one per layer`, 'weights');
    weights = spec.weights.map((W, l) => {
      const o = sizes[l + 1], i = sizes[l];
      if (!Array.isArray(W) || W.length !== o || !W.every(r => Array.isArray(r) && r.length === i))
        fail(`weights[${l}]: expected a ${o} x ${i} matrix of numbers (W is out x in: ${o} rows of ${i})`, 'weights');
      W.forEach((r, j) => { const b = badNumber(r); if (b) fail(`weights[${l}] row ${j + 1}: ${b}`, 'weights'); });
      return W;
    });
  }
  if (spec.biases != null) {
    biases = spec.biases.map((b, l) => {
      if (b == null) return null;
      if (!Array.isArray(b) || b.length !== sizes[l + 1]) fail(`biases[${l}]: expected ${sizes[l + 1]} numbers or null`, 'biases');
      const bad = badNumber(b);
      if (bad) fail(`biases[${l}]: ${bad}`, 'biases');
      return b;
    });
  }
  let input = null, target = null, labels = null;
  if (spec.input != null) {
    input = Array.isArray(spec.input) && !Array.isArray(spec.input[0]) ? [spec.input] : spec.input;
    if (!Array.isArray(input) || input.length < 1 || !input.every(r => Array.isArray(r) && r.length === sizes[0]))
      fail(`input: expected ${sizes[0]} numbers, or a list of such rows`, 'input');
    input.forEach((r, j) => { const b = badNumber(r); if (b) fail(`input row ${j + 1}: ${b}`, 'input'); });
  }
  if (spec.target != null) {
    const K = sizes[L], B = input ? input.length : 1;
    const t = spec.target;
    // class labels: one integer per row (a flat list of B integers; with B = 1 a list of K values is a row)
    if (K > 1 && Array.isArray(t) && t.length === B && t.every(Number.isInteger)) {
      labels = t;
      labels.forEach((c, i) => { if (c < 0 || c >= K) fail(`target[${i}]: class ${c} does not exist (0..${K - 1})`, 'target'); });
    } else if (Number.isInteger(t) && B === 1 && K > 1) {
      labels = [t];
      if (t < 0 || t >= K) fail(`target: class ${t} does not exist (0..${K - 1})`, 'target');
    } else {
      target = Array.isArray(t) && !Array.isArray(t[0]) ? [t] : t;
      if (!Array.isArray(target) || target.length !== B || !target.every(r => Array.isArray(r) && r.length === K))
        fail(`target: expected ${B} row(s) of ${K} numbers (or one class index per row)`, 'target');
      target.forEach((r, j) => { const b = badNumber(r); if (b) fail(`target row ${j + 1}: ${b}`, 'target'); });
    }
  }
  const dropout = spec.dropout == null ? acts.map(() => 0) : spec.dropout;
  if (!Array.isArray(dropout) || dropout.length !== L || !dropout.every(p => isNum(p) && p >= 0 && p < 1))
    fail(`dropout: expected ${L} probabilities in [0, 1), one per weight layer`, 'dropout');
  const batchnorm = spec.batchnorm == null ? acts.map(() => false) : spec.batchnorm;
  if (!Array.isArray(batchnorm) || batchnorm.length !== L || !batchnorm.every(b => typeof b === 'boolean'))
    fail(`batchnorm: expected ${L} true/false values, one per weight layer`, 'batchnorm');
  for (const key of ['gamma', 'beta']) {
    if (spec[key] == null) continue;
    if (!Array.isArray(spec[key]) || spec[key].length !== L) fail(`${key}: expected ${L} vectors (null for layers without batch norm)`, key);
    spec[key].forEach((g, l) => {
      if (g == null) return;
      if (!batchnorm[l]) fail(`${key}[${l}]: layer ${l + 1} has no batch normalisation`, key);
      if (!Array.isArray(g) || g.length !== sizes[l + 1] || !g.every(isNum)) fail(`${key}[${l}]: expected ${sizes[l + 1]} finite numbers`, key);
    });
  }
  const optimizer = spec.optimizer == null ? { name: 'sgd', lr: 0.1 } : spec.optimizer;
  checkOptimizer(optimizer);
  if (spec.init != null && !INITS.includes(spec.init)) fail(`init: unknown ${show(spec.init)} (allowed: ${INITS.join(', ')})`, 'init');
  const updateBiases = spec.update_biases == null ? true : spec.update_biases;
  if (typeof updateBiases !== 'boolean') fail('update_biases: expected true or false');
  const seed = spec.seed == null ? 1 : spec.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail('seed: expected an integer from 0 to 4294967295', 'seed');
  return { sizes, activations: acts, alphas, bias, dropout, batchnorm, gamma: spec.gamma || null, beta: spec.beta || null,
    loss: spec.loss, weights, biases, input, target, labels,
    optimizer, init: spec.init || 'xavier_uniform', seed, updateBiases };
}

/** Builds the network of a spec in the core: weights given or initialised, optimizer set. */
export function buildNet(core, spec) {
  const s = normalizeSpec(spec);
  const net = core.createNet({ sizes: s.sizes, activations: s.activations, alphas: s.alphas, bias: s.bias,
    dropout: s.dropout, batchnorm: s.batchnorm, loss: s.loss });
  try {
    net.init(s.init, s.seed);
    if (s.weights) s.weights.forEach((W, l) => net.setLayer(l, W, s.biases ? s.biases[l] : null));
    else if (s.biases) s.biases.forEach((b, l) => net.setLayer(l, null, b));
    s.batchnorm.forEach((on, l) => {
      if (on && (s.gamma || s.beta)) net.setBatchNorm(l, s.gamma && s.gamma[l], s.beta && s.beta[l]);
    });
    net.setOptimizer(s.optimizer);
    if (!s.updateBiases) net.setUpdateBiases(false);
  } catch (e) { net.free(); throw e; }
  return { net, spec: s };
}

/** The targets of a normalised spec in the form Net.backward takes. */
export function targetsOf(s) { return s.labels ? { labels: s.labels } : s.target; }

/** About how many numbers one traced step of a normalised spec holds (net.trace()'s views), for size limits. */
export function traceValues(s) {
  const B = s.input ? s.input.length : 1;
  let n = 2 * B * (s.sizes[0] + s.sizes[s.sizes.length - 1]);            // input, dinput, target, loss rows
  for (let l = 0; l + 1 < s.sizes.length; l++) {
    const i = s.sizes[l], o = s.sizes[l + 1];
    n += 6 * B * o + 9 * i * o + 15 * o;                                  // z, zhat, h, a, mask, delta; W and its 8 kin; b, bn
  }
  return n;
}

/** Runs `steps` training steps on the spec's batch, returning the trace of each (optimizer state carried);
 * with onStep, hands each trace to it instead of keeping them (a long trace in constant memory). */
export function traceSteps(core, spec, steps = 1, onStep = null) {
  const { net, spec: s } = buildNet(core, spec);
  try {
    if (!s.input) fail('input: the spec needs an input to trace a step');
    if (!s.target && !s.labels) fail('target: the spec needs a target to trace a step');
    net.setTrace(true);
    const out = [];
    for (let i = 0; i < steps; i++) {
      net.forward(s.input);
      net.backward(targetsOf(s));
      net.update();
      if (onStep) onStep(net.trace(), i); else out.push(net.trace());
    }
    return out;
  } finally { net.free(); }
}
