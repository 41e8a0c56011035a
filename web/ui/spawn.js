// spawn.js - module workers that also start in an opaque-origin document: a course page's iframe
// sandboxed without allow-same-origin, where a worker from any http URL is refused. There the worker
// is a small data: module that imports the real one (Chromium will not load a blob:null worker); the
// server must then send the files with Access-Control-Allow-Origin, as static hosts such as GitHub
// Pages do. The refusal differs by engine: Chromium throws a SecurityError from new Worker(), Firefox
// returns a worker that fails later (an error event and an uncaught "Security Error"), so an opaque
// origin (self.origin 'null') takes the data: path at once; the catch stays for the throwing kind.
// tests/browser/firefox.test.mjs guards the Firefox side.
// In a one-file offline copy (web/lib/inline.js) the worker is the copy's own data: module, and its first
// message carries the core and the data it would otherwise fetch.
// `params` (URLSearchParams or a query string) reach the worker as its name, not as a query of its URL:
// the URL stays the one the service worker keeps (no second download of it), and a data: worker gets
// them too (web/lib/worker-runtime.js's bootParams() reads self.name).
// A worker that fails before anyone listens (index.html starts the training worker before app.js
// loads; a browser without module workers runs worker.js as a classic script, which fails at its
// first import) keeps that error as worker.startError, for WorkerClient to report.
import { inlineWorker, inlineMessage } from '../lib/inline.js';

export function moduleWorker(url, params = '') {
  const opts = { type: 'module', name: String(params) };
  const inline = inlineWorker(url);
  if (inline === null) throw new Error(`${url} is not in this offline copy`);
  if (inline) {
    const w = keepStartError(new Worker(inline, opts));
    w.postMessage(inlineMessage());
    return w;
  }
  if (self.origin === 'null' && new URL(url, location.href).protocol !== 'data:') return keepStartError(dataModuleWorker(url, opts));
  try {
    return keepStartError(new Worker(url, opts));
  } catch (e) {
    if (!e || e.name !== 'SecurityError') throw e;
    return keepStartError(dataModuleWorker(url, opts));
  }
}

function dataModuleWorker(url, opts) {
  const src = `import ${JSON.stringify(String(url))};`;
  return new Worker(`data:text/javascript,${encodeURIComponent(src)}`, opts);
}

function keepStartError(w) {
  w.addEventListener('error', e => { if (!w.startError) w.startError = e; });
  return w;
}
