// storage.js - the browser's localStorage where the page may use it, else null: a sandboxed frame
// (no allow-same-origin) throws on the very access, and a private window may refuse writes. Callers
// keep what they store for the visit when this is null, and catch a refused write themselves.
export function pageStorage() {
  try { const s = globalThis.localStorage || null; s?.getItem('backprop-lab.probe'); return s; } catch { return null; }
}
