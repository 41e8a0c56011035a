// i18n.js - translation for every page: the translator, the Russian plural rule and the order in
// which a page chooses its language. No DOM: the page side (the URL, localStorage, the switch) is
// web/ui/shell.js; the words are in one dictionary module per page (web/*/strings.js).
// Tested in Node: tests/node/i18n.test.mjs.

import { numberFormats } from './format.js';

/** The languages of the pages, English first (the fallback). */
export const LANGUAGES = Object.freeze(['en', 'ru']);

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES = Object.freeze({ en: 'English', ru: 'Русский' });

/**
 * The Russian plural form for n: one (1, 21, 101), few (2-4, 22-24), many (0, 5-20, 11-14, 25).
 * n is a whole number (a count); dictionaries call it with the raw number (params.nameN).
 */
export function ruPlural(n, one, few, many) {
  const m10 = n % 10, m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/** The English plural form for n: one for exactly 1, else many. */
export const enPlural = (n, one, many) => (n === 1 ? one : many);

/** The page's language from its tag or null: 'ru-RU' -> 'ru', 'EN' -> 'en', 'de' -> null. */
function known(tag) {
  if (tag == null) return null;
  const base = String(tag).trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(base) ? base : null;
}

/**
 * The language a page shows, in one order everywhere: `?lang=` of the URL (query), then the
 * choice saved when the reader last switched (saved), then the first of the browser's languages
 * (languages: navigator.languages) whose primary subtag the pages have, then English.
 */
export function pickLanguage({ query = null, saved = null, languages = [] } = {}) {
  const q = known(query);
  if (q && String(query).toLowerCase() === q) return q;   // ?lang= takes exactly 'en' or 'ru'
  const s = known(saved);
  if (s && String(saved).toLowerCase() === s) return s;
  for (const l of languages || []) {
    const b = known(l);
    if (b) return b;
  }
  return 'en';
}

/**
 * t(key, params, fallback) for one language of a page's dictionaries ({en: {...}, ru: {...}}).
 * An entry is a string with {name} placeholders or a function of the parameters. A number among
 * the parameters is written in the language (numberFormats(lang).num: "12 345", "0,5") and also
 * passed raw as name + 'N' (for plural rules and comparisons). A key missing in the language is
 * taken from English; missing there too: the fallback if given, else the key itself.
 * t.lang is the language used.
 */
export function translator(dictionaries, lang) {
  const l = dictionaries[lang] ? lang : 'en';
  const dict = dictionaries[l], en = dictionaries.en || {};
  const { num } = numberFormats(l);
  const t = (key, params, fallback) => {
    const entry = dict[key] ?? en[key];
    if (entry == null) return fallback != null ? fallback : key;
    const p = {};
    for (const [k, v] of Object.entries(params || {})) {
      if (typeof v === 'number') { p[k] = num(v); p[k + 'N'] = v; } else p[k] = v;
    }
    if (typeof entry === 'function') return entry(p);
    return entry.replace(/\{(\w+)\}/g, (m, k) => (p[k] != null ? String(p[k]) : m));
  };
  t.lang = l;
  return t;
}

/** Keys that one language of a dictionary set has and another lacks: {missing: {ru: [...], en: [...]}}; for tests. */
export function missingKeys(dictionaries) {
  const langs = Object.keys(dictionaries);
  const all = new Set(langs.flatMap(l => Object.keys(dictionaries[l])));
  const out = {};
  for (const l of langs) out[l] = [...all].filter(k => !(k in dictionaries[l])).sort();
  return out;
}
