// engine/mistakes.js - the classic hand-calculation mistakes computed by the core (src/mistakes.c):
// one training step of a small dense network made with a mistake, returned in the shape of a trace
// (layers[l].z, a, delta, dW, db, W, b; loss; ynew; dinput), so that an exercise can compare a student's
// number with each mistake's. Part of the engine layer (the only JS that touches WASM memory).
import { CoreError, flatten } from './errors.js';

const rowsOf = (flat, r, c) => Array.from({ length: r }, (_, i) => Array.from(flat.subarray(i * c, (i + 1) * c)));

/**
 * One step of the traced network under `mistake` (a name of core.tables.mistake). net: {sizes,
 * activations, loss, lr, updateBiases}; trace: the step's trace (input, target, layers[l].W_prev,
 * b_prev: the parameters before the step). Returns {loss, ynew: [[...]], dinput: [[...]], layers: [{z, a, delta, dW, db, W, b}]}.
 */
export function mistakeStep(core, mistake, net, trace) {
  const m = core.tables.mistake.indexOf(mistake);
  if (m < 0) throw new CoreError('EINVAL', `mistake: unknown "${mistake}" (allowed: ${core.tables.mistake.join(', ')})`, { field: 'mistake' });
  const { sizes, activations, loss } = net;
  const nl = sizes.length - 1, B = trace.input.length, K = sizes[nl];
  const acts = activations.map(a => core.tables.activation.indexOf(a));
  const li = core.tables.loss.indexOf(loss);
  const params = [];
  for (let l = 0; l < nl; l++) {
    const L = trace.layers[l];
    params.push(...L.W_prev.flat(), ...(L.b_prev || new Array(sizes[l + 1]).fill(0)));
  }
  let len = 1 + B * K + B * sizes[0];
  for (let l = 0; l < nl; l++) len += 3 * B * sizes[l + 1] + 2 * (sizes[l + 1] * sizes[l] + sizes[l + 1]);
  const x = core.x, I32 = Int32Array;
  const ptrs = [core.copyIn(sizes, I32), core.copyIn(acts, I32), core.copyIn(params), core.copyIn(trace.input.flat()), core.copyIn(trace.target.flat())];
  try {
    return core.scratch(len * core.realBytes, q => {
      const rc = x.bp_mistake_step(m, nl, ptrs[0], ptrs[1], li, ptrs[2], net.updateBiases === false ? 0 : 1, ptrs[3], ptrs[4], B, net.lr, q);
      if (rc < 0) throw new CoreError('EINVAL', 'mistake step: bad arguments (at most 4 layers, 64 units, 16 rows; no step activation)');
      const out = core.reals(q, len).slice();
      const layers = [];
      let o = 0;
      const take = (r, c) => { const v = rowsOf(out.subarray(o, o + r * c), r, c); o += r * c; return v; };
      for (let l = 0; l < nl; l++) {
        const I = sizes[l], O = sizes[l + 1];
        const z = take(B, O), a = take(B, O), delta = take(B, O), dW = take(O, I), db = take(1, O)[0], W = take(O, I), b = take(1, O)[0];
        layers.push({ z, a, delta, dW, db, W, b });
      }
      const lossV = out[o];
      o += 1;
      const ynew = take(B, K);
      return { mistake, loss: lossV, ynew, dinput: take(B, sizes[0]), layers };
    });
  } finally { for (const p of ptrs) x.free(p); }
}

/**
 * Adam's steps with or without the bias correction by the core (src/mistakes.c bp_mistake_adam), each
 * from the given parameters before it: prev and grads are rows of n, one per step. Returns one
 * {theta, step} per step (theta after it, theta - prev).
 */
export function adamSteps(core, { corrected, prev, grads, lr, beta1, beta2, eps }) {
  const n = prev[0].length, steps = prev.length;
  const pp = core.copyIn(prev.flat()), pg = core.copyIn(grads.flat());
  try {
    return core.scratch(2 * n * steps * core.realBytes, q => {
      const rc = core.x.bp_mistake_adam(corrected ? 1 : 0, n, steps, pp, pg, lr, beta1, beta2, eps, q);
      if (rc < 0) throw new CoreError('EINVAL', 'Adam steps: bad arguments');
      const out = core.reals(q, 2 * n * steps);
      return Array.from({ length: steps }, (_, s) => ({ theta: Array.from(out.subarray(2 * n * s, 2 * n * s + n)),
        step: Array.from(out.subarray(2 * n * s + n, 2 * n * (s + 1))) }));
    });
  } finally { core.x.free(pp); core.x.free(pg); }
}

/** Losses of predictions y against t (rows of K) under a mistake (no_half, no_mean), by the core: {rows, mean}. */
export function lossMistake(core, mistake, loss, y, t) {
  const m = core.tables.mistake.indexOf(mistake), k = core.tables.loss.indexOf(loss);
  if (m < 0 || k < 0) throw new CoreError('EINVAL', `loss mistake: unknown "${m < 0 ? mistake : loss}"`, { field: m < 0 ? 'mistake' : 'loss' });
  const K = y[0].length, B = y.length;
  const py = core.copyIn(flatten(y, B, K, 'predictions')), pt = core.copyIn(flatten(t, B, K, 'targets'));
  try {
    return core.scratch(8 + B * core.realBytes, q => {
      if (core.x.bp_mistake_loss(m, k, B, K, py, pt, q + 8, q) < 0) throw new CoreError('EINVAL', 'loss mistake: bad arguments (at most 64 outputs)');
      return { mean: core.f64(q, 1)[0], rows: Array.from(core.reals(q + 8, B)) };
    });
  } finally { core.x.free(py); core.x.free(pt); }
}
