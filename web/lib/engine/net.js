// engine/net.js - Net, the JS owner of one network handle of the core: configuration, weights,
// optimizer, one step stage by stage (forward, backward, update), the trace views the panels show,
// prediction, gradient check, and mini-batch training and evaluation over a Data.
// Part of the engine layer (web/lib/engine.js and web/lib/engine/), the only JS that touches WASM memory.
// Typed-array views are made fresh on each access because memory growth detaches old ones.

import { CoreError, flatten } from './errors.js';
import { withOptim } from './optim.js';

export class Net {
  constructor(core, cfg) {
    this.core = core;
    const x = core.x;
    const sizes = cfg.sizes, L = sizes.length - 1;
    const t = core.tables;
    if (!Array.isArray(sizes) || sizes.length < 2) throw new CoreError('EINVAL', 'layers: give at least the input and the output size', { field: 'sizes' });
    const acts = cfg.activations.map((a, i) => {
      const k = t.activation.indexOf(a);
      if (k < 0) throw new CoreError('EINVAL', `activation of layer ${i + 1}: unknown "${a}" (allowed: ${t.activation.join(', ')})`, { field: 'activations', index: i + 1 });
      return k;
    });
    if (acts.length !== L) throw new CoreError('EINVAL', `activations: ${acts.length} given for ${L} weight layers`, { field: 'activations' });
    const loss = t.loss.indexOf(cfg.loss);
    if (loss < 0) throw new CoreError('EINVAL', `loss: unknown "${cfg.loss}" (allowed: ${t.loss.join(', ')})`, { field: 'loss' });
    const alphas = cfg.activations.map((a, i) => (cfg.alphas && cfg.alphas[i] != null ? cfg.alphas[i] : t.alphaDefaults[a] ?? 0));
    const bias = cfg.bias ? cfg.bias.map(b => (b ? 1 : 0)) : sizes.slice(1).map(() => 1);
    const dropout = cfg.dropout ? cfg.dropout.map(Number) : sizes.slice(1).map(() => 0);
    const bn = cfg.batchnorm ? cfg.batchnorm.map(b => (b ? 1 : 0)) : sizes.slice(1).map(() => 0);
    if (dropout.length !== L || bn.length !== L)
      throw new CoreError('EINVAL', `dropout and batchnorm: give ${L} values, one per weight layer`, { field: dropout.length !== L ? 'dropout' : 'batchnorm' });
    const ps = core.copyIn(sizes, Int32Array), pa = core.copyIn(acts, Int32Array);
    const pal = core.copyIn(alphas), pb = core.copyIn(bias, Int32Array);
    const pd = core.copyIn(dropout), pn = core.copyIn(bn, Int32Array);
    const h = x.bp_net_create(L, ps, pa, pal, pb, pd, pn, loss, core.errBuf);
    [ps, pa, pal, pb, pd, pn].forEach(p => x.free(p));
    if (!h) throw core.error(x.bp_error_code(core.errBuf), core.errBuf);
    this.h = h;
    this.sizes = sizes.slice();
    this.activations = cfg.activations.slice();
    this.loss = cfg.loss;
    this.bias = bias.map(Boolean);
    this.dropout = dropout;
    this.batchnorm = bn.map(Boolean);
    this.nparams = x.bp_net_nparams(h);
    this.optimizer = null;
  }
  get layers() { return this.sizes.length - 1; }
  _check(rc) {
    if (rc < 0) throw this.core.error(rc, this.core.x.bp_net_last_error(this.h));
    return rc;
  }
  _alive() { if (!this.h) throw new CoreError('ESTATE', 'this network was freed'); }
  free() { if (this.h) { this.core.x.bp_net_free(this.h); this.h = 0; } }

  /** The whole parameter block (W1, b1, W2, b2, ...), a live view. */
  params() { this._alive(); return this.core.reals(this.core.x.bp_net_params(this.h), this.nparams); }
  grads() { this._alive(); return this.core.reals(this.core.x.bp_net_grads(this.h), this.nparams); }
  /** Offset of W, b, gamma or beta of a layer in the parameter block (-1 if absent). */
  paramOffset(layer, which) { return this.core.x.bp_net_param_offset(this.h, layer, this.core.tables.param.indexOf(which)); }
  /** Keep dropout masks as they are (set through liveView('mask', l)) instead of drawing new ones. */
  fixMasks(on) { this.core.x.bp_net_fix_masks(this.h, on ? 1 : 0); }
  /** Whether updates change the biases (default true; false: Mazur's example, b stays as set). */
  setUpdateBiases(on) { this._alive(); this.core.x.bp_net_set_update_biases(this.h, on ? 1 : 0); this.updateBiases = !!on; }
  init(name = 'xavier_uniform', seed = 1) {
    this._alive();
    const inits = this.core.tables.init, k = inits.indexOf(name);
    if (k < 0) throw new CoreError('EINVAL', `initialiser: unknown "${name}" (allowed: ${inits.join(', ')})`, { field: 'init' });
    this._check(this.core.x.bp_net_init(this.h, k, seed >>> 0));
  }
  seed(seed) { this.core.x.bp_net_seed(this.h, seed >>> 0); }
  /** Explicit weights: W as rows (out x in, nested arrays or flat), b a vector (or null). */
  setLayer(layer, W, b) {
    this._alive();
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.layers)
      throw new CoreError('EINVAL', `layer ${layer + 1} does not exist (the network has ${this.layers} weight layers)`);
    const i = this.sizes[layer], o = this.sizes[layer + 1];
    let pw = 0, pb = 0;
    try {
      if (W != null) {
        const flat = flatten(W, o, i, `weights of layer ${layer + 1}`);
        pw = this.core.copyIn(flat);
      }
      if (b != null) {
        const fb = flatten(b, 1, o, `biases of layer ${layer + 1}`);
        pb = this.core.copyIn(fb);
      }
      this._check(this.core.x.bp_net_set_layer(this.h, layer, pw, pb));
    } finally { if (pw) this.core.x.free(pw); if (pb) this.core.x.free(pb); }
  }
  /** Batch-norm gamma and beta of a layer (either may be null to keep it). */
  setBatchNorm(layer, gamma, beta) {
    this._alive();
    const n = this.sizes[layer + 1];
    for (const [which, v] of [['gamma', gamma], ['beta', beta]]) {
      if (v == null) continue;
      const off = this.paramOffset(layer, which);
      if (off < 0) throw new CoreError('EINVAL', `layer ${layer + 1} has no batch normalisation`);
      const flat = flatten(v, 1, n, `${which} of layer ${layer + 1}`);
      if (!flat.every(Number.isFinite)) throw new CoreError('EINVAL', `${which} of layer ${layer + 1}: not finite numbers`);
      this.params().set(flat, off);
    }
  }
  /** opt: {name, lr, momentum, beta1, beta2, eps, alpha, weight_decay, nesterov, amsgrad}; resets its state. */
  setOptimizer(opt) {
    this._alive();
    const o = withOptim(this.core, opt, q => this._check(this.core.x.bp_net_set_optim(this.h, q)));
    this.optimizer = { name: opt.name, ...o };
  }
  resetOptimizer() { this.core.x.bp_net_reset_optim(this.h); }
  get stepCount() { return this.core.x.bp_net_step_count(this.h); }
  setTrace(on) { this._alive(); this._check(this.core.x.bp_net_set_trace(this.h, on ? 1 : 0)); }

  // -- one step, stage by stage. X: Float32Array (B x in) or array of rows; targets: rows or labels.
  _batch(X) {
    const flat = flatten(X, null, this.sizes[0], 'input');
    return { flat, B: flat.length / this.sizes[0] };
  }
  /** Targets: rows of floats (B x out, nested or flat), or class labels as an Int32Array or {labels: [...]}. */
  _targets(T, B) {
    const K = this.sizes[this.sizes.length - 1];
    // labels: one whole number per row (the core reads B of them: a shorter list was read past its end;
    // the range of each the core checks, naming the row)
    const lab = T instanceof Int32Array ? T : T && !Array.isArray(T) && !ArrayBuffer.isView(T) && T.labels ? T.labels : null;
    if (lab) {
      if (lab.length !== B) throw new CoreError('EINVAL', `labels: ${lab.length} given for ${B} rows, one class per row`, { field: 'labels', value: lab.length });
      const i = Array.from(lab).findIndex(c => !Number.isInteger(c) || Math.abs(c) > 2 ** 31 - 1);
      if (i >= 0) throw new CoreError('EINVAL', `label of row ${i + 1}: ${JSON.stringify(lab[i])} is not a class number`, { field: 'labels', index: i + 1 });
      return { labels: Int32Array.from(lab) };
    }
    return { T: flatten(T, B, K, 'target') };
  }
  forward(X) {
    this._alive();
    const { flat, B } = this._batch(X);
    const p = this.core.copyIn(flat);
    try { this._check(this.core.x.bp_forward(this.h, p, B)); } finally { this.core.x.free(p); }
    this.B = B;
  }
  backward(T) {
    this._alive();
    const t = this._targets(T, this.B);
    const p = t.T ? this.core.copyIn(t.T) : this.core.copyIn(t.labels, Int32Array);
    try {
      this._check(this.core.x.bp_backward(this.h, t.T ? p : 0, t.T ? 0 : p, this.B));
    } finally { this.core.x.free(p); }
    return this.lossValue;
  }
  update() { this._alive(); this._check(this.core.x.bp_update(this.h)); }
  /** forward + backward + update on one batch; returns the loss before the update. */
  step(X, T) { this.forward(X); const l = this.backward(T); this.update(); return l; }
  get lossValue() { return this.core.x.bp_net_loss(this.h); }
  get gradNorm() { return this.core.x.bp_net_grad_norm(this.h); }
  get stepNorm() { return this.core.x.bp_net_step_norm(this.h); }

  /** A view of the last step's buffer: {rows, cols, data: a copy (Float32Array, Float64Array in f64)} or null. */
  view(name, layer = 0) {
    const k = this.core.tables.view.indexOf(name);
    if (k < 0) throw new CoreError('EINVAL', `view: unknown "${name}"`, { field: 'view' });
    const x = this.core.x;
    const ptr = x.bp_view_ptr(this.h, k, layer);
    if (!ptr) return null;
    const rows = x.bp_view_rows(this.h, k, layer), cols = x.bp_view_cols(this.h, k, layer);
    return { rows, cols, data: this.core.Real.from(this.core.reals(ptr, rows * cols)) };
  }
  /** A live (writable) view of a buffer; valid until the next call into the core. */
  liveView(name, layer = 0) {
    const k = this.core.tables.view.indexOf(name);
    if (k < 0) throw new CoreError('EINVAL', `view: unknown "${name}"`, { field: 'view' });
    const x = this.core.x, ptr = x.bp_view_ptr(this.h, k, layer);
    return ptr ? this.core.reals(ptr, x.bp_view_rows(this.h, k, layer) * x.bp_view_cols(this.h, k, layer)) : null;
  }
  /** The trace of the last step as plain arrays: per layer z, a, delta, dW, db, W, b (and the rest). */
  trace() {
    const rows = v => v && toRows(v);
    const vec = v => v && Array.from(v.data);
    const out = { loss: this.lossValue, step: this.stepCount, grad_norm: this.gradNorm, step_norm: this.stepNorm, layers: [] };
    const inp = this.view('input');
    out.input = rows(inp);
    const t = this.view('target', this.layers - 1);
    if (t) out.target = rows(t);
    const dx = this.view('dinput');
    if (dx) out.dinput = rows(dx);
    const lr = this.view('loss_rows', this.layers - 1);
    if (lr) out.loss_rows = vec(lr);
    for (let l = 0; l < this.layers; l++) {
      const L = { activation: this.activations[l] };
      for (const n of ['z', 'zhat', 'h', 'a', 'mask', 'delta', 'dW', 'W', 'W_prev', 'm_W', 'v_W', 'vmax_W', 'mhat_W', 'vhat_W', 'step_W']) {
        const v = this.view(n, l);
        if (v) L[n] = rows(v);
      }
      for (const n of ['db', 'b', 'b_prev', 'm_b', 'v_b', 'vmax_b', 'mhat_b', 'vhat_b', 'step_b']) {
        const v = this.view(n, l);
        L[n] = v ? vec(v) : null;
      }
      if (this.batchnorm[l])
        for (const n of ['gamma', 'beta', 'dgamma', 'dbeta', 'running_mean', 'running_var']) L[n] = vec(this.view(n, l));
      out.layers.push(L);
    }
    return out;
  }

  predict(X) {
    this._alive();
    const { flat, B } = this._batch(X);
    const K = this.sizes[this.sizes.length - 1];
    const p = this.core.copyIn(flat);
    try {
      return this.core.scratch(B * K * this.core.realBytes, q => {
        this._check(this.core.x.bp_predict(this.h, p, B, q));
        return this.core.Real.from(this.core.reals(q, B * K));
      });
    } finally { this.core.x.free(p); }
  }
  /** Central difference for parameter index p of the block:
   * {numeric, analytic, lossPlus: L(w+d), lossMinus: L(w-d), absError, relError}. */
  gradcheck(X, T, p, d = 1e-3) {
    this._alive();
    const { flat, B } = this._batch(X);
    const t = this._targets(T, B);
    const px = this.core.copyIn(flat);
    const pt = t.T ? this.core.copyIn(t.T) : this.core.copyIn(t.labels, Int32Array);
    try {
      return this.core.scratch(48, q => {
        this._check(this.core.x.bp_gradcheck_full(this.h, px, t.T ? pt : 0, t.T ? 0 : pt, B, p, d, q));
        const r = this.core.f64(q, 6);
        return { lossPlus: r[0], lossMinus: r[1], numeric: r[2], analytic: r[3], absError: r[4], relError: r[5] };
      });
    } finally { this.core.x.free(px); this.core.x.free(pt); }
  }

  // -- mini-batch training over a Data held by the core
  beginEpoch(data, shuffle = true) { this._alive(); this._check(this.core.x.bp_epoch_begin(this.h, data.h, shuffle ? 1 : 0)); }
  /** Runs up to maxBatches batches; returns the Float32Array of their losses (empty at epoch end). */
  trainBatches(data, batch, maxBatches) {
    this._alive();
    if (!Number.isInteger(maxBatches) || maxBatches < 0) throw new CoreError('EINVAL', `number of batches: ${maxBatches} is not a whole number >= 0`);
    // the loss buffer needs no more entries than batches left in the epoch
    const left = this.core.x.bp_epoch_remaining(this.h);
    if (Number.isInteger(batch) && batch > 0) maxBatches = Math.min(maxBatches, Math.ceil(left / batch));
    return this.core.scratch(maxBatches * this.core.realBytes, p => {
      const n = this._check(this.core.x.bp_train_batches(this.h, data.h, batch, maxBatches, p));
      return this.core.Real.from(this.core.reals(p, n));
    });
  }
  get epochRemaining() { return this.core.x.bp_epoch_remaining(this.h); }
  /** Samples start..start+count-1 of data, ADDED into acc {lossSum, correct, confusion?: Int32Array(k*k)}
   * (bp_evaluate_part): a long evaluation in parts, with the page told of progress between them. */
  evaluatePart(data, start, count, acc) {
    this._alive();
    const K = this.sizes[this.sizes.length - 1], x = this.core.x, cc = acc.confusion ? K * K : 0;
    return this.core.scratch(16 + cc * 4, q => {
      this.core.f64(q, 1)[0] = 0;
      this.core.i32(q + 8, 1)[0] = 0;
      if (cc) this.core.i32(q + 16, cc).set(acc.confusion);
      this._check(x.bp_evaluate_part(this.h, data.h, start, count, q, q + 8, cc ? q + 16 : 0, 0));
      acc.lossSum += this.core.f64(q, 1)[0];
      acc.correct += this.core.i32(q + 8, 1)[0];
      if (cc) acc.confusion.set(this.core.i32(q + 16, cc));
      return acc;
    });
  }
  /** {loss, accuracy, correct, n, confusion?: Int32Array(k*k), probs?: Float32Array(n*k)} */
  evaluate(data, { confusion = false, probs = false } = {}) {
    this._alive();
    const K = this.sizes[this.sizes.length - 1];
    const x = this.core.x;
    const need = 16 + (confusion ? K * K * 4 : 0);
    const pp = probs ? x.malloc(data.n * K * this.core.realBytes) : 0;
    if (probs && !pp) throw new CoreError('ENOMEM', 'out of memory');
    try {
      return this.core.scratch(need, q => {
        const qc = confusion ? q + 16 : 0;
        this._check(x.bp_evaluate(this.h, data.h, q, q + 8, qc, pp));
        const loss = this.core.f64(q, 1)[0], correct = this.core.i32(q + 8, 1)[0];
        const r = { loss, correct, n: data.n, accuracy: correct / data.n };
        if (confusion) r.confusion = Int32Array.from(this.core.i32(qc, K * K));
        if (probs) r.probs = this.core.Real.from(this.core.reals(pp, data.n * K));
        return r;
      });
    } finally { if (pp) x.free(pp); }
  }
}

/** A view {rows, cols, data} as nested arrays, one per row. */
function toRows(v) {
  const out = [];
  for (let r = 0; r < v.rows; r++) out.push(Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));
  return out;
}
