// grid-runner.js - runs the experiment grid: a queue of ExperimentRuns (web/lib/experiments.js) one
// after another, in slices, with the same warm-up before the first timed run. One runner for the
// experiment page's worker (web/experiments/worker.js: slices of ~35 ms, a yield between them, pause
// and cancel), the command line (`backprop-lab grid`, `backprop-lab train`) and the bench
// (timeEpoch), so that the same seed gives the same numbers, and the same `seconds`, everywhere.
//
// Time, one definition everywhere: `seconds` (an epoch row's, a result's train_seconds, the training
// page's trainSeconds) is the time spent training, measured around the training slices only; the
// evaluations (per epoch, and the in-between accuracy checks) are not in it. No DOM here.

import { TrainingRun } from './trainer.js';
import { ExperimentRun, warmUp } from './experiments.js';

/** Warms the engine before a grid is timed: a throwaway run, then a few batches of each optimizer's
 * own update, so that no first run of an optimizer is timed while the engine still compiles its code. */
export function warmUpGrid(core, sets, cfgs, { first = true } = {}) {
  if (!cfgs.length) return;
  if (first) warmUp(core, sets, cfgs[0]);
  for (const name of [...new Set(cfgs.map(c => c.optimizer.name))]) {
    const cfg = cfgs.find(c => c.optimizer.name === name);
    const r = new TrainingRun(core, sets, { ...cfg, epochs: 1, seed: 0, optimizer: { ...cfg.optimizer, lr: 1e-4 } });
    try { r.train(Math.min(20, r.batchesPerEpoch)); } finally { r.free(); }
  }
}

/** The grid's queue over one set of data. A run paused half-way is kept and continued by the next
 * run() whose first run has the same key under the same rules; anything else drops it. */
export class GridRunner {
  /** setsKey names the data (file, validation size), so a kept run is not continued on other data. */
  constructor(core, sets, setsKey = '') {
    this.core = core; this.sets = sets; this.setsKey = setsKey;
    this.current = null;            // {key, rules, exp: ExperimentRun} of the run in progress
    this.warmed = new Set();       // the optimizers warmed up on these data (a pool's worker gets one run at a time)
  }

  /**
   * Runs `runs` ([{key, cfg}]) with opts {stop, target, checkEvery}. hooks, all optional:
   *   slicer {size(), took(asked, done, ms)}  batches per slice (default 200 a slice)
   *   yieldNow()                    awaited between slices (a worker lets its messages through)
   *   stopRequested()               null, 'pause' (keep the current run) or 'cancel' (drop it)
   *   onStatus(what)                'warmup' before the warm-up
   *   onStart({key, cfg, index, count, exp})           a run begins (or continues)
   *   onSlice({key, cfg, index, count, exp, out})       after each slice: out = exp.advance(n)
   *   onRunDone({key, cfg, index, count, result})      result: exp.result()
   * Resolves to {reason: 'done' | 'paused' | 'cancelled', finished}; a thrown error drops the run.
   */
  async run(runs, opts = {}, hooks = {}) {
    const { slicer = { size: () => 200, took() {} }, yieldNow = null, stopRequested = () => null } = hooks;
    const rules = JSON.stringify({ stop: opts.stop, target: opts.target, checkEvery: opts.checkEvery, sets: this.setsKey });
    if (this.current && (!runs.length || runs[0].key !== this.current.key || this.current.rules !== rules)) this.drop();
    let finished = 0;
    try {
      const cold = runs.filter(r => !this.warmed.has(r.cfg.optimizer.name));
      if (cold.length) {
        if (hooks.onStatus) hooks.onStatus('warmup');
        warmUpGrid(this.core, this.sets, cold.map(r => r.cfg), { first: this.warmed.size === 0 });
        for (const r of cold) this.warmed.add(r.cfg.optimizer.name);
        if (yieldNow) await yieldNow();
      }
      for (let index = 0; index < runs.length; index++) {
        const { key, cfg } = runs[index];
        if (!this.current) this.current = { key, rules, exp: new ExperimentRun(this.core, this.sets, cfg, opts) };
        const exp = this.current.exp, at = { key, cfg, index, count: runs.length, exp };
        if (hooks.onStart) hooks.onStart(at);
        for (;;) {
          const stop = stopRequested();
          if (stop) {
            if (stop === 'cancel') this.drop();
            return { reason: stop === 'cancel' ? 'cancelled' : 'paused', finished };
          }
          const n = slicer.size();
          const t0 = performance.now();
          const out = exp.advance(n);
          if (!out.epoch) slicer.took(n, out.losses.length, performance.now() - t0);   // an epoch end cuts a slice short
          if (hooks.onSlice) hooks.onSlice({ ...at, out });
          if (out.finished) break;
          if (yieldNow) await yieldNow();
        }
        const result = exp.result();
        result.params_fnv1a = paramsHash(exp.run.net);    // the final parameters' bits, to compare runs made anywhere
        result.kernels = this.core.kernels;               // the core's kernels that trained it (its times depend on them)
        this.drop();
        finished++;
        if (hooks.onRunDone) hooks.onRunDone({ key, cfg, index, count: runs.length, result });
        if (yieldNow) await yieldNow();
      }
      return { reason: 'done', finished };
    } catch (e) {
      this.drop();
      throw e;
    }
  }

  /** Frees the run in progress (kept across a pause). */
  drop() { if (this.current) { this.current.exp.free(); this.current = null; } }
}

/** FNV-1a (32 bits, hex) of a network's parameters as little-endian float32 bytes: equal hashes, the
 * same bits (tests/node/determinism.test.mjs hashes the same way). */
export function paramsHash(net) {
  const bytes = new Uint8Array(net.params().slice().buffer);
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The bench's network: 784-128-64-10, ReLU, softmax + cross-entropy, Adam lr 0.001, PyTorch's init. */
export const BENCH_RUN = Object.freeze({ layers: [784, 128, 64, 10], activations: ['relu', 'relu', 'softmax'], loss: 'cross_entropy',
  init: 'pytorch', optimizer: { name: 'adam', lr: 0.001 }, seed: 1 });

/** Times one whole epoch of `cfg` (as DEFAULT_RUN) after a warm-up of `warm` batches on a throwaway
 * network: {seconds, n, rate: images/s}. The bench's measurement (web/bench/worker.js, bench/bench.mjs);
 * onTimed() is called just before the timed epoch begins. */
export function timeEpoch(core, sets, cfg, { warm = 300, onTimed = null } = {}) {
  if (warm > 0) warmUp(core, sets, cfg, warm);
  const run = new TrainingRun(core, sets, { ...cfg, epochs: 1 });
  try {
    if (onTimed) onTimed();
    const t = performance.now();
    run.train(1 << 30);
    const seconds = (performance.now() - t) / 1000;
    return { seconds, n: sets.train.n, rate: sets.train.n / seconds };
  } finally { run.free(); }
}
