// exercise-progress.test.mjs - the store of exercise results (web/lib/exercise-progress.js): the score
// is right-at-first-try over stages, a better result replaces a worse and never the other way, the
// compact text round-trips, and a bad result or saved text is refused with the field it names.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ProgressStore, scoreOf, checkResult, exerciseId, PASS } from '../../web/lib/exercise-progress.js';

const mapStorage = () => { const m = new Map(); return { m, getItem: k => m.get(k) ?? null, setItem: (k, v) => m.set(k, v) }; };
const R = (o = {}) => ({ panel: 'mlp', seed: null, stages: 5, firstTry: 4, hints: 1, seconds: 120, finished: true, ...o });

test('score: 4 of 5 stages at first try is 0.8, raw 80, passed; unfinished never passes', () => {
  assert.deepEqual(scoreOf(R()), { scaled: 0.8, raw: 80, success: true });
  assert.equal(scoreOf(R({ firstTry: 2 })).success, 2 / 5 >= PASS);
  assert.equal(scoreOf(R({ finished: false, firstTry: 5 })).success, false);
});

test('a better result replaces a worse one, a worse never; listeners hear kept results only', () => {
  const st = mapStorage(), s = new ProgressStore(st), heard = [];
  s.onChange(r => heard.push(r.firstTry));
  s.record(R({ firstTry: 2 }));
  s.record(R({ firstTry: 1 }));
  s.record(R({ firstTry: 5 }));
  assert.deepEqual(heard, [2, 5]);
  assert.equal(s.get('mlp').firstTry, 5);
  s.record(R({ seed: 42, firstTry: 3 }));
  assert.equal(s.get(exerciseId('mlp', 42)).firstTry, 3);
  // a new store on the same storage reads them back
  const again = new ProgressStore(st);
  assert.deepEqual(again.all(), s.all());
});

test('serialize and restore round-trip; the text is short enough for SCORM 1.2 suspend_data', () => {
  const s = new ProgressStore();
  for (const panel of ['one-weight', 'chain', 'mlp', 'softmax', 'graph', 'gradcheck', 'losses', 'optimizers']) s.record(R({ panel, at: '2026-12-01T00:00:00.000Z' }));
  const text = s.serialize();
  assert.ok(text.length < 4096, `${text.length} characters`);
  const t = new ProgressStore();
  t.restore(text);
  assert.deepEqual(t.all(), s.all());
});

test('bad results and bad saved text are refused with the field they name', () => {
  assert.throws(() => checkResult(R({ panel: 'perceptron' })), /panel/);
  assert.throws(() => checkResult(R({ firstTry: 6 })), /firstTry/);
  assert.throws(() => checkResult(R({ hints: -1 })), /hints/);
  assert.throws(() => checkResult(R({ seconds: NaN })), /seconds/);
  assert.throws(() => checkResult({ ...R(), extra: 1 }), /unknown field "extra"/);
  assert.throws(() => checkResult(R({ id: 'chain' })), /id/);
  const s = new ProgressStore();
  assert.throws(() => s.restore('{"a":1}'), /list/);
  assert.throws(() => s.restore('[["mlp",null,5,9,0,1,1,"x"]]'), /firstTry/);
  // unreadable storage starts empty instead of failing the page
  assert.deepEqual(new ProgressStore({ getItem: () => 'not json', setItem() {} }).all(), []);
});
