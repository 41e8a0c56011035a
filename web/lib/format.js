// fmt.js - how the panels write numbers. Pure functions (no DOM, no core), tested in Node
// (tests/node/panels-fmt.test.mjs). Formatting only: rounding for display, never arithmetic whose
// result is shown as a value of the network.

const MINUS = '\u2212';

/** True when x is exactly a float32 value (everything the core returns except double means). */
export function isFloat32(x) { return Math.fround(x) === x; }

/**
 * The full value of a number as text: the shortest decimal that reads back as the same float32
 * for float32 values (3.16, not 3.1600000858306885), otherwise the double's own shortest form.
 */
export function full(x) {
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Object.is(x, -0)) return '0';
  if (isFloat32(x)) {
    for (let p = 1; p <= 9; p++) {
      const s = x.toPrecision(p);
      if (Math.fround(Number(s)) === x) return String(Number(s));
    }
  }
  return String(x);
}

/** Mantissa and exponent strings of x at p significant digits, trailing zeros dropped. */
function parts(x, p) {
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
