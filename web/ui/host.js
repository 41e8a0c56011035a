// host.js - the page's side of the host API (README "Host API"), the same on every page: when the page
// is in a frame, it tells the host page what happens (ready, resize, state, progress, done, error) and
// obeys its commands (getState, setState, start, pause, step, reset) through the handlers the page
// passes in. Also: the frame's content height for the H5P resizer (h5p-resizer.js, which Moodle and
// WordPress load), and reveal.js's slide:stop / slide:start (training and animation pause while the
// slide is not shown, and resume after). The messages are read and written by web/lib/embed.js (no
// DOM, tested in Node); anything else that arrives is ignored without a sound.

import { message, readCommand, slideSignal, isH5P, h5pMessage } from '../lib/embed.js';

const plain = v => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

/**
 * page: 'training' | 'panels' | 'experiments' | 'bench'; origins: who may command (null: any).
 * handlers: {getState(), setState(state), start(), pause(), step(), reset(), running()} (each may
 * return a promise; a missing one answers NOT_SUPPORTED), now or later with attach(handlers): a page
 * may say 'ready' from its first module, and commands that arrive before its handlers wait for them.
 * Returns {attach(handlers), emit(type, fields), ready(), state(), progress(fields)}.
 */
export function connectHost({ page, origins = null, handlers: given = null }) {
  let handlers = {};
  let attached;
  const whenAttached = new Promise(r => { attached = r; });
  const framed = window.parent !== window;
  const sandboxed = self.origin === 'null';
  const post = msg => {
    if (!framed) return;
    for (const o of origins || ['*']) { try { window.parent.postMessage(msg, o); } catch { /* host gone */ } }
  };
  const emit = (type, fields = {}) => post(message(type, { page, ...fields }));
  const call = async (name, args) => {
    await whenAttached;
    const fn = handlers[name];
    if (!fn) throw Object.assign(new Error(`${name} is not supported on this page`), { code: 'NOT_SUPPORTED' });
    return fn(args);
  };

  // ---------------------------------------------------------------- commands
  let slidePaused = false;
  window.addEventListener('message', async ev => {
    if (!framed || ev.source !== window.parent) return;      // only the page that frames this one
    const slide = slideSignal(ev.data);
    if (slide) { onSlide(slide); return; }
    if (isH5P(ev.data)) { onH5P(ev.data); return; }
    const cmd = readCommand(ev.data, ev.origin, origins);
    if (!cmd) return;
    try {
      const result = await call(cmd.command, cmd.args);
      post(message('reply', { page, id: cmd.id, command: cmd.command, ok: true, result: plain(result) }));
    } catch (e) {
      post(message('reply', { page, id: cmd.id, command: cmd.command, ok: false,
        error: { code: (e && e.code) || 'FAILED', message: String((e && e.message) || e), details: plain(e && e.details) } }));
    }
  });

  // reveal.js posts 'slide:stop' to the iframes of a slide it leaves and 'slide:start' when it shows it
  async function onSlide(kind) {
    try {
      if (kind === 'stop') {
        const was = handlers.running ? await handlers.running() : false;
        if (handlers.pause) await handlers.pause({ slide: true });
        slidePaused = slidePaused || !!was;
      } else if (slidePaused) {
        slidePaused = false;
        if (handlers.start) await handlers.start({ slide: true });
      }
    } catch { /* a command that cannot run now: nothing to resume */ }
  }

  // ---------------------------------------------------------------- height
  // The content's height (not the viewport's): the root element's box, which follows the content.
  const contentHeight = () => Math.ceil(document.documentElement.getBoundingClientRect().height);
  let lastHeight = 0;
  let h5pHello = false;
  const sendHeight = (force = false) => {
    const height = contentHeight();
    if (!force && height === lastHeight) return;
    lastHeight = height;
    emit('resize', { height });
    // h5p-resizer.js sets the iframe's height to scrollHeight on 'resize' (no answer needed, so a
    // sandboxed frame, to which the resizer cannot answer, is sized too)
    post(h5pMessage('resize', { scrollHeight: height }));
  };
  function onH5P(data) {
    if (data.action === 'hello') { h5pHello = true; sendHeight(true); }      // the resizer answered
    else if (data.action === 'resize' || data.action === 'resizePrepared') sendHeight(true);   // the host's window changed
    else if (data.action === 'ready' && !sandboxed) post(h5pMessage('hello'));
  }
  let queued = false;
  const observer = new ResizeObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; sendHeight(); });
  });

  const host = {
    attach(h) { handlers = h; attached(); },
    emit,
    get h5pConnected() { return h5pHello; },
    /** The page answers from now on: 'ready' with its state, the first height, the H5P hello. */
    async ready() {
      if (!framed) return;
      // a sandboxed frame's host cannot answer to origin 'null' (h5p-resizer.js would throw): no hello there
      if (!sandboxed) post(h5pMessage('hello'));
      emit('ready', { state: given ? plain(await call('getState').catch(() => null)) : null });
      observer.observe(document.documentElement);
      sendHeight(true);
    },
    /** After every change: the page's whole state. */
    async state() { if (framed) emit('state', { state: plain(await call('getState').catch(() => null)) }); },
    progress: fields => emit('progress', fields),
  };
  if (given) host.attach(given);
  return host;
}
