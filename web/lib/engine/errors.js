// engine/errors.js - how the engine layer reports a problem: CoreError, the one error it throws
// (from a bad argument caught in JS or a failed call into the core), and flatten, the shape check
// every matrix goes through before it is copied into the core's memory.
// Part of the engine layer (web/lib/engine.js and web/lib/engine/); touches no WASM memory itself.

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

/** Flattens a matrix given as nested arrays, a flat array or a typed array, checking its shape; the values
 * stay doubles (copyIn rounds them to the core's precision). */
export function flatten(m, rows, cols, what) {
  let flat;
  if (ArrayBuffer.isView(m)) flat = Float64Array.from(m);
  else if (Array.isArray(m)) {
    const nested = m.length > 0 && Array.isArray(m[0]);
    if (nested) {
      for (const [i, r] of m.entries())
        if (!Array.isArray(r) || r.length !== cols)
          throw new CoreError('EINVAL', `${what}: row ${i + 1} has ${Array.isArray(r) ? r.length : 'no'} values, expected ${cols}`);
      flat = Float64Array.from(m.flat());
    } else flat = Float64Array.from(m);
    for (const [i, v] of (nested ? m.flat() : m).entries())
      if (typeof v !== 'number') throw new CoreError('EINVAL', `${what}: value ${i + 1} is ${JSON.stringify(v)}, not a number`);
  } else throw new CoreError('EINVAL', `${what}: expected an array of numbers`);
  if (flat.length === 0 || flat.length % cols !== 0)
    throw new CoreError('EINVAL', `${what}: ${flat.length} values do not make rows of ${cols}`);
  if (rows != null && flat.length !== rows * cols)
    throw new CoreError('EINVAL', `${what}: expected ${rows} x ${cols} values, got ${flat.length}`);
  return flat;
}
