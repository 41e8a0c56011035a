// serve.mjs - a small static server for the page (make run): the repository root, with the page at
// /web/ and the data at /data/, as any static host would serve them. Loopback only.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.csv': 'text/csv' };
// A strict Content-Security-Policy on every answer, so that a regression (an inline script, a CDN, eval)
// shows here as it would on a course site that sends one: scripts only from the site (and WebAssembly
// compiled from them), workers also from data: (the sandboxed iframe's start, web/ui/spawn.js), styles
// from the site or inline (KaTeX and uPlot set style attributes); images also data: and blob: (the
// report's charts, the favicon).
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob: data:; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:";
const ALLOWED = ['web', 'data', 'node_modules/katex/dist', 'node_modules/uplot/dist'];

export function createServer({ root = ROOT, quiet = true } = {}) {
  // a long query string (a shared link with many settings, or a hostile one) reaches the page, which
  // reports parameters it refuses; Node's default 16 kB header limit would answer HTTP 431 instead
  return http.createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (rel === '' ) { res.writeHead(302, { Location: '/web/' + url.search }); res.end(); return; }
    if (rel.endsWith('/') || rel === 'web') rel = path.posix.join(rel, 'index.html');
    const file = path.resolve(root, rel);
    const ok = ALLOWED.some(a => file.startsWith(path.join(root, a) + path.sep));
    // 'Access-Control-Allow-Origin: *' on every answer, as GitHub Pages sends it: a course page's
    // sandboxed iframe (an opaque origin) may then load the page's modules, core and data
    const cors = { 'Access-Control-Allow-Origin': '*', 'Content-Security-Policy': CSP };
    const notFound = () => { res.writeHead(404, { 'Content-Type': 'text/plain', ...cors }); res.end('not found'); };
    if (!ok) { notFound(); return; }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { notFound(); return; }
      // validators, as static hosts send them: a revalidation (the service worker's, or the
      // browser's under no-cache) of an unchanged file costs a 304, not the file again
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      const head = { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache',
        ETag: etag, 'Last-Modified': st.mtime.toUTCString(), ...cors };
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, head); res.end(); return; }
      fs.readFile(file, (err2, body) => {
        if (err2) { notFound(); return; }
        res.writeHead(200, head);
        res.end(req.method === 'HEAD' ? undefined : body);
        if (!quiet) console.log(req.method, req.url);
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  createServer({ quiet: false }).listen(port, '127.0.0.1', () => {
    console.log(`Backprop Lab: http://localhost:${port}/web/   (Ctrl+C to stop)`);
  });
}
