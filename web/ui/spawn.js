// spawn.js - module workers that also start in an opaque-origin document: a course page's iframe
// sandboxed without allow-same-origin, where new Worker(url) throws a SecurityError for any http URL.
// There the worker is a small data: module that imports the real one (Chromium will not load a
// blob:null worker); the server must then send the files with Access-Control-Allow-Origin, as static
// hosts such as GitHub Pages do.
// `params` (URLSearchParams or a query string) reach the worker as its name, not as a query of its URL:
// the URL stays the one the service worker keeps (no second download of it), and a data: worker gets
// them too (web/lib/worker-runtime.js's bootParams() reads self.name).
export function moduleWorker(url, params = '') {
  const opts = { type: 'module', name: String(params) };
  try {
    return new Worker(url, opts);
  } catch (e) {
    if (!e || e.name !== 'SecurityError') throw e;
    const src = `import ${JSON.stringify(String(url))};`;
    return new Worker(`data:text/javascript,${encodeURIComponent(src)}`, opts);
  }
}
