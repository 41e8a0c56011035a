// inline-worker.js - imported first by the one-file copy's worker bundles only (scripts/onefile.mjs;
// lib/inline.js says why): before the worker's own modules listen, it takes the page's first message,
// the copy's core and data, as the worker's globalThis.__BPL_INLINE__ (a promise until it arrives), so
// that engine/core.js and data.js find them there. Served pages and Node never load this module.
import { INLINE_MESSAGE } from './inline.js';

globalThis.__BPL_INLINE__ = new Promise(resolve => {
  const take = ev => {
    if (!ev.data || typeof ev.data !== 'object' || !(INLINE_MESSAGE in ev.data)) return;
    ev.stopImmediatePropagation();
    self.removeEventListener('message', take);
    resolve(ev.data[INLINE_MESSAGE]);
  };
  self.addEventListener('message', take);
});
