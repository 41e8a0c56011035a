// state.js - the training page's whole configuration as one plain object, described by a declarative
// table (FIELDS), and its URL form. Pure: no DOM, no fetch; runs in Node for the tests.
//
// Every field has a type ('int', 'float', 'bool', 'enum', 'intlist', 'enumlist'), a default (a value
// or a function of the state parsed so far, e.g. the learning rate's default depends on the
// optimizer), a range or an enum, and where it applies (`when`). serialize() writes only the fields
// that differ from their default; parse() checks every URL parameter and returns the problems it
// found (field, parameter, raw value, error code and its numbers) instead of silently using them:
// a bad value is replaced by the default and reported.

import { ACTIVATIONS, LOSSES, OPTIMIZERS, INITS, OPTIMIZER_DEFAULTS } from './engine.js';
import { DEFAULT_RUN } from './trainer.js';

/** Activations allowed in hidden layers (the core allows softmax only on the output layer). */
export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter(a => a !== 'softmax');
/** Preset networks: the practical work's and the PyTorch lecture's. */
export const PRESETS = Object.freeze({
  practical: Object.freeze([128, 64]),
  lecture: Object.freeze([256, 128]),
});
export const INPUT_SIZE = 784;
export const CLASSES = 10;
export const MAX_HIDDEN_LAYERS = 8;
export const MAX_WIDTH = 4096;
/** Training images in each data file (the batch size may not exceed them). */
export const TRAIN_SIZES = Object.freeze({ subset: 12000, full: 60000 });

// Hyperparameters of the core's optimizers that are not in OPTIMIZER_DEFAULTS take these values
// (engine.js's BASE, which is torch.optim's).
const OPT_BASE = { lr: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.99, weight_decay: 0, nesterov: false, amsgrad: false };
const optDefault = (opt, k) => {
  const d = OPTIMIZER_DEFAULTS[opt] || {};
  return k in d ? d[k] : OPT_BASE[k];
};
const ALL_OPT = OPTIMIZERS;
const WITH_MOMENTUM = ['sgd', 'momentum', 'nesterov', 'rmsprop'];
const WITH_BETAS = ['adam', 'amsgrad', 'adamw'];
const WITH_EPS = ['adagrad', 'rmsprop', 'adam', 'amsgrad', 'adamw'];

const DEF_HIDDEN = DEFAULT_RUN.layers.slice(1, -1);
const DEF_ACTS = DEFAULT_RUN.activations.slice(0, -1);

/**
 * The table. key: name in the state and in the URL. group: where the form shows it ('view' fields
 * change the display only and never restart a run). when(state): whether the field applies.
 * Ranges: min/max with minEx/maxEx for open ends. Enum values are the core's names.
 */
export const FIELDS = Object.freeze([
  { key: 'lang', type: 'enum', values: ['en', 'ru'], def: null, group: 'view' },
  { key: 'embed', type: 'bool', def: false, group: 'view' },
  { key: 'data', type: 'enum', values: ['subset', 'full'], def: 'subset', group: 'data' },
  { key: 'scale', type: 'enum', values: ['01', 'pm05'], def: '01', group: 'data' },
  { key: 'hidden', type: 'intlist', def: DEF_HIDDEN, min: 1, max: MAX_WIDTH, minLen: 0, maxLen: MAX_HIDDEN_LAYERS, group: 'net' },
  { key: 'act', type: 'enumlist', values: HIDDEN_ACTIVATIONS, group: 'net', lengthOf: 'hidden',
    def: s => s.hidden.map((_, i) => DEF_ACTS[i] || DEF_ACTS[DEF_ACTS.length - 1] || 'relu') },
  { key: 'out', type: 'enum', values: ACTIVATIONS, def: DEFAULT_RUN.activations[DEFAULT_RUN.activations.length - 1], group: 'net' },
  { key: 'slope', type: 'float', def: 0.01, min: 0, max: 1, group: 'net',
    when: s => s.act.includes('leaky_relu') || s.out === 'leaky_relu' },
  { key: 'elu', type: 'float', def: 1, min: 0, minEx: true, max: 10, group: 'net',
    when: s => s.act.includes('elu') || s.out === 'elu' },
  { key: 'loss', type: 'enum', values: LOSSES, def: DEFAULT_RUN.loss, group: 'net' },
  { key: 'init', type: 'enum', values: INITS, def: DEFAULT_RUN.init, group: 'net' },
  { key: 'opt', type: 'enum', values: OPTIMIZERS, def: DEFAULT_RUN.optimizer.name, group: 'opt' },
  { key: 'lr', type: 'float', def: s => (s.opt === DEFAULT_RUN.optimizer.name ? DEFAULT_RUN.optimizer.lr : optDefault(s.opt, 'lr')),
    min: 0, minEx: true, max: 100, group: 'opt', core: 'lr', opts: ALL_OPT },
  { key: 'momentum', type: 'float', def: s => optDefault(s.opt, 'momentum'), min: 0, max: 1, maxEx: true, group: 'opt',
    core: 'momentum', opts: WITH_MOMENTUM },
  { key: 'nesterov', type: 'bool', def: false, group: 'opt', core: 'nesterov', opts: ['sgd'] },
  { key: 'beta1', type: 'float', def: s => optDefault(s.opt, 'beta1'), min: 0, max: 1, maxEx: true, group: 'opt', core: 'beta1', opts: WITH_BETAS },
  { key: 'beta2', type: 'float', def: s => optDefault(s.opt, 'beta2'), min: 0, max: 1, maxEx: true, group: 'opt', core: 'beta2', opts: WITH_BETAS },
  { key: 'alpha', type: 'float', def: s => optDefault(s.opt, 'alpha'), min: 0, max: 1, maxEx: true, group: 'opt', core: 'alpha', opts: ['rmsprop'] },
  { key: 'eps', type: 'float', def: s => optDefault(s.opt, 'eps'), min: 0, minEx: true, max: 1, group: 'opt', core: 'eps', opts: WITH_EPS },
  { key: 'wd', type: 'float', def: s => optDefault(s.opt, 'weight_decay'), min: 0, max: 1, group: 'opt', core: 'weight_decay', opts: ALL_OPT },
  { key: 'amsgrad', type: 'bool', def: false, group: 'opt', core: 'amsgrad', opts: ['adam', 'adamw'] },
  { key: 'batch', type: 'int', def: DEFAULT_RUN.batch, min: 1, max: TRAIN_SIZES.full, group: 'train' },
  { key: 'epochs', type: 'int', def: DEFAULT_RUN.epochs, min: 1, max: 1000, group: 'train' },
  { key: 'seed', type: 'int', def: DEFAULT_RUN.seed, min: 0, max: 4294967295, group: 'train' },
  { key: 'logy', type: 'bool', def: true, group: 'view' },
  { key: 'smooth', type: 'float', def: 0.9, min: 0, max: 0.999, group: 'view' },
].map(f => Object.freeze({ ...f, when: f.when || (f.opts ? s => f.opts.includes(s.opt) : () => true) })));

export const FIELD = Object.freeze(Object.fromEntries(FIELDS.map(f => [f.key, f])));

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

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const err = (code, params = {}) => ({ error: { code, params } });

function rangeParams(f) {
  return { min: f.min, max: f.max, minEx: !!f.minEx, maxEx: !!f.maxEx };
}

function checkNumber(f, text, { comma = false } = {}) {
  const t = String(text).trim();
  const s = comma ? t.replace(',', '.') : t;
  if (!NUM_RE.test(s)) return err(t === '' ? 'empty' : 'nan');
  const v = Number(s);
  if (!Number.isFinite(v)) return err('nan');
  if (f.type === 'int' || f.type === 'intlist') {
    if (!Number.isInteger(v)) return err('int');
  }
  return checkRange(f, v);
}

function checkRange(f, v) {
  const p = rangeParams(f);
  if (f.min != null && (f.minEx ? !(v > f.min) : !(v >= f.min))) return err(f.minEx ? 'gt' : 'min', p);
  if (f.max != null && (f.maxEx ? !(v < f.max) : !(v <= f.max))) return err(f.maxEx ? 'lt' : 'max', p);
  return { value: v };
}

/**
 * Parses one field's text (from the URL or a form control). opts.comma: accept a decimal comma
 * (what a Russian keyboard types). Returns {value} or {error: {code, params}}; codes: empty, nan,
 * int, min, max, gt, lt, enum, bool, list_len, item (with params.index and params.error).
 */
export function parseValue(key, text, opts = {}) {
  const f = FIELD[key];
  if (!f) return err('unknown');
  const t = String(text).trim();
  switch (f.type) {
    case 'int':
    case 'float':
      return checkNumber(f, t, opts);
    case 'bool':
      if (['1', 'true', 'yes', 'on'].includes(t.toLowerCase())) return { value: true };
      if (['0', 'false', 'no', 'off'].includes(t.toLowerCase())) return { value: false };
      return err('bool');
    case 'enum':
      return f.values.includes(t) ? { value: t } : err('enum', { allowed: f.values.join(', ') });
    case 'intlist':
    case 'enumlist': {
      const items = t === '' ? [] : t.split(/\s*[,;\s]\s*/).filter(x => x !== '');
      if (f.type === 'intlist' && (items.length < f.minLen || items.length > f.maxLen))
        return err('list_len', { min: f.minLen, max: f.maxLen });
      const out = [];
      for (const [i, it] of items.entries()) {
        const r = f.type === 'intlist' ? checkNumber(f, it) : (f.values.includes(it) ? { value: it } : err('enum', { allowed: f.values.join(', ') }));
        if (r.error) return err('item', { index: i + 1, value: it, error: r.error });
        out.push(r.value);
      }
      return { value: out };
    }
    default:
      return err('unknown');
  }
}

/** A field's value as URL text. */
export function formatValue(key, v) {
  const f = FIELD[key];
  if (f.type === 'bool') return v ? '1' : '0';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

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
    if (f.type === 'int' || f.type === 'float') {
      r = typeof v === 'number' && Number.isFinite(v) ? (f.type === 'int' && !Number.isInteger(v) ? err('int') : checkRange(f, v)) : err('nan');
    } else if (f.type === 'bool') r = typeof v === 'boolean' ? { value: v } : err('bool');
    else if (f.type === 'enum') r = f.key === 'lang' && v == null ? { value: v } : (f.values.includes(v) ? { value: v } : err('enum', { allowed: f.values.join(', ') }));
    else if (f.type === 'intlist' || f.type === 'enumlist') r = Array.isArray(v) ? parseValue(f.key, v.join(',')) : err('list_len', { min: f.minLen, max: f.maxLen });
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
  if ((state.opt === 'nesterov' || (state.opt === 'sgd' && state.nesterov)) && !(state.momentum > 0))
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
  const given = new Map();
  for (const [k, v] of sp) {
    if (given.has(k)) { errors.push({ field: FIELD[k] ? k : null, param: k, value: v, code: 'duplicate', params: {} }); continue; }
    given.set(k, v);
  }
  for (const [k, v] of given)
    if (!FIELD[k]) errors.push({ field: null, param: k, value: v, code: 'unknown', params: {} });
  for (const f of FIELDS) {
    const def = defaultOf(f, state);
    if (!given.has(f.key)) { state[f.key] = def; continue; }
    const raw = given.get(f.key);
    const r = parseValue(f.key, raw);
    if (r.error) { errors.push({ field: f.key, param: f.key, value: raw, ...r.error }); state[f.key] = def; continue; }
    if (f.lengthOf && r.value.length !== state[f.lengthOf].length) {
      errors.push({ field: f.key, param: f.key, value: raw, code: 'act_len', params: { n: state[f.lengthOf].length, got: r.value.length } });
      state[f.key] = def;
      continue;
    }
    state[f.key] = r.value;
  }
  // Fields given for something they do not apply to (beta1 with SGD, ...): reported, kept at default.
  for (const f of FIELDS) {
    if (given.has(f.key) && !f.when(state) && !errors.some(e => e.param === f.key)) {
      errors.push({ field: f.key, param: f.key, value: given.get(f.key), code: 'unused', params: { opt: state.opt } });
      state[f.key] = defaultOf(f, state);
    }
  }
  for (const e of validate(state)) {
    if (errors.some(x => x.field === e.field)) continue;
    errors.push({ ...e, param: e.field, value: given.has(e.field) ? given.get(e.field) : formatValue(e.field, state[e.field]) });
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
  if (key === 'opt') {
    for (const f of FIELDS) {
      if (f.group !== 'opt' || f.key === 'opt' || typeof f.def !== 'function') continue;
      if (same(state[f.key], f.def(state))) s[f.key] = f.def(s);
    }
  }
  return s;
}

/** The network part of a state as web/trainer.js's TrainingRun config. */
export function toRunConfig(state) {
  const activations = [...state.act, state.out];
  const alphas = activations.map(a => (a === 'leaky_relu' ? state.slope : a === 'elu' ? state.elu : null));
  const optimizer = { name: state.opt };
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
