// core-tables.js - the core's names and defaults as shipped, for modules that need them before any
// core is loaded (settings tables, the URL parser, the spec checker). The core exports the same tables
// (bp_enum_name, bp_optim_default, bp_act_alpha_default); engine.js builds its own tables from the core
// and loadCore() refuses a core whose tables differ from these (seamDrift), so a new activation in C
// cannot silently shift the names after it. Pure data: no WebAssembly here.

export const ACTIVATIONS = ['identity', 'step', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softmax'];
export const LOSSES = ['half_sse', 'mse', 'cross_entropy', 'bce', 'sse'];
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'amsgrad', 'adamw'];
export const INITS = ['zeros', 'small', 'xavier_uniform', 'xavier_normal', 'he_normal', 'he_uniform', 'pytorch'];

// Each optimizer's own settings and their defaults: torch.optim's, and the course's for 'momentum'.
export const OPTIMIZER_DEFAULTS = {
  sgd: { lr: 0.01, momentum: 0 },
  momentum: { lr: 0.01, momentum: 0.9 },
  nesterov: { lr: 0.01, momentum: 0.9 },
  adagrad: { lr: 0.01, eps: 1e-10 },
  rmsprop: { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0 },
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  amsgrad: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  adamw: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01 },
};
// Every setting of the core's optimizer struct, in its order, with the value an optimizer takes for a
// setting that is not its own.
export const OPTIMIZER_BASE = { lr: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.99, weight_decay: 0, nesterov: false, amsgrad: false };
// alpha of the activations that have one: Leaky ReLU's slope and ELU's alpha (torch.nn's defaults).
export const ALPHA_DEFAULTS = { leaky_relu: 0.01, elu: 1 };

export const SHIPPED = { ACTIVATIONS, LOSSES, OPTIMIZERS, INITS, OPTIMIZER_DEFAULTS, OPTIMIZER_BASE, ALPHA_DEFAULTS };

const show = v => (v === undefined ? 'nothing' : JSON.stringify(v));

function listDrift(what, core, js) {
  for (let i = 0; i < Math.max(core.length, js.length); i++)
    if (core[i] !== js[i]) return `${what} ${i}: the core has ${show(core[i])}, the shipped table ${show(js[i])}`;
  return null;
}

/**
 * The first difference between the tables read from a core and the shipped ones, as a sentence, or
 * null. core: {activation, loss, init, optimizer, optimizer_setting: [names], optimizerDefaults:
 * {name: {setting: value}}, optimizerOwn: {name: [settings]}, alphaDefaults: {activation: value}}.
 */
export function seamDrift(core, shipped = SHIPPED) {
  const d = listDrift('activation', core.activation, shipped.ACTIVATIONS)
    || listDrift('loss', core.loss, shipped.LOSSES)
    || listDrift('initialiser', core.init, shipped.INITS)
    || listDrift('optimizer', core.optimizer, shipped.OPTIMIZERS)
    || listDrift('optimizer setting', core.optimizer_setting, Object.keys(shipped.OPTIMIZER_BASE));
  if (d) return d;
  for (const name of core.optimizer) {
    const own = shipped.OPTIMIZER_DEFAULTS[name] || {};
    for (const f of core.optimizer_setting) {
      const isOwn = core.optimizerOwn[name].includes(f);
      if (isOwn !== f in own)
        return `optimizer ${name}: ${f} is ${isOwn ? '' : 'not '}one of its own settings in the core, ${f in own ? '' : 'not '}in the shipped defaults`;
      const want = isOwn ? own[f] : shipped.OPTIMIZER_BASE[f], got = core.optimizerDefaults[name][f];
      if (got !== want) return `optimizer ${name}: default ${f} is ${show(got)} in the core, ${show(want)} in the shipped defaults`;
    }
  }
  for (const a of core.activation) {
    const got = core.alphaDefaults[a], want = shipped.ALPHA_DEFAULTS[a];
    if (got !== want) return `alpha of ${a}: the core's default is ${show(got)}, the shipped one ${show(want)}`;
  }
  return null;
}
