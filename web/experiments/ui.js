// ui.js - small DOM helpers of the experiment page: element building (web/dom.js's h, re-exported),
// downloads. Numbers in the page's language: web/lib/format.js numberFormats(lang).

import { h } from '../ui/dom.js';

/** h('div', {class: 'x', onclick: fn}, child, 'text', [children]): web/dom.js's element builder. */
export { h };

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
