// embed.js - what a course author chooses about an embedded view, and the host protocol, without the
// DOM (web/ui/host.js and web/ui/view-controls.js use it; tests/node/embed.test.mjs tests it).
//
// Choosing what the student sees: ?hide=NAME,NAME&lock=NAME,NAME. One name per control of a page:
// the page's settings (lib/settings.js: the names of the fields the page shows, e.g. optimizer, lr,
// batch) and the page's own controls (PAGE_CONTROLS: buttons, sections, the shell's language switch
// and navigation); on the panels page also each panel's fields (their keys, found when it mounts).
// A hidden control is not shown; a locked one is shown and cannot be changed by the student (the
// host API can still change it). An unknown name is refused and reported like any bad URL value.
//
// The host protocol (README "Host API"): every message is a plain object
// {protocol: 'backprop-lab', version: 1, type, ...}. The frame sends events (ready, resize, state,
// progress, done, error) and answers each command (getState, setState, start, pause, step, reset)
// with {type: 'reply', id, command, ok, result | error}. ?origin=ORIGIN,ORIGIN limits which host
// origins may command ('*' or none: any). Anything else that arrives is ignored, silently.

import { SETTING, pageSettings } from './settings.js';

export const PROTOCOL = 'backprop-lab';
export const VERSION = 1;
export const COMMANDS = Object.freeze(['getState', 'setState', 'start', 'pause', 'step', 'reset']);
export const EVENTS = Object.freeze(['ready', 'resize', 'state', 'progress', 'done', 'error', 'reply']);

/** The URL keys of embedding, on every page (lib/settings.js declares them as shell settings). */
export const EMBED_KEYS = Object.freeze(['embed', 'hide', 'lock', 'origin']);

/**
 * Each page's own controls (besides its settings), by name. Shared by all: lang (the language
 * switch), nav (the navigation between pages), course (the "Use in a course" button).
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

/** Items of a comma list, trimmed, empties dropped. */
const items = text => String(text == null ? '' : text).split(',').map(s => s.trim()).filter(Boolean);

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

/** An origin list: {origins: [...] | null ('*' or empty: any)} or {error: the item that is no origin}. */
export function parseOrigins(text) {
  const list = items(text);
  if (!list.length || list.includes('*')) return { origins: null };
  const origins = [];
  for (const o of list) {
    let u;
    try { u = new URL(o); } catch { return { origins: null, error: o }; }
    if (!/^https?:$/.test(u.protocol) || u.origin !== o.replace(/\/$/, '')) return { origins: null, error: o };
    origins.push(u.origin);
  }
  return { origins };
}

/** Whether a message from `origin` may command (origins null: any). */
export const originAllowed = (origin, origins) => origins == null || origins.includes(origin);

/** An event or reply of the protocol. */
export const message = (type, fields = {}) => ({ ...fields, protocol: PROTOCOL, version: VERSION, type });

/**
 * A message that arrived: the command it carries, or null for anything else (another protocol,
 * another version, an event, junk, a refused origin). {id, command, args}; id is echoed in the reply.
 */
export function readCommand(data, origin, origins) {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  if (data.protocol !== PROTOCOL || data.version !== VERSION) return null;
  if (typeof data.type !== 'string' || !COMMANDS.includes(data.type)) return null;
  if (!originAllowed(origin, origins)) return null;
  const id = typeof data.id === 'string' || Number.isFinite(data.id) ? data.id : null;
  const args = data.state && typeof data.state === 'object' && !Array.isArray(data.state) ? data.state : {};
  return { id, command: data.type, args };
}

/** reveal.js's messages to the iframes of a slide ('slide:start', 'slide:stop'): 'start' | 'stop' | null. */
export function slideSignal(data) {
  return data === 'slide:start' ? 'start' : data === 'slide:stop' ? 'stop' : null;
}

/**
 * The H5P resizer's messages (h5p-resizer.js, which Moodle and WordPress load): the frame says hello,
 * and sends its content height as 'resize' (the host sets the iframe's height to scrollHeight).
 * prepareResize first lets a host that answers it shrink the frame before measuring.
 */
export const h5pMessage = (action, fields = {}) => ({ context: 'h5p', action, ...fields });
export const isH5P = data => !!data && typeof data === 'object' && data.context === 'h5p' && typeof data.action === 'string';
