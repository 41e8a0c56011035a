// robust-page.test.mjs - issue #16's texts of the training page, without the DOM (page-model.js): a dead
// worker is said by what happened (not "this browser cannot run module workers"), a failed
// WebAssembly start by its name, a big network's evaluation by its progress, and a 100 kB URL value
// shortened in the banner. Expected texts: the English entries of web/training/strings.js.
import test from 'node:test';
import assert from 'node:assert/strict';
import { pageI18n, messageView, statusView, urlErrorText, shortValue } from '../../web/training/page-model.js';

const { t } = pageI18n('en');
const ru = pageI18n('ru').t;
const err = (code, details, message = 'x') => ({ kind: 'error', err: { code, source: 'worker', message, details } });

test('a worker that did not load, crashed, ended or fell silent is said so, in both languages', () => {
  assert.match(messageView(err('NO_WORKER', { reason: 'load' }, 'SyntaxError: bad'), t).text, /could not start: its modules failed to load \(SyntaxError: bad\)/);
  assert.match(messageView(err('NO_WORKER', { reason: 'crashed' }, 'boom'), t).text, /crashed \(boom\)\. Reset starts a new one/);
  assert.match(messageView(err('NO_WORKER', { reason: 'ended' }), t).text, /stopped: it was terminated.*Reset starts a new one/);
  assert.match(messageView(err('NO_WORKER', { reason: 'silent', seconds: 15 }), t).text, /has not answered for 15 s/);
  assert.match(messageView(err('NO_WORKER', { reason: 'ended' }), ru).text, /остановлен.*«Сброс» запустит новый/);
  // only a browser without module workers gets the old text
  assert.match(messageView(err('NO_WORKER', { reason: 'unsupported' }), t).text, /cannot run the training in a module Web Worker/);
  assert.match(messageView({ kind: 'error', err: { code: 'WASM', source: 'core', message: 'bp-simd.wasm: CompileError: bad magic' } }, t).text,
    /WebAssembly\) could not be started: bp-simd\.wasm: CompileError/);
});

test('a big network\'s evaluation shows its progress in the status line', () => {
  const page = { phase: 'running', info: { nTrain: 12000, nTest: 2000 }, progress: null, state: { epochs: 3 }, evaluating: { done: 3000, total: 14000 } };
  assert.equal(statusView(page, false, t).text, 'Evaluating the network: 3,000 of 14,000 images…');
  assert.equal(statusView({ ...page, phase: 'ready' }, false, t).text, 'Evaluating the network: 3,000 of 14,000 images…');
  assert.equal(statusView({ ...page, evaluating: null }, false, t).text, 'Training…');
});

test('a 100 kB URL value is shortened in the banner, with its length', () => {
  const long = 'x'.repeat(100000);
  const line = urlErrorText({ param: 'lr', value: long, code: 'nan', def: '0.001' }, 'Not a number', t);
  assert.ok(line.length < 200, line.length);
  assert.match(line, /^lr=x{60}… \(100,000 characters\): Not a number\. Using 0\.001\.$/);
  assert.equal(shortValue('0.5', t), '0.5');
});
