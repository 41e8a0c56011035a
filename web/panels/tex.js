// tex.js - TeX snippets with the core's numbers put in. Pure string building (tested in Node).
import { full, texNum } from '../lib/format.js';
import { ALPHA_DEFAULTS } from '../lib/core-tables.js';

/** A number in a formula, its full value attached (the tooltip). paren: wrap negatives. */
export function n(x, paren = false, p = 5) {
  if (typeof x !== 'number') return String(x);
  return `\\htmlData{full=${full(x)}}{${texNum(x, { p, paren })}}`;
}
/** A negative-safe number after an operator: 0.01 \cdot (-16). */
export const np = x => n(x, true);

/** A column vector of numbers. */
export function vec(v) { return `\\begin{pmatrix}${v.map(x => n(x)).join(' \\\\ ')}\\end{pmatrix}`; }
/** A row vector (a transposed column). */
export function rowv(v) { return `\\begin{pmatrix}${v.map(x => n(x)).join(' & ')}\\end{pmatrix}`; }
/** A matrix given as rows. */
export function mat(m) { return `\\begin{pmatrix}${m.map(r => r.map(x => n(x)).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`; }

/** The activation applied to an argument, in the course's symbols. */
export function actApply(act, arg) {
  switch (act) {
    case 'sigmoid': return `\\sigma(${arg})`;
    case 'tanh': return `\\tanh(${arg})`;
    case 'relu': return `\\operatorname{ReLU}(${arg})`;
    case 'leaky_relu': return `\\operatorname{LReLU}(${arg})`;
    case 'elu': return `\\operatorname{ELU}(${arg})`;
    case 'step': return `\\operatorname{step}(${arg})`;
    case 'softmax': return `\\operatorname{softmax}(${arg})`;
    default: return arg;
  }
}

/** The activation's derivative written with the symbols a = f(z) and z. */
export function dActSym(act, z, a) {
  switch (act) {
    case 'sigmoid': return `${a}\\,(1 - ${a})`;
    case 'tanh': return `(1 - {${a}}^2)`;
    case 'relu': return `\\mathbf{1}[${z} > 0]`;
    case 'leaky_relu': return `(\\mathbf{1}[${z} > 0] + \\alpha\\,\\mathbf{1}[${z} \\le 0])`;
    case 'elu': return `(\\mathbf{1}[${z} > 0] + (${a} + \\alpha)\\,\\mathbf{1}[${z} \\le 0])`;
    case 'identity': return '1';
    default: return `f'(${z})`;
  }
}

/** The derivative with the numbers put in (the value itself is left to the core's delta). */
export function dActSub(act, z, a, alpha) {
  switch (act) {
    case 'sigmoid': return `${n(a)}\\,(1 - ${np(a)})`;
    case 'tanh': return `(1 - ${np(a)}^2)`;
    case 'relu': return `\\mathbf{1}[${n(z)} > 0]`;
    case 'leaky_relu': return `(\\mathbf{1}[${n(z)} > 0] + ${n(alpha)}\\,\\mathbf{1}[${n(z)} \\le 0])`;
    case 'elu': return `(\\mathbf{1}[${n(z)} > 0] + (${n(a)} + ${n(alpha)})\\,\\mathbf{1}[${n(z)} \\le 0])`;
    case 'identity': return '1';
    default: return `f'(${n(z)})`;
  }
}

/** Default alpha of an activation (the core's defaults: Leaky ReLU 0.01, ELU 1). */
export function alphaOf(act) { return ALPHA_DEFAULTS[act] ?? 0; }

/** Sum of products "a_1 b_1 + a_2 b_2 + ..." with the numbers put in. */
export function dot(as, bs) { return as.map((a, i) => `${np(a)} \\cdot ${np(bs[i])}`).join(' + '); }
