// spawn.js - module workers that also start in an opaque-origin document: a course page's iframe
// sandboxed without allow-same-origin, where new Worker(url) throws a SecurityError for any http URL.
// There the worker is a small data: module that imports the real one (Chromium will not load a
// blob:null worker); the server must then send the files with Access-Control-Allow-Origin, as static
// hosts such as GitHub Pages do.
export function moduleWorker(url) {
  try {
    return new Worker(url, { type: 'module' });
  } catch (e) {
    if (!e || e.name !== 'SecurityError') throw e;
    const src = `import ${JSON.stringify(String(url))};`;
    return new Worker(`data:text/javascript,${encodeURIComponent(src)}`, { type: 'module' });
  }
}
