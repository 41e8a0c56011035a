// worker-runtime.js - the worker's side of the page <-> worker protocol, once for every worker
// (web/training/worker.js, web/experiments/worker.js, web/bench/worker.js). No DOM. It runs as a
// Web Worker (self.onmessage / self.postMessage) and under Node's worker_threads (parentPort), so
// the Node tests drive the real workers (tests/node/workers.test.mjs).
//
// Protocol. The page sends {id, type, payload}; serve(handlers) calls handlers[type](payload) and
// answers {id, result} with what it returns (or resolves to), or {id, error} with what it throws:
//   error: {code, message, source, field?, details?, ...}
//     source 'data'  a web/lib/data.js MnistDataError; details {file, ...its details}
//     source 'state' a request out of order (stateError) or of an unknown type (code ESTATE)
//     source 'core'  a CoreError (and anything else), with its own fields (field, iteration, ...)
//   A handler that returns transfer(result, [buffers]) hands the buffers over instead of copying.
// Events are messages with a type, {type, ...} (answers never have one; an event may carry an `id` of
// its own, as a grid run's), posted with emit(); the page's WorkerClient (web/lib/worker-client.js)
// hands them out by type.
//
// Long work runs in slices (Slicer: about SLICE_MS of work each) with yieldNow() between them, so
// that a pause or cancel request is handled within one slice.

import { MnistDataError } from './data.js';

export const SLICE_MS = 35;           // target length of one slice of work, in milliseconds

// ---- where messages come from and go to

// In Node (20.16 or later: process.getBuiltinModule) the worker_threads module, without an import
// that a browser would try to load.
const nodeThreads = typeof process !== 'undefined' && process.versions && process.versions.node &&
  typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:worker_threads') : null;

/** The worker's end of the channel: {post(msg, transfer), listen(fn(msg)), params: URLSearchParams}.
 * params are the worker's start-up parameters: its name in a browser (web/ui/spawn.js's moduleWorker(url,
 * params); a query of its URL, worker.js?data=..., is read too), workerData.params in Node. */
export function workerPort() {
  if (nodeThreads && nodeThreads.parentPort) {
    const p = nodeThreads.parentPort, wd = nodeThreads.workerData || {};
    return {
      post: (msg, transfer) => p.postMessage(msg, transfer || []),
      listen: fn => p.on('message', fn),
      params: new URLSearchParams(wd.params || ''),
    };
  }
  if (typeof self !== 'undefined' && typeof self.postMessage === 'function') {
    return {
      post: (msg, transfer) => self.postMessage(msg, transfer || []),
      listen: fn => { self.onmessage = ev => fn(ev.data); },
      params: new URLSearchParams(self.name || new URL(self.location.href).search),
    };
  }
  throw new Error('worker-runtime: not inside a worker (no self.postMessage, no worker_threads parentPort)');
}

let port = null;
const thePort = () => port || (port = workerPort());

/** How often a worker says it is alive (a 'beat' event), whatever it is doing between its slices. */
export const BEAT_MS = 1000;

/**
 * Signs of life for the page's WorkerClient: a lock held for as long as this worker lives (Web Locks:
 * the browser releases it when the worker ends in any way: terminated, closed, crashed, out of
 * memory), named in an 'alive' event so the page can wait for it; and a 'beat' event every BEAT_MS,
 * for browsers or frames without Web Locks, where the page instead notices a long silence.
 */
function lifeSigns(p) {
  const name = `backprop-lab-worker-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  const alive = lock => p.post({ type: 'alive', lock });
  if (locks) {
    try {
      locks.request(name, () => { alive(name); return new Promise(() => {}); }).catch(() => alive(null));
    } catch { alive(null); }        // an opaque origin (sandboxed iframe) has no locks
  } else alive(null);
  const t = setInterval(() => p.post({ type: 'beat' }), BEAT_MS);
  if (t.unref) t.unref();           // Node: a beat keeps no worker thread alive
}

/** Posts an event {type, ...} to the page. */
export function emit(msg, transfer) { thePort().post(msg, transfer); }

/** The worker's start-up parameters (see workerPort). */
export function bootParams() { return thePort().params; }

class Transfer { constructor(result, list) { this.result = result; this.list = list; } }
/** A handler's answer whose buffers are moved to the page, not copied. */
export const transfer = (result, list) => new Transfer(result, list);

/** Answers the page's requests with `handlers` ({type: async payload => result}). A real worker (no
 * port given) also sends its signs of life (lifeSigns). */
export function serve(handlers, opts = {}) {
  const p = opts.port || thePort();
  port = p;
  if (!opts.port) lifeSigns(p);
  p.listen(async msg => {
    const { id, type, payload } = msg || {};
    const h = Object.prototype.hasOwnProperty.call(handlers, type) ? handlers[type] : null;
    if (!h) { p.post({ id, error: { code: 'ESTATE', source: 'state', message: `unknown request "${type}"` } }); return; }
    try {
      const out = await h(payload || {});
      if (out instanceof Transfer) p.post({ id, result: out.result }, out.list);
      else p.post({ id, result: out });
    } catch (e) {
      p.post({ id, error: errorOf(e) });
    }
  });
  return p;
}

// ---- errors as data

/** A request out of order (configure before init, ...): source 'state', code ESTATE. */
export function stateError(message) { return Object.assign(new Error(message), { code: 'ESTATE', source: 'state' }); }

/** Any thrown value as the protocol's error object (see the top). An object that is already one
 * (a plain {code, source, message}) passes as it is. */
export function errorOf(e) {
  if (e && typeof e === 'object' && !(e instanceof Error) && e.code && e.source) return e;
  const out = { code: (e && e.code) || 'ERROR', message: (e && e.message) || String(e), source: 'core' };
  if (e instanceof MnistDataError || (e && e.name === 'MnistDataError')) {
    out.source = 'data';
    out.details = { file: e.file, ...e.details };
    return out;
  }
  if (e && typeof e === 'object') {
    // the error's own fields (CoreError: field, index, iteration, value; set by the thrower), if plain
    // data; a field that does not apply (null) is left out
    for (const [k, v] of Object.entries(e)) {
      if (k === 'cause' || k === 'name' || k in out || v == null) continue;
      if (typeof v !== 'object' && typeof v !== 'function') out[k] = v;
      else if (k === 'details') out[k] = { ...v };
    }
    if (e.source) out.source = e.source;
  }
  return out;
}

// ---- yielding and slicing

// A zero-delay yield through a MessageChannel (setTimeout(0) is clamped to 4 ms when nested); every
// 8th yield is a real setTimeout, so that the page's messages always get their turn.
let channel = null, yields = 0;
const waiting = [];
export function yieldNow() {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const f = waiting.shift();
      if (!waiting.length && channel.port1.unref) channel.port1.unref();   // Node: an idle channel keeps no process alive
      if (f) f();
    };
  }
  return new Promise(r => {
    if (++yields % 8 === 0) setTimeout(r, 0);
    else {
      if (!waiting.length && channel.port1.ref) channel.port1.ref();
      waiting.push(r);
      channel.port2.postMessage(0);
    }
  });
}

/** How many units of work (batches) fit in one slice of about `ms` milliseconds, learnt from the
 * slices so far: size() before a slice, took(asked, done, ms) after it. A slice cut short (an epoch
 * end, a stop) says nothing about the speed and is not counted. */
export class Slicer {
  constructor({ ms = SLICE_MS, first = 4, max = 4000 } = {}) { this.ms = ms; this.n = first; this.max = max; }
  size() { return this.n; }
  took(asked, done, ms) {
    if (done !== asked || done < 1) return;
    this.n = Math.max(1, Math.min(this.max, Math.round(done * this.ms / Math.max(ms, 0.5))));
  }
}

/** Collects per-iteration losses between two progress events: push(losses), then take() gives them
 * as one Float32Array (to transfer) with the iteration number before the first of them. */
export class LossBuffer {
  constructor(first = 0) { this.parts = []; this.first = first; this.last = -Infinity; }
  push(losses) { if (losses.length) this.parts.push(losses); }
  get length() { return this.parts.reduce((a, p) => a + p.length, 0); }
  /** true when `ms` have passed since the last take (performance.now() clock). */
  due(ms, now = performance.now()) { return now - this.last >= ms; }
  take(nextFirst, now = performance.now()) {
    const losses = new Float32Array(this.length);
    let o = 0;
    for (const p of this.parts) { losses.set(p, o); o += p.length; }
    const firstIteration = this.first;
    this.parts = []; this.first = nextFirst; this.last = now;
    return { losses, firstIteration };
  }
}

// ---- the data files the workers load

/** The data files, by the name the pages use; URLs relative to this module (web/lib/). */
export const DATA_FILES = Object.freeze({ subset: '../../data/mnist-subset.bin', full: '../../data/mnist-full.bin' });

/** {url, name} of a data file by name; an unknown name is a data error on the field `data`. In Node
 * the URL is a file: URL, which data.js reads with fs (fetch() cannot read files). */
export function dataFile(data) {
  if (!Object.prototype.hasOwnProperty.call(DATA_FILES, data))
    throw Object.assign(new Error(`unknown data "${data}" (allowed: ${Object.keys(DATA_FILES).join(', ')})`), { code: 'BAD_OPTION', source: 'data', field: 'data' });
  return { url: new URL(DATA_FILES[data], import.meta.url), name: DATA_FILES[data].replace(/^(\.\.\/)+/, '') };
}
