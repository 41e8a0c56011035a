// model-file.js - a trained network in one JSON text (data/MODEL-FORMAT.md): the network spec, the
// optimizer with every hyperparameter, the training settings and position, the parameters and the
// optimizer's state as base64 little-endian float32. Loading gives a TrainingRun that continues to the
// same bits as a run never interrupted (RNG and the epoch's order included). No DOM; every failure is
// a ModelFileError with a stable `code` (MODEL_ERRORS) the pages translate.
import { ACTIVATIONS, LOSSES, INITS, CoreError, getResumeState, setResumeState } from './engine.js';
import { TrainingRun } from './trainer.js';

export const MODEL_FORMAT = Object.freeze({ name: 'backprop-lab-model', version: 1 });

/** Every `code` a ModelFileError can carry. */
export const MODEL_ERRORS = Object.freeze({
  NOT_JSON: 'the text is not JSON',
  TRUNCATED: 'the text ends in the middle (JSON cut off, or a tensor shorter than its shape)',
  FOREIGN_FORMAT: 'JSON, but not a Backprop Lab model file (no "format": "backprop-lab-model")',
  NEWER_VERSION: 'written by a newer Backprop Lab: a format version this code does not read',
  BAD_FIELD: 'a field is missing or has an impossible value (names the field)',
  BAD_LENGTH: 'a tensor has more or fewer values than its shape, or an epoch order of another length',
  NOT_FINITE: 'a parameter or optimizer state value is NaN or infinite',
  WRONG_ARCHITECTURE: 'the network does not fit the data (input size, number of classes)',
  WRONG_DATA: 'saved in the middle of an epoch on a training set of another size',
});

export class ModelFileError extends Error {
  /** code: a key of MODEL_ERRORS; field: the JSON path the error is about (or ''); details: numbers behind it. */
  constructor(code, message, field = '', details = {}) {
    super(message);
    this.name = 'ModelFileError';
    this.code = code;
    this.field = field;
    this.details = details;
  }
}
const fail = (code, field, msg, details) => { throw new ModelFileError(code, field ? `${field}: ${msg}` : msg, field, details); };

// ---- base64 of little-endian bytes (no Buffer, no atob: the same code in Node, pages and workers)
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function bytesToBase64(u8) {
  let s = '';
  for (let i = 0; i < u8.length; i += 3) {
    const n = (u8[i] << 16) | ((u8[i + 1] || 0) << 8) | (u8[i + 2] || 0);
    s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < u8.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < u8.length ? B64[n & 63] : '=');
  }
  return s;
}

/** Decodes base64; throws BAD_FIELD for a character outside the alphabet, TRUNCATED for a cut-off group. */
export function base64ToBytes(s, field = 'base64') {
  if (typeof s !== 'string') fail('BAD_FIELD', field, 'expected a base64 string');
  if (s.length % 4 !== 0) fail('TRUNCATED', field, `${s.length} base64 characters, not a multiple of 4`);
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  for (let i = 0, o = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j), v = c < 128 ? B64_INDEX[c] : -1;
      if (v < 0 && !(c === 61 && i + j >= s.length - pad)) fail('BAD_FIELD', field, `character ${i + j + 1} is not base64`);
      n = (n << 6) | Math.max(v, 0);
    }
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function float32ToBase64(a) {
  const dv = new DataView(new ArrayBuffer(a.length * 4));
  for (let i = 0; i < a.length; i++) dv.setFloat32(i * 4, a[i], true);
  return bytesToBase64(new Uint8Array(dv.buffer));
}
export function int32ToBase64(a) {
  const dv = new DataView(new ArrayBuffer(a.length * 4));
  for (let i = 0; i < a.length; i++) dv.setInt32(i * 4, a[i], true);
  return bytesToBase64(new Uint8Array(dv.buffer));
}
function decodeArray(s, n, field, Type, { finite = false } = {}) {
  const u8 = base64ToBytes(s, field);
  const msg = `${u8.length} bytes, the shape needs ${n} values (${n * 4} bytes)`;
  if (u8.length < n * 4) fail('TRUNCATED', field, msg, { got: u8.length, want: n * 4 });
  if (u8.length !== n * 4) fail('BAD_LENGTH', field, msg, { got: u8.length, want: n * 4 });
  const dv = new DataView(u8.buffer), out = new Type(n);
  for (let i = 0; i < n; i++) out[i] = Type === Float32Array ? dv.getFloat32(i * 4, true) : dv.getInt32(i * 4, true);
  if (finite) for (let i = 0; i < n; i++) if (!Number.isFinite(out[i])) fail('NOT_FINITE', field, `value ${i + 1} is ${out[i]}`, { index: i });
  return out;
}

// ---- the tensors of a network: name, shape and offset in the core's parameter block
function tensorList(net) {
  const list = [];
  for (let l = 0; l < net.layers; l++) {
    const i = net.sizes[l], o = net.sizes[l + 1];
    list.push({ name: `W${l + 1}`, shape: [o, i], off: net.paramOffset(l, 'W') });
    if (net.bias[l]) list.push({ name: `b${l + 1}`, shape: [o], off: net.paramOffset(l, 'b') });
    if (net.batchnorm[l]) {
      list.push({ name: `gamma${l + 1}`, shape: [o], off: net.paramOffset(l, 'gamma') });
      list.push({ name: `beta${l + 1}`, shape: [o], off: net.paramOffset(l, 'beta') });
    }
  }
  return list;
}
const count = shape => shape.reduce((a, b) => a * b, 1);

/**
 * The model of a TrainingRun (an ExperimentRun's, or a bare Net, e.g. a panel's) as a plain object (what saveModel
 * writes). info: {data, scale, validation} when the run's config does not have them.
 */
export function modelObject(runOrNet, info = {}) {
  if (runOrNet.run && runOrNet.run.net) runOrNet = runOrNet.run;     // an ExperimentRun: its TrainingRun
  const run = runOrNet.net ? runOrNet : { net: runOrNet, cfg: { init: info.init || 'xavier_uniform', seed: info.seed ?? 1, batch: 1, epochs: 1 },
    epoch: 0, iteration: 0, inEpoch: false, epochLossSum: 0, epochBatches: 0 };
  const net = run.net, c = run.cfg, st = getResumeState(net);
  const params = net.params(), r = st.resume;
  const tensors = {};
  for (const t of tensorList(net)) {
    const n = count(t.shape), e = { shape: t.shape, value: float32ToBase64(params.subarray(t.off, t.off + n)) };
    for (const k of ['m', 'v', 'vmax']) {
      const part = st[k].subarray(t.off, t.off + n);
      if (part.some(x => x !== 0)) e[k] = float32ToBase64(part);     // absent = all zeros
    }
    tensors[t.name] = e;
  }
  const stats = {};
  net.batchnorm.forEach((on, l) => {
    if (!on) return;
    stats[`running_mean${l + 1}`] = float32ToBase64(net.liveView('running_mean', l));
    stats[`running_var${l + 1}`] = float32ToBase64(net.liveView('running_var', l));
  });
  return {
    format: MODEL_FORMAT.name, version: MODEL_FORMAT.version,
    network: { layers: net.sizes, activations: net.activations, alphas: c.alphas || net.activations.map(() => null), bias: net.bias,
      dropout: net.dropout, batchnorm: net.batchnorm, loss: net.loss, init: c.init, seed: c.seed },
    optimizer: { ...net.optimizer, step: r[0], beta1_t: r[1], beta2_t: r[2] },
    training: { batch: c.batch, epochs: c.epochs, seed: c.seed, data: info.data ?? c.data ?? null, scale: info.scale ?? c.scale ?? '01',
      validation: info.validation ?? 0,
      epoch: run.epoch, iteration: run.iteration, in_epoch: run.inEpoch, epoch_loss_sum: run.epochLossSum, epoch_batches: run.epochBatches,
      epoch_order: st.epoch ? int32ToBase64(st.epoch.order) : null, epoch_length: st.epoch ? st.epoch.order.length : 0,
      epoch_cursor: st.epoch ? st.epoch.cursor : 0 },
    rng: { state: Array.from(r.subarray(3, 7)), spare: r[7] ? r[8] : null },
    tensors, running_stats: stats,
  };
}

/** A TrainingRun (or an ExperimentRun, or a Net) as the text of a model file. */
export function saveModel(runOrNet, info = {}) { return JSON.stringify(modelObject(runOrNet, info)); }

// ---- reading: checks everything before anything reaches the core
const isObj = v => v !== null && typeof v === 'object' && !Array.isArray(v);
function need(obj, key, path, check, what) {
  const v = obj[key];
  if (!check(v)) fail('BAD_FIELD', `${path}.${key}`, `expected ${what}, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}
const isInt = (lo, hi) => v => Number.isInteger(v) && v >= lo && v <= hi;
const isNum = v => typeof v === 'number' && Number.isFinite(v);

/** Parses and checks the JSON text of a model file (no core needed). expect: {input, classes, trainSize}
 * of the data it is meant for. Returns the plain object, tensors decoded to Float32Array. */
export function parseModel(text, expect = {}) {
  if (typeof text !== 'string') fail('NOT_JSON', '', 'a model file is a JSON text');
  let m;
  try { m = JSON.parse(text); } catch (e) {
    const cut = text.trimStart().startsWith('{') && unclosed(text);
    fail(cut ? 'TRUNCATED' : 'NOT_JSON', '', cut ? 'the file ends in the middle (JSON cut off)' : `not JSON (${e.message})`);
  }
  if (!isObj(m) || m.format !== MODEL_FORMAT.name)
    fail('FOREIGN_FORMAT', 'format', `not a Backprop Lab model file (expected "format": "${MODEL_FORMAT.name}")`);
  if (!Number.isInteger(m.version) || m.version < 1) fail('BAD_FIELD', 'version', `expected a whole number >= 1, got ${JSON.stringify(m.version)}`);
  if (m.version > MODEL_FORMAT.version)
    fail('NEWER_VERSION', 'version', `format version ${m.version} is newer than this Backprop Lab reads (${MODEL_FORMAT.version}); update the lab`, { version: m.version });
  for (const k of ['network', 'optimizer', 'training', 'rng', 'tensors']) need(m, k, 'model', isObj, 'an object');
  const n = m.network, L = Array.isArray(n.layers) ? n.layers.length - 1 : 0;
  need(n, 'layers', 'network', v => Array.isArray(v) && v.length >= 2 && v.length <= 17 && v.every(isInt(1, 4096)), 'a list of 2..17 sizes 1..4096');
  const perLayer = (k, ok, what) => need(n, k, 'network', v => Array.isArray(v) && v.length === L && v.every(ok), `${L} ${what}`);
  perLayer('activations', a => ACTIVATIONS.includes(a), `activation names (${ACTIVATIONS.join(', ')})`);
  perLayer('alphas', a => a === null || isNum(a), 'numbers or nulls');
  perLayer('bias', b => typeof b === 'boolean', 'true/false');
  perLayer('dropout', p => isNum(p) && p >= 0 && p < 1, 'probabilities');
  perLayer('batchnorm', b => typeof b === 'boolean', 'true/false');
  need(n, 'loss', 'network', v => LOSSES.includes(v), `a loss (${LOSSES.join(', ')})`);
  need(n, 'init', 'network', v => INITS.includes(v), `an initialiser (${INITS.join(', ')})`);
  need(m.optimizer, 'name', 'optimizer', v => typeof v === 'string', 'a name');
  need(m.optimizer, 'step', 'optimizer', isInt(0, 2 ** 31 - 1), 'a step count');
  for (const k of ['beta1_t', 'beta2_t']) need(m.optimizer, k, 'optimizer', v => isNum(v) && v > 0 && v <= 1, 'a number in (0, 1]');
  const t = m.training;
  need(t, 'batch', 'training', isInt(1, 2 ** 20), 'a batch size');
  need(t, 'epochs', 'training', isInt(1, 1e6), 'a number of epochs');
  need(t, 'seed', 'training', isInt(0, 0xffffffff), 'a seed');
  need(t, 'scale', 'training', v => v === '01' || v === 'pm05', '"01" or "pm05"');
  need(t, 'validation', 'training', v => v === undefined || isInt(0, 1e7)(v), 'a number of held-out images');
  for (const k of ['epoch', 'iteration', 'epoch_batches', 'epoch_cursor', 'epoch_length']) need(t, k, 'training', isInt(0, 2 ** 31 - 1), 'a whole number >= 0');
  need(t, 'in_epoch', 'training', v => typeof v === 'boolean', 'true/false');
  need(t, 'epoch_loss_sum', 'training', isNum, 'a number');
  need(m.rng, 'state', 'rng', v => Array.isArray(v) && v.length === 4 && v.every(isInt(0, 0xffffffff)) && v.some(x => x), 'four 32-bit words, not all 0');
  need(m.rng, 'spare', 'rng', v => v === null || isNum(v), 'null or a number');
  const sizes = n.layers;
  checkFits(m, expect, null);
  // tensors: exactly the ones the architecture has, each with its shape
  const want = [];
  for (let l = 0; l < L; l++) {
    want.push([`W${l + 1}`, [sizes[l + 1], sizes[l]]]);
    if (n.bias[l]) want.push([`b${l + 1}`, [sizes[l + 1]]]);
    if (n.batchnorm[l]) want.push([`gamma${l + 1}`, [sizes[l + 1]]], [`beta${l + 1}`, [sizes[l + 1]]]);
  }
  const extra = Object.keys(m.tensors).filter(k => !want.some(([w]) => w === k));
  if (extra.length) fail('WRONG_ARCHITECTURE', `tensors.${extra[0]}`, `this network (${sizes.join('-')}) has no such tensor`);
  const tensors = {};
  for (const [name, shape] of want) {
    const e = m.tensors[name], f = `tensors.${name}`;
    if (!isObj(e)) fail('WRONG_ARCHITECTURE', f, `missing: the network ${sizes.join('-')} needs it`);
    if (!Array.isArray(e.shape) || e.shape.join() !== shape.join())
      fail('WRONG_ARCHITECTURE', `${f}.shape`, `${JSON.stringify(e.shape)}, the network ${sizes.join('-')} needs [${shape.join(', ')}]`);
    const k = count(shape);
    tensors[name] = { shape, value: decodeArray(e.value, k, `${f}.value`, Float32Array, { finite: true }) };
    for (const s of ['m', 'v', 'vmax']) tensors[name][s] = e[s] == null ? null : decodeArray(e[s], k, `${f}.${s}`, Float32Array, { finite: true });
  }
  const stats = {};
  n.batchnorm.forEach((on, l) => {
    if (!on) return;
    for (const s of ['running_mean', 'running_var']) {
      const f = `running_stats.${s}${l + 1}`;
      stats[`${s}${l + 1}`] = decodeArray((m.running_stats || {})[`${s}${l + 1}`], sizes[l + 1], f, Float32Array, { finite: true });
    }
  });
  const order = t.epoch_order == null ? null : decodeArray(t.epoch_order, t.epoch_length, 'training.epoch_order', Int32Array);
  checkFits(m, expect, order);
  return { ...m, tensors, running_stats: stats, order };
}

/** True when a text ends inside a string or with brackets still open: JSON cut off (any engine's wording). */
function unclosed(text) {
  let depth = 0, str = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (str) { if (ch === '\\') i++; else if (ch === '"') str = false; } else if (ch === '"') str = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return str || depth > 0;
}

/** The network against the data it is meant for: expect {input, classes, trainSize}, each optional. */
function checkFits(m, expect, order) {
  const sizes = m.network.layers, L = sizes.length - 1;
  if (expect.input != null && sizes[0] !== expect.input)
    fail('WRONG_ARCHITECTURE', 'network.layers', `the network takes ${sizes[0]} inputs, the data has ${expect.input} values per sample`, { want: expect.input, got: sizes[0] });
  if (expect.classes != null && sizes[L] !== expect.classes)
    fail('WRONG_ARCHITECTURE', 'network.layers', `the network has ${sizes[L]} outputs, the data has ${expect.classes} classes`, { want: expect.classes, got: sizes[L] });
  if (order && expect.trainSize != null && m.training.in_epoch && order.length !== expect.trainSize)
    fail('WRONG_DATA', 'training.epoch_order', `saved in the middle of an epoch over ${order.length} training images; these data have ${expect.trainSize}`,
      { want: expect.trainSize, got: order.length });
}

/** The TrainingRun config of a parsed model (what trainer.js takes). */
export function runConfig(m) {
  const n = m.network, t = m.training;
  const { step, beta1_t, beta2_t, ...optimizer } = m.optimizer;
  return { layers: n.layers, activations: n.activations, alphas: n.alphas, loss: n.loss, init: n.init, seed: t.seed,
    dropout: n.dropout, batchnorm: n.batchnorm, optimizer, batch: t.batch, epochs: t.epochs };
}

/**
 * A TrainingRun from a model file (text or parseModel's object) on datasets held by the core
 * ({train, test, ...} as trainer.js's createDatasets makes them), ready to continue where it stopped.
 * opts.epochs: train to this many epochs in all instead of the saved number.
 */
export function loadRun(core, sets, textOrModel, opts = {}) {
  const train = sets.train, expect = { input: train.dim, classes: train.k, trainSize: train.n };
  const m = typeof textOrModel === 'string' ? parseModel(textOrModel, expect) : textOrModel;
  if (typeof textOrModel !== 'string') checkFits(m, expect, m.order);
  const cfg = runConfig(m);
  if (opts.epochs != null) cfg.epochs = opts.epochs;
  let run;
  try { run = new TrainingRun(core, sets, cfg); } catch (e) { fail('BAD_FIELD', e.field ? `training.${e.field}` : 'optimizer', e.message); }
  try {
    restoreNet(run.net, m);
    const t = m.training;
    Object.assign(run, { epoch: t.epoch, iteration: t.iteration, inEpoch: t.in_epoch, epochLossSum: t.epoch_loss_sum, epochBatches: t.epoch_batches });
    if (run.inEpoch && !m.order) fail('BAD_FIELD', 'training.epoch_order', 'the run stopped inside an epoch but its order is missing');
  } catch (e) {
    run.free();
    rethrow(e);
  }
  return run;
}

/**
 * An ExperimentRun (experiments.js; the command line's and the experiment page's run) continued from a
 * model: its TrainingRun is replaced by loadRun's, and its iteration count starts at the saved one
 * (the losses before are not in the file: NaN in exp.losses), so epoch rows and iteration numbers
 * go on where they stopped. Returns exp.
 */
export function resumeExperiment(exp, core, textOrModel, opts = {}) {
  const run = loadRun(core, exp.run.sets, textOrModel, opts);
  exp.run.free();
  exp.run = run;
  exp.cfg = { ...exp.cfg, ...run.cfg };
  exp.losses = new Array(run.iteration).fill(NaN);
  exp.finished = run.done;
  return exp;
}

/** A bare Net from a model file (a panel's network, the drawing pad): parameters and optimizer state. */
export function loadNet(core, text) {
  const m = parseModel(text), n = m.network;
  let net;
  try {
    net = core.createNet({ sizes: n.layers, activations: n.activations, alphas: n.alphas, bias: n.bias, dropout: n.dropout, batchnorm: n.batchnorm, loss: n.loss });
  } catch (e) { rethrow(e); }
  try {
    net.setOptimizer(runConfig(m).optimizer);
    restoreNet(net, m);
  } catch (e) { net.free(); rethrow(e); }
  return net;
}

function rethrow(e) {
  if (e instanceof ModelFileError) throw e;
  if (e instanceof CoreError) fail('BAD_FIELD', '', e.message);
  throw e;
}

/** Parameters, moments, batch-norm statistics, step count, RNG and epoch of a parsed model into a net. */
function restoreNet(net, m) {
  net.params().fill(0);
  const st = { m: new Float32Array(net.nparams), v: new Float32Array(net.nparams), vmax: new Float32Array(net.nparams) };
  for (const tn of tensorList(net)) {
    const e = m.tensors[tn.name];
    net.params().set(e.value, tn.off);
    for (const k of ['m', 'v', 'vmax']) if (e[k]) st[k].set(e[k], tn.off);
  }
  net.batchnorm.forEach((on, l) => {
    if (!on) return;
    net.liveView('running_mean', l).set(m.running_stats[`running_mean${l + 1}`]);
    net.liveView('running_var', l).set(m.running_stats[`running_var${l + 1}`]);
  });
  const o = m.optimizer, rng = m.rng;
  st.resume = Float64Array.of(o.step, o.beta1_t, o.beta2_t, ...rng.state, rng.spare === null ? 0 : 1, rng.spare ?? 0);
  st.epoch = m.order ? { order: m.order, cursor: m.training.epoch_cursor } : null;
  setResumeState(net, st);
}

/**
 * The samples of the next `steps` batches of a run, in the lab's order: {order: Int32Array (all
 * indices, batch after batch), sizes: [samples per batch]}. Starts new epochs (shuffles) as training
 * would, without training: it uses the run up, so pass a copy (loadRun of the same file). Runs with
 * dropout draw masks from the same RNG between shuffles, so their later epochs are not predicted.
 */
export function batchPlan(run, steps) {
  const net = run.net, n = run.sets.train.n, B = run.cfg.batch, idx = [], sizes = [];
  let ep = run.inEpoch ? getResumeState(net).epoch : null;
  for (let s = 0; s < steps; s++) {
    if (!ep || ep.cursor >= n) { net.beginEpoch(run.sets.train, true); ep = getResumeState(net).epoch; }
    const b = Math.min(B, n - ep.cursor);
    for (let i = 0; i < b; i++) idx.push(ep.order[ep.cursor + i]);
    sizes.push(b);
    ep.cursor += b;
  }
  return { order: Int32Array.from(idx), sizes };
}
