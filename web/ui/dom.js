// dom.js - the element builder the page modules share (web/panels/ui.js and web/experiments/ui.js
// re-export it): h(tag, attrs, ...kids) and append(el, kids). No other DOM helpers here.

const SVG_NS = 'http://www.w3.org/2000/svg';
const FORM_VALUE = new Set(['input', 'select', 'textarea']);
const FORM_FLAG = new Set(['checked', 'disabled', 'selected']);

/**
 * A DOM element: h('div', {class: 'x', onclick: fn, 'data-key': 'k'}, child, 'text', [children]).
 * - tag 'svg:NAME' makes an SVG element;
 * - attrs: null/undefined/false are left out; on* with a function adds a listener; text sets the
 *   text, html the inner HTML; true gives an empty attribute; anything else becomes an attribute;
 * - form state (value of input/select/textarea; checked, disabled, selected) is set as the property,
 *   so it holds whatever the order of building, and, where HTML has one, as the attribute too (the
 *   default state: a form reset and attribute selectors see it);
 * - kids: nodes, strings and numbers (as text), arrays of them (flattened); null/false are skipped.
 */
export function h(tag, attrs, ...kids) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'html') el.innerHTML = v;
    else if (!svg && k === 'value' && FORM_VALUE.has(tag)) {
      if (tag === 'input') el.setAttribute('value', String(v));
      el.value = v;
    } else if (!svg && FORM_FLAG.has(k)) {
      if (v) el.setAttribute(k, '');
      el[k] = !!v;
    } else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, kids);
  return el;
}

/** Appends children as h does: nodes, text for anything else, arrays flattened, null/false skipped. */
export function append(el, kids) {
  for (const k of kids) {
    if (k == null || k === false) continue;
    if (Array.isArray(k)) append(el, k);
    else el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}
