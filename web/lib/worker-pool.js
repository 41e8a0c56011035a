// worker-pool.js - the optimizer grid on several cores: a pool of the experiment page's workers
// (web/experiments/worker.js), each running whole runs, behind the one worker's protocol, so the page's
// controller and `backprop-lab grid --jobs N` talk to the pool as they would to one worker
// (web/lib/worker-client.js): request('init' | 'start' | 'pause' | 'cancel'), events by type with on().
// No DOM, no SharedArrayBuffer: the runs are independent, each worker loads the data once (init) and
// keeps them for every run it gets, so it works on a plain static host and in a sandboxed iframe.
//
// Same numbers as one worker: a run's numbers depend on its configuration only (its seed is cfg.seed;
// the network's RNG, the epoch's order and the optimizer state live in the run's own handle), never on
// the worker it ran in or on its place in the queue; tests/node/pool.test.mjs and
// tests/browser/experiments-pool.test.mjs check it bit for bit.
//
// What differs from one worker:
//   start {runs, stop, target, checkEvery, jobs}   jobs: the pool's size for this start (workers are
//       spawned and given the last init's data as needed; extra ones are stopped, and once the start is
//       done or cancelled all but one are stopped, to free their memory). Each worker is given
//       one run at a time ({runs: [run]}), the next one when it finishes. A run paused half-way stays in
//       its worker, and the next start gives it back to that worker first (so a pause loses nothing).
//       Answers {reason: 'done' | 'paused' | 'cancelled', finished}; the first error stops every worker.
//   resize {jobs}   starts (and gives the data to) or stops workers now, not at the next start -> {size}
//   pause {}   every worker stops after its current slice and keeps its run -> {keys}
//   cancel {}  every worker stops and drops its run -> {keys}
//   events: the workers' 'progress', 'run-done' and 'status' events with `worker` (0..size-1) and
//       index / count counted in the pool's start; run-done's result gets `concurrency` (how many runs
//       were in flight while it ran: the time-weighted mean, rounded) and `pool` (the pool's size).
//       'grid-done' is the pool's own; 'fatal' when a worker dies (every request is then refused).

import { SETTING } from './settings.js';

/** The most workers a grid uses (lib/settings.js's `jobs`). */
export const MAX_JOBS = SETTING.jobs.max;
/** Memory one worker needs, in MB, by data file: what a worker adds to a Node process once it holds the
 * data (bench/grid-jobs.mjs; README, "The grid on every core"). */
export const WORKER_MB = Object.freeze({ subset: 48, full: 176 });

/**
 * How many workers to start: `requested` (0: automatic) within [1, runs]. Automatic is one per core but
 * one, left for the page (cores: navigator.hardwareConcurrency); either way at most as many as a quarter
 * of the device's memory holds (memoryGB: navigator.deviceMemory, when the browser tells it) at
 * workerMB each. Returns {size, auto, memoryCap}.
 */
export function poolSize({ requested = 0, cores = 1, memoryGB = null, workerMB = WORKER_MB.subset, runs = Infinity, leave = 1 } = {}) {
  const auto = Math.max(1, Math.floor(cores || 1) - leave);
  const memoryCap = memoryGB > 0 ? Math.max(1, Math.floor((memoryGB * 1024) / 4 / workerMB)) : MAX_JOBS;
  const want = requested > 0 ? requested : auto;
  return { size: Math.max(1, Math.min(want, memoryCap, MAX_JOBS, runs > 0 ? runs : 1)), auto: Math.min(auto, memoryCap), memoryCap };
}

const poolError = (code, message, source = 'state') => ({ code, source, message });

export class GridPool {
  /** spawn(): a new WorkerClient over web/experiments/worker.js (web/ui/spawn.js in a page, a
   * worker_threads Worker in Node). The first worker starts at once (its init tells the page the data). */
  constructor(spawn) {
    this.spawn = spawn;
    this.workers = [];              // {n, client, held: key of a run paused in it | null, busy, retired}
    this.handlers = new Map();
    this.initPayload = null;
    this.info = null;
    this.loop = null;               // {stop: null | 'pause' | 'cancel'} while a start runs
    this.dead = null;
    this.flights = new Map();       // key -> {area, flown, last}: runs in flight, for `concurrency`
    this.inFlight = 0;
    this.size = 1;
    this._add();
  }

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(fn);
    return this;
  }

  /** The one worker's requests (see the top); the promise settles as a WorkerClient's would. */
  request(type, payload = {}) {
    if (this.dead) return Promise.reject(this.dead);
    const h = { init: p => this._init(p), start: p => this._start(p), pause: () => this._stop('pause'), cancel: () => this._stop('cancel'),
      resize: p => this._sizeTo(p.jobs) }[type];
    if (!h) return Promise.reject(poolError('ESTATE', `unknown request "${type}"`));
    return h(payload || {});
  }

  /** Stops every worker. */
  terminate() {
    for (const w of this.workers) this._retire(w);
    this.fail(poolError('NO_WORKER', 'the worker was stopped', 'worker'));
  }

  /** A worker died: every later request is refused with `error`, the others are stopped, 'fatal' is told. */
  fail(error) {
    if (this.dead) return;
    this.dead = error;
    for (const w of this.workers) this._retire(w);
    this._emit('fatal', error);
  }

  _emit(type, msg) {
    for (const fn of this.handlers.get(type) || []) fn(msg);
    if (type !== 'fatal') for (const fn of this.handlers.get('*') || []) fn(msg);
  }

  _add() {
    const w = { n: this.workers.length, client: this.spawn(), held: null, busy: null, retired: false };
    w.client.on('*', ev => { if (!w.retired) this._event(w, ev); });
    w.client.on('fatal', e => { if (!w.retired) this.fail(e); });
    this.workers.push(w);
    return w;
  }

  _retire(w) {
    if (w.retired) return;
    w.retired = true;
    w.client.terminate();
  }

  async _init(payload) {
    if (this.loop) throw poolError('ESTATE', 'the grid is running: pause or cancel it first');
    if (JSON.stringify(payload) !== JSON.stringify(this.initPayload)) for (const w of this.workers) w.held = null;   // new data: kept runs are dropped
    this.initPayload = payload;
    const infos = await Promise.all(this.workers.map(w => w.client.request('init', payload)));
    this.info = infos[0];
    return this.info;
  }

  /** Grows or shrinks the pool to `size` workers; a worker holding a paused run is stopped last. */
  async _resize(size) {
    const live = this.workers.filter(w => !w.retired);
    if (live.length > size) {
      const order = [...live].sort((a, b) => (a.held ? 1 : 0) - (b.held ? 1 : 0));
      for (const w of order.slice(0, live.length - size)) this._retire(w);
    }
    const grow = [];
    for (let i = live.length; i < size; i++) grow.push(this._add());
    this.workers = this.workers.filter(w => !w.retired);
    this.workers.forEach((w, i) => { w.n = i; });
    this.size = size;
    if (grow.length && this.initPayload) await Promise.all(grow.map(w => w.client.request('init', this.initPayload)));
  }

  // ---- how many runs are in flight: each run's time-weighted mean, over the time it was in flight
  _tick(now) {
    for (const f of this.flights.values()) if (f.last != null) { f.area += this.inFlight * (now - f.last); f.flown += now - f.last; f.last = now; }
  }
  _enter(key, now = performance.now()) {
    this._tick(now);
    const f = this.flights.get(key) || { area: 0, flown: 0, last: null };
    f.last = now;
    this.flights.set(key, f);
    this.inFlight++;
  }
  _leave(key, now = performance.now()) {
    this._tick(now);
    const f = this.flights.get(key);
    if (f) f.last = null;
    this.inFlight--;
  }
  _concurrency(key, now = performance.now()) {
    this._tick(now);
    const f = this.flights.get(key);
    return f && f.flown > 0 ? Math.max(1, Math.round(f.area / f.flown)) : 1;
  }

  _event(w, ev) {
    if (ev.type === 'grid-done') return;                      // a worker's one-run queue; the pool says its own
    const at = this.session && this.session.byKey.get(ev.key);
    const out = { ...ev, worker: w.n };
    if (at) { out.index = at.index; out.count = this.session.count; }
    if (ev.type === 'run-done') {
      out.result = { ...ev.result, concurrency: this._concurrency(ev.key), pool: this.size };
      this.flights.delete(ev.key);
      if (this.session) this.session.finished++;
    }
    this._emit(ev.type, out);
  }

  async _start({ runs, jobs = 0, ...rules }) {
    if (this.loop) throw poolError('ESTATE', 'the grid is already running');
    if (!this.initPayload) throw poolError('ESTATE', 'start before init');
    if (!Array.isArray(runs)) throw { code: 'EINVAL', source: 'core', field: 'runs', message: 'runs: a list of {key, cfg} is required' };
    const me = this.loop = { stop: null };
    const t0 = performance.now();
    try {
      await this._resize(Math.max(1, Math.min(jobs > 0 ? jobs : this.size, runs.length || 1, MAX_JOBS)));
      const byKey = new Map(runs.map((r, index) => [r.key, { key: r.key, cfg: r.cfg, index }]));
      const s = this.session = { byKey, count: runs.length, finished: 0 };
      const queue = [...byKey.values()];
      const taken = new Set();
      const reserved = () => new Set(this.workers.map(w => w.held).filter(k => k && byKey.has(k)));
      const next = w => {
        if (w.held && byKey.has(w.held) && !taken.has(w.held)) { taken.add(w.held); return byKey.get(w.held); }
        const others = reserved();
        const i = queue.findIndex(r => !taken.has(r.key) && !others.has(r.key));
        if (i < 0) return null;
        taken.add(queue[i].key);
        return queue.splice(i, 1)[0];
      };
      let error = null;
      const lane = async w => {
        while (!me.stop && !error) {
          const run = next(w);
          if (!run) return;
          w.busy = run.key;
          this._enter(run.key);
          let out;
          try {
            out = await w.client.request('start', { runs: [{ key: run.key, cfg: run.cfg }], ...rules });
          } catch (e) {
            if (!error) { error = e; this._stopAll('cancel', me); }
            return;
          } finally { this._leave(run.key); w.busy = null; }
          w.held = out.reason === 'paused' ? run.key : null;
          if (out.reason !== 'done') return;
        }
      };
      await Promise.all(this.workers.map(lane));
      if (error) throw error;
      const all = s.finished === runs.length;
      const reason = all ? 'done' : me.stop === 'cancel' ? 'cancelled' : 'paused';
      if (reason === 'done') this._emit('grid-done', { type: 'grid-done', finished: s.finished, seconds: (performance.now() - t0) / 1000, pool: this.size });
      if (reason !== 'paused') {            // no run is kept: one worker (with the data) stays, the others' memory is freed
        this.flights.clear();
        await this._resize(1);
      }
      return { reason, finished: s.finished };
    } finally {
      if (this.loop === me) this.loop = null;
    }
  }

  _stopAll(stop, me = this.loop) {
    if (me) me.stop = stop;
    const keys = [];
    for (const w of this.workers) {
      if (!(w.busy || (stop === 'cancel' && w.held))) continue;
      keys.push(w.busy || w.held);
      if (stop === 'cancel') w.held = null;
      w.client.request(stop).catch(() => {});
    }
    if (stop === 'cancel' && !me) this.flights.clear();
    return { keys };
  }

  async _stop(stop) { return this._stopAll(stop); }

  async _sizeTo(jobs) {
    if (this.loop) throw poolError('ESTATE', 'the grid is running: pause or cancel it first');
    await this._resize(Math.max(1, Math.min(Number(jobs) || 1, MAX_JOBS)));
    return { size: this.size };
  }
}
