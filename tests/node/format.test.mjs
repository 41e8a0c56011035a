// format.test.mjs - numbers in a page's language (web/lib/format.js numberFormats, fixed). The
// expected strings are the conventions of each language as the pages showed them before they shared
// this module (English: point, comma between thousands; Russian: decimal comma, a no-break space
// between thousands and before "%" and the unit, as ICU's ru-RU locale writes them).
import test from 'node:test';
import assert from 'node:assert/strict';
import { numberFormats, fixed } from '../../web/lib/format.js';

const NB = '\u00a0', MINUS = '\u2212';
const en = numberFormats('en'), ru = numberFormats('ru');

test('num(): message parameters, grouped whole numbers, decimal comma in Russian, exponents at the ends', () => {
  assert.equal(en.num(12345), '12,345');
  assert.equal(ru.num(12345), `12${NB}345`);
  assert.equal(en.num(0.5), '0.5');
  assert.equal(ru.num(0.5), '0,5');
  assert.equal(en.num(-0.25), `${MINUS}0.25`);
  assert.equal(ru.num(2.5e-7), '2,5e' + MINUS + '7');
  assert.equal(en.num(1.5e6 + 0.5), '1.5000005e+6');
  assert.equal(en.num(NaN), 'NaN');
});

test('sig() and pct(): significant digits and percentages in each language', () => {
  assert.equal(en.sig(0.314159), '0.3142');
  assert.equal(ru.sig(0.314159), '0,3142');
  assert.equal(en.sig(2.5, 3), '2.5');
  assert.equal(en.sig(NaN), '\u2014');
  assert.equal(ru.sig(-Infinity), `${MINUS}\u221e`);
  assert.equal(en.pct(0.9123), '91.23%');
  assert.equal(ru.pct(0.9123), `91,23${NB}%`);
  assert.equal(en.pct(0.5, 0), '50%');
  assert.equal(en.pct(null), '\u2014');
});

test('fix(), int(), short(): the experiment tables', () => {
  assert.equal(en.fix(0.5), '0.500');
  assert.equal(ru.fix(0.5), '0,500');
  assert.equal(ru.fix(Infinity), '\u221e');
  assert.equal(en.int(60000), '60,000');
  assert.equal(ru.int(60000), `60${NB}000`);
  assert.equal(en.short(0.001), '0.001');
  assert.equal(ru.short(0.001), '0,001');
  assert.equal(en.short(0.00001), '1\u00b710\u207b\u2075', 'below 1e-4: a power of ten');
  assert.equal(en.short(0.1234567), '0.123457', 'at most six decimals');
});

test('sec(), dur(): seconds with the unit of the language, m:ss from a minute', () => {
  assert.equal(en.sec(1.53), `1.5${NB}s`);
  assert.equal(ru.sec(1.53), `1,5${NB}\u0441`);
  assert.equal(en.sec(2, 2), `2.00${NB}s`);
  assert.equal(en.dur(42), `42${NB}s`);
  assert.equal(ru.dur(75), '1:15');
  assert.equal(en.dur(-1), '\u2014');
});

test('tick(): chart ticks and legend values, decimal comma in Russian', () => {
  assert.equal(en.tick(0.25), '0.25');
  assert.equal(ru.tick(0.25), '0,25');
  assert.equal(en.tick(0.123456, 4), '0.1235');
  assert.equal(ru.tick(12345), '1,2e+4');
  assert.equal(en.tick(0.0005), '5.0e-4');
  assert.equal(en.tick(0), '0');
  assert.equal(en.tick(null), '');
});

test('fixed(): plain text for Markdown and files, the same in every language', () => {
  assert.equal(fixed(0.91234, 2), '0.91');
  assert.equal(fixed(NaN, 1), '\u2014');
});

test('an unknown language is English; the language is reported', () => {
  assert.equal(numberFormats('de').lang, 'en');
  assert.equal(numberFormats('de').num(0.5), '0.5');
  assert.equal(ru.lang, 'ru');
});
