// engine/resume.js - part of the engine layer (web/lib/engine.js is its one entry): the core's state
// beyond the parameters, read and written as data so that a saved run (web/lib/model-file.js) continues
// to the same bits: the optimizer's step count and beta powers, the RNG words, the moment blocks and the
// epoch's shuffled order with its cursor (src/resume.c).
import { CoreError } from './errors.js';

const MOMENTS = ['m', 'v', 'vmax'];

/** {resume: Float64Array(9) (t, beta1^t, beta2^t, RNG words, spare flag, spare), m, v, vmax: Float32Array
 * copies, epoch: {order: Int32Array, cursor} or null before the first epoch}. */
export function getResumeState(net) {
  net._alive();
  const c = net.core, x = c.x;
  const resume = c.scratch(72, q => { net._check(x.bp_net_resume_get(net.h, q)); return Float64Array.from(c.f64(q, 9)); });
  const st = { resume, epoch: null };
  for (const [i, k] of MOMENTS.entries()) st[k] = c.Real.from(c.reals(x.bp_net_moments(net.h, i), net.nparams));
  const n = x.bp_net_epoch_length(net.h);
  if (n > 0) st.epoch = { order: Int32Array.from(c.i32(x.bp_net_epoch_order(net.h), n)), cursor: x.bp_net_epoch_cursor(net.h) };
  return st;
}

/** Sets what getResumeState gave (after setOptimizer, which zeroes the state). Throws CoreError EINVAL. */
export function setResumeState(net, st) {
  net._alive();
  const c = net.core, x = c.x;
  for (const [i, k] of MOMENTS.entries()) {
    if (st[k].length !== net.nparams) throw new CoreError('EINVAL', `resume: ${k} has ${st[k].length} values, the network ${net.nparams}`);
    c.reals(x.bp_net_moments(net.h, i), net.nparams).set(st[k]);
  }
  c.scratch(72, q => { c.f64(q, 9).set(st.resume); net._check(x.bp_net_resume_set(net.h, q)); });
  if (st.epoch) {
    const q = c.copyIn(st.epoch.order, Int32Array);
    try { net._check(x.bp_net_epoch_restore(net.h, st.epoch.order.length, q, st.epoch.cursor)); } finally { x.free(q); }
  }
}
