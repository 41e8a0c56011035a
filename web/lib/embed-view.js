// embed-view.js - what a course author chooses about an embedded view, without the DOM
// (web/ui/view-controls.js applies it; tests/node/embed.test.mjs tests it).
//
// Choosing what the student sees: ?hide=NAME,NAME&lock=NAME,NAME. One name per control of a page:
// the page's settings (lib/settings.js: the names of the fields the page shows, e.g. optimizer, lr,
// batch) and the page's own controls (PAGE_CONTROLS: buttons, sections, the shell's language switch
// and navigation); on the panels page also each panel's fields (their keys, found when it mounts).
// A hidden control is not shown; a locked one is shown and cannot be changed by the student (the
// host API can still change it). An unknown name is refused and reported like any bad URL value.

import { SETTING, pageSettings } from './settings.js';
import { parseOrigins, items, SANDBOX } from './embed.js';

/** The URL keys of embedding, on every page (lib/settings.js declares them as shell settings). */
export const EMBED_KEYS = Object.freeze(['embed', 'hide', 'lock', 'origin']);

/**
 * Each page's own controls (besides its settings), by name. Shared by all: lang (the language
 * switch), nav (the navigation between pages).
 */
const SHELL_CONTROLS = ['lang', 'nav'];
export const PAGE_CONTROLS = Object.freeze({
  training: Object.freeze([...SHELL_CONTROLS, 'link', 'settings', 'layers', 'start', 'step', 'epoch', 'reset', 'progress', 'charts', 'results', 'draw', 'misclassified', 'weights']),
  panels: Object.freeze([...SHELL_CONTROLS, 'panels', 'fields', 'iterations', 'run', 'stages', 'plot', 'notes']),
  experiments: Object.freeze([...SHELL_CONTROLS, 'form', 'start', 'views']),
  bench: Object.freeze([...SHELL_CONTROLS, 'start']),
});

/** Settings of the page that are the shell's (lang, embed, hide, lock, origin), not a control of their own. */
const shellSetting = (name, page) => !!(SETTING[name][page] && SETTING[name][page].shell);

/**
 * The names a page's hide and lock accept: its settings (from the settings table), its controls, and
 * `extra` (the panels page: the mounted panel's field keys). In a stable order, without repeats.
 */
export function controlNames(page, extra = []) {
  const settings = page === 'training' || page === 'experiments' ? pageSettings(page).filter(n => !shellSetting(n, page)) : [];
  return [...new Set([...settings, ...(PAGE_CONTROLS[page] || []), ...extra])];
}

/**
 * Reads hide, lock and origin from a query (string or URLSearchParams) against the names `known`.
 * Returns {hide: Set, lock: Set, origins: [..] | null (any), errors: [{field, param, value, code,
 * params}]} with errors in lib/state.js's form (code 'enum' with the allowed names, or 'origin').
 */
export function parseView(query, known) {
  const sp = query instanceof URLSearchParams ? query : new URLSearchParams(String(query || ''));
  const allowed = new Set(known);
  const errors = [];
  const out = { hide: new Set(), lock: new Set(), origins: null, errors };
  for (const key of ['hide', 'lock']) {
    const bad = [];
    for (const n of items(sp.get(key))) (allowed.has(n) ? out[key].add(n) : bad.push(n));
    if (bad.length) errors.push({ field: key, param: key, value: bad.join(','), code: 'enum', params: { allowed: [...allowed].join(', ') } });
  }
  if (sp.has('origin')) {
    const r = parseOrigins(sp.get('origin'));
    if (r.error) errors.push({ field: 'origin', param: 'origin', value: r.error, code: 'origin', params: {} });
    out.origins = r.origins;
  }
  return out;
}

/**
 * The address a course author copies (the "Use in a course" builder): the page's current address
 * (its view: settings, panel, stage) with the author's choices. choice: {hide: [names], lock: [names],
 * lang, embed: bool}; a name both hidden and locked is only hidden.
 */
export function embedUrl(href, { hide = [], lock = [], lang = null, embed = true } = {}) {
  const u = new URL(href);
  const set = (k, list) => (list.length ? u.searchParams.set(k, list.join(',')) : u.searchParams.delete(k));
  set('hide', hide);
  set('lock', lock.filter(n => !hide.includes(n)));
  if (lang) u.searchParams.set('lang', lang);
  if (embed) u.searchParams.set('embed', '1'); else u.searchParams.delete('embed');
  u.hash = '';
  return u.href.replace(/%2C/g, ',');
}

const attr = v => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export { SANDBOX };

/** The iframe snippet: src, title, size, lazy loading, fullscreen allowed, the sandbox. */
export function iframeSnippet({ url, title, width, height }) {
  return `<iframe src="${attr(url)}" title="${attr(title)}" width="${attr(width)}" height="${attr(height)}" ` +
    `loading="lazy" allow="fullscreen" sandbox="${SANDBOX}" style="border: 0; max-width: 100%"></iframe>`;
}
