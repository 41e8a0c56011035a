// settings.js - every setting of Backprop Lab, declared once: its name (the core's and PyTorch's:
// weight_decay, momentum, beta1 ...), type, range, default, URL key and the old keys that still
// open it, command-line flag and help, and the translation key of the label each page shows.
// The training page's URL state (state.js), the experiment page's settings
// (experiment-settings.js), both forms' checks and bin/cli.mjs's flags and help derive from it.
// No DOM: imported by pages, workers, the command line and the Node tests.
//
// A setting: {name, type: 'number' | 'int' | 'enum' | 'bool' | 'text', min, max, minEx, maxEx
// (open ends), values (enum), def (value, or function of the state parsed so far), aliases (old URL
// keys), optimizer (a hyperparameter whose default comes from engine.js's OPTIMIZER_DEFAULTS),
// training / experiments (where a page shows it: its label key and what that page does
// differently: a list, a narrower range, the grid axis's name), cli: {train | grid: flag spec}}.
// The URL key is the name; the flag is the name with dashes (--weight-decay) unless cli says otherwise
// (the grid's axes: --lrs, with --lr as another spelling).

import { ACTIVATIONS, LOSSES, OPTIMIZERS, INITS, OPTIMIZER_DEFAULTS, ALPHA_DEFAULTS } from './core-tables.js';
import { DEFAULT_RUN } from './trainer.js';
import { PRACTICAL_GRID, STOPPING } from './experiments.js';
import { parseNum } from './format.js';

export { ALPHA_DEFAULTS };

export const INPUT_SIZE = 784;
export const CLASSES = 10;
/** Training images in each data file (the batch size may not exceed them). */
export const TRAIN_SIZES = Object.freeze({ subset: 12000, full: 60000 });
/** Activations allowed in hidden layers (the core allows softmax only on the output layer). */
export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter(a => a !== 'softmax');

/**
 * An optimizer hyperparameter's default for optimizer `opt`: OPTIMIZER_DEFAULTS[opt], else the
 * 0 for momentum and weight decay (none), else the first optimizer's that has one (the value the
 * field keeps while the chosen optimizer does not use it).
 */
export function optimizerDefault(name, opt) {
  const own = OPTIMIZER_DEFAULTS[opt];
  if (own && name in own) return own[name];
  if (name === 'momentum' || name === 'weight_decay') return 0;          // none
  for (const d of Object.values(OPTIMIZER_DEFAULTS)) if (name in d) return d[name];
  return undefined;
}
/** Whether optimizer `opt` uses hyperparameter `name` (lr and weight decay: every one). */
export function optimizerUses(name, opt) {
  const s = SETTING[name];
  if (s.optimizers) return s.optimizers.includes(opt);
  return !!(OPTIMIZER_DEFAULTS[opt] && name in OPTIMIZER_DEFAULTS[opt]) || s.everyOptimizer === true;
}

const hyper = (name, extra) => ({ name, type: 'number', optimizer: true, def: s => optimizerDefault(name, s.optimizer), ...extra });
const DEF_HIDDEN = DEFAULT_RUN.layers.slice(1, -1);
const DEF_ACTS = DEFAULT_RUN.activations.slice(0, -1);

export const SETTINGS = Object.freeze([
  // the page's view (training page)
  { name: 'lang', type: 'enum', values: ['en', 'ru'], def: null, training: { group: 'view', shell: true }, experiments: { shell: true },
    cli: { 'export-pytorch': { help: 'language of the script\'s comments' } } },
  { name: 'embed', type: 'bool', def: false, training: { group: 'view', shell: true }, experiments: { shell: true } },
  // a course page's choices (web/lib/embed.js): controls hidden or locked (names, comma-separated), who may command
  { name: 'hide', type: 'text', def: null, training: { group: 'view', shell: true }, experiments: { shell: true } },
  { name: 'lock', type: 'text', def: null, training: { group: 'view', shell: true }, experiments: { shell: true } },
  { name: 'origin', type: 'text', def: null, training: { group: 'view', shell: true }, experiments: { shell: true } },
  // reporting to a course from the panels page (issue #14; web/lib/scorm-cmi.js parseLaunch, web/lib/xapi.js):
  // scorm=1 talks to a SCORM 1.2 LMS about the package's `exercises` (ids, comma-separated); the xAPI
  // statements' `activity` base IRI and `actor` (a JSON Agent)
  { name: 'scorm', type: 'bool', def: false, panels: { lms: true } },
  { name: 'exercises', type: 'text', def: null, panels: { lms: true } },
  { name: 'activity', type: 'text', def: null, panels: { lms: true } },
  { name: 'actor', type: 'text', def: null, panels: { lms: true } },
  // the look for a lecture hall (web/ui/shell.js: the switch in the header, ?theme=projector)
  { name: 'theme', type: 'enum', values: ['default', 'projector'], def: 'default', training: { group: 'view', shell: true }, experiments: { shell: true } },
  // the panels' exercise (issue #14): "Check yourself" on, and the seed of a drawn exercise (web/lib/exercise-draw.js)
  { name: 'ex', type: 'bool', def: false, panels: { label: 'ex.toggle' } },
  // data
  { name: 'data', type: 'enum', values: ['subset', 'full'], def: 'subset', training: { label: 'data.label', group: 'data' },
    experiments: { label: 'f.data' },
    cli: { train: { type: 'text', arg: 'FILE', help: 'data file (default data/mnist-subset.bin)' }, grid: { type: 'text', arg: 'FILE', help: 'data file (default data/mnist-subset.bin)' },
      'export-pytorch': { type: 'text', arg: 'FILE', help: 'data file (default data/mnist-subset.bin)' } } },
  { name: 'scale', type: 'enum', values: ['01', 'pm05'], def: '01', training: { label: 'scale.label', group: 'data' },
    cli: { train: { help: 'input pixels scaled to [0, 1] or [-0.5, 0.5]' }, grid: { help: 'input scaling' } } },
  // the network
  { name: 'hidden', type: 'int', list: true, def: DEF_HIDDEN, min: 1, max: 4096, minLen: 0, maxLen: 8,
    training: { label: 'layer.width', group: 'net' }, experiments: { label: 'f.hidden', def: [128, 64], max: 2048, minLen: 1, maxLen: 6 } },
  { name: 'act', type: 'enum', list: true, values: HIDDEN_ACTIVATIONS, lengthOf: 'hidden',
    def: s => s.hidden.map((_, i) => DEF_ACTS[i] || DEF_ACTS[DEF_ACTS.length - 1] || 'relu'),
    training: { label: 'layer.act', group: 'net' },
    experiments: { label: 'f.act', list: false, def: 'relu', values: ['relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'] } },
  { name: 'out', type: 'enum', values: ACTIVATIONS, def: DEFAULT_RUN.activations[DEFAULT_RUN.activations.length - 1], training: { label: 'out.label', group: 'net' } },
  { name: 'slope', type: 'number', def: ALPHA_DEFAULTS.leaky_relu, min: 0, max: 1, training: { label: 'slope.label', group: 'net' } },
  { name: 'elu', type: 'number', def: ALPHA_DEFAULTS.elu, min: 0, minEx: true, max: 10, training: { label: 'elu.label', group: 'net' } },
  { name: 'loss', type: 'enum', values: LOSSES, def: DEFAULT_RUN.loss, training: { label: 'loss.label', group: 'net' }, cli: { train: { help: 'loss function' } } },
  { name: 'init', type: 'enum', values: INITS, def: DEFAULT_RUN.init, training: { label: 'init.label', group: 'net' }, cli: { train: { help: 'weight initialiser' } } },
  { name: 'dropout', type: 'number', list: true, def: [0], min: 0, max: 1, maxEx: true, experiments: { label: 'f.dropout' } },
  { name: 'batchnorm', type: 'bool', def: false, aliases: ['bn'], experiments: { label: 'f.batchnorm' } },
  // the optimizer
  { name: 'optimizer', type: 'enum', values: OPTIMIZERS, def: DEFAULT_RUN.optimizer.name, aliases: ['opt'],
    training: { label: 'opt.label', group: 'opt' },
    experiments: { label: 'f.optimizers', axis: 'optimizers', list: true, def: PRACTICAL_GRID.optimizers, values: OPTIMIZERS.filter(o => o !== 'adamw') },
    cli: { train: { help: 'optimizer' }, grid: { flag: 'optimizers', list: true, aliases: ['optimizer'], help: 'optimizers of the grid' } } },
  hyper('lr', { def: s => (s.optimizer === DEFAULT_RUN.optimizer.name ? DEFAULT_RUN.optimizer.lr : optimizerDefault('lr', s.optimizer)),
    min: 0, minEx: true, max: 100, everyOptimizer: true,
    training: { label: 'lr.label', group: 'opt' }, experiments: { label: 'f.lrs', axis: 'lrs', list: true, def: PRACTICAL_GRID.lrs, max: 10 },
    cli: { train: { help: 'learning rate (default: the optimizer\'s)' }, grid: { flag: 'lrs', list: true, aliases: ['lr'], help: 'learning rates of the grid' } } }),
  hyper('momentum', { min: 0, max: 1, maxEx: true, aliases: ['mom'],
    training: { label: 'momentum.label', group: 'opt' }, experiments: { label: 'f.momentum', def: optimizerDefault('momentum', 'momentum') },
    cli: { train: { help: 'momentum' } } }),
  { name: 'nesterov', type: 'bool', def: false, optimizers: ['sgd'], training: { label: 'nesterov.label', group: 'opt' } },
  hyper('beta1', { min: 0, max: 1, maxEx: true, training: { label: 'beta1.label', group: 'opt' },
    experiments: { label: 'f.beta1', def: optimizerDefault('beta1', 'adam') }, cli: { train: { help: 'Adam\'s beta1' } } }),
  hyper('beta2', { min: 0, max: 1, maxEx: true, training: { label: 'beta2.label', group: 'opt' },
    experiments: { label: 'f.beta2', def: optimizerDefault('beta2', 'adam') }, cli: { train: { help: 'Adam\'s beta2' } } }),
  hyper('alpha', { min: 0, max: 1, maxEx: true, training: { label: 'alpha.label', group: 'opt' },
    experiments: { label: 'f.alpha', def: optimizerDefault('alpha', 'rmsprop') }, cli: { train: { help: 'RMSprop\'s smoothing alpha' } } }),
  hyper('eps', { min: 0, minEx: true, max: 1, training: { label: 'eps.label', group: 'opt' }, cli: { train: { help: 'epsilon in the denominator' } } }),
  hyper('weight_decay', { min: 0, max: 1, everyOptimizer: true, aliases: ['wd'],
    training: { label: 'wd.label', group: 'opt' }, experiments: { label: 'f.wd', def: 0, maxEx: true },
    cli: { train: { help: 'L2 weight decay' } } }),
  { name: 'amsgrad', type: 'bool', def: false, optimizers: ['adam', 'adamw'], training: { label: 'amsgrad.label', group: 'opt' } },
  // training
  { name: 'batch', type: 'int', def: DEFAULT_RUN.batch, min: 1, max: TRAIN_SIZES.full,
    training: { label: 'batch.label', group: 'train' }, experiments: { label: 'f.batches', axis: 'batches', list: true, def: PRACTICAL_GRID.batches },
    cli: { train: { help: 'batch size' }, grid: { flag: 'batches', list: true, aliases: ['batch'], help: 'batch sizes of the grid' } } },
  { name: 'epochs', type: 'int', def: DEFAULT_RUN.epochs, min: 1, max: 1000,
    training: { label: 'epochs.label', group: 'train' }, experiments: { label: 'f.epochs', def: PRACTICAL_GRID.epochs, max: 100 },
    cli: { train: { help: 'epochs' }, grid: { help: 'epochs of every run' } } },
  { name: 'seed', type: 'int', def: DEFAULT_RUN.seed, min: 0, max: 4294967295, aliases: ['seeds'],
    training: { label: 'seed.label', group: 'train' }, experiments: { label: 'f.seeds', axis: 'seeds', list: true, def: PRACTICAL_GRID.seeds },
    panels: { label: 'ex.seedLabel', def: null, aliases: [] },
    cli: { train: { help: 'random seed' }, grid: { flag: 'seeds', list: true, aliases: ['seed'], help: 'seeds of the grid' } } },
  { name: 'logy', type: 'bool', def: true, training: { label: 'logy.label', group: 'view' } },
  { name: 'smooth', type: 'number', def: 0.9, min: 0, max: 0.999, training: { label: 'smooth.label', group: 'view' } },
  // the experiment: target, checks, stopping
  { name: 'target', type: 'number', def: 0.9, min: 0, minEx: true, max: 1, experiments: { label: 'f.target' },
    cli: { grid: { help: 'test accuracy for the convergence speed (0.9 = 90 %)' } } },
  { name: 'check_every', type: 'int', def: 100, min: 0, max: 100000, aliases: ['check'], experiments: { label: 'f.checkEvery' },
    cli: { grid: { help: 'also check the test accuracy every N iterations (not timed; 0 = at epoch ends only)' } } },
  { name: 'stop', type: 'enum', values: STOPPING, def: 'epochs', experiments: { label: 'f.stop' }, cli: { grid: { help: 'stopping criterion' } } },
  { name: 'xi', type: 'number', def: 0.001, min: 0, minEx: true, experiments: { label: 'f.xi' }, cli: { grid: { help: 'threshold of grad_norm / step_length' } } },
  { name: 'patience', type: 'int', def: 2, min: 1, max: 100, experiments: { label: 'f.patience' }, cli: { grid: { help: 'epochs without improvement (patience)' } } },
  { name: 'validation', type: 'int', def: 1200, min: 0, max: 59999, aliases: ['val'], experiments: { label: 'f.validation' },
    cli: { train: { def: 0, help: 'images held out of training' }, grid: { arg: 'N', help: 'images held out for patience (default 1200 with it, else 0)' } } },
  // how many runs of the grid train at once, each in its own worker (web/lib/worker-pool.js); 0: one per core but one
  { name: 'jobs', type: 'int', def: 0, min: 0, max: 64, experiments: { label: 'f.jobs' },
    cli: { grid: { def: null, arg: 'N', help: 'runs at once, each in its own worker thread (0 = one per core); without it, one after another in this process' } } },
  // the command line's own options
  { name: 'layers', type: 'int', list: true, min: 1, def: DEFAULT_RUN.layers, cli: { train: { help: 'layer sizes, input and output included' } } },
  { name: 'activations', type: 'enum', list: true, values: ACTIVATIONS, def: DEFAULT_RUN.activations, cli: { train: { help: 'one activation per layer after the input' } } },
  { name: 'out_prefix', type: 'text', def: null, cli: { train: { flag: 'out', arg: 'PREFIX', help: 'writes PREFIX-iterations.csv and PREFIX-epochs.csv (PREFIX.json with --format json); else the epochs go to stdout' },
    grid: { flag: 'out', arg: 'PREFIX', help: 'writes PREFIX-epochs.csv, -iterations.csv, -runs.csv, -tables.md and PREFIX.json; else the tables go to stdout' },
    'export-pytorch': { flag: 'out', arg: 'FILE|DIR', help: 'the script (a spec), or the folder for script, model and data (--model)' } } },
  { name: 'format', type: 'enum', values: ['csv', 'json'], def: 'csv', cli: { train: { help: 'what --out writes' } } },
  // model files (web/lib/model-file.js, data/MODEL-FORMAT.md) and Open in PyTorch
  { name: 'iterations', type: 'int', min: 0, def: null, cli: { train: { arg: 'N', help: 'stop after N iterations in all (with --load: counted from the start of the saved run)' } } },
  { name: 'save', type: 'text', def: null, cli: { train: { arg: 'FILE', help: 'save the model (parameters, optimizer state, position) to FILE at the end' } } },
  { name: 'load', type: 'text', def: null, cli: { train: { arg: 'FILE', help: 'continue the run saved in FILE (its settings are used)' } } },
  { name: 'model', type: 'text', def: null, cli: { 'export-pytorch': { arg: 'FILE', help: 'a saved model: write a PyTorch script that continues it' } } },
  { name: 'flavor', type: 'enum', values: ['auto', 'simd', 'scalar'], def: 'auto',
    cli: { train: { help: 'which WebAssembly build' }, grid: { help: 'which WebAssembly build' }, trace: {}, gradcheck: {}, 'export-pytorch': {} } },
  { name: 'precision', type: 'enum', values: ['f32', 'f64'], def: 'f64', cli: { trace: {}, gradcheck: {} } },
  { name: 'steps', type: 'int', min: 1, def: 1, cli: { trace: {}, 'export-pytorch': { def: 20, help: 'steps the script runs' } } },
  { name: 'd', type: 'number', min: 0, def: 1e-3, cli: { gradcheck: {} } },
  { name: 'json', type: 'bool', switch: true, def: false, cli: { gradcheck: {} } },
  { name: 'strict', type: 'bool', switch: true, def: false, cli: { train: { help: 'exit with code 3 when the run is unhealthy (exploded, stuck at chance; web/lib/health.js)' },
    grid: { help: 'exit with code 3 when any run is unhealthy (exploded, stuck at chance, diverged)' } } },
  { name: 'max_values', type: 'int', min: 1, def: 10_000_000, cli: { trace: {} } },     // numbers a trace may print (about 25 bytes each)
  { name: 'max_params', type: 'int', min: 1, def: 100_000, cli: { gradcheck: {} } },    // parameters a gradient check may check
  { name: 'help', type: 'bool', switch: true, def: false, cli: { train: { help: 'this help' }, grid: { help: 'this help' }, trace: {}, gradcheck: {}, 'export-pytorch': {}, help: {} } },
].map(s => Object.freeze(s)));

export const SETTING = Object.freeze(Object.fromEntries(SETTINGS.map(s => [s.name, s])));

/**
 * The panels page's own URL keys (web/panels/main.js: p; embed-link.js: stage, hide, lock, origin; the
 * shell: lang, embed, theme; lms-link.js: LMS_KEYS; exercise.js: EXERCISE_KEYS). Every other key of its URL names a field of the panel shown, by the key
 * the field carries (web/lib/panel-fields.js), and one that names none is refused.
 */
/** The panels page's keys of a course's launch (reporting to a course: scorm, exercises, activity, actor). */
export const LMS_KEYS = Object.freeze(SETTINGS.filter(s => s.panels && s.panels.lms).map(s => s.name));
/** The panels page's keys of an exercise (web/lib/exercise-draw.js exerciseUrl: ex, seed). */
export const EXERCISE_KEYS = Object.freeze(SETTINGS.filter(s => s.panels && !s.panels.lms).map(s => s.name));
export const PANEL_PAGE_KEYS = Object.freeze(['p', 'stage', 'lang', 'embed', 'theme', 'hide', 'lock', 'origin', ...LMS_KEYS, ...EXERCISE_KEYS]);

/** The setting as page `page` ('training' | 'experiments') uses it: the table's entry with the page's own differences. */
export function onPage(name, page) {
  const s = SETTING[name];
  return s && s[page] ? { ...s, ...s[page] } : null;
}
/** Names of the settings a page shows, in the table's order. */
export const pageSettings = page => SETTINGS.filter(s => s[page]).map(s => s.name);

/** URL key or old key -> setting name, for a page. */
export function urlKeys(page) {
  const m = new Map();
  for (const s of SETTINGS) if (s[page]) for (const k of [s.name, ...(s.aliases || [])]) m.set(k, s.name);
  return m;
}

/** A command's flags: Map flag (without the dashes) -> {name, flag, list, type, ...} from the table. */
export function cliFlags(command) {
  const m = new Map();
  for (const s of SETTINGS) {
    const c = s.cli && s.cli[command];
    if (!c) continue;
    const flag = c.flag || s.name.replace(/_/g, '-');
    const spec = { ...s, ...c, flag, setting: s.name };
    m.set(flag, spec);
    for (const a of c.aliases || []) m.set(a, spec);
  }
  return m;
}

const err = (code, params = {}) => ({ error: { code, params } });
const FLT_MAX = 3.4028234663852886e38;

/** Checks a number against a setting's range: {value} or {error: {code: min | max | gt | lt | int, params}}. */
export function checkRange(s, v) {
  if (s.type === 'int' && !Number.isInteger(v)) return err('int');
  // the core holds settings as float32: beyond its range a number would arrive as Infinity
  if (s.type === 'number' && Math.abs(v) > FLT_MAX) return err(v > 0 ? 'max' : 'min', { min: -FLT_MAX, max: FLT_MAX });
  const p = { min: s.min, max: s.max, minEx: !!s.minEx, maxEx: !!s.maxEx };
  if (s.min != null && (s.minEx ? !(v > s.min) : !(v >= s.min))) return err(s.minEx ? 'gt' : 'min', p);
  if (s.max != null && (s.maxEx ? !(v < s.max) : !(v <= s.max))) return err(s.maxEx ? 'lt' : 'max', p);
  return { value: v };
}

/**
 * One value of setting s (an entry of the table, or onPage()'s) from text, through format.js's
 * parseNum. opts.comma: a decimal comma is allowed (typed in a form; not in a URL or a list).
 * Returns {value} or {error: {code, params}}; codes: empty, nan, int, min, max, gt, lt, enum, bool.
 */
export function parseOne(s, text, { comma = false } = {}) {
  const t = String(text).trim();
  if (s.type === 'number' || s.type === 'int') {
    const r = parseNum(t, { comma });
    if (!r.ok) return err(r.reason === 'empty' ? 'empty' : 'nan');
    return checkRange(s, r.value);
  }
  if (s.type === 'bool') {
    if (['1', 'true', 'yes', 'on'].includes(t.toLowerCase())) return { value: true };
    if (['0', 'false', 'no', 'off'].includes(t.toLowerCase())) return { value: false };
    return err('bool');
  }
  if (s.type === 'enum') return s.values.includes(t) ? { value: t } : err('enum', { allowed: s.values.join(', ') });
  return { value: t };
}

/** Items of a list as typed: separated by commas, semicolons or spaces. */
export const listItems = text => String(text).split(/[\s;,]+/).filter(x => x !== '');

/**
 * A list value: every item through parseOne (no decimal comma: the comma separates). Returns
 * {value: [...]} or {error}: list_len {min, max}, or item {index (from 1), value, error}.
 */
export function parseList(s, text) {
  const items = listItems(text);
  if ((s.minLen != null && items.length < s.minLen) || (s.maxLen != null && items.length > s.maxLen))
    return err('list_len', { min: s.minLen, max: s.maxLen });
  const out = [];
  for (const [i, it] of items.entries()) {
    const r = parseOne(s, it);
    if (r.error) return err('item', { index: i + 1, value: it, error: r.error });
    out.push(r.value);
  }
  return { value: out };
}

/** A value as URL or form text: booleans 1/0, lists with commas. */
export function formatValue(s, v) {
  if (s.type === 'bool') return v ? '1' : '0';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}
