// training-page.test.mjs - the training page's decisions without the DOM (web/training/page-model.js):
// which controls are usable in which phase, the phase after a command or an error, the status,
// progress, message, URL banner and drawing pad texts. Expected texts are the English entries of
// web/training/strings.js, with numbers as lib/format.js writes them in English (12,000; 89.85%).
// Run: node --test tests/node/training-page.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  pageI18n, createPageState, canCommand, phaseAfter, errorOutcome, commandFailure, initialProgress,
  controlsView, statusView, fmtTime, progressView, messageView, urlErrorsOf, urlErrorText, summaryText,
  finalView, chartSummaryTexts, detailsDue, DETAILS_EVERY_MS, misLimit, probsView,
} from '../../web/training/page-model.js';
import { parse, defaults } from '../../web/lib/state.js';
import { IterSeries } from '../../web/lib/chart-math.js';

const en = pageI18n('en');
const { t } = en;
const PHASES = ['loading', 'ready', 'running', 'paused', 'done', 'diverged', 'error'];
const INFO = { data: 'subset', scale: '01', nTrain: 12000, nTest: 2000 };

test('the page state starts loading, with the URL\'s settings and its problems', () => {
  const page = createPageState(parse('?epochs=2&lr=abc'), en);
  assert.equal(page.phase, 'loading');
  assert.equal(page.state.epochs, 2);
  assert.deepEqual(page.urlErrors.map(e => e.param), ['lr']);
  assert.equal(page.iter.length, 0);
  assert.deepEqual([page.busy, page.applied, page.info, page.message], [false, null, null, null]);
});

test('controls: Start/Step/Epoch only in ready and paused (and while loading without an error); Start pauses while running', () => {
  const usable = PHASES.filter(phase => controlsView({ phase, busy: false, message: null, info: INFO }, false).step);
  assert.deepEqual(usable, ['loading', 'ready', 'paused']);
  // a failed load is no longer "loading soon": nothing to start
  assert.equal(controlsView({ phase: 'loading', busy: false, message: { kind: 'error' }, info: null }, false).start, false);
  const running = controlsView({ phase: 'running', busy: true, message: null, info: INFO }, false);
  assert.deepEqual([running.startLabel, running.pausing, running.start, running.step, running.epoch, running.locked, running.note],
    ['ctl.pause', true, true, false, false, true, 'settings.locked']);
  assert.equal(controlsView({ phase: 'paused', busy: false, message: null, info: INFO }, false).startLabel, 'ctl.resume');
  assert.equal(controlsView({ phase: 'done', busy: false, message: null, info: INFO }, false).startLabel, 'ctl.start');
  // a command in flight or a refused setting: nothing to train, and no reset with invalid settings
  assert.equal(controlsView({ phase: 'ready', busy: true, message: null, info: INFO }, false).start, false);
  const invalid = controlsView({ phase: 'ready', busy: false, message: null, info: INFO }, true);
  assert.deepEqual([invalid.start, invalid.step, invalid.reset], [false, false, false]);
  // Reset needs the data and is not offered while loading
  assert.deepEqual(PHASES.filter(phase => controlsView({ phase, busy: false, message: null, info: INFO }, false).reset), PHASES.slice(1));
  assert.equal(controlsView({ phase: 'error', busy: false, message: null, info: null }, false).reset, false);
});

test('phases: commands run from ready and paused; done or paused after a command; diverged or error after a failure', () => {
  assert.deepEqual(PHASES.filter(canCommand), ['ready', 'paused']);
  assert.equal(phaseAfter({ reason: 'done' }), 'done');
  assert.equal(phaseAfter({ reason: 'paused' }), 'paused');
  assert.equal(phaseAfter({}), 'paused');
  const err = { code: 'ENOMEM', message: 'x' };
  assert.deepEqual(errorOutcome(err), { phase: 'error', message: { kind: 'error', err } });
  assert.deepEqual(commandFailure(err, 0.1), errorOutcome(err));
  assert.deepEqual(commandFailure({ code: 'DIVERGED', details: { iteration: 17, what: 'nan', lr: 5 } }, 0.1),
    { phase: 'diverged', message: { kind: 'diverged', iteration: 17, what: 'nan', lr: 5 } });
  // without the worker's learning rate, the page's own
  assert.equal(commandFailure({ code: 'DIVERGED' }, 0.1).message.lr, 0.1);
  assert.deepEqual(initialProgress({ epochs: 3, batch: 32 }, { batchesPerEpoch: 375 }),
    { iteration: 0, epoch: 0, epochs: 3, epochBatch: 0, batchesPerEpoch: 375, batch: 32, samplesPerSec: 0, trainSeconds: 0 });
});

test('status line: each phase\'s text; invalid settings say so except while running', () => {
  const state = defaults();
  const at = (phase, invalid = false, extra = {}) => statusView({ phase, info: INFO, progress: null, state, ...extra }, invalid, t);
  assert.deepEqual(at('ready'), { phase: 'ready', text: 'Ready: 12,000 training and 2,000 test images' });
  assert.deepEqual(at('ready', false, { info: null }), { phase: 'ready', text: '' });
  assert.equal(at('loading').text, 'Loading the data and the training core…');
  assert.equal(at('paused').text, 'Paused');
  assert.equal(at('done', false, { progress: { epoch: 1 } }).text, 'Done: 1 epoch trained');
  assert.equal(at('done').text, `Done: ${state.epochs} epochs trained`, 'without progress: the settings\' epochs');
  assert.equal(at('diverged').text, 'Diverged');
  assert.equal(at('error').text, 'Error');
  assert.deepEqual(at('paused', true), { phase: 'invalid', text: 'Fix the highlighted settings to train.' });
  assert.deepEqual(at('running', true), { phase: 'invalid', text: 'Training…' });
});

test('times: tenths of a second below 10 s, whole seconds, then minutes and hours', () => {
  assert.equal(fmtTime(0.26, t), '0.3 s');
  assert.equal(fmtTime(-1, t), '0 s');
  assert.equal(fmtTime(9.96, t), '10 s');
  assert.equal(fmtTime(59.4, t), '59 s');
  assert.equal(fmtTime(125, t), '2 min 5 s');
  assert.equal(fmtTime(3 * 3600 + 7 * 60 + 30, t), '3 h 7 min');
});

test('progress row: the epoch shown is 1-based while it runs; time left while running, elapsed when stopped', () => {
  assert.equal(progressView(null, 'ready', t), null);
  const p = { iteration: 450, epoch: 1, epochs: 3, epochBatch: 75, batchesPerEpoch: 375, batch: 32, samplesPerSec: 32000, trainSeconds: 0.45 };
  // left: (3 * 375 - 450) batches * 32 samples / 32000 samples/s = 0.675 s
  assert.deepEqual(progressView(p, 'running', t),
    { epoch: 'Epoch 2 of 3', bar: 0.2, iteration: 'iteration 450', speed: '32,000 samples/s', left: '0.7 s left' });
  assert.equal(progressView(p, 'paused', t).left, '0.5 s elapsed');
  const done = progressView({ ...p, iteration: 1125, epoch: 3, epochBatch: 0 }, 'running', t);
  assert.deepEqual([done.epoch, done.bar, done.left], ['Epoch 3 of 3', 1, '0.5 s elapsed']);
  const fresh = progressView(initialProgress({ epochs: 3, batch: 32 }, { batchesPerEpoch: 375 }), 'ready', t);
  assert.deepEqual(fresh, { epoch: 'Epoch 1 of 3', bar: 0, iteration: 'iteration 0', speed: '', left: '' });
});

test('messages: divergence suggests a learning rate ten times lower; errors by source and code, generic when unknown', () => {
  assert.equal(messageView(null, t), null);
  const div = messageView({ kind: 'diverged', iteration: 12, what: 'infinite', lr: 5 }, t);
  assert.equal(div.kind, 'diverged');
  assert.equal(div.text, 'The loss became infinite at iteration 12: the run diverged. The learning rate (5) is probably too high; try a lower one, e.g. 0.5, then press Reset.');
  assert.match(messageView({ kind: 'diverged', iteration: 1, what: 'nan', lr: 0.3 }, t).text, /became NaN .* e\.g\. 0\.03,/);
  const data = messageView({ kind: 'error', err: { source: 'data', code: 'NOT_FOUND', details: { file: 'x.bin' } } }, t);
  assert.deepEqual(data, { kind: 'error', text: 'The data file x.bin is not on the server (run “make data” to build it).' });
  assert.equal(messageView({ kind: 'error', err: { code: 'ENOMEM' } }, t).text, 'Out of memory: make the network smaller or use the subset of the data.');
  assert.equal(messageView({ kind: 'error', err: { code: 'WHAT', message: 'odd' } }, t).text, 'Error: odd');
  assert.equal(messageView({ kind: 'error', err: { source: 'data', code: 'WHAT', message: 'odd', details: { file: 'f' } } }, t).text,
    'The data file f could not be read: odd');
});

test('URL banner: the value used instead is named, except where it is no answer', () => {
  const errs = urlErrorsOf(parse('?colour=red&lr=abc'));
  assert.deepEqual(errs.map(e => [e.param, e.code, e.def]), [['colour', 'unknown', null], ['lr', 'nan', '0.001']]);
  assert.equal(urlErrorText(errs[1], 'Not a number', t), 'lr=abc: Not a number. Using 0.001.');
  assert.equal(urlErrorText(errs[0], 'Unknown parameter', t), 'colour=red: Unknown parameter.');
  // a problem between two settings: the default of one is no answer
  assert.equal(urlErrorText({ param: 'batch', value: '99999', code: 'batch_gt_train', def: '32' }, 'r', t), 'batch=99999: r.');
});

test('settings summary: layers, optimizer, learning rate, batch and epochs', () => {
  assert.equal(summaryText(defaults(), en), '784-128-64-10 · Adam · η 0.001 · batch 32 · 3 epochs');
});

test('results: final accuracy and the charts\' summaries from the last epoch\'s metrics', () => {
  assert.equal(finalView(null, en), null);
  assert.equal(finalView({ epoch: 0, train: null }, en), null);
  const m = { epoch: 1, test: { accuracy: 0.8985, loss: 0.345312 }, train: { accuracy: 0.9 } };
  assert.deepEqual(finalView(m, en), { acc: '89.85%', value: '0.8985', epoch: '1', after: 'after epoch 1', loss: '0.3453', train: '90.00%' });
  assert.equal(finalView({ ...m, train: null }, en).train, '—');
  const iter = new IterSeries(0.5);
  assert.deepEqual(chartSummaryTexts(iter, null, en), { iter: 'No data yet: press Start.', epoch: 'No data yet: press Start.' });
  iter.push([2, 1.5], 0);   // iterations 1 and 2
  const s = chartSummaryTexts(iter, m, en);
  // the debiased EMA by hand: (0.5 * 0.5 * 2 + 0.5 * 1.5) / (1 - 0.5^2) = 1.25 / 0.75 = 1.667 (4 significant digits)
  assert.equal(s.iter, 'Latest loss 1.5 (smoothed 1.667) at iteration 2');
  assert.equal(s.epoch, 'After epoch 1: test loss 0.3453, test accuracy 89.85%');
});

test('details: fetched at each epoch when stopped; while running only on screen and every few seconds', () => {
  assert.equal(detailsDue('paused', false, 100, 0), true);
  assert.equal(detailsDue('running', false, 1e6, 0), false);
  assert.equal(detailsDue('running', true, DETAILS_EVERY_MS + 1, 0), true);
  assert.equal(detailsDue('running', true, DETAILS_EVERY_MS, 0), false);
  // three rows of 72-px items: 900 px holds 12 per row
  assert.equal(misLimit(900), 36);
  assert.equal(misLimit(100), 12, 'at least 12');
  assert.equal(misLimit(5000), 60, 'at most 60');
});

test('drawing pad: the best digit, probabilities after softmax or raw outputs, and what to say without an answer', () => {
  const probs = [0.01, 0.02, 0.9, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
  const drawing = new Float32Array(784);
  const v = probsView({ probsInfo: { probs, softmax: true }, drawing, applied: {}, sampleInfo: { index: 7, label: 2 } }, en);
  assert.equal(v.best, 2);
  assert.equal(v.title, 'Class probabilities');
  assert.deepEqual(v.rows[2], { width: 0.9, text: '90.0%' });
  assert.equal(v.answer, 'The network says 2 (90.0%)');
  assert.equal(v.sample, 'Test image 7, true label 2');
  const raw = probsView({ probsInfo: { probs: [-3, 1.5, ...new Array(8).fill(0)], softmax: false }, drawing, applied: {}, sampleInfo: null }, en);
  assert.deepEqual([raw.title, raw.best, raw.rows[0].width, raw.rows[1].width, raw.rows[0].text], ['Network outputs', 1, 0, 1, '-3']);
  assert.equal(raw.answer, 'The network says 1 (1.5)');
  const none = probsView({ probsInfo: null, drawing: null, applied: null, sampleInfo: { index: 1, label: 1 } }, en);
  assert.deepEqual([none.best, none.answer, none.sample, none.rows[0].text], [-1, 'Draw a digit to see the network’s answer.', '', '']);
  assert.equal(probsView({ probsInfo: null, drawing, applied: null, sampleInfo: null }, en).answer, 'The network is not ready yet.');
  assert.equal(probsView({ probsInfo: null, drawing, applied: {}, sampleInfo: null }, en).answer, '');
});
