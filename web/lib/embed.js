// embed.js - the host protocol, without the DOM and without imports (web/ui/host.js speaks it, also
// from the training page's first module; tests/node/embed.test.mjs tests it). What a course author
// chooses to hide or lock is lib/embed-view.js.
//
// The host protocol (README "Host API"): every message is a plain object
// {protocol: 'backprop-lab', version: 1, type, ...}. The frame sends events (ready, resize, state,
// progress, done, error; statement on the panels page) and answers each command (getState, setState, start, pause, step, reset)
// with {type: 'reply', id, command, ok, result | error}. ?origin=ORIGIN,ORIGIN limits which host
// origins may command ('*' or none: any). Anything else that arrives is ignored, silently.

export const PROTOCOL = 'backprop-lab';
export const VERSION = 1;
export const COMMANDS = Object.freeze(['getState', 'setState', 'start', 'pause', 'step', 'reset']);
// statement (the panels page: an xAPI statement about an exercise, issue #14) came later in version 1:
// an added event, so a host that does not know it ignores it, and commands keep their version
export const EVENTS = Object.freeze(['ready', 'resize', 'state', 'progress', 'done', 'error', 'reply', 'statement']);

/** The sandbox an embedded page works in: scripts, and its links and downloads (a CSV, the full page). */
export const SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads';

/** Items of a comma list, trimmed, empties dropped. */
export const items = text => String(text == null ? '' : text).split(',').map(s => s.trim()).filter(Boolean);

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
