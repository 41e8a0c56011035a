// engine/optim.js - the optimizer's settings as they cross into the core (withOptim writes the
// core's bp_optim struct, filling in the core's defaults) and VectorOptimizer, the same optimizer on a
// plain vector of parameters (the 2-D surfaces of the optimizers panel).
// Part of the engine layer (web/lib/engine.js and web/lib/engine/), the only JS that touches WASM memory.

import { CoreError } from './errors.js';

/** Writes opt ({name, lr, ...}) as the core's bp_optim (kind, then each setting at bp_optim_offset) and
 * runs call(ptr); returns the settings used (the optimizer's defaults for those not given). */
export function withOptim(core, opt, call) {
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
  core.scratch(8 * (1 + fields.length), q => {
    const dv = new DataView(core.memory.buffer, q, 8 * (1 + fields.length));
    dv.setInt32(0, kind, true);
    fields.forEach((k, i) => {
      const off = core.x.bp_optim_offset(i);
      if (t.optimizerFlags.includes(k)) dv.setInt32(off, o[k] ? 1 : 0, true);
      else if (core.realBytes === 8) dv.setFloat64(off, o[k], true);
      else dv.setFloat32(off, o[k], true);
    });
    call(q);
  });
  return o;
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
  params() { return this.core.reals(this.core.x.bp_vopt_params(this.h), this.n); }
  grads() { return this.core.reals(this.core.x.bp_vopt_grads(this.h), this.n); }
  /** 'm', 'v', 'vmax', 'm_hat', 'v_hat', 'step' */
  state(name) {
    const i = this.core.tables.vector_optimizer_state.indexOf(name);
    return this.core.reals(this.core.x.bp_vopt_state(this.h, i), this.n);
  }
  step() { this._check(this.core.x.bp_vopt_step(this.h)); }
  free() { if (this.h) { this.core.x.bp_vopt_free(this.h); this.h = 0; } }
}
