// ui.js - small DOM helpers of the experiment page: element building (web/dom.js's h, re-exported),
// number formatting in the page's language, downloads.

import { h } from '../ui/dom.js';

/** h('div', {class: 'x', onclick: fn}, child, 'text', [children]): web/dom.js's element builder. */
export { h };

/** Number formatting in the page's language (Russian: decimal comma). */
export function formatters(lang) {
  const loc = lang === 'ru' ? 'ru-RU' : 'en-US';
  const cache = {};
  const nf = (min, max) => (cache[`${min}/${max}`] ||= new Intl.NumberFormat(loc, { minimumFractionDigits: min, maximumFractionDigits: max }));
  const dash = '—';
  return {
    /** 0.9123 -> "91.23 %" */
    pct: (v, d = 2) => (Number.isFinite(v) ? `${nf(d, d).format(100 * v)}\u00a0%` : dash),
    /** seconds */
    sec: (v, d = 1) => (Number.isFinite(v) ? `${nf(d, d).format(v)}\u00a0${lang === 'ru' ? 'с' : 's'}` : dash),
    /** a plain number with d decimals */
    fix: (v, d = 3) => (Number.isFinite(v) ? nf(d, d).format(v) : v === Infinity ? '∞' : dash),
    /** a number as short as it goes (learning rates: 0.001) */
    num: v => (!Number.isFinite(v) ? dash : v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential().replace('e', '·10^').replace(/\^\+?(-?\d+)$/, (m, e) => sup(e)) : nf(0, 6).format(v)),
    int: v => (Number.isFinite(v) ? nf(0, 0).format(v) : dash),
    /** duration m:ss */
    dur: v => {
      if (!Number.isFinite(v) || v < 0) return dash;
      const s = Math.round(v), m = Math.floor(s / 60);
      return m ? `${m}:${String(s % 60).padStart(2, '0')}` : `${s}\u00a0${lang === 'ru' ? 'с' : 's'}`;
    },
  };
}

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const sup = e => String(e).split('').map(c => SUP[c] || c).join('');

/** Offers a Blob (or a string) as a download. */
export function download(data, name, type = 'text/plain') {
  const blob = data instanceof Blob ? data : new Blob([data], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** A canvas as a PNG download. */
export function downloadCanvas(canvas, name) {
  return new Promise(resolve => canvas.toBlob(b => { if (b) download(b, name, 'image/png'); resolve(b); }, 'image/png'));
}

/** Escapes text for a file name. */
export const fileSafe = s => String(s).replace(/[^\w.-]+/g, '_');
