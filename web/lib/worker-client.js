// worker-client.js - the page's side of the worker protocol (web/lib/worker-runtime.js describes it):
// request(type, payload) -> a Promise of the answer's result, rejected with the answer's error
// {code, message, source, field?, ...}; events (messages without an id) handed out by type. Used by
// the training, experiments and bench pages. No DOM: `worker` is a Web Worker (web/ui/spawn.js makes
// one that also starts in a sandboxed iframe) or, in the Node tests, a worker_threads Worker wrapped
// with the same interface (postMessage, onmessage, onerror, terminate).
//
// Errors the client makes itself:
//   {code: 'NO_WORKER', source: 'worker'}  the worker failed (to start, or later): every pending
//                                          request is rejected with it, and so is every later one
//   {code: 'CANCELLED', source: 'client'}  cancel(id) or the request's AbortSignal: the request is
//                                          rejected at once and its answer, when it comes, dropped
//
// A worker that ends without a word (terminated, closed, crashed, out of memory) is noticed from its
// signs of life (worker-runtime.js's lifeSigns): at once when the browser has Web Locks (the lock the
// worker holds is released when it ends), else when it has been silent for `silentMs` (default
// 15 s: no beat, no event, no answer) while a request is pending. Either way: fail(NO_WORKER,
// details.reason 'ended' or 'silent'), so the page's 'fatal' handlers run. An error event is
// details.reason 'load' before the worker announced itself (its modules did not load), else 'crashed'.

export class WorkerClient {
  constructor(worker, { silentMs = 15000 } = {}) {
    this.worker = worker;
    this.lastSeen = now();
    this.silentMs = silentMs;
    this.watch = null;               // the silence check's timer, while there is no lock to wait for
    this.next = 1;
    this.pending = new Map();        // id -> {type, resolve, reject}
    this.handlers = new Map();       // event type ('*': every event, 'fatal': the worker died) -> [fn]
    this.dead = null;                // the error every request gets once the worker has died
    worker.onmessage = ev => this._receive(ev.data);
    this._watchSilence();            // until the worker names its lock (it may never start at all)
    this.started = false;            // the worker announced itself ('alive'): its modules loaded
    worker.onerror = ev => {
      if (ev && ev.preventDefault) ev.preventDefault();
      // before 'alive' the worker's modules did not load (a missing file, a syntax error); after, it crashed
      const reason = this.started ? 'crashed' : 'load';
      this.fail({ code: 'NO_WORKER', source: 'worker', details: { reason },
        message: (ev && ev.message) || (reason === 'load' ? 'the worker\'s modules failed to load' : 'the worker crashed') });
    };
    // an error before this client listened (web/ui/spawn.js keeps it), told once the caller has attached its handlers
    if (worker.startError) Promise.resolve().then(() => worker.onerror(worker.startError));
  }

  /** Calls fn(event) for each event of this type ('*': every event; 'fatal': fn(error) once the worker died). */
  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(fn);
    return this;
  }

  /** Sends {id, type, payload}; the promise (with its `id`) settles with the answer. transfer: buffers
   * to move to the worker; signal: an AbortSignal that cancels the request. */
  request(type, payload = {}, { transfer = [], signal } = {}) {
    const id = this.next++;
    const promise = new Promise((resolve, reject) => {
      if (this.dead) { reject(this.dead); return; }
      if (signal && signal.aborted) { reject(cancelled(type)); return; }
      this.pending.set(id, { type, resolve, reject });
      if (signal) signal.addEventListener('abort', () => this.cancel(id), { once: true });
      try { this.worker.postMessage({ id, type, payload }, transfer); }
      catch (e) { this.pending.delete(id); reject({ code: 'EINVAL', source: 'client', message: `cannot send "${type}": ${e && e.message}` }); }
    });
    promise.id = id;
    return promise;
  }

  /** Rejects a pending request with CANCELLED and drops its answer; false when it is not pending. */
  cancel(id) {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.reject(cancelled(p.type));
    return true;
  }

  /** The requests sent and not yet answered. */
  get waiting() { return this.pending.size; }

  /** The worker is gone: rejects every pending request (and every later one) with `error`. */
  fail(error) {
    if (this.dead) return;
    this.dead = error;
    if (this.watch) { clearInterval(this.watch); this.watch = null; }
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const p of calls) p.reject(error);
    for (const fn of this.handlers.get('fatal') || []) fn(error);
  }

  /** The worker announced itself: wait for its lock (its end), or check its silence. */
  _alive(lock) {
    this.started = true;
    const locks = typeof navigator !== 'undefined' && navigator.locks;
    if (lock && locks) {
      try {
        if (this.watch) { clearInterval(this.watch); this.watch = null; }   // its end will be told: no guessing from silence
        locks.request(lock, () => this.fail({ code: 'NO_WORKER', source: 'worker', details: { reason: 'ended' },
          message: 'the worker ended (terminated, crashed or out of memory)' })).catch(() => this._watchSilence());
        return;
      } catch { /* no locks here: fall through */ }
    }
    this._watchSilence();
  }

  _watchSilence() {
    if (this.watch || this.dead) return;
    this.watch = setInterval(() => {
      if (this.pending.size && now() - this.lastSeen > this.silentMs)
        this.fail({ code: 'NO_WORKER', source: 'worker', details: { reason: 'silent', seconds: Math.round(this.silentMs / 1000) },
          message: `the worker has not answered for ${Math.round(this.silentMs / 1000)} s` });
    }, Math.min(1000, this.silentMs / 2));
    if (this.watch.unref) this.watch.unref();
  }

  /** Stops the worker; pending requests are rejected. */
  terminate() {
    this.worker.terminate();
    this.fail({ code: 'NO_WORKER', source: 'worker', message: 'the worker was stopped' });
  }

  _receive(msg) {
    this.lastSeen = now();
    if (!msg) return;
    if (msg.type === 'beat') return;                   // signs of life are the client's, not the page's
    if (msg.type === 'alive') { this._alive(msg.lock); return; }
    if (msg.type == null) {            // an answer (events always have a type, and may have an id of their own)
      const p = this.pending.get(msg.id);
      if (!p) return;                  // answer to a cancelled request
      this.pending.delete(msg.id);
      if (msg.error) p.reject(msg.error); else p.resolve(msg.result);
      return;
    }
    for (const fn of this.handlers.get(msg.type) || []) fn(msg);
    for (const fn of this.handlers.get('*') || []) fn(msg);
  }
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const cancelled = type => ({ code: 'CANCELLED', source: 'client', message: `request "${type}" cancelled` });
