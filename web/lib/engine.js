// engine.js - the only JS that touches the core's WebAssembly memory.
// Works in the browser (page or Web Worker) and in Node. Every C handle is owned by one JS object
// with an explicit free(); typed-array views are made fresh on each access because memory growth
// detaches old ones.

import { SHIPPED, seamDrift } from './core-tables.js';
export { ACTIVATIONS, LOSSES, OPTIMIZERS, INITS, OPTIMIZER_DEFAULTS, OPTIMIZER_BASE, ALPHA_DEFAULTS } from './core-tables.js';

/**
 * An error from the core: `code` is stable (EINVAL, DIVERGED, SEAM, ...) for translation, `message`
 * English; as data, `field` (the argument or setting, e.g. 'lr', 'batch', 'alphas'), `index` (1-based
 * layer, row or sample), `iteration` (the step of a DIVERGED) and `value` (the offending number, the
 * loss of a DIVERGED), each null when it does not apply.
 */
export class CoreError extends Error {
  constructor(code, message, { field = null, index = null, iteration = null, value = null } = {}) {
    super(message);
    Object.assign(this, { name: 'CoreError', code, field, index, iteration, value });
  }
}

// A minimal module with one v128 instruction: validates only where WebAssembly SIMD is supported.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
export function hasSimd() { return WebAssembly.validate(SIMD_PROBE); }

const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node) && typeof window === 'undefined';

async function readWasm(url) {
  if (isNode && url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new CoreError('NOT_FOUND', `cannot load the training core ${url.pathname}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/**
 * Loads the core. opts.flavor: 'auto' (SIMD where supported, else scalar), 'simd' or 'scalar';
 * opts.bytes: the .wasm bytes (skips loading); opts.baseUrl: where bp-simd.wasm / bp-scalar.wasm are;
 * opts.shipped: the tables to check the core's against (tests; default core-tables.js's).
 * Throws CoreError 'SEAM' naming the first entry where the core's names or defaults differ.
 */
export async function loadCore(opts = {}) {
  let flavor = opts.flavor || 'auto';
  if (flavor === 'auto') flavor = hasSimd() ? 'simd' : 'scalar';
  if (flavor === 'simd' && !hasSimd()) throw new CoreError('NO_SIMD', 'this browser does not support WebAssembly SIMD');
  const base = opts.baseUrl || new URL('../build/', import.meta.url);
  const bytes = opts.bytes || await readWasm(new URL(`bp-${flavor}.wasm`, base));
  let core;
  const imports = { env: { emscripten_notify_memory_growth: () => { if (core) core._grown++; } } };
  const { instance } = await WebAssembly.instantiate(bytes, imports);
  core = new Core(instance, flavor);
  const drift = seamDrift(core.tables, opts.shipped || SHIPPED);
  if (drift) throw new CoreError('SEAM', `the training core does not match this page's tables: ${drift}`, { field: 'tables' });
  return core;
}

export class Core {
  constructor(instance, flavor) {
    this.x = instance.exports;
    this.flavor = flavor;
    this._grown = 0;
    if (this.x._initialize) this.x._initialize();
    this.errBuf = this.x.malloc(this.x.bp_error_size());
    this.kernels = this.str(this.x.bp_kernels());
    this.version = this.str(this.x.bp_version());
    this.tables = readTables(this);   // every name <-> number mapping used below comes from here
  }
  get memory() { return this.x.memory; }
  f32(ptr, n) { return new Float32Array(this.x.memory.buffer, ptr, n); }
  i32(ptr, n) { return new Int32Array(this.x.memory.buffer, ptr, n); }
  f64(ptr, n) { return new Float64Array(this.x.memory.buffer, ptr, n); }
  str(ptr) {
    const u8 = new Uint8Array(this.x.memory.buffer);
    let end = ptr;
    while (u8[end]) end++;
    return new TextDecoder().decode(u8.subarray(ptr, end));
  }
  /** Runs fn(ptr) with `bytes` of scratch memory, freed afterwards. */
  scratch(bytes, fn) {
    const p = this.x.malloc(Math.max(bytes, 8));
    if (!p) throw new CoreError('ENOMEM', 'out of memory');
    try { return fn(p); } finally { this.x.free(p); }
  }
  copyIn(arr, Type = Float32Array) {
    const p = this.x.malloc(Math.max(arr.length * 4, 8));
    if (!p) throw new CoreError('ENOMEM', 'out of memory');
    new Type(this.x.memory.buffer, p, arr.length).set(arr);
    return p;
  }
  /**
   * A network. cfg: {sizes: [in, h1, ..., out], activations: [...names], alphas?: [...], bias?: [bools],
   * dropout?: [p per layer], batchnorm?: [bools], loss: name}. Throws CoreError with the core's message
   * on a bad configuration.
   */
  createNet(cfg) { return new Net(this, cfg); }
  /** A dataset held by the core: n samples of dim floats, labels (k classes) or float targets (k per sample).
   * bytes: store the samples as bytes (pixels) turned into floats through a 256-entry table, lut. */
  createData(n, dim, k, withLabels = true, { bytes = false } = {}) { return new Data(this, n, dim, k, withLabels, bytes); }
  /** Losses of given predictions y against targets t (rows of K): {rows: [...], mean}. */
  lossValues(loss, y, t) {
    const k = this.tables.loss.indexOf(loss);
    if (k < 0) throw new CoreError('EINVAL', `loss: unknown "${loss}"`, { field: 'loss' });
    const K = y[0].length, B = y.length;
    const py = this.copyIn(flatten(y, B, K, 'predictions')), pt = this.copyIn(flatten(t, B, K, 'targets'));
    try {
      return this.scratch(8 + B * 4, q => {
        const rc = this.x.bp_loss_values(k, B, K, py, pt, q + 8, q);
        if (rc < 0) throw new CoreError('EINVAL', 'loss values: bad arguments (at most 64 outputs)');
        return { mean: this.f64(q, 1)[0], rows: Array.from(this.f32(q + 8, B)) };
      });
    } finally { this.x.free(py); this.x.free(pt); }
  }
  /** The softmax Jacobian at z (K values) as K rows: J[i][j] = da_i/dz_j = a_i (1[i=j] - a_j). */
  softmaxJacobian(z) {
    const K = z.length;
    if (K < 1 || K > 64) throw new CoreError('EINVAL', `softmax Jacobian: ${K} values (1..64 allowed)`);
    const pz = this.copyIn(flatten(z, 1, K, 'z'));
    try {
      return this.scratch(K * K * 4, q => {
        this.x.bp_softmax_jacobian(K, pz, q);
        const J = this.f32(q, K * K);
        return Array.from({ length: K }, (_, i) => Array.from(J.subarray(i * K, (i + 1) * K)));
      });
    } finally { this.x.free(pz); }
  }
  /** A 2-D surface ('quadratic', 'rosenbrock', 'saddle', 'bowl') at (x, y): {f, gx, gy}. */
  surface(kind, x, y) {
    const k = this.tables.surface.indexOf(kind);
    if (k < 0) throw new CoreError('EINVAL', `surface: unknown "${kind}"`, { field: 'surface' });
    return this.scratch(12, q => {
      this.x.bp_surface(k, x, y, q);
      const r = this.f32(q, 3);
      return { f: r[0], gx: r[1], gy: r[2] };
    });
  }
  /** The optimizer on a plain vector of n parameters (2-D surfaces). */
  createVectorOptimizer(n) { return new VectorOptimizer(this, n); }
  /** The CoreError of a failed call: status rc, details from the core's error record at ptr. */
  error(rc, ptr) {
    const x = this.x, code = this.tables.status[-rc] || 'ERROR';
    if (!ptr || x.bp_error_code(ptr) !== rc) return new CoreError(code, `the core failed with ${code}`);
    return new CoreError(code, this.str(x.bp_error_message(ptr)), {
      field: this.str(x.bp_error_field(ptr)) || null, index: x.bp_error_index(ptr) || null,
      iteration: x.bp_error_iteration(ptr) || null, value: x.bp_error_has_value(ptr) ? x.bp_error_value(ptr) : null });
  }
}

/** The core's names, each enum under its kind's name (activation, loss, init, optimizer, optimizer_setting,
 * view, param, vector_optimizer_state, surface, status), and the defaults: optimizerDefaults {name:
 * {setting: value}}, optimizerOwn {name: [settings]}, optimizerFlags [settings], alphaDefaults. */
function readTables(core) {
  const x = core.x, names = k => Array.from({ length: x.bp_enum_count(k) }, (_, i) => core.str(x.bp_enum_name(k, i)));
  const t = {};
  names(0).forEach((kind, k) => { t[kind] = names(k); });
  const fields = t.optimizer_setting || [];
  t.optimizerFlags = fields.filter((f, i) => x.bp_optim_is_flag(i));
  t.optimizerDefaults = {};
  t.optimizerOwn = {};
  (t.optimizer || []).forEach((name, k) => {
    t.optimizerDefaults[name] = Object.fromEntries(fields.map((f, i) => {
      const v = x.bp_optim_default(k, i);
      return [f, x.bp_optim_is_flag(i) ? v !== 0 : v];
    }));
    t.optimizerOwn[name] = fields.filter((f, i) => x.bp_optim_has(k, i));
  });
  t.alphaDefaults = {};
  (t.activation || []).forEach((a, k) => { const v = x.bp_act_alpha_default(k); if (!Number.isNaN(v)) t.alphaDefaults[a] = v; });
  return t;
}

/** Writes opt ({name, lr, ...}) as the core's bp_optim (4-byte slots: kind, then each setting) and
 * runs call(ptr); returns the settings used (the optimizer's defaults for those not given). */
function withOptim(core, opt, call) {
  if (!opt || typeof opt !== 'object') throw new CoreError('EINVAL', 'optimizer: an object like {name: "adam", lr: 0.001} is required', { field: 'optimizer' });
  const t = core.tables, kind = t.optimizer.indexOf(opt.name), fields = t.optimizer_setting;
  if (kind < 0) throw new CoreError('EINVAL', `optimizer: unknown name "${opt.name}" (allowed: ${t.optimizer.join(', ')})`, { field: 'name' });
  const o = { ...t.optimizerDefaults[opt.name] };
  for (const k of Object.keys(opt)) {
    if (k === 'name') continue;
    if (!fields.includes(k)) throw new CoreError('EINVAL', `optimizer: unknown setting "${k}" (allowed: ${fields.join(', ')})`, { field: k });
    o[k] = opt[k];
  }
  for (const k of fields)
    if (!t.optimizerFlags.includes(k) && typeof o[k] !== 'number')
      throw new CoreError('EINVAL', `optimizer: ${k} must be a number, not ${JSON.stringify(o[k])}`, { field: k });
  for (const k of t.optimizerFlags)          // "false" is a string, not false: truthiness would turn it on
    if (typeof o[k] !== 'boolean' && o[k] !== 0 && o[k] !== 1)
      throw new CoreError('EINVAL', `optimizer: ${k} must be true or false, not ${JSON.stringify(o[k])}`, { field: k });
  core.scratch(4 * (1 + fields.length), q => {
    const i32 = core.i32(q, 1 + fields.length), f32 = core.f32(q, 1 + fields.length);
    i32[0] = kind;
    fields.forEach((k, i) => { if (t.optimizerFlags.includes(k)) i32[1 + i] = o[k] ? 1 : 0; else f32[1 + i] = o[k]; });
    call(q);
  });
  return o;
}

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
  params() { this._alive(); return this.core.f32(this.core.x.bp_net_params(this.h), this.nparams); }
  grads() { this._alive(); return this.core.f32(this.core.x.bp_net_grads(this.h), this.nparams); }
  /** Offset of W, b, gamma or beta of a layer in the parameter block (-1 if absent). */
  paramOffset(layer, which) { return this.core.x.bp_net_param_offset(this.h, layer, this.core.tables.param.indexOf(which)); }
  /** Keep dropout masks as they are (set through liveView('mask', l)) instead of drawing new ones. */
  fixMasks(on) { this.core.x.bp_net_fix_masks(this.h, on ? 1 : 0); }
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
    // labels: exactly one class per row (the core reads B of them: a shorter list was read past its end)
    const lab = T instanceof Int32Array ? T : T && !Array.isArray(T) && !ArrayBuffer.isView(T) && T.labels ? T.labels : null;
    if (lab) {
      // (the range of each the core checks, naming the row; here what it cannot see: length, whole numbers)
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

  /** A view of the last step's buffer: {rows, cols, data: Float32Array copy} or null. */
  view(name, layer = 0) {
    const k = this.core.tables.view.indexOf(name);
    if (k < 0) throw new CoreError('EINVAL', `view: unknown "${name}"`, { field: 'view' });
    const x = this.core.x;
    const ptr = x.bp_view_ptr(this.h, k, layer);
    if (!ptr) return null;
    const rows = x.bp_view_rows(this.h, k, layer), cols = x.bp_view_cols(this.h, k, layer);
    return { rows, cols, data: Float32Array.from(this.core.f32(ptr, rows * cols)) };
  }
  /** A live (writable) view of a buffer; valid until the next call into the core. */
  liveView(name, layer = 0) {
    const k = this.core.tables.view.indexOf(name);
    if (k < 0) throw new CoreError('EINVAL', `view: unknown "${name}"`, { field: 'view' });
    const x = this.core.x, ptr = x.bp_view_ptr(this.h, k, layer);
    return ptr ? this.core.f32(ptr, x.bp_view_rows(this.h, k, layer) * x.bp_view_cols(this.h, k, layer)) : null;
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
      return this.core.scratch(B * K * 4, q => {
        this._check(this.core.x.bp_predict(this.h, p, B, q));
        return Float32Array.from(this.core.f32(q, B * K));
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
    return this.core.scratch(maxBatches * 4, p => {
      const n = this._check(this.core.x.bp_train_batches(this.h, data.h, batch, maxBatches, p));
      return Float32Array.from(this.core.f32(p, n));
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
    const pp = probs ? x.malloc(data.n * K * 4) : 0;
    if (probs && !pp) throw new CoreError('ENOMEM', 'out of memory');
    try {
      return this.core.scratch(need, q => {
        const qc = confusion ? q + 16 : 0;
        this._check(x.bp_evaluate(this.h, data.h, q, q + 8, qc, pp));
        const loss = this.core.f64(q, 1)[0], correct = this.core.i32(q + 8, 1)[0];
        const r = { loss, correct, n: data.n, accuracy: correct / data.n };
        if (confusion) r.confusion = Int32Array.from(this.core.i32(qc, K * K));
        if (probs) r.probs = Float32Array.from(this.core.f32(pp, data.n * K));
        return r;
      });
    } finally { if (pp) x.free(pp); }
  }
}

export class Data {
  constructor(core, n, dim, k, withLabels, bytes = false) {
    this.core = core;
    const h = (bytes ? core.x.bp_data_create_u8 : core.x.bp_data_create)(n, dim, k, withLabels ? 1 : 0, core.errBuf);
    if (!h) throw core.error(core.x.bp_error_code(core.errBuf), core.errBuf);
    Object.assign(this, { h, n, dim, k, withLabels, bytes });
  }
  /** Live views to fill once: x (n x dim floats, or bytes), labels (n) or targets (n x k). */
  x() {
    if (this.bytes) return new Uint8Array(this.core.x.memory.buffer, this.core.x.bp_data_bytes(this.h), this.n * this.dim);
    return this.core.f32(this.core.x.bp_data_x(this.h), this.n * this.dim);
  }
  /** The byte -> float table of byte data (256 entries), a live view. */
  lut() { return this.bytes ? this.core.f32(this.core.x.bp_data_lut(this.h), 256) : null; }
  labels() { return this.withLabels ? this.core.i32(this.core.x.bp_data_labels(this.h), this.n) : null; }
  targets() { return this.withLabels ? null : this.core.f32(this.core.x.bp_data_targets(this.h), this.n * this.k); }
  /** Copies rows [start, start+n) of x and labels from JS arrays in one go. */
  fill(x, labelsOrTargets) {
    this.x().set(x);
    if (this.withLabels) this.labels().set(labelsOrTargets); else this.targets().set(labelsOrTargets);
  }
  free() { if (this.h) { this.core.x.bp_data_free(this.h); this.h = 0; } }
}

export class VectorOptimizer {
  constructor(core, n) {
    this.core = core;
    this.n = n;
    this.h = core.x.bp_vopt_create(n, core.errBuf);
    if (!this.h) throw core.error(core.x.bp_error_code(core.errBuf), core.errBuf);
  }
  _check(rc) {
    if (rc < 0) throw this.core.error(rc, this.core.x.bp_vopt_last_error(this.h));
    return rc;
  }
  set(opt) { withOptim(this.core, opt, q => this._check(this.core.x.bp_vopt_set(this.h, q))); }
  params() { return this.core.f32(this.core.x.bp_vopt_params(this.h), this.n); }
  grads() { return this.core.f32(this.core.x.bp_vopt_grads(this.h), this.n); }
  /** 'm', 'v', 'vmax', 'm_hat', 'v_hat', 'step' */
  state(name) {
    const i = this.core.tables.vector_optimizer_state.indexOf(name);
    return this.core.f32(this.core.x.bp_vopt_state(this.h, i), this.n);
  }
  step() { this._check(this.core.x.bp_vopt_step(this.h)); }
  free() { if (this.h) { this.core.x.bp_vopt_free(this.h); this.h = 0; } }
}

function toRows(v) {
  const out = [];
  for (let r = 0; r < v.rows; r++) out.push(Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));
  return out;
}

/** Flattens a matrix given as nested arrays, a flat array or a typed array, checking its shape. */
export function flatten(m, rows, cols, what) {
  let flat;
  if (ArrayBuffer.isView(m)) flat = Float32Array.from(m);
  else if (Array.isArray(m)) {
    const nested = m.length > 0 && Array.isArray(m[0]);
    if (nested) {
      for (const [i, r] of m.entries())
        if (!Array.isArray(r) || r.length !== cols)
          throw new CoreError('EINVAL', `${what}: row ${i + 1} has ${Array.isArray(r) ? r.length : 'no'} values, expected ${cols}`);
      flat = Float32Array.from(m.flat());
    } else flat = Float32Array.from(m);
    for (const [i, v] of (nested ? m.flat() : m).entries())
      if (typeof v !== 'number') throw new CoreError('EINVAL', `${what}: value ${i + 1} is ${JSON.stringify(v)}, not a number`);
  } else throw new CoreError('EINVAL', `${what}: expected an array of numbers`);
  if (flat.length === 0 || flat.length % cols !== 0)
    throw new CoreError('EINVAL', `${what}: ${flat.length} values do not make rows of ${cols}`);
  if (rows != null && flat.length !== rows * cols)
    throw new CoreError('EINVAL', `${what}: expected ${rows} x ${cols} values, got ${flat.length}`);
  return flat;
}
