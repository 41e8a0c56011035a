// speech.test.mjs - web/panels/speech.js reads the panels' TeX as words for screen readers, in
// both languages (the words from web/panels/strings.js). Expected texts are written by hand from
// the formulas of the 2-2-2 panel (web/panels/p-mlp.js) and the one-weight panel.
import test from 'node:test';
import assert from 'node:assert/strict';
import { words } from '../../web/panels/speech.js';
import { STRINGS } from '../../web/panels/strings.js';
import { translator } from '../../web/lib/i18n.js';
import { n, np, mat } from '../../web/panels/tex.js';

const say = lang => { const t = translator(STRINGS, lang); return k => t(`sr.${k}`); };

test('a formula row in words: indices apart, operators and numbers spoken, the full-value wrappers dropped', () => {
  const en = say('en');
  assert.equal(words('z^{h}_1 = w_{11}\\,x_1 + w_{21}\\,x_2 + b^{h}_1', en), 'z h 1 equals w 1 1 x 1 plus w 2 1 x 2 plus b h 1');
  assert.equal(words(`= ${n(0.15)} \\cdot ${np(0.05)} + ${n(-0.2)} \\cdot ${np(-16)}`, en), 'equals 0.15 times 0.05 plus minus 0.2 times (minus 16)');
  assert.equal(words('w \\leftarrow w - \\eta\\,\\frac{\\partial L}{\\partial w}', en), 'w becomes w minus eta partial L over partial w');
  assert.equal(words('L = (Y - y)^2', en), 'L equals (Y minus y) squared');
  assert.equal(words('\\delta^{(2)} = \\hat{y} - t', en), 'delta 2 equals y hat minus t');
  assert.equal(words(mat([[1, 2], [3, 4]]), en), 'matrix: row 1: 1, 2; row 2: 3, 4;');
  assert.equal(words('W^T', en), 'W transposed');
  assert.equal(words('y_{\\text{new}}', en), 'y new');
});

test('Russian words come from the Russian dictionary; every sr.* word exists in both', () => {
  assert.equal(words('z_1 = w_{11} \\cdot x_1', say('ru')), 'z 1 равно w 1 1 умножить на x 1');
  const keys = l => Object.keys(STRINGS[l]).filter(k => k.startsWith('sr.')).sort();
  assert.deepEqual(keys('ru'), keys('en'));
  assert.ok(keys('en').length > 30);
});
