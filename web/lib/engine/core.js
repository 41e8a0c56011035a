// engine/core.js - loads the training core (the SIMD, the scalar or the double-precision .wasm) and wraps
// its memory: Core owns the instance and is the one place that makes typed-array views (reals: the core's
// scalar, Float32Array or Float64Array by its precision; f32, i32, f64, str), scratch
// and copied-in buffers, builds the name <-> number tables from the core's exports (checked against
// core-tables.js by loadCore), turns the core's error records into CoreError, and creates the handles
// (Net, Data, VectorOptimizer) plus a few stateless calls (loss values, softmax Jacobian, surfaces).
// Part of the engine layer (web/lib/engine.js and web/lib/engine/), the only JS that touches WASM memory.
// Typed-array views are made fresh on each access because memory growth detaches old ones.

import { SHIPPED, seamDrift } from '../core-tables.js';
import { CoreError, flatten } from './errors.js';
import { Net } from './net.js';
import { Data } from './data.js';
import { VectorOptimizer } from './optim.js';
import { mistakeStep, adamSteps, lossMistake } from './mistakes.js';
import { inlineFile } from '../inline.js';

// A minimal module with one v128 instruction: validates only where WebAssembly SIMD is supported.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
export function hasSimd() { return WebAssembly.validate(SIMD_PROBE); }

const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node) && typeof window === 'undefined';

async function readWasm(url) {
  const inline = await inlineFile('wasm', url);      // a one-file offline copy holds its cores (lib/inline.js)
  if (inline === null) throw new CoreError('NOT_FOUND', `the training core ${url.pathname} is not in this offline copy`);
  if (inline) return inline;
  if (isNode && url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new CoreError('NOT_FOUND', `cannot load the training core ${url.pathname}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/**
 * Loads the core. opts.flavor: 'auto' (SIMD where supported, else scalar), 'simd', 'scalar' or 'f64' (the
 * double-precision build the panels, trace and gradcheck use); opts.precision 'f64' is flavor 'f64', 'f32'
 * keeps the flavor (a float build);
 * opts.bytes: the .wasm bytes (skips loading); opts.baseUrl: where bp-simd.wasm / bp-scalar.wasm are;
 * opts.shipped: the tables to check the core's against (tests; default core-tables.js's).
 * Throws CoreError 'SEAM' naming the first entry where the core's names or defaults differ, 'WASM' when
 * the module does not compile or link (its error's name and message), 'NOT_FOUND' when it is not there.
 */
export async function loadCore(opts = {}) {
  if (opts.precision != null && opts.precision !== 'f32' && opts.precision !== 'f64')
    throw new CoreError('EINVAL', `precision: "${opts.precision}" (allowed: f32, f64)`, { field: 'precision' });
  let flavor = opts.precision === 'f64' ? 'f64' : opts.flavor || 'auto';
  if (opts.precision === 'f32' && flavor === 'f64') flavor = 'auto';
  if (flavor === 'auto') flavor = hasSimd() ? 'simd' : 'scalar';
  if (flavor === 'simd' && !hasSimd()) throw new CoreError('NO_SIMD', 'this browser does not support WebAssembly SIMD');
  const base = opts.baseUrl || new URL('../../build/', import.meta.url);
  const bytes = opts.bytes || await readWasm(new URL(`bp-${flavor}.wasm`, base));
  let core;
  const imports = { env: { emscripten_notify_memory_growth: () => { if (core) core._grown++; } } };
  let instance;
  try { ({ instance } = await WebAssembly.instantiate(bytes, imports)); }
  catch (e) {                // a damaged or wrong .wasm, or a browser without WebAssembly: say which, by name
    throw new CoreError('WASM', `bp-${flavor}.wasm: ${(e && e.name) || 'Error'}: ${(e && e.message) || e}`, { field: 'wasm' });
  }
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
    this.realBytes = this.x.bp_real_size();                 // 4: float, 8: the f64 build
    this.precision = this.realBytes === 8 ? 'f64' : 'f32';
    this.Real = this.realBytes === 8 ? Float64Array : Float32Array;
  }
  get memory() { return this.x.memory; }
  /** The core's WebAssembly memory now, in bytes (what a worker holds: the data, the networks). */
  get memoryBytes() { return this.x.memory.buffer.byteLength; }
  f32(ptr, n) { return new Float32Array(this.x.memory.buffer, ptr, n); }
  /** A view of n of the core's scalars (bp_real): Float32Array, or Float64Array in the f64 build. */
  reals(ptr, n) { return new this.Real(this.x.memory.buffer, ptr, n); }
  i32(ptr, n) { return new Int32Array(this.x.memory.buffer, ptr, n); }
  f64(ptr, n) { return new Float64Array(this.x.memory.buffer, ptr, n); }
  u8(ptr, n) { return new Uint8Array(this.x.memory.buffer, ptr, n); }
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
  copyIn(arr, Type = this.Real) {
    const p = this.x.malloc(Math.max(arr.length * Type.BYTES_PER_ELEMENT, 8));
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
      return this.scratch(8 + B * this.realBytes, q => {
        const rc = this.x.bp_loss_values(k, B, K, py, pt, q + 8, q);
        if (rc < 0) throw new CoreError('EINVAL', 'loss values: bad arguments (at most 64 outputs)');
        return { mean: this.f64(q, 1)[0], rows: Array.from(this.reals(q + 8, B)) };
      });
    } finally { this.x.free(py); this.x.free(pt); }
  }
  /** The softmax Jacobian at z (K values) as K rows: J[i][j] = da_i/dz_j = a_i (1[i=j] - a_j). */
  softmaxJacobian(z) {
    const K = z.length;
    if (K < 1 || K > 64) throw new CoreError('EINVAL', `softmax Jacobian: ${K} values (1..64 allowed)`);
    const pz = this.copyIn(flatten(z, 1, K, 'z'));
    try {
      return this.scratch(K * K * this.realBytes, q => {
        this.x.bp_softmax_jacobian(K, pz, q);
        const J = this.reals(q, K * K);
        return Array.from({ length: K }, (_, i) => Array.from(J.subarray(i * K, (i + 1) * K)));
      });
    } finally { this.x.free(pz); }
  }
  /** A 2-D surface ('quadratic', 'rosenbrock', 'saddle', 'bowl') at (x, y): {f, gx, gy}. */
  surface(kind, x, y) {
    const k = this.tables.surface.indexOf(kind);
    if (k < 0) throw new CoreError('EINVAL', `surface: unknown "${kind}"`, { field: 'surface' });
    return this.scratch(3 * this.realBytes, q => {
      this.x.bp_surface(k, x, y, q);
      const r = this.reals(q, 3);
      return { f: r[0], gx: r[1], gy: r[2] };
    });
  }
  /** One traced step made with a classic mistake (engine/mistakes.js, src/mistakes.c). */
  mistakeStep(mistake, net, trace) { return mistakeStep(this, mistake, net, trace); }
  /** Adam's parameters after each of the given gradients, with or without the bias correction. */
  adamSteps(opts) { return adamSteps(this, opts); }
  /** Losses of given predictions under a mistake (no_half, no_mean): {rows, mean}. */
  lossMistake(mistake, loss, y, t) { return lossMistake(this, mistake, loss, y, t); }
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
