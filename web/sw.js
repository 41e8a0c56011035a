// sw.js - the service worker: every page works offline once one of them has been opened.
// Network first, always: online, the pages get exactly what the server has (a new version is seen at
// once) and each response is kept; offline, the kept copy answers. At installation, and whenever a
// page is opened online and build/precache.json has a new version, the files it lists (all pages,
// the core, the subset of MNIST, fonts) are fetched, so that a page never opened still opens offline.
// Where service workers are not allowed (some embedding iframes, plain http on another host) the
// pages register nothing and work as before, online.
const CACHE = 'backprop-lab-v1';
const MANIFEST = new URL('build/precache.json', self.registration.scope).href;

async function precache(force) {
  const res = await fetch(MANIFEST, { cache: 'no-store' });
  if (!res.ok) return;
  const m = await res.json();
  const cache = await caches.open(CACHE);
  const have = await cache.match(MANIFEST);
  if (!force && have && (await have.json()).version === m.version) return;
  await Promise.all(m.files.map(async f => {
    const url = new URL(f, self.registration.scope).href;
    // revalidated against the browser's cache (a 304 for what the page has just loaded); the header
    // lets a server log, and the first-view test, tell this background download apart
    const r = await fetch(url, { cache: 'no-cache', headers: { 'X-Backprop-Precache': '1' } });
    if (r.ok) await cache.put(url, r);
  }));
  await cache.put(MANIFEST, new Response(JSON.stringify(m), { headers: { 'content-type': 'application/json' } }));
}

self.addEventListener('install', e => { self.skipWaiting(); e.waitUntil(precache(true).catch(() => {})); });
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));

self.addEventListener('fetch', e => {
  const req = e.request;
  if (new URL(req.url).origin !== self.location.origin || req.headers.has('range')) return;
  if (req.method === 'HEAD') {               // "is the full MNIST file there?": offline, yes if it is kept
    e.respondWith(fetch(req).catch(async err => {
      const hit = await (await caches.open(CACHE)).match(req.url, { ignoreMethod: true });
      if (hit) return new Response(null, { status: hit.status, headers: hit.headers });
      throw err;
    }));
    return;
  }
  if (req.method !== 'GET') return;
  e.respondWith((async () => {
    try {
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') {
        const copy = res.clone();
        e.waitUntil(caches.open(CACHE).then(c => c.put(req, copy)).catch(() => {}));
      }
      if (req.mode === 'navigate') e.waitUntil(precache(false).catch(() => {}));
      return res;
    } catch (err) {
      // offline: the same URL, else the same file with another query (?p=chain, worker.js?data=...)
      const cache = await caches.open(CACHE);
      const hit = (await cache.match(req)) || (await cache.match(req, { ignoreSearch: true }));
      if (hit) return hit;
      throw err;
    }
  })());
});
