// state.js - the training page's whole configuration as one plain object, its fields taken from the
// settings table (lib/settings.js), and its URL form. Pure: no DOM, no fetch; runs in Node for the tests.
//
// Every field has a type ('number', 'int', 'bool', 'enum'; list: a list of them), a default (a value
// or a function of the state parsed so far, e.g. the learning rate's default depends on the
// optimizer), a range or an enum, and where it applies (`when`). Old URL keys (opt, wd) open the
// same fields; serialize() writes the settings' names, and only the fields
// that differ from their default; parse() checks every URL parameter and returns the problems it
// found (field, parameter, raw value, error code and its numbers) instead of silently using them:
// a bad value is replaced by the default and reported.

import { SETTING, pageSettings, onPage, optimizerUses, parseOne, parseList, formatValue as formatSetting,
  checkRange, HIDDEN_ACTIVATIONS, INPUT_SIZE, CLASSES, TRAIN_SIZES, urlKeys, ALPHA_DEFAULTS } from './settings.js';

export { HIDDEN_ACTIVATIONS, INPUT_SIZE, CLASSES, TRAIN_SIZES };
/** Preset networks: the practical work's and the PyTorch lecture's. */
export const PRESETS = Object.freeze({
  practical: Object.freeze([128, 64]),
  lecture: Object.freeze([256, 128]),
});
export const MAX_HIDDEN_LAYERS = SETTING.hidden.maxLen;
export const MAX_WIDTH = SETTING.hidden.max;

/**
 * The page's fields: lib/settings.js's settings that the training page shows, in the table's order
 * (a default may depend on fields before it). key: the setting's name, in the state and in the URL.
 * group: where the form shows it ('view' fields change the display only and never restart a run).
 * when(state): whether the field applies (an optimizer's hyperparameter: to the optimizers that use
 * it). core: the optimizer setting it gives the core.
 */
export const FIELDS = Object.freeze(pageSettings('training').map(name => {
  const s = onPage(name, 'training');
  const f = { ...s, key: name };
  if (s.optimizer || s.optimizers) { f.core = name; f.when = st => optimizerUses(name, st.optimizer); }
  else if (name === 'slope') f.when = st => st.act.includes('leaky_relu') || st.out === 'leaky_relu';
  else if (name === 'elu') f.when = st => st.act.includes('elu') || st.out === 'elu';
  else f.when = () => true;
  return Object.freeze(f);
}));

export const FIELD = Object.freeze(Object.fromEntries(FIELDS.map(f => [f.key, f])));
const KEYS = urlKeys('training');

/** The default of field f given the state so far. */
export function defaultOf(f, state) {
  const d = typeof f.def === 'function' ? f.def(state) : f.def;
  return Array.isArray(d) ? d.slice() : d;
}

/** A state with every field at its default. */
export function defaults() {
  const s = {};
  for (const f of FIELDS) s[f.key] = defaultOf(f, s);
  return s;
}

const err = (code, params = {}) => ({ error: { code, params } });

/**
 * Parses one field's text (from the URL or a form control) with lib/settings.js's parsers (numbers
 * through format.js's parseNum). opts.comma: accept a decimal comma (what a Russian keyboard types).
 * Returns {value} or {error: {code, params}}; codes: empty, nan, int, min, max, gt, lt, enum, bool,
 * list_len, item (with params.index and params.error).
 */
export function parseValue(key, text, opts = {}) {
  const f = FIELD[key];
  if (!f) return err('unknown');
  return f.list ? parseList(f, text) : parseOne(f, text, opts);
}

/** A field's value as URL text. */
export function formatValue(key, v) { return formatSetting(FIELD[key], v); }

const same = (a, b) => (Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]) : a === b);

/**
 * Checks a whole state; ctx.nTrain (training images of the chosen data) bounds the batch size.
 * Returns [{field, code, params}] (empty when the state can be trained).
 */
export function validate(state, ctx = {}) {
  const out = [];
  for (const f of FIELDS) {
    if (!f.when(state)) continue;
    const v = state[f.key];
    let r;
    if (f.list) r = Array.isArray(v) ? parseValue(f.key, v.join(',')) : err('list_len', { min: f.minLen, max: f.maxLen });
    else if (f.type === 'int' || f.type === 'number') r = typeof v === 'number' && Number.isFinite(v) ? checkRange(f, v) : err('nan');
    else if (f.type === 'bool') r = typeof v === 'boolean' ? { value: v } : err('bool');
    else if (f.type === 'enum') r = f.key === 'lang' && v == null ? { value: v } : (f.values.includes(v) ? { value: v } : err('enum', { allowed: f.values.join(', ') }));
    if (r && r.error) out.push({ field: f.key, ...r.error });
  }
  if (Array.isArray(state.act) && Array.isArray(state.hidden) && state.act.length !== state.hidden.length)
    out.push({ field: 'act', code: 'act_len', params: { n: state.hidden.length, got: state.act.length } });
  const nTrain = ctx.nTrain || TRAIN_SIZES[state.data];
  if (Number.isInteger(state.batch) && nTrain && state.batch > nTrain)
    out.push({ field: 'batch', code: 'batch_gt_train', params: { max: nTrain } });
  if (state.loss === 'cross_entropy' && state.out !== 'softmax' && state.out !== 'sigmoid')
    out.push({ field: 'loss', code: 'ce_needs_prob', params: { out: state.out } });
  if (state.loss === 'bce' && state.out !== 'sigmoid')
    out.push({ field: 'loss', code: 'bce_needs_sigmoid', params: { out: state.out } });
  if ((state.optimizer === 'nesterov' || (state.optimizer === 'sgd' && state.nesterov)) && !(state.momentum > 0))
    out.push({ field: 'momentum', code: 'nesterov_momentum', params: {} });
  return out;
}

/**
 * Parses a URL query ('?a=1&b=2', a URLSearchParams or a full URL). Returns {state, errors}: every
 * field at its URL value when that is valid, else at its default; errors: [{field, param, value,
 * code, params}] for each parameter that is malformed, out of range, unknown or unused by the
 * chosen optimizer, and each combination the core would refuse.
 */
export function parse(query) {
  let sp;
  if (query instanceof URLSearchParams) sp = query;
  else {
    const q = String(query || '');
    sp = new URLSearchParams(/^[a-z]+:/i.test(q) ? new URL(q).search : q);
  }
  const errors = [];
  const state = {};
  const given = new Map();          // field -> {param: the key as written (an old key too), value}
  for (const [k, v] of sp) {
    const name = KEYS.get(k);
    if (!name) { errors.push({ field: null, param: k, value: v, code: 'unknown', params: {} }); continue; }
    if (given.has(name)) { errors.push({ field: name, param: k, value: v, code: 'duplicate', params: {} }); continue; }
    given.set(name, { param: k, value: v });
  }
  for (const f of FIELDS) {
    const def = defaultOf(f, state);
    if (!given.has(f.key)) { state[f.key] = def; continue; }
    const { param, value: raw } = given.get(f.key);
    const r = parseValue(f.key, raw);
    if (r.error) { errors.push({ field: f.key, param, value: raw, ...r.error }); state[f.key] = def; continue; }
    if (f.lengthOf && r.value.length !== state[f.lengthOf].length) {
      errors.push({ field: f.key, param, value: raw, code: 'act_len', params: { n: state[f.lengthOf].length, got: r.value.length } });
      state[f.key] = def;
      continue;
    }
    state[f.key] = r.value;
  }
  // Fields given for something they do not apply to (beta1 with SGD, ...): reported, kept at default.
  for (const f of FIELDS) {
    if (given.has(f.key) && !f.when(state) && !errors.some(e => e.field === f.key)) {
      errors.push({ field: f.key, ...given.get(f.key), code: 'unused', params: { opt: state.optimizer } });
      state[f.key] = defaultOf(f, state);
    }
  }
  for (const e of validate(state)) {
    if (errors.some(x => x.field === e.field)) continue;
    errors.push({ ...e, param: given.has(e.field) ? given.get(e.field).param : e.field,
      value: given.has(e.field) ? given.get(e.field).value : formatValue(e.field, state[e.field]) });
  }
  return { state, errors };
}

/** The query string of a state ('' for the defaults; else '?...'), defaults and unused fields left out. */
export function serialize(state) {
  const sp = new URLSearchParams();
  const s = {};
  for (const f of FIELDS) {
    s[f.key] = state[f.key];
    if (!f.when(state)) continue;
    const v = state[f.key];
    if (v == null) continue;
    if (same(v, defaultOf(f, s))) continue;
    sp.set(f.key, formatValue(f.key, v));
  }
  const q = sp.toString().replace(/%2C/g, ',');
  return q ? `?${q}` : '';
}

/**
 * Changes field `key` and keeps the state consistent: the activation list follows the number of
 * hidden layers, and a new optimizer brings its own defaults for hyperparameters that were at the
 * old optimizer's default. Returns a new state.
 */
export function update(state, key, value) {
  const s = { ...state, [key]: Array.isArray(value) ? value.slice() : value };
  if (key === 'hidden') {
    const acts = state.act.slice(0, value.length);
    while (acts.length < value.length) acts.push(acts.length ? acts[acts.length - 1] : 'relu');
    s.act = acts;
  }
  if (key === 'optimizer') {
    for (const f of FIELDS) {
      if (f.group !== 'opt' || f.key === 'optimizer' || typeof f.def !== 'function') continue;
      if (same(state[f.key], f.def(state))) s[f.key] = f.def(s);
    }
  }
  return s;
}

/** The network part of a state as web/trainer.js's TrainingRun config. */
export function toRunConfig(state) {
  const activations = [...state.act, state.out];
  const alphas = activations.map(a => (a === 'leaky_relu' ? state.slope : a === 'elu' ? state.elu : null));
  const optimizer = { name: state.optimizer };
  for (const f of FIELDS) if (f.core && f.when(state)) optimizer[f.core] = state[f.key];
  return {
    layers: [INPUT_SIZE, ...state.hidden, CLASSES],
    activations, alphas,
    loss: state.loss, init: state.init, optimizer,
    batch: state.batch, epochs: state.epochs, seed: state.seed,
  };
}

/** Whether two states would train the same run (view-only fields ignored). */
export function sameRun(a, b) {
  return FIELDS.every(f => f.group === 'view' || same(a[f.key], b[f.key]));
}

/** The preset whose hidden widths these are, or null. */
export function presetOf(hidden) {
  for (const [name, h] of Object.entries(PRESETS)) if (same(hidden, h)) return name;
  return null;
}

/**
 * The settings of a saved model (lib/model-file.js's parseModel object) on top of `state` (its view
 * fields kept): {state, unshown}. unshown names what the page's settings cannot say about the model
 * (dropout, batch norm, a layer without bias, a value out of the page's range: lib/state.js's
 * validate codes), so that the page can refuse it instead of showing settings that train another net.
 */
export function fromModel(state, m) {
  const n = m.network, o = m.optimizer, t = m.training, L = n.layers.length - 1;
  const s = { ...state, data: /full/.test(t.data || '') ? 'full' : 'subset', scale: t.scale, hidden: n.layers.slice(1, L),
    act: n.activations.slice(0, L - 1), out: n.activations[L - 1], loss: n.loss, init: n.init, optimizer: o.name,
    batch: t.batch, epochs: t.epochs, seed: t.seed };
  n.activations.forEach((a, i) => {
    const alpha = n.alphas[i] ?? ALPHA_DEFAULTS[a];
    if (a === 'leaky_relu') s.slope = alpha;
    if (a === 'elu') s.elu = alpha;
  });
  for (const f of FIELDS) {
    if (f.group === 'opt' && f.key !== 'optimizer') s[f.key] = f.core && f.when(s) && o[f.core] !== undefined ? o[f.core] : defaultOf(f, s);
    else if (f.key === 'slope' || f.key === 'elu') { if (!f.when(s)) s[f.key] = defaultOf(f, s); }
  }
  const unshown = [];
  if (n.layers[0] !== INPUT_SIZE || n.layers[L] !== CLASSES) unshown.push('layers');
  if (n.dropout.some(p => p > 0)) unshown.push('dropout');
  if (n.batchnorm.some(Boolean)) unshown.push('batchnorm');
  if (n.bias.some(b => !b)) unshown.push('bias');
  for (const e of validate(s)) if (!unshown.includes(e.field)) unshown.push(e.field);
  return { state: s, unshown };
}
