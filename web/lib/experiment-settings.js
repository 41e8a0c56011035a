// experiment-settings.js - the experiment page's settings: defaults (the practical work's 36-run
// grid), parsing and validation of the form's strings and of the URL (the same strings, so a
// teacher's link is checked like typed input), and the grid they describe in lib/experiments.js's
// terms. Every field is a setting of lib/settings.js (its name, range, default for this page, URL
// key and old keys); a grid axis is named after its setting in the plural (optimizers, lrs,
// batches, seeds). Numbers are read by format.js's parseNum. No DOM here: the browser test builds
// the same run configurations in Node from these functions.
import { expandGrid } from './experiments.js';
import { OPTIMIZER_DEFAULTS } from './core-tables.js';
import { SETTING, onPage, pageSettings, urlKeys, checkRange, listItems } from './settings.js';
import { parseNum } from './format.js';

const page = name => onPage(name, 'experiments');
/** The optimizers the page offers, in the order shown. */
export const OPTIMIZERS = page('optimizer').values;
export const HIDDEN_ACTIVATIONS = page('act').values;
export const DATA = SETTING.data.values;
export const MAX_RUNS = 500;
/** The largest "check test accuracy every N iterations" (an epoch of the full MNIST at batch 1 is 60,000). */
export const MAX_CHECK_EVERY = SETTING.check_every.max;

// the settings this page shows (lang and embed belong to the page shell), by field name
const NAMES = pageSettings('experiments').filter(n => !SETTING[n].experiments.shell);
const fieldOf = n => SETTING[n].experiments.axis || n;
/** Field name -> URL parameter (the setting's name; old keys in lib/settings.js still open it). */
export const PARAMS = Object.freeze(Object.fromEntries(NAMES.map(n => [fieldOf(n), n])));
/** The fields in the form's order (the first wrong one gets the focus). */
export const FIELDS = ['optimizers', 'lrs', 'batches', 'epochs', 'seeds', 'target', 'check_every', 'stop', 'xi', 'patience', 'validation',
  'hidden', 'act', 'dropout', 'batchnorm', 'weight_decay', 'momentum', 'alpha', 'beta1', 'beta2', 'data', 'jobs'];
/** A field's label and hint keys in experiments/strings.js. */
export const labelKey = f => page(PARAMS[f]).label;
export const hintKey = f => labelKey(f).replace(/^f\./, 'hint.');

/** Default settings: PRACTICAL_GRID and the network of the assignment (784-128-64-10, ReLU, softmax). */
export const DEFAULTS = Object.freeze(Object.fromEntries(FIELDS.map(f => {
  const d = page(PARAMS[f]).def;
  return [f, Array.isArray(d) ? d.slice() : d];
})));

const fmtNum = v => String(v);
const list = a => a.map(fmtNum).join(', ');

/** Settings -> the strings the form shows and the URL carries. The target is in percent. */
export function toStrings(s) {
  return {
    optimizers: s.optimizers.join(','), lrs: list(s.lrs), batches: list(s.batches), epochs: String(s.epochs), seeds: list(s.seeds),
    target: String(+(s.target * 100).toFixed(6)), check_every: String(s.check_every), stop: s.stop, xi: fmtNum(s.xi), patience: String(s.patience), validation: String(s.validation),
    hidden: list(s.hidden), act: s.act, dropout: list(s.dropout), batchnorm: s.batchnorm ? '1' : '0', weight_decay: fmtNum(s.weight_decay),
    momentum: fmtNum(s.momentum), alpha: fmtNum(s.alpha), beta1: fmtNum(s.beta1), beta2: fmtNum(s.beta2), data: s.data,
    jobs: String(s.jobs),
  };
}

// A number as typed: "0,01" (Russian decimal comma) is accepted as 0.01 in a single-number field.
const number = str => { const r = parseNum(str); return r.ok ? r.value : NaN; };
// Lists are separated by commas, semicolons or spaces; a decimal comma cannot be told from a
// separator there, so lists want decimal points ("0.1, 0.01").
const items = listItems;
const numList = str => items(str).map(x => ({ text: x, v: number(x) }));
// whether v is a valid value of field f's setting on this page
const ok = (f, v) => Number.isFinite(v) && !checkRange(page(PARAMS[f]), v).error;

const err = (key, params = {}) => ({ key, params });

/**
 * Parses and checks the strings of every field. Returns {settings, errors}: settings holds every
 * valid field (invalid ones fall back to the default), errors maps a field to {key, params} (a
 * message key of strings.js). ctx: {nTrain} once the data are known (batch and validation sizes).
 */
export function parse(strs, ctx = {}) {
  const s = { ...DEFAULTS };
  const errors = {};
  const get = f => (strs[f] == null ? toStrings(DEFAULTS)[f] : String(strs[f]));

  // optimizers
  {
    const names = items(get('optimizers')).map(x => x.toLowerCase());
    const bad = names.find(n => !OPTIMIZERS.includes(n));
    if (!names.length) errors.optimizers = err('err.optEmpty');
    else if (bad) errors.optimizers = err('err.optUnknown', { v: bad, allowed: OPTIMIZERS.join(', ') });
    else s.optimizers = OPTIMIZERS.filter(n => names.includes(n));
  }
  // learning rates
  {
    const xs = numList(get('lrs'));
    const bad = xs.find(x => !(Number.isFinite(x.v) && x.v > 0)), big = xs.find(x => !ok('lrs', x.v));
    if (!xs.length) errors.lrs = err('err.lrEmpty');
    else if (bad) errors.lrs = err('err.lrBad', { v: bad.text });
    else if (big) errors.lrs = err('err.lrBig', { v: big.text });
    else if (dup(xs.map(x => x.v)) != null) errors.lrs = err('err.dup', { v: dup(xs.map(x => x.v)) });
    else s.lrs = xs.map(x => x.v);
  }
  // batch sizes
  {
    const xs = numList(get('batches'));
    const bad = xs.find(x => !(Number.isInteger(x.v) && x.v >= 1));
    const nTrain = ctx.nTrain || SETTING.batch.max;
    if (!xs.length) errors.batches = err('err.batchEmpty');
    else if (bad) errors.batches = err('err.batchBad', { v: bad.text });
    else if (xs.find(x => x.v > nTrain)) errors.batches = err('err.batchBig', { v: xs.find(x => x.v > nTrain).v, n: nTrain });
    else if (dup(xs.map(x => x.v)) != null) errors.batches = err('err.dup', { v: dup(xs.map(x => x.v)) });
    else s.batches = xs.map(x => x.v);
  }
  // epochs
  {
    const v = number(get('epochs'));
    if (!ok('epochs', v)) errors.epochs = err('err.epochsBad', { v: get('epochs').trim() });
    else s.epochs = v;
  }
  // seeds
  {
    const xs = numList(get('seeds'));
    const bad = xs.find(x => !ok('seeds', x.v));
    if (!xs.length) errors.seeds = err('err.seedEmpty');
    else if (bad) errors.seeds = err('err.seedBad', { v: bad.text });
    else if (dup(xs.map(x => x.v)) != null) errors.seeds = err('err.dup', { v: dup(xs.map(x => x.v)) });
    else s.seeds = xs.map(x => x.v);
  }
  // target accuracy, percent
  {
    const v = number(get('target'));
    if (!ok('target', v / 100)) errors.target = err('err.targetBad', { v: get('target').trim() });
    else s.target = v / 100;
  }
  // test accuracy checked every N iterations (0: only at the end of every epoch)
  {
    const v = number(get('check_every'));
    if (!ok('check_every', v)) errors.check_every = err('err.checkBad', { v: get('check_every').trim(), max: MAX_CHECK_EVERY });
    else s.check_every = v;
  }
  // stopping
  {
    const k = get('stop').trim();
    if (!SETTING.stop.values.includes(k)) errors.stop = err('err.stopBad', { v: k });
    else s.stop = k;
    const xi = number(get('xi'));
    // xi, patience and the validation size are checked only when the criterion uses them (the form
    // hides them otherwise)
    const usesXi = s.stop === 'grad_norm' || s.stop === 'step_length', usesVal = s.stop === 'patience';
    if (!ok('xi', xi)) { if (usesXi) errors.xi = err('err.xiBad', { v: get('xi').trim() }); }
    else s.xi = xi;
    const p = number(get('patience'));
    if (!ok('patience', p)) { if (usesVal) errors.patience = err('err.patienceBad', { v: get('patience').trim() }); }
    else s.patience = p;
    const val = number(get('validation'));
    const max = ctx.nTrainInFile ? ctx.nTrainInFile - 1 : SETTING.validation.max;
    if (!(ok('validation', val) && val <= max)) { if (usesVal) errors.validation = err('err.valBad', { v: get('validation').trim(), max }); }
    else if (usesVal && val < 1) errors.validation = err('err.valNeeded');
    else s.validation = val;
  }
  // network
  {
    const xs = numList(get('hidden'));
    const bad = xs.find(x => !ok('hidden', x.v));
    if (!xs.length) errors.hidden = err('err.hiddenEmpty');
    else if (bad) errors.hidden = err('err.hiddenBad', { v: bad.text });
    else if (xs.length > page('hidden').maxLen) errors.hidden = err('err.hiddenMany');
    else s.hidden = xs.map(x => x.v);
    const a = get('act').trim();
    if (!HIDDEN_ACTIVATIONS.includes(a)) errors.act = err('err.actBad', { v: a });
    else s.act = a;
    const ds = numList(get('dropout'));
    const dbad = ds.find(x => !ok('dropout', x.v));
    if (!ds.length) s.dropout = [0];
    else if (dbad) errors.dropout = err('err.dropoutBad', { v: dbad.text });
    else if (ds.length !== 1 && ds.length !== s.hidden.length) errors.dropout = err('err.dropoutCount', { n: s.hidden.length, got: ds.length });
    else s.dropout = ds.map(x => x.v);
    const bn = get('batchnorm').trim();
    if (!['0', '1', 'true', 'false', ''].includes(bn)) errors.batchnorm = err('err.bnBad', { v: bn });
    else s.batchnorm = bn === '1' || bn === 'true';
    const wd = number(get('weight_decay'));
    if (!ok('weight_decay', wd)) errors.weight_decay = err('err.wdBad', { v: get('weight_decay').trim() });
    else s.weight_decay = wd;
  }
  // optimizer hyperparameters: 0 <= value < 1
  for (const f of ['momentum', 'alpha', 'beta1', 'beta2']) {
    const v = number(get(f));
    if (!ok(f, v) || (f === 'momentum' && v === 0 && s.optimizers.includes('nesterov')))
      errors[f] = err(f === 'momentum' && v === 0 ? 'err.momNesterov' : 'err.unitBad', { v: get(f).trim() });
    else s[f] = v;
  }
  // data
  {
    const d = get('data').trim();
    if (!DATA.includes(d)) errors.data = err('err.dataBad', { v: d });
    else if (d === 'full' && ctx.fullAvailable === false) errors.data = err('err.dataMissing');
    else s.data = d;
  }
  // runs at once (0: automatic); it changes no number of a run, so it is not part of the run key
  {
    const v = number(get('jobs'));
    if (!ok('jobs', v)) errors.jobs = err('err.jobsBad', { v: get('jobs').trim(), max: page('jobs').max });
    else s.jobs = v;
  }
  if (!Object.keys(errors).length) {
    const n = s.optimizers.length * s.lrs.length * s.batches.length * s.seeds.length;
    if (n > MAX_RUNS) errors.optimizers = err('err.tooMany', { n, max: MAX_RUNS });
  }
  return { settings: s, errors };
}

function dup(vs) {
  const seen = new Set();
  for (const v of vs) { if (seen.has(v)) return v; seen.add(v); }
  return null;
}

/**
 * Settings from a URL's query (missing parameters take the defaults). Old keys (opt, mom, wd, check,
 * val, bn, seeds) open the same fields. unknown: [{param, value, code: 'unknown' | 'duplicate'}] for
 * each parameter this page does not know or got twice (shown to the person, never ignored).
 */
export function fromQuery(search, ctx) {
  const q = new URLSearchParams(search);
  const keys = urlKeys('experiments');
  const strs = {}, unknown = [];
  for (const [k, v] of q) {
    const name = keys.get(k);
    if (!name) { unknown.push({ param: k, value: v, code: 'unknown' }); continue; }
    if (SETTING[name].experiments.shell) continue;
    const f = fieldOf(name);
    if (f in strs) { unknown.push({ param: k, value: v, code: 'duplicate' }); continue; }
    strs[f] = v;
  }
  return { strs: { ...toStrings(DEFAULTS), ...strs }, ...parse(strs, ctx), unknown };
}

/** The query for settings: only what differs from the defaults (so a link to the default grid is short). */
export function toQuery(strs, extra = {}) {
  const q = new URLSearchParams();
  const d = toStrings(DEFAULTS);
  const norm = v => String(v).replace(/\s+/g, '');
  for (const [f, p] of Object.entries(PARAMS)) if (strs[f] != null && norm(strs[f]) !== norm(d[f])) q.set(p, norm(strs[f]));
  for (const [k, v] of Object.entries(extra)) if (v != null) q.set(k, v);
  return q.toString();
}

/** The hyperparameters an optimizer runs with (shown in the report's settings table). */
export function optimizerSettings(name, s) {
  const o = {};
  if (name === 'momentum') o.momentum = s.momentum;          // as expandGrid's default for momentum
  if (name === 'nesterov' && s.momentum !== OPTIMIZER_DEFAULTS.nesterov.momentum) o.momentum = s.momentum;
  if (name === 'rmsprop' && s.alpha !== OPTIMIZER_DEFAULTS.rmsprop.alpha) o.alpha = s.alpha;
  if ((name === 'adam' || name === 'amsgrad')) {
    if (s.beta1 !== OPTIMIZER_DEFAULTS[name].beta1) o.beta1 = s.beta1;
    if (s.beta2 !== OPTIMIZER_DEFAULTS[name].beta2) o.beta2 = s.beta2;
  }
  if (s.weight_decay > 0) o.weight_decay = s.weight_decay;
  return o;
}

/** Every hyperparameter of an optimizer, defaults included (for the settings table). */
export function effectiveHyper(name, s) {
  const d = { ...OPTIMIZER_DEFAULTS[name] };
  delete d.lr;
  if (!d.momentum) delete d.momentum;          // plain SGD, RMSprop without momentum
  return { ...d, ...optimizerSettings(name, s), ...(s.weight_decay > 0 ? { weight_decay: s.weight_decay } : {}) };
}

/** The network part of every run's configuration. */
export function baseConfig(s) {
  const L = s.hidden.length;
  const base = { layers: [784, ...s.hidden, 10], activations: [...s.hidden.map(() => s.act), 'softmax'] };
  const drop = s.hidden.map((_, i) => (s.dropout.length === 1 ? s.dropout[0] : s.dropout[i]));
  if (drop.some(p => p > 0)) base.dropout = [...drop, 0];
  if (s.batchnorm) base.batchnorm = [...Array(L).fill(true), false];
  return base;
}

/** The grid as web/experiments.js takes it, with the stopping rule, the target (and how often it is
 * checked: ExperimentRun's checkEvery) and the data. */
export function toGrid(s) {
  const optimizerSettingsAll = {};
  for (const n of s.optimizers) optimizerSettingsAll[n] = optimizerSettings(n, s);
  const stop = s.stop === 'epochs' ? { kind: 'epochs' }
    : s.stop === 'patience' ? { kind: 'patience', patience: s.patience } : { kind: s.stop, xi: s.xi };
  return {
    grid: { optimizers: s.optimizers.slice(), lrs: s.lrs.slice(), batches: s.batches.slice(), seeds: s.seeds.slice(), epochs: s.epochs,
      base: baseConfig(s), optimizerSettings: optimizerSettingsAll },
    stop, target: s.target, checkEvery: s.check_every, data: s.data, validation: s.stop === 'patience' ? s.validation : 0,
    jobs: s.jobs,
  };
}

/** The runs of the settings, each with the key its result is saved under. */
export function toRuns(s) {
  const g = toGrid(s);
  return expandGrid(g.grid).map(cfg => ({ cfg, key: runKey(cfg, g) }));
}

/** Bumped when what a run records changes (2: the untrained network is measured as epoch 0; 3: test
 * accuracy checked every `check` iterations, results carry check_every). */
export const RESULT_VERSION = 3;

/** A run's identity: everything that changes its numbers (the check interval changes when the target
 * is seen, so a result measured with another interval is not reused). */
export function runKey(cfg, g) {
  return JSON.stringify({ v: RESULT_VERSION, cfg, stop: g.stop, target: g.target, check: g.checkEvery, data: g.data, validation: g.validation });
}
