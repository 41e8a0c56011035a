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
const ALLOWED = ['web', 'data', 'node_modules/katex/dist', 'node_modules/uplot/dist'];

export function createServer({ root = ROOT, quiet = true } = {}) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (rel === '' ) { res.writeHead(302, { Location: '/web/' + url.search }); res.end(); return; }
    if (rel.endsWith('/') || rel === 'web') rel = path.posix.join(rel, 'index.html');
    const file = path.resolve(root, rel);
    const ok = ALLOWED.some(a => file.startsWith(path.join(root, a) + path.sep));
    if (!ok) { res.writeHead(404); res.end('not found'); return; }
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found'); return; }
      // 'Access-Control-Allow-Origin: *' as GitHub Pages sends it: a course page's sandboxed iframe
      // (an opaque origin) may then load the page's modules, core and data
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache',
        'Access-Control-Allow-Origin': '*' });
      res.end(body);
      if (!quiet) console.log(req.method, req.url);
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
