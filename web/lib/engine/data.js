// engine/data.js - Data, a dataset held by the core (samples as floats or as bytes turned into floats
// through a table, with labels or float targets), that Net.beginEpoch/trainBatches/evaluate read.
// Part of the engine layer (web/lib/engine.js and web/lib/engine/), the only JS that touches WASM memory.

export class Data {
  constructor(core, n, dim, k, withLabels, bytes = false) {
    this.core = core;
    const h = (bytes ? core.x.bp_data_create_u8 : core.x.bp_data_create)(n, dim, k, withLabels ? 1 : 0, core.errBuf);
    if (!h) throw core.error(core.x.bp_error_code(core.errBuf), core.errBuf);
    Object.assign(this, { h, n, dim, k, withLabels, bytes });
  }
  /** Live views to fill once: x (n x dim floats, or bytes), labels (n) or targets (n x k). */
  x() {
    if (this.bytes) return this.core.u8(this.core.x.bp_data_bytes(this.h), this.n * this.dim);
    return this.core.reals(this.core.x.bp_data_x(this.h), this.n * this.dim);
  }
  /** The byte -> float table of byte data (256 entries), a live view. */
  lut() { return this.bytes ? this.core.reals(this.core.x.bp_data_lut(this.h), 256) : null; }
  labels() { return this.withLabels ? this.core.i32(this.core.x.bp_data_labels(this.h), this.n) : null; }
  targets() { return this.withLabels ? null : this.core.reals(this.core.x.bp_data_targets(this.h), this.n * this.k); }
  /** Copies rows [start, start+n) of x and labels from JS arrays in one go. */
  fill(x, labelsOrTargets) {
    this.x().set(x);
    if (this.withLabels) this.labels().set(labelsOrTargets); else this.targets().set(labelsOrTargets);
  }
  free() { if (this.h) { this.core.x.bp_data_free(this.h); this.h = 0; } }
}
