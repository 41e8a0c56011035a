// answer-check.js - reading a number a student typed in an exercise and deciding whether it is right
// (issue #14). No DOM. The rule for hand work: a value is right when it equals the true value rounded
// to the number of significant digits the student typed, at least MIN_DIGITS ("0.5933" is checked to
// 4 digits, "0.6" to 3: right only when the true value rounds to 0.600; the trailing zeros of a whole
// number are not counted: "1000" is checked to 3). Accepted: a sign (also the
// Unicode minus), a decimal point, an exponent (5.933e-1), and with {comma: true} (a Russian page) a
// decimal comma. A typed zero is right only when the true value is zero (to 1e-12).
import { roundSig, parseNum } from './format.js';

export const MIN_DIGITS = 3;
const MAX_DIGITS = 17;
const ZERO = 1e-12;

/**
 * The typed text as {ok: true, value, digits, zero} (digits: the significant digits typed, trailing
 * zeros of a decimal included: "0.50" has 2, "100" has 1, "100." 3) or {ok: false, reason: 'empty' | 'nan'}.
 */
export function parseAnswer(text, { comma = false } = {}) {
  const s = String(text ?? '').replace(/\s+/g, '');
  // the page's number grammar (format.js parseNum); a comma is a decimal comma only where it can be one
  const n = parseNum(s, { comma: comma && /^[^.]*,[^,.]*$/.test(s) });
  if (!n.ok) return { ok: false, reason: n.reason === 'empty' ? 'empty' : 'nan' };
  const m = /^[+\-\u2212]?(\d*)(?:[.,](\d*))?/.exec(s);
  // a whole number's trailing zeros are not counted ("1000" may be rounded): "1000." or "1.000e3" counts them
  const whole = m[2] === undefined ? m[1].replace(/0+$/, '') : m[1];
  const digits = `${whole}${m[2] || ''}`.replace(/^0+/, '');
  return { ok: true, value: n.value, digits: digits.length, zero: digits.length === 0 };
}

/** How many significant digits a value typed with `digits` is checked to. */
export const digitsUsed = digits => Math.min(MAX_DIGITS, Math.max(MIN_DIGITS, digits));

/** Whether a parsed answer equals `truth` to the digits typed (at least MIN_DIGITS). */
export function agrees(answer, truth) {
  if (!answer || !answer.ok || !Number.isFinite(truth)) return false;
  if (answer.zero) return Math.abs(truth) <= ZERO;
  return roundSig(truth, digitsUsed(answer.digits)) === roundSig(answer.value, digitsUsed(answer.digits));
}

/**
 * The check of one field: {ok: false, reason} when the text is not a number, else {ok: true, right,
 * value, digits: the digits it was checked to}.
 */
export function checkAnswer(text, truth, opts = {}) {
  const a = parseAnswer(text, opts);
  if (!a.ok) return a;
  return { ok: true, right: agrees(a, truth), value: a.value, digits: digitsUsed(a.digits) };
}
