// format.js - how the pages write numbers, and parseNum() that reads them. Pure functions (no DOM,
// no core), tested in Node (tests/node/format.test.mjs, tests/node/panels-fmt.test.mjs). Formatting
// only: rounding for display, never arithmetic whose result is shown as a value of the network.
// Two families: the panels' precision rules (full, sig, texNum: language-free, a point as the
// decimal sign, as in the course's formulas) and numberFormats(lang): numbers in a page's text, in
// its language (Russian: decimal comma, a space between thousands and before "%").

const MINUS = '\u2212';

/** True when x is exactly a float32 value (what the float builds of the core return). */
export function isFloat32(x) { return Math.fround(x) === x; }

/**
 * The full value of a number as text: the double's shortest decimal that reads back as the same
 * double (the panels compute in double: 0.29102777369359933 tells the true value from 0.291027924).
 * single: the shortest decimal that reads back as the same float32 (3.16, not 3.1600000858306885),
 * for float32 values.
 */
export function full(x, { single = false } = {}) {
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Object.is(x, -0)) return '0';
  if (single && isFloat32(x)) {
    for (let p = 1; p <= 9; p++) {
      const s = x.toPrecision(p);
      if (Math.fround(Number(s)) === x) return String(Number(s));
    }
  }
  return String(x);
}

/**
 * x rounded to p significant digits as a person rounds its decimal: the double's shortest decimal
 * (what full() shows), half away from zero: 0.540625 -> 0.54063, -4.36995 -> -4.37 (toPrecision rounds
 * the binary value, 0.54062499999999997, down).
 */
export function roundSig(x, p) {
  if (x === 0 || !Number.isFinite(x)) return x;
  const [m, e] = Math.abs(x).toExponential().split('e');
  const d = m.replace('.', '');
  if (d.length <= p) return x;
  const digits = d.slice(0, p).split('').map(Number);
  if (d.charCodeAt(p) >= 53) {              // '5'..'9': up, away from zero
    let i = p - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i >= 0) digits[i]++; else digits.unshift(1);
  }
  const exp = Number(e) + (digits.length > p ? 1 : 0);
  const r = Number(`${digits[0]}.${digits.slice(1, p).join('')}e${exp}`);
  return x < 0 ? -r : r;
}

/** Mantissa and exponent strings of x at p significant digits, trailing zeros dropped. */
function parts(x, p) {
  x = roundSig(x, p);
  if (x === 0 || Object.is(x, -0)) return { plain: '0' };
  if (!Number.isFinite(x)) return { plain: Number.isNaN(x) ? 'NaN' : (x > 0 ? '\u221e' : MINUS + '\u221e') };
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) {
    let s = x.toPrecision(p);
    if (!s.includes('e')) {          // (toPrecision chooses the exponent form when rounding reaches 1e6)
      if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
      return { plain: s };
    }
  }
  const [m, e] = x.toExponential(p - 1).split('e');
  const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  return { mant, exp: String(Number(e)) };
}

/** x to p (default 5) significant digits as plain text with a real minus sign: "3.16", "−16", "1.5e−8". */
export function sig(x, p = 5) {
  const r = parts(x, p);
  const s = r.plain != null ? r.plain : `${r.mant}e${r.exp}`;
  return s.replace(/-/g, MINUS);
}

/** x as TeX: "3.16", "-16", "1.5 \cdot 10^{-8}"; paren: wrap negatives in parentheses (after an operator). */
export function texNum(x, { p = 5, paren = false } = {}) {
  const r = parts(x, p);
  let s = r.plain != null ? r.plain.replace('\u221e', '\\infty').replace(MINUS, '-') : `${r.mant} \\cdot 10^{${r.exp}}`;
  const neg = s.startsWith('-');
  if (paren && (neg || r.plain == null)) s = `\\left(${s}\\right)`;
  return s;
}

/**
 * Reads a number typed by a person: "0.5", "0,5", "-1e-3", " 2 ", "+3", "−1" (a real minus).
 * Returns {ok: true, value} or {ok: false, reason: 'empty' | 'nan' | 'inf'}; the caller turns the
 * reason into words. NaN, Infinity, hex and "1e999" are refused. comma: false refuses a decimal
 * comma (in a URL a comma separates list items).
 */
export function parseNum(text, { comma = true } = {}) {
  let s = String(text).trim().replace(/\u2212/g, '-');
  if (comma) s = s.replace(',', '.');
  if (s === '') return { ok: false, reason: 'empty' };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return { ok: false, reason: 'nan' };
  const v = Number(s);
  if (!Number.isFinite(v)) return { ok: false, reason: 'inf' };
  return { ok: true, value: v };
}

/** Flips the sign of a typed number as text ("0.7" -> "-0.7", "-0.7" -> "0.7"): b = -theta without arithmetic. */
export function negateText(text) {
  const s = String(text).trim().replace(/\u2212/g, '-');
  if (s.startsWith('-')) return s.slice(1);
  if (s.startsWith('+')) return '-' + s.slice(1);
  return '-' + s;
}

/** Index of the largest entry (first on ties): used to read a predicted class, no arithmetic. */
export function argmax(row) {
  let k = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[k]) k = i;
  return k;
}

// ---------------------------------------------------------------- numbers in a page's language

const LOCALES = { en: 'en-US', ru: 'ru-RU' };
const DASH = '\u2014';
const NBSP = '\u00a0';
const SUP = { '-': '\u207b', 0: '\u2070', 1: '\u00b9', 2: '\u00b2', 3: '\u00b3', 4: '\u2074', 5: '\u2075', 6: '\u2076', 7: '\u2077', 8: '\u2078', 9: '\u2079' };
const sup = e => String(e).split('').map(c => SUP[c] || c).join('');

// Intl.NumberFormat objects are costly to make (chart ticks and legends format many numbers per
// redraw while training): one per language and option set, made when first asked for.
const intlCache = new Map();
function intl(lang, key, opts) {
  const k = `${lang}|${key}`;
  let f = intlCache.get(k);
  if (!f) intlCache.set(k, f = new Intl.NumberFormat(LOCALES[lang] || LOCALES.en, opts));
  return f;
}

/** v with d decimals as plain text, point as the decimal sign (Markdown tables, CSV-like text); "—" if not finite. */
export function fixed(v, d) { return Number.isFinite(v) ? v.toFixed(d) : DASH; }

/**
 * The number formatters of one language ('en' or 'ru'; anything else is English). Each returns
 * text; a missing or non-finite value shows as "—" (or "∞" where said).
 */
export function numberFormats(lang) {
  lang = LOCALES[lang] ? lang : 'en';
  const ru = lang === 'ru';
  const dec = (min, max) => intl(lang, `f${min}/${max}`, { minimumFractionDigits: min, maximumFractionDigits: max });
  const comma = s => (ru ? s.replace('.', ',') : s);
  return {
    lang,
    /** A parameter of a message: 12 345 (grouped whole numbers), 0,5; 1e−5 below 1e-4 or from 1e6. */
    num(v) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
      if (Number.isInteger(v) && Math.abs(v) < 1e15) return intl(lang, 'int', { maximumFractionDigits: 0 }).format(v);
      const s = Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6 ? v.toExponential() : String(v);
      return comma(s).replace(/-/g, MINUS);
    },
    /** v to `digits` significant figures (losses): 0.3142, 0,3142. */
    sig(v, digits = 4) {
      if (v == null || Number.isNaN(v)) return DASH;
      if (!Number.isFinite(v)) return v > 0 ? '\u221e' : MINUS + '\u221e';
      return intl(lang, `s${digits}`, { maximumSignificantDigits: digits }).format(v);
    },
    /** A fraction as a percentage with `digits` decimals: 0.9123 -> "91.23%", "91,23 %". */
    pct(v, digits = 2) {
      if (v == null || !Number.isFinite(v)) return DASH;
      return intl(lang, `p${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
    },
    /** Exactly d decimals: 0.500, 0,500; Infinity as "∞". */
    fix: (v, d = 3) => (Number.isFinite(v) ? dec(d, d).format(v) : v === Infinity ? '\u221e' : DASH),
    /** A whole number, grouped: 60,000, 60 000. */
    int: v => (Number.isFinite(v) ? dec(0, 0).format(v) : DASH),
    /** As short as it goes (learning rates): 0.001, 0,001, below 1e-4 as 1·10⁻⁵. */
    short: v => (!Number.isFinite(v) ? DASH
      : v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential().replace('e', '\u00b710^').replace(/\^\+?(-?\d+)$/, (m, e) => sup(e))
        : dec(0, 6).format(v)),
    /** Seconds with d decimals and the unit: 1.5 s, 1,5 с. */
    sec: (v, d = 1) => (Number.isFinite(v) ? `${dec(d, d).format(v)}${NBSP}${ru ? '\u0441' : 's'}` : DASH),
    /** A duration: "42 s" under a minute, else m:ss. */
    dur(v) {
      if (!Number.isFinite(v) || v < 0) return DASH;
      const s = Math.round(v), m = Math.floor(s / 60);
      return m ? `${m}:${String(s % 60).padStart(2, '0')}` : `${s}${NBSP}${ru ? '\u0441' : 's'}`;
    },
    /** A chart's tick or legend value to p significant digits: 0.25, 0,25; 1.2e-5 outside 1e-3 ... 1e4. */
    tick(v, p = 3) {
      if (v == null || !Number.isFinite(v)) return '';
      if (v === 0) return '0';
      const a = Math.abs(v);
      return comma(a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(p))));
    },
  };
}
