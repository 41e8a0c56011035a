// i18n.test.mjs - the one translator (web/lib/i18n.js): the Russian plural rule, the order of
// language choice, placeholders, numbers and fallbacks; and every page's dictionaries (training,
// panels, experiments, bench, the shell) have the same keys in English and Russian.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ruPlural, enPlural, pickLanguage, translator, missingKeys, LANGUAGES } from '../../web/lib/i18n.js';
import { DICTIONARIES as TRAINING } from '../../web/training/strings.js';
import { STRINGS as PANELS } from '../../web/panels/strings.js';
import { STRINGS as EXPERIMENTS } from '../../web/experiments/strings.js';
import { STRINGS as BENCH } from '../../web/bench/strings.js';
import { SHELL_STRINGS } from '../../web/ui/shell-strings.js';
import { CODE_STRINGS } from '../../web/ui/code-strings.js';

const NB = '\u00a0';

test('ruPlural(): one / few / many as Russian grammar has them (1 запуск, 2 запуска, 5 запусков)', () => {
  const form = n => ruPlural(n, 'запуск', 'запуска', 'запусков');
  // expected values: the rule of Russian grammar (one: ends in 1 but not 11; few: ends in 2-4 but not 12-14)
  const cases = { 0: 'запусков', 1: 'запуск', 2: 'запуска', 4: 'запуска', 5: 'запусков', 11: 'запусков', 12: 'запусков',
    14: 'запусков', 21: 'запуск', 22: 'запуска', 25: 'запусков', 101: 'запуск', 111: 'запусков', 112: 'запусков', 1001: 'запуск' };
  for (const [n, want] of Object.entries(cases)) assert.equal(form(Number(n)), want, `n = ${n}`);
  assert.equal(enPlural(1, 'run', 'runs'), 'run');
  assert.equal(enPlural(0, 'run', 'runs'), 'runs');
});

test('the plural rule and the translator exist once: no page module defines its own', () => {
  const root = new URL('../../web/', import.meta.url);
  const files = fs.readdirSync(root, { recursive: true }).filter(f => /\.(js|html)$/.test(f) && !f.startsWith('vendor') && !f.startsWith('build'));
  assert.ok(files.length > 30, `read the web folder (${files.length} files)`);
  for (const f of files) {
    if (f === 'lib/i18n.js') continue;
    const src = fs.readFileSync(new URL(f, root), 'utf8');
    assert.ok(!/%\s*100\b/.test(src) || !/%\s*10\b/.test(src), `${f}: a plural rule (n % 10, n % 100)`);
    assert.ok(!/function (makeT|translator|detectLanguage)\b/.test(src), `${f}: a translator of its own`);
    assert.ok(!/navigator\.languages?\b/.test(src) || f === 'ui/shell.js', `${f}: chooses the language itself`);
  }
});

test('pickLanguage(): ?lang, then the saved choice, then navigator.languages, then English', () => {
  assert.equal(pickLanguage({ query: 'ru', saved: 'en', languages: ['en-US'] }), 'ru', 'the URL first');
  assert.equal(pickLanguage({ query: null, saved: 'ru', languages: ['en-US'] }), 'ru', 'then the saved choice');
  assert.equal(pickLanguage({ query: 'de', saved: 'ru', languages: ['en'] }), 'ru', 'an unknown ?lang is skipped');
  assert.equal(pickLanguage({ languages: ['de-DE', 'ru-RU', 'en'] }), 'ru', 'the first browser language the pages have, by primary subtag');
  assert.equal(pickLanguage({ languages: ['en-GB', 'ru'] }), 'en');
  assert.equal(pickLanguage({ languages: ['RU'] }), 'ru', 'case does not matter');
  assert.equal(pickLanguage({ query: 'ru-RU', languages: ['en'] }), 'en', '?lang takes exactly en or ru');
  assert.equal(pickLanguage({ languages: ['de', 'fr'] }), 'en', 'English when nothing matches');
  assert.equal(pickLanguage(), 'en');
  assert.deepEqual([...LANGUAGES], ['en', 'ru']);
});

test('translator(): placeholders, numbers in the language (raw as nameN), functions, fallbacks', () => {
  const dicts = {
    en: { hi: 'Hello, {name}', lr: 'η = {lr}', n: p => `${p.n} ${enPlural(p.nN, 'run', 'runs')}`, only: 'English only' },
    ru: { hi: 'Привет, {name}', lr: 'η = {lr}', n: p => `${p.n} ${ruPlural(p.nN, 'запуск', 'запуска', 'запусков')}` },
  };
  const en = translator(dicts, 'en'), ru = translator(dicts, 'ru');
  assert.equal(ru('hi', { name: 'Мир' }), 'Привет, Мир');
  assert.equal(ru('lr', { lr: 0.5 }), 'η = 0,5', 'Russian decimal comma');
  assert.equal(en('lr', { lr: 0.5 }), 'η = 0.5');
  assert.equal(ru('n', { n: 1021 }), `1${NB}021 запуск`, 'grouped for reading, plural from the raw number');
  assert.equal(en('n', { n: 1 }), '1 run');
  assert.equal(ru('only'), 'English only', 'missing in Russian: English');
  assert.equal(ru('nowhere'), 'nowhere', 'missing everywhere: the key');
  assert.equal(ru('nowhere', {}, 'fallback'), 'fallback');
  assert.equal(en('hi'), 'Hello, {name}', 'a parameter not given stays visible');
  assert.equal(translator(dicts, 'de').lang, 'en', 'an unknown language is English');
  assert.equal(ru.lang, 'ru');
});

test('every page\'s dictionaries: English and Russian have the same keys, and the same placeholders', () => {
  const pages = { training: TRAINING, panels: PANELS, experiments: EXPERIMENTS, bench: BENCH, shell: SHELL_STRINGS, code: CODE_STRINGS };
  for (const [name, dicts] of Object.entries(pages)) {
    assert.deepEqual(Object.keys(dicts).sort(), ['en', 'ru'], `${name}: both languages`);
    assert.deepEqual(missingKeys(dicts), { en: [], ru: [] }, `${name}: the same keys`);
    for (const k of Object.keys(dicts.en)) {
      const ph = v => (typeof v === 'string' ? (v.match(/(?<![\p{L}_^}\\])\{[a-z]\w*\}/giu) || []).sort() : null);
      if (typeof dicts.en[k] === 'string' && typeof dicts.ru[k] === 'string') assert.deepEqual(ph(dicts.ru[k]), ph(dicts.en[k]), `${name}: placeholders of ${k}`);
    }
  }
  assert.deepEqual(missingKeys({ en: { a: 1, b: 1 }, ru: { a: 1 } }), { en: [], ru: ['b'] }, 'the check finds a missing key');
});
