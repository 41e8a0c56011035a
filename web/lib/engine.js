// engine.js - the one entry to the engine layer, web/lib/engine.js and web/lib/engine/: the only JS
// that touches the core's WebAssembly memory. Works in the browser (page or Web Worker) and in Node.
// Every C handle is owned by one JS object with an explicit free(). Import from here, not from the
// folder:
//   engine/core.js    loadCore, Core (memory views, scratch buffers, tables from the core's exports)
//   engine/net.js     Net, one network handle
//   engine/data.js    Data, a dataset held by the core
//   engine/optim.js   the optimizer's settings crossing the seam, VectorOptimizer
//   engine/errors.js  CoreError, flatten (the shape check of every matrix passed in)
//   engine/mistakes.js the classic mistakes' values (core.mistakeStep, core.adamSteps)
//   engine/resume.js  the state a saved run needs beyond its parameters (model files)

export { loadCore, hasSimd, Core } from './engine/core.js';
export { Net } from './engine/net.js';
export { Data } from './engine/data.js';
export { VectorOptimizer } from './engine/optim.js';
export { CoreError, flatten } from './engine/errors.js';
export { ACTIVATIONS, LOSSES, OPTIMIZERS, INITS, OPTIMIZER_DEFAULTS, OPTIMIZER_BASE, ALPHA_DEFAULTS } from './core-tables.js';
export { getResumeState, setResumeState } from './engine/resume.js';
