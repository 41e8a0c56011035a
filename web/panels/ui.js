// ui.js - the DOM pieces every panel uses: KaTeX formulas, number elements with their full value on
// hover and focus, formula rows (formula | numbers put in | result), fields that refuse bad input with
// a reason, the stage stepper and the loss plot's spec (web/ui/chart.js draws it). Numbers shown here come from the core; this module
// only formats and lays them out.
import katex from '../vendor/katex/katex.mjs';
import { sig, full, parseNum } from '../lib/format.js';
import { h } from '../ui/dom.js';
import { Chart } from '../ui/chart.js';
import { words } from './speech.js';

/** A DOM element: h('div', {class: 'x', onclick: fn, 'data-key': 'k'}, child, 'text', [children]); 'svg:NAME' for SVG (web/dom.js). */
export { h, Chart };

const KATEX_OPTS = { throwOnError: false, strict: false, output: 'html', trust: c => c.command === '\\htmlData' };

// The words screen readers get for formulas, in the page's language (web/panels/main.js sets it
// with the page's translator before anything renders, and again on a language switch).
let say = k => k;
/** Sets the translator whose sr.* entries read formulas aloud (web/panels/speech.js). */
export function speakIn(t) { say = k => t(`sr.${k}`); }
/** The TeX src in words, in the page's language. */
export const spoken = src => words(src, say);

/**
 * A KaTeX formula in a span; numbers written with tex.n carry their full value as a tooltip. KaTeX's
 * drawing is aria-hidden; a visually hidden copy in words is what screen readers read.
 */
export function tex(src, { display = false, cls = '' } = {}) {
  const el = h('span', { class: `tex ${cls}`.trim() });
  katex.render(src, el, { ...KATEX_OPTS, displayMode: display });
  el.prepend(h('span', { class: 'sr-only' }, spoken(src)));
  for (const n of el.querySelectorAll('[data-full]')) n.setAttribute('title', n.getAttribute('data-full'));
  return el;
}

/** A number of the network: short on the page, the full value (the double's shortest decimal) in value, title and aria-label. */
export function num(x, key, { p = 5, cls = '' } = {}) {
  const f = full(x);
  return h('data', { class: `num ${cls}`.trim(), value: f, 'data-key': key, title: f, 'aria-label': f, tabindex: 0 }, sig(x, p));
}

/** A value the page cannot show until the core computes it (the reason is in the tooltip). */
export function placeholder(reason, key) {
  return h('span', { class: 'ph', title: reason, 'aria-label': reason, 'data-key': key, tabindex: 0 }, '?');
}

/** A result: a number, a vector (column), a matrix (rows), or null (placeholder). */
export function result(v, key, { reason = '', p = 5 } = {}) {
  if (v == null) return placeholder(reason, key);
  if (typeof v === 'number') return num(v, key, { p });
  if (typeof v === 'string' || v instanceof Node) return v;
  const rows = Array.isArray(v[0]) ? v : v.map(x => [x]);
  const col = !Array.isArray(v[0]);
  // a real table structure for screen readers (rows of cells), drawn as a bracketed grid
  const grid = h('span', { class: 'mat', role: 'table' });
  rows.forEach((r, i) => grid.append(h('span', { role: 'row' },
    r.map((x, j) => h('span', { role: 'cell' }, num(x, col ? `${key}.${i}` : `${key}.${i}.${j}`, { p }))))));
  return grid;
}

/**
 * One formula: the formula in the course's notation, the same with the numbers put in, the result.
 * {stage, sym, sub, res, key, label, touch: ['w11', ...], reason, note}
 */
export function frow(r) {
  const el = h('div', { class: `frow ${r.cls || ''}`.trim(), 'data-stage': r.stage, 'data-touch': (r.touch || []).join(' '),
    'data-sym': r.res !== undefined ? r.sym : null, 'data-row': r.res !== undefined ? r.key : null });
  if (r.label) el.append(h('div', { class: 'f-label' }, typeof r.label === 'string' ? rich(r.label) : r.label));
  const line = h('div', { class: 'f-line' });
  line.append(h('div', { class: 'f-sym' }, tex(r.sym)));
  if (r.sub != null) line.append(h('div', { class: 'f-sub' }, tex(`= ${r.sub}`)));
  if (r.res !== undefined) line.append(h('div', { class: 'f-res' }, h('span', { class: 'eq', 'aria-hidden': 'true' }, '='),
    h('span', { class: 'sr-only' }, say('eq')), result(r.res, r.key, r)));
  el.append(line);
  if (r.note) el.append(h('div', { class: 'f-note' }, typeof r.note === 'string' ? rich(r.note) : r.note));
  if (r.touch && r.touch.length) {
    el.tabIndex = -1;
    el.addEventListener('mouseenter', () => el.dispatchEvent(new CustomEvent('touch', { bubbles: true, detail: r.touch })));
    el.addEventListener('mouseleave', () => el.dispatchEvent(new CustomEvent('touch', { bubbles: true, detail: null })));
    el.addEventListener('focusin', () => el.dispatchEvent(new CustomEvent('touch', { bubbles: true, detail: r.touch })));
  }
  return el;
}

/** A group of formula rows with a heading; shown from its stage on. */
export function fsec(stage, title, rows, extra) {
  return h('section', { class: 'fsec', 'data-stage': stage }, h('h3', {}, title), rows.map(frow), extra);
}

/** Marks stages: rows after the current one are dimmed with their numbers hidden, the current one lit. */
export function applyStage(root, stage) {
  for (const el of root.querySelectorAll('[data-stage]')) {
    const s = Number(el.getAttribute('data-stage'));
    el.classList.toggle('future', s > stage);
    el.classList.toggle('current', s === stage);
  }
  markScrollers(root);
}

/**
 * Boxes that scroll sideways on a narrow screen (wide formulas, tables) join the Tab order while
 * their content is wider than they are, so that the keyboard can scroll them too (web/panels/main.js
 * calls this again when the window is resized).
 */
export function markScrollers(root) {
  for (const el of root.querySelectorAll('.scroll-x, .f-sym, .f-sub, .f-res')) {
    const scrolls = el.scrollWidth > el.clientWidth + 1;
    if (scrolls) el.setAttribute('tabindex', '0'); else el.removeAttribute('tabindex');
    el.classList.toggle('scrolls', scrolls);
  }
}

/** A note box (course remark, correction). kind: 'note' | 'fix' | 'warn'. */
export function note(kind, title, ...body) {
  return h('aside', { class: `box ${kind}`, role: 'note' }, title ? h('strong', {}, title, ' ') : null, ...body);
}

/** Text with $...$ pieces rendered by KaTeX. */
export function rich(text) {
  const out = h('span', { class: 'rich' });
  String(text).split(/(\$[^$]+\$)/).forEach(part => {
    if (part.startsWith('$') && part.endsWith('$') && part.length > 2) out.append(tex(part.slice(1, -1)));
    else if (part) out.append(part);
  });
  return out;
}

let fieldSeq = 0;
/**
 * Every field the panels built, by key (data-field): {key, type: 'number' | 'select', check | options}.
 * web/panels/embed-link.js sets fields from the URL and the host API through it (web/lib/panel-fields.js).
 */
export const FIELDS = new Map();
/**
 * A number field. check(value) returns null when the value is allowed, otherwise the reason (text in
 * the page's language); a refused value stays in the field, marked, with the reason under it, and is
 * not applied. onValid(value, text) applies it.
 */
export function numField({ label, value, check, onValid, t, key, width = 6, title }) {
  const id = `f${++fieldSeq}`;
  if (key) FIELDS.set(key, { key, type: 'number', check });
  const input = h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
    value: String(value), size: width, 'data-field': key, 'aria-describedby': `${id}-err`, title });
  const err = h('span', { class: 'err', id: `${id}-err`, role: 'alert' });
  const lab = typeof label === 'string' && label.startsWith('$') ? tex(label.slice(1, -1)) : label;
  // the field's name: its symbol in words, then its meaning (the tooltip) for screen readers
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, lab, title ? h('span', { class: 'sr-only' }, `, ${title}`) : null), input, err);
  const validate = () => {
    const r = parseNum(input.value);
    let reason = r.ok ? (check ? check(r.value) : null) : t(`err.${r.reason}`);
    input.setAttribute('aria-invalid', reason ? 'true' : 'false');
    input.setCustomValidity(reason || '');
    err.textContent = reason || '';
    wrap.classList.toggle('bad', !!reason);
    return reason ? null : r;
  };
  input.addEventListener('input', () => { const r = validate(); if (r) onValid(r.value, input.value.trim()); });
  input.addEventListener('change', validate);
  return wrap;
}

/** A select: options [[value, text], ...]. */
export function selField({ label, options, value, onChange, key }) {
  const id = `f${++fieldSeq}`;
  if (key) FIELDS.set(key, { key, type: 'select', options: options.map(([v]) => String(v)) });
  const sel = h('select', { id, 'data-field': key, onchange: () => onChange(sel.value) },
    options.map(([v, txt]) => h('option', { value: v, selected: String(v) === String(value) }, txt)));
  const lab = typeof label === 'string' && label.startsWith('$') ? tex(label.slice(1, -1)) : label;
  return h('div', { class: 'field' }, h('label', { for: id }, lab), sel);
}

/** A matrix of number fields (weights): rows x cols, label(r, c) gives each field's TeX label. */
export function matField({ title, values, label, check, onValid, t, key, width = 5, meaning = null }) {
  const grid = h('div', { class: 'matfield', style: `--cols:${values[0].length}` });
  // meaning(r, c): what the field is, in words ("weight from input 1 to hidden neuron 1"); else the group's title
  values.forEach((row, r) => row.forEach((v, c) => grid.append(numField({ label: `$${label(r, c)}$`, value: v, check, t,
    key: `${key}.${r}.${c}`, width, title: meaning ? meaning(r, c) : title, onValid: x => onValid(r, c, x) }))));
  return h('fieldset', { class: 'fgroup' }, h('legend', {}, title), grid);
}

/** Checks shared by the panels: the reason in the page's language, or null. */
export const checks = {
  any: () => null,
  lr: t => v => (v > 0 ? (v <= 100 ? null : t('err.lrBig')) : t('err.lrPos')),
  pos: t => v => (v > 0 ? null : t('err.pos')),
  unit: t => v => (v >= 0 && v < 1 ? null : t('err.unit')),
  prob: t => v => (v > 0 && v <= 1 ? null : t('err.prob')),
  int: (t, lo, hi) => v => (Number.isInteger(v) && v >= lo && v <= hi ? null : t('err.int', { lo, hi })),
  range: (t, lo, hi) => v => (v >= lo && v <= hi ? null : t('err.range', { lo, hi })),
  abs: (t, m) => v => (Math.abs(v) <= m ? null : t('err.range', { lo: -m, hi: m })),
};

/**
 * The spec of a panel's plot for web/ui/chart.js (new Chart(box, plotSpec({...}), {height}), then
 * setData([xs, ys1, ...])): the core's losses per iteration and the like. log: a log10 y axis (the
 * values must be > 0; others are left out); logX: a log10 x axis; intX: whole-number x ticks
 * (iterations). series: [{label, color, width, dash, points}] (points: shown while there are < 40).
 */
export function plotSpec({ xLabel = '', yLabel = '', log = false, logX = false, intX = false, series = [{ label: '', color: '#1f5fbf' }] } = {}) {
  return {
    title: yLabel, legend: false,
    x: { label: xLabel, log: logX, int: intX, size: 36 },
    y: { label: yLabel, log, size: 64 },
    series: series.map(s => ({ ...s, points: s.points != null ? s.points : 'few' })),
    pointSize: 5,
  };
}

/** A canvas that keeps its pixel size in step with its CSS size; draw(ctx, w, h) repaints. */
export function autoCanvas(el, draw, aspect = 1) {
  const c = h('canvas', { class: 'plane' });
  el.append(c);
  const paint = () => {
    const w = Math.max(160, Math.floor(el.clientWidth)), hh = Math.floor(w * aspect);
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.floor(w * dpr) || c.height !== Math.floor(hh * dpr)) {
      c.width = Math.floor(w * dpr); c.height = Math.floor(hh * dpr);
      c.style.width = `${w}px`; c.style.height = `${hh}px`;
    }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw(g, w, hh);
  };
  const ro = new ResizeObserver(() => paint());
  ro.observe(el);
  return { canvas: c, paint, destroy: () => ro.disconnect() };
}
