// page-model.js - the training page's state and decisions, without the DOM (tested in Node:
// tests/node/training-page.test.mjs): the one page state object every part of the page is given, the
// phase a command or an error leads to, which controls are usable in which phase, and the texts of
// the status line, the progress row, the message box, the URL banner, the settings summary, the
// results and the drawing pad's answer. The DOM modules (render.js, results-view.js, charts.js) only
// write what these functions return.

import { FIELD, formatValue } from '../lib/state.js';
import { translator } from '../lib/i18n.js';
import { numberFormats } from '../lib/format.js';
import { IterSeries, EpochSeries } from '../lib/chart-math.js';
import { DICTIONARIES } from './strings.js';
import { healthOfMetrics } from '../lib/health.js';

/** The page's words and numbers in one language: t(key, params) and the formatters (num, sig, pct, ...). */
export const pageI18n = lang => ({ ...numberFormats(lang), t: translator(DICTIONARIES, lang) });

/**
 * The page's state, one object passed to every part of the page. parsed is lib/state.js's parse() of
 * the URL. app.js fills in the handles (form, trainer, pad); charts.js the charts.
 */
export function createPageState(parsed, i18n) {
  return {
    state: parsed.state,            // the settings (lib/state.js), mirrored in the URL
    i18n,                           // pageI18n(state's language)
    urlErrors: urlErrorsOf(parsed), // URL problems, each with the value used instead, shown until dismissed
    phase: 'loading',               // loading | ready | running | paused | done | warning | diverged | error
    metricsLog: [],                 // every epoch's metrics of the run (epoch 0 first): its health (lib/health.js)
    busy: false,                    // a step/epoch/start request is in flight
    info: null,                     // the worker's init answer (the data loaded)
    applied: null,                  // the settings the current run was configured with
    runInfo: null,                  // the worker's configure answer
    configuring: false,
    runId: 0,                       // the worker's number of the current run
    progress: null,                 // the last progress event (or the start of a run)
    lastMetrics: null,              // the last epoch's metrics
    message: null,                  // {kind: 'diverged'|'health'|'error', ...} shown translated
    drawing: null,                  // the current drawn digit (784 floats) or null
    sampleInfo: null,               // the test digit put on the pad ({index, label, pixels}) or null
    misInfo: null, weightInfo: null, probsInfo: null,   // the worker's answers shown in the results
    iter: new IterSeries(parsed.state.smooth),           // loss per iteration (raw and smoothed)
    epochs: new EpochSeries(),                           // loss and accuracy per epoch
    // scheduling of requests and redraws
    queue: Promise.resolve(),       // data loading and configuring, one after another
    applyTimer: 0,                  // a settings change waiting to be applied
    progressQueued: false,          // a progress redraw is waiting for an animation frame
    details: { busy: false, again: false, last: 0, visible: false },   // misclassified digits and weights
    predict: { busy: false, again: false, shownEmpty: false },         // the drawing pad's answer
    shownConfusion: {},             // the metrics and language the confusion matrix shows
    // the page's parts
    form: null,                     // form.js SettingsForm
    trainer: null,                  // lib/worker-client.js WorkerClient of training/worker.js
    pad: null,                      // draw.js DrawPad
    charts: {},                     // ui/chart.js Chart by key (iter, eloss, eacc)
    chartXMax: {},                  // each chart's x range end, a function of the run
  };
}

// ---------------------------------------------------------------- phases

/** The phases in which Step, Epoch and Start can send their command. */
export const canCommand = phase => phase === 'ready' || phase === 'paused';

/** The phase after a command's answer: the last epoch ended, or training stopped before. */
export const phaseAfter = answer => (answer.reason === 'done' ? 'done' : 'paused');

/**
 * {phase, message} when the last epoch ended: 'done', or 'warning' with the reason when the run is
 * unhealthy (lib/health.js: exploded or stuck at chance; a NaN/Inf loss ends as 'diverged' earlier).
 */
export function doneOutcome(metricsLog, lr) {
  const h = healthOfMetrics(metricsLog);
  if (h.healthy) return { phase: 'done', message: null };
  return { phase: 'warning', message: { kind: 'health', cls: h.cls, factor: h.factor, accuracy: h.accuracy, chance: h.chance, limit: h.threshold_accuracy, lr } };
}

/** {phase, message} after an error: loading, configuring or a crashed worker. */
export const errorOutcome = err => ({ phase: 'error', message: { kind: 'error', err } });

/** {phase, message} after a command failed: a diverged run (with the learning rate to blame) or an error. */
export function commandFailure(err, lr) {
  if (err.code !== 'DIVERGED') return errorOutcome(err);
  const d = err.details || {};
  return { phase: 'diverged', message: { kind: 'diverged', iteration: d.iteration, what: d.what, lr: d.lr ?? lr } };
}

/** The progress of a run just configured (s: its settings, r: the worker's configure answer). */
export function initialProgress(s, r) {
  return { iteration: 0, epoch: 0, epochs: s.epochs, epochBatch: 0, batchesPerEpoch: r.batchesPerEpoch, batch: s.batch, samplesPerSec: 0, trainSeconds: 0 };
}

// ---------------------------------------------------------------- controls and status

/**
 * The run controls in a phase: the Start button's label (Start, Pause, Resume) and which buttons are
 * usable; invalid: a setting is refused. Start answers while the data still loads (it waits for it).
 */
export function controlsView({ phase, busy, message, info }, invalid) {
  const canTrain = !invalid && !busy && (canCommand(phase) || (phase === 'loading' && !message));
  return {
    startLabel: phase === 'running' ? 'ctl.pause' : phase === 'paused' ? 'ctl.resume' : 'ctl.start',
    pausing: phase === 'running',
    start: phase === 'running' || canTrain,
    step: canTrain,
    epoch: canTrain,
    reset: phase !== 'loading' && !invalid && !!info,
    locked: phase === 'running',                      // the settings form while training
    note: phase === 'running' ? 'settings.locked' : 'settings.note',
  };
}

/** The status line: {phase} for its data-phase attribute (invalid settings show as 'invalid') and its text. */
export function statusView({ phase, info, progress, state, evaluating }, invalid, t) {
  let text = '';
  if (invalid && phase !== 'running') text = t('status.invalid');
  else if (evaluating && (phase === 'ready' || phase === 'paused')) text = t('status.evaluating', { done: evaluating.done, total: evaluating.total });
  else if (phase === 'loading') text = t('status.loading');
  else if (phase === 'ready') text = info ? t('status.ready', { train: info.nTrain, test: info.nTest }) : '';
  else if (phase === 'running' && evaluating) text = t('status.evaluating', { done: evaluating.done, total: evaluating.total });
  else if (phase === 'running') text = t('status.running');
  else if (phase === 'paused') text = t('status.paused');
  else if (phase === 'done') text = t('status.done', { epochs: progress ? progress.epoch : state.epochs });
  else if (phase === 'diverged') text = t('status.diverged');
  else if (phase === 'warning') text = t('status.warning', { epochs: progress ? progress.epoch : state.epochs });
  else if (phase === 'error') text = t('status.error');
  return { phase: invalid ? 'invalid' : phase, text };
}

/** A duration in seconds as text: tenths below 10 s, then s, min s, h min. */
export function fmtTime(sec, t) {
  if (sec < 9.95) return t('time.s', { s: Math.max(0, Number(sec.toFixed(1))) });
  sec = Math.round(sec);
  if (sec < 60) return t('time.s', { s: sec });
  if (sec < 3600) return t('time.ms', { m: Math.floor(sec / 60), s: sec % 60 });
  return t('time.hm', { h: Math.floor(sec / 3600), m: Math.floor((sec % 3600) / 60) });
}

/**
 * The progress row from a progress event p: the epoch shown (1-based while it runs), the bar (the
 * current epoch's fraction), the iteration, the speed and the time left while running (else the
 * training time so far). null when there is no run.
 */
export function progressView(p, phase, t) {
  if (!p) return null;
  const done = p.epoch >= p.epochs;
  const left = (p.epochs * p.batchesPerEpoch - p.iteration) * p.batch / (p.samplesPerSec || Infinity);
  let leftText = '';
  if (phase === 'running' && p.samplesPerSec > 0 && !done) leftText = t('progress.left', { t: fmtTime(left, t) });
  else if (p.trainSeconds > 0) leftText = t('progress.elapsed', { t: fmtTime(p.trainSeconds, t) });
  return {
    epoch: t('progress.epoch', { epoch: done ? p.epochs : p.epoch + 1, epochs: p.epochs }),
    bar: done ? 1 : p.epochBatch / p.batchesPerEpoch,
    iteration: t('progress.iteration', { iteration: p.iteration }),
    speed: p.samplesPerSec > 0 ? t('progress.speed', { n: Math.round(p.samplesPerSec) }) : '',
    left: leftText,
  };
}

// ---------------------------------------------------------------- messages

/**
 * The message box: null (hidden) or {kind, text}. A divergence names the iteration and suggests a
 * learning rate ten times lower; an error is said by its code under its source ('data' or the
 * core), with the source's generic text for a code the dictionary does not have.
 */
export function messageView(message, t, fmt = null) {
  if (!message) return null;
  if (message.kind === 'diverged') {
    const lr = message.lr;
    return {
      kind: 'diverged',
      text: t('diverged.msg', {
        iteration: message.iteration, what: t(message.what === 'infinite' ? 'diverged.inf' : 'diverged.nan'),
        lr: typeof lr === 'number' ? lr : String(lr), suggest: typeof lr === 'number' ? Number((lr / 10).toPrecision(2)) : '',
      }),
    };
  }
  if (message.kind === 'health') {
    const lr = message.lr, f = fmt || { pct: v => `${(100 * v).toFixed(2)}%`, sig: v => String(Number(v.toPrecision(3))), num: String };
    return {
      kind: 'health',
      text: `${t(`health.${message.cls}`, { factor: f.sig(message.factor || 0, 3), acc: f.pct(message.accuracy), limit: f.pct(message.limit, 0), chance: f.pct(message.chance, 0) })} ${
        t('health.hint', { lr: typeof lr === 'number' ? f.num(lr) : String(lr), suggest: typeof lr === 'number' ? f.num(Number((lr / 10).toPrecision(2))) : '' })}`,
    };
  }
  const e = message.err || {};
  const d = e.details || {};
  // a worker that did not load, crashed, ended or fell silent: said by what happened (lib/worker-client.js)
  if (e.code === 'NO_WORKER' && d.reason && `worker.${d.reason}` in DICTIONARIES.en)
    return { kind: 'error', text: t(`worker.${d.reason}`, { message: e.message || '', seconds: d.seconds }) };
  const source = e.source === 'data' || e.source === 'model' ? e.source : 'core';   // model: a model file (model-ui.js)
  const key = `${source}.${e.code}`;
  const has = key in DICTIONARIES.en;
  return { kind: 'error', text: t(has ? key : `${source}.ERROR`, { message: e.message || '', file: d.file || '', field: e.field || '', version: d.version ?? '', fields: d.fields || '' }) };
}

/** The URL's problems from lib/state.js's parse(), each with the value used instead (as text) or null. */
export function urlErrorsOf(parsed) {
  return parsed.errors.map(e => ({ ...e, def: FIELD[e.field] && parsed.state[e.field] != null ? formatValue(e.field, parsed.state[e.field]) : null }));
}

// Problems for which the value used instead is no answer (the parameter is not used at all, or the
// problem is between two settings).
const URL_NO_DEFAULT = ['unknown', 'unused', 'duplicate', 'ce_needs_prob', 'bce_needs_sigmoid', 'nesterov_momentum', 'batch_gt_train'];

/** One line of the URL banner: the parameter, its value, why it was refused (reason), and what is used instead. */
export function urlErrorText(e, reason, t) {
  const value = shortValue(e.value, t), param = shortValue(e.param, t);
  return e.def != null && e.def !== '' && !URL_NO_DEFAULT.includes(e.code)
    ? t('url.item', { param, value, reason, def: e.def })
    : t('url.itemNoDef', { param, value, reason });
}

/** A parameter or value of the URL as the banner shows it: a long one (a 100 kB link) cut to its start and length. */
export function shortValue(v, t, max = 60) {
  const s = String(v ?? '');
  return s.length <= max ? s : `${s.slice(0, max)}… ${t('url.long', { n: s.length })}`;
}

/** The one-line summary of the settings (shown when the settings are closed). */
export function summaryText(state, { t, num }) {
  return t('settings.summary', {
    layers: [784, ...state.hidden, 10].join('-'), opt: t(`opt.${state.optimizer}`), lr: num(state.lr), batch: state.batch, epochs: state.epochs,
  });
}

// ---------------------------------------------------------------- results

/** The final results from the last epoch's metrics m: null before a test result, else the texts. */
export function finalView(m, { t, pct, sig }) {
  if (!m || !m.test) return null;
  return {
    acc: pct(m.test.accuracy), value: String(m.test.accuracy), epoch: String(m.epoch),
    after: t('final.after', { epoch: m.epoch }),
    loss: sig(m.test.loss, 4),
    train: m.train ? pct(m.train.accuracy) : '—',
  };
}

/** The charts' summaries for screen readers: the last iteration's loss, the last epoch's test results. */
export function chartSummaryTexts(iter, m, { t, sig, pct }) {
  const n = iter.length;
  return {
    iter: n ? t('chart.summaryIter', { loss: sig(iter.raw[n - 1]), smooth: sig(iter.smooth[n - 1]), iteration: iter.x[n - 1] }) : t('chart.empty'),
    epoch: m && m.test ? t('chart.summaryEpoch', { epoch: m.epoch, testLoss: sig(m.test.loss), testAcc: pct(m.test.accuracy) }) : t('chart.empty'),
  };
}

/** How often (ms) misclassified digits and weights are fetched while training runs and they are on screen. */
export const DETAILS_EVERY_MS = 4000;

/**
 * Whether an epoch's end fetches the misclassified digits and weights: at once when training is not
 * running; while it runs only when they are on screen, and at most every DETAILS_EVERY_MS (they are
 * fetched when it stops).
 */
export const detailsDue = (phase, visible, now, last) => phase !== 'running' || (visible && now - last > DETAILS_EVERY_MS);

/** As many misclassified digits as fill three rows of a grid `width` px wide (items are about 70 px wide), 12 to 60. */
export const misLimit = width => Math.max(12, Math.min(60, 3 * Math.floor((width + 7) / 72)));

/**
 * The drawing pad's answer: the title (probabilities after softmax, else raw outputs), the row of
 * each digit (bar width 0..1, value text), the best digit (-1 without an answer), the sentence and
 * the label of a test digit put on the pad.
 */
export function probsView({ probsInfo, drawing, applied, sampleInfo }, { t, pct, sig }) {
  const p = probsInfo && drawing ? probsInfo : null;
  let best = -1;
  if (p) for (let k = 0; k < p.probs.length; k++) if (best < 0 || p.probs[k] > p.probs[best]) best = k;
  const rows = [];
  for (let k = 0; k < 10; k++) {
    const v = p ? p.probs[k] : 0;
    rows.push({ width: Math.max(0, Math.min(1, v)), text: p ? (p.softmax ? pct(v, 1) : sig(v, 3)) : '' });
  }
  let answer;
  if (!drawing) answer = t('draw.empty');
  else if (!p) answer = applied ? '' : t('draw.noNet');
  else answer = t('draw.answer', { digit: String(best), prob: p.softmax ? pct(p.probs[best], 1) : sig(p.probs[best], 3) });
  return {
    title: t(p && !p.softmax ? 'draw.outputs' : 'draw.probs'),
    best, rows, answer,
    sample: sampleInfo && drawing ? t('draw.sampleLabel', { index: sampleInfo.index, label: String(sampleInfo.label) }) : '',
  };
}

/**
 * The model buttons (model-ui.js): Save and Open in PyTorch need a run that is not training (ready,
 * paused or done); Load model... answers whenever nothing runs or waits (it replaces the run).
 */
export function modelControlsView({ phase, busy, applied }) {
  const still = !busy && phase !== 'running' && phase !== 'loading';
  const haveRun = still && !!applied && (phase === 'ready' || phase === 'paused' || phase === 'done');
  return { save: haveRun, pytorch: haveRun, load: still };
}
