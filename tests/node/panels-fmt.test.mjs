// panels-fmt.test.mjs - the panels' pure modules: number formatting (web/lib/format.js), TeX snippets
// (web/panels/tex.js) and the strings of both languages (web/panels/strings.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { full, sig, roundSig, texNum, parseNum, negateText, argmax, isFloat32 } from '../../web/lib/format.js';
import { n, vec, mat, dActSub } from '../../web/panels/tex.js';
import { STRINGS } from '../../web/panels/strings.js';
import { translator } from '../../web/lib/i18n.js';

test('full(): the double\'s shortest decimal (the panels compute in double); single: the float32\'s', () => {
  assert.equal(full(0.29102777369359933), '0.29102777369359933', 'tells the true value from the post\'s 0.291027924');
  assert.equal(full(Math.fround(3.16)), '3.1600000858306885', 'a float32 value as the double it is');
  assert.equal(full(Math.fround(3.16), { single: true }), '3.16');
  assert.equal(full(Math.fround(0.298371109), { single: true }), '0.2983711');
  assert.equal(full(-16), '-16');
  assert.equal(full(Math.fround(-2.2351741790771484e-8), { single: true }), '-2.2351742e-8');
  assert.equal(full(0.40333332618077594, { single: true }), '0.40333332618077594', 'a double keeps its own digits');
  assert.equal(full(-0), '0');
  for (const x of [0.1, 1 / 3, 123456.789, 1e-30, 7e20]) {
    const f = Math.fround(x);
    assert.equal(Math.fround(Number(full(f, { single: true }))), f, `${x} round-trips`);
    assert.equal(Number(full(x)), x, `${x} round-trips as a double`);
    assert.ok(isFloat32(f));
  }
});

test('sig(): the shortest decimal rounded half away from zero, as by hand (issue #12)', () => {
  assert.equal(sig(0.540625), '0.54063', 'the double is 0.54062499999999997; by hand the tie goes up');
  assert.equal(sig(-4.36995), '\u22124.37');
  assert.equal(sig(0.4), '0.4');
  assert.equal(sig(0.39999485), '0.39999');
  assert.equal(sig(9.99995e-5), '0.0001', 'rounding up crosses into the plain range');
  assert.equal(roundSig(-2.5, 1), -3);
  assert.equal(roundSig(0.999995, 5), 1);
});

test('sig(): 5 significant digits, trailing zeros dropped, a real minus sign, exponents for tiny values', () => {
  assert.equal(sig(Math.fround(3.16)), '3.16');
  assert.equal(sig(-16), '\u221216');
  assert.equal(sig(0.298371109), '0.29837');
  assert.equal(sig(Math.fround(0.59326999)), '0.59327');
  assert.equal(sig(1.5e-8), '1.5e\u22128');
  assert.equal(sig(0), '0');
  assert.equal(sig(1e6), '1e6');
  assert.equal(sig(999999.4), '1e6', 'rounding up to 1e6 stays readable');
  assert.equal(sig(0.0001), '0.0001');
  assert.equal(sig(2.5, 3), '2.5');
});

test('texNum() and n(): TeX numbers, negatives in parentheses after an operator, the full value attached', () => {
  assert.equal(texNum(-16), '-16');
  assert.equal(texNum(-16, { paren: true }), '\\left(-16\\right)');
  assert.equal(texNum(2.5e-9), '2.5 \\cdot 10^{-9}');
  assert.equal(n(3.16), '\\htmlData{full=3.16}{3.16}');
  assert.equal(vec([1, 2]), '\\begin{pmatrix}\\htmlData{full=1}{1} \\\\ \\htmlData{full=2}{2}\\end{pmatrix}');
  assert.match(mat([[1, -2], [3, 4]]), /^\\begin\{pmatrix\}.* & .*\\\\.*\\end\{pmatrix\}$/);
  assert.match(dActSub('sigmoid', 0.3775, 0.5), /\(1 - \\htmlData\{full=0\.5\}\{0\.5\}\)/);
});

test('parseNum(): a point or a comma, a minus, an exponent; the reason when refused', () => {
  assert.deepEqual(parseNum(' 0,5 '), { ok: true, value: 0.5 });
  assert.deepEqual(parseNum('-1e-3'), { ok: true, value: -0.001 });
  assert.deepEqual(parseNum('\u22122'), { ok: true, value: -2 });
  assert.deepEqual(parseNum('.5'), { ok: true, value: 0.5 });
  assert.equal(parseNum('').reason, 'empty');
  assert.equal(parseNum('abc').reason, 'nan');
  assert.equal(parseNum('1..2').reason, 'nan');
  assert.equal(parseNum('0x10').reason, 'nan');
  assert.equal(parseNum('1e999').reason, 'inf');
  assert.equal(negateText('0.7'), '-0.7');
  assert.equal(negateText('-0.7'), '0.7');
  assert.equal(negateText('+2'), '-2');
  assert.equal(argmax([0.1, 0.7, 0.2]), 1);
  assert.equal(argmax([0.3, 0.4, 0.3]), 1);
});

test('strings: English and Russian have the same keys, the same {placeholders} and the same number of $…$ formulas', () => {
  const { en, ru } = STRINGS;
  assert.deepEqual(Object.keys(ru).sort(), Object.keys(en).sort());
  // t()'s placeholders: {name} not attached to a TeX command, index or group (\text{...}, x_{k}, ^{t})
  const ph = s => (s.match(/(?<![A-Za-z_^}\\])\{[a-z]\w*\}/g) || []).sort();
  const dollars = s => (s.match(/\$/g) || []).length;
  for (const k of Object.keys(en)) {
    assert.deepEqual(ph(ru[k]), ph(en[k]), `placeholders of ${k}`);
    assert.equal(dollars(ru[k]), dollars(en[k]), `formulas of ${k}`);
    assert.equal(dollars(en[k]) % 2, 0, `unbalanced $ in ${k}`);
  }
  const t = translator(STRINGS, 'ru');
  assert.equal(t('stage.of', { k: 2, n: 4, name: 'ошибка' }), 'Этап 2 из 4: ошибка');
  assert.equal(translator(STRINGS, 'en')('missing.key'), 'missing.key');
});

test('strings: every key the panels ask for by name exists (English and Russian)', async () => {
  const fs = await import('node:fs');
  const dir = new URL('../../web/panels/', import.meta.url);
  const { LMS_STRINGS } = await import('../../web/ui/lms-strings.js');
  let n = 0;
  for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.js') && f !== 'strings.js')) {
    const src = fs.readFileSync(new URL(f, dir), 'utf8');
    // a module with a translator of the course-reporting strings (scorm-button.js) asks that table
    const { en, ru } = /\bLMS_STRINGS\b/.test(src) ? LMS_STRINGS : STRINGS;
    for (const [, key] of src.matchAll(/\bt\('([\w.]+)'/g)) {
      n++;
      assert.ok(key in en, `${f}: t('${key}') has no English string`);
      assert.ok(key in ru, `${f}: t('${key}') has no Russian string`);
    }
  }
  assert.ok(n > 100, `found the panels' t() calls (${n})`);
});
