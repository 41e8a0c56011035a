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

const KEYS = ['layers', 'activations', 'alphas', 'loss', 'weights', 'biases', 'bias', 'input', 'target', 'optimizer', 'init', 'seed',
  'dropout', 'batchnorm', 'gamma', 'beta', 'name', 'note', 'title', 'update_biases'];

function fail(msg) { throw new CoreError('SPEC', msg); }
const isNum = v => typeof v === 'number' && Number.isFinite(v);

/** Checks a spec and returns it normalised: batch rows for input and target, per-layer arrays. */
export function normalizeSpec(spec) {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) fail('spec: expected a JSON object');
  for (const k of Object.keys(spec)) if (!KEYS.includes(k)) fail(`spec: unknown key "${k}" (allowed: ${KEYS.join(', ')})`);
  const sizes = spec.layers;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every(n => Number.isInteger(n) && n >= 1))
    fail('layers: expected a list of at least two positive integers, input size first, e.g. [2, 2, 2]');
  const L = sizes.length - 1;
  const acts = spec.activations;
  if (!Array.isArray(acts) || acts.length !== L)
    fail(`activations: expected ${L} names, one per weight layer (allowed: ${ACTIVATIONS.join(', ')})`);
  acts.forEach((a, i) => { if (!ACTIVATIONS.includes(a)) fail(`activations[${i}]: unknown "${a}" (allowed: ${ACTIVATIONS.join(', ')})`); });
  if (!LOSSES.includes(spec.loss)) fail(`loss: unknown ${JSON.stringify(spec.loss)} (allowed: ${LOSSES.join(', ')})`);
  const alphas = spec.alphas == null ? acts.map(() => null) : spec.alphas;
  if (!Array.isArray(alphas) || alphas.length !== L || !alphas.every(a => a == null || isNum(a)))
    fail(`alphas: expected ${L} numbers or nulls`);
  let weights = null, biases = null;
  const bias = spec.bias != null ? spec.bias : (spec.biases ? spec.biases.map(b => b != null) : acts.map(() => true));
  if (!Array.isArray(bias) || bias.length !== L) fail(`bias: expected ${L} true/false values`);
  if (spec.weights != null) {
    if (!Array.isArray(spec.weights) || spec.weights.length !== L) fail(`weights: expected ${L} matrices (out x in), one per layer`);
    weights = spec.weights.map((W, l) => {
      const o = sizes[l + 1], i = sizes[l];
      if (!Array.isArray(W) || W.length !== o || !W.every(r => Array.isArray(r) && r.length === i && r.every(isNum)))
        fail(`weights[${l}]: expected a ${o} x ${i} matrix of numbers (W is out x in: ${o} rows of ${i})`);
      return W;
    });
  }
  if (spec.biases != null) {
    if (!Array.isArray(spec.biases) || spec.biases.length !== L) fail(`biases: expected ${L} vectors (or null for a layer without bias)`);
    biases = spec.biases.map((b, l) => {
      if (b == null) return null;
      if (!Array.isArray(b) || b.length !== sizes[l + 1] || !b.every(isNum)) fail(`biases[${l}]: expected ${sizes[l + 1]} numbers or null`);
      return b;
    });
  }
  let input = null, target = null, labels = null;
  if (spec.input != null) {
    input = Array.isArray(spec.input) && !Array.isArray(spec.input[0]) ? [spec.input] : spec.input;
    if (!Array.isArray(input) || !input.every(r => Array.isArray(r) && r.length === sizes[0] && r.every(isNum)))
      fail(`input: expected ${sizes[0]} numbers, or a list of such rows`);
  }
  if (spec.target != null) {
    const K = sizes[L], B = input ? input.length : 1;
    const t = spec.target;
    // class labels: one integer per row (a flat list of B integers; with B = 1 a list of K values is a row)
    if (K > 1 && Array.isArray(t) && t.length === B && t.every(Number.isInteger)) {
      labels = t;
      labels.forEach((c, i) => { if (c < 0 || c >= K) fail(`target[${i}]: class ${c} does not exist (0..${K - 1})`); });
    } else if (Number.isInteger(t) && B === 1 && K > 1) {
      labels = [t];
      if (t < 0 || t >= K) fail(`target: class ${t} does not exist (0..${K - 1})`);
    } else {
      target = Array.isArray(t) && !Array.isArray(t[0]) ? [t] : t;
      if (!Array.isArray(target) || target.length !== B || !target.every(r => Array.isArray(r) && r.length === K && r.every(isNum)))
        fail(`target: expected ${B} row(s) of ${K} numbers (or one class index per row)`);
    }
  }
  const dropout = spec.dropout == null ? acts.map(() => 0) : spec.dropout;
  if (!Array.isArray(dropout) || dropout.length !== L || !dropout.every(p => isNum(p) && p >= 0 && p < 1))
    fail(`dropout: expected ${L} probabilities in [0, 1), one per weight layer`);
  const batchnorm = spec.batchnorm == null ? acts.map(() => false) : spec.batchnorm;
  if (!Array.isArray(batchnorm) || batchnorm.length !== L || !batchnorm.every(b => typeof b === 'boolean'))
    fail(`batchnorm: expected ${L} true/false values, one per weight layer`);
  for (const key of ['gamma', 'beta']) {
    if (spec[key] == null) continue;
    if (!Array.isArray(spec[key]) || spec[key].length !== L) fail(`${key}: expected ${L} vectors (null for layers without batch norm)`);
    spec[key].forEach((g, l) => {
      if (g == null) return;
      if (!batchnorm[l]) fail(`${key}[${l}]: layer ${l + 1} has no batch normalisation`);
      if (!Array.isArray(g) || g.length !== sizes[l + 1] || !g.every(isNum)) fail(`${key}[${l}]: expected ${sizes[l + 1]} numbers`);
    });
  }
  const optimizer = spec.optimizer == null ? { name: 'sgd', lr: 0.1 } : spec.optimizer;
  if (typeof optimizer !== 'object' || typeof optimizer.name !== 'string') fail('optimizer: expected an object like {"name": "sgd", "lr": 0.5}');
  const updateBiases = spec.update_biases == null ? true : spec.update_biases;
  if (typeof updateBiases !== 'boolean') fail('update_biases: expected true or false');
  const seed = spec.seed == null ? 1 : spec.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail('seed: expected an integer from 0 to 4294967295');
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

/** Runs `steps` training steps on the spec's batch, returning the trace of each (optimizer state carried). */
export function traceSteps(core, spec, steps = 1) {
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
      out.push(net.trace());
    }
    return out;
  } finally { net.free(); }
}
