// store.js - finished runs kept across reloads, in IndexedDB (a 36-run grid's curves are a few MB,
// too much for localStorage). Each record is {key, saved, result}; key = settings.js's runKey.
// Without IndexedDB (some private windows) the results live in memory only: `persistent` says which.

const DB = 'backprop-lab-experiments', STORE = 'runs';

function req(r) { return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); }); }

export class ResultStore {
  constructor() { this.db = null; this.persistent = false; this.mem = new Map(); }

  async open() {
    try {
      if (typeof indexedDB === 'undefined') return this;
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
      this.db = await req(open);
      this.persistent = true;
    } catch { this.db = null; this.persistent = false; }
    return this;
  }

  /** All saved records: Map key -> result. */
  async all() {
    if (!this.db) return new Map(this.mem);
    const rows = await req(this.db.transaction(STORE).objectStore(STORE).getAll());
    return new Map(rows.map(r => [r.key, r.result]));
  }

  async put(key, result) {
    this.mem.set(key, result);
    if (!this.db) return;
    try {
      const tx = this.db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put({ key, saved: Date.now(), result });
      await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error); });
    } catch (e) { console.warn('could not save a result:', e); }
  }

  /** Deletes the given keys (or everything). */
  async clear(keys = null) {
    if (keys) for (const k of keys) this.mem.delete(k); else this.mem.clear();
    if (!this.db) return;
    const tx = this.db.transaction(STORE, 'readwrite');
    const st = tx.objectStore(STORE);
    if (keys) for (const k of keys) st.delete(k); else st.clear();
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  }
}
