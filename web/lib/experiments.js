// experiments.js - the practical work's Part 2 and 3: a grid of training runs (optimizer x learning
// rate x batch size x seed), stopping criteria, and the measured material for the report: curves,
// Table 1 (batch size), Table 2 (optimizer), convergence speed, stability, heatmaps, conclusions.
// Shared by the Web Worker and the command line (`backprop-lab grid`, driven by grid-runner.js), so the
// same seed gives the same numbers in both. No DOM here; the numbers come from the core through trainer.js.

import { TrainingRun } from './trainer.js';
import { fixed } from './format.js';
import { healthOfResult } from './health.js';
import { table1, table2, checkEveryOf, spikeOf } from './report-stats.js';

/** The practical work's grid: 4 optimizers x 3 learning rates x 3 batch sizes = 36 runs. */
export const PRACTICAL_GRID = Object.freeze({
  optimizers: ['sgd', 'momentum', 'rmsprop', 'adam'],
  lrs: [0.1, 0.01, 0.001],
  batches: [16, 32, 64],
  seeds: [1],
  epochs: 3,
});

export const STOPPING = ['epochs', 'grad_norm', 'step_length', 'patience'];

/**
 * Expands a grid into run configurations (the order in which they run: optimizer, lr, batch, seed).
 * grid: {optimizers, lrs, batches, seeds, epochs, base: {layers, activations, loss, init, ...},
 *        optimizerSettings: {momentum: {momentum: 0.9}, ...}}
 */
export function expandGrid(grid) {
  const g = { ...PRACTICAL_GRID, ...grid };
  for (const k of ['optimizers', 'lrs', 'batches', 'seeds'])
    if (!Array.isArray(g[k]) || g[k].length === 0) throw fieldError(k, `${k}: choose at least one value`);
  for (const lr of g.lrs) if (!(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) throw fieldError('lrs', `learning rate ${lr} is not a number greater than 0`);
  for (const b of g.batches) if (!(Number.isInteger(b) && b >= 1)) throw fieldError('batches', `batch size ${b} is not a whole number of at least 1`);
  for (const s of g.seeds) if (!(Number.isInteger(s) && s >= 0)) throw fieldError('seeds', `seed ${s} is not a whole number >= 0`);
  if (!(Number.isInteger(g.epochs) && g.epochs >= 1)) throw fieldError('epochs', `epochs: ${g.epochs} is not a whole number of at least 1`);
  const runs = [];
  for (const name of g.optimizers)
    for (const lr of g.lrs)
      for (const batch of g.batches)
        for (const seed of g.seeds) {
          const extra = (g.optimizerSettings && g.optimizerSettings[name]) || (name === 'momentum' ? { momentum: 0.9 } : {});
          runs.push({
            id: `${name}-lr${lr}-b${batch}-s${seed}`,
            ...(g.base || {}),
            optimizer: { name, lr, ...extra },
            batch, seed, epochs: g.epochs,
          });
        }
  return runs;
}

function fieldError(field, message) { return Object.assign(new Error(message), { code: 'EINVAL', field }); }

/**
 * One run of the grid, driven in slices: `advance(maxBatches)` trains at most that many batches and
 * returns what happened, so a worker can interleave messages and a CLI can print progress.
 * stop: {kind: 'epochs' | 'grad_norm' | 'step_length' | 'patience', xi, patience}
 * target: test accuracy for the convergence-speed measurement (default 0.9).
 * checkEvery: also measure test accuracy every that many iterations (0: only at epoch ends), so the
 *   speed to the target is not counted in whole epochs; these checks are not part of the timing.
 */
export class ExperimentRun {
  constructor(core, sets, cfg, { stop = { kind: 'epochs' }, target = 0.9, checkEvery = 0, now = () => performance.now() } = {}) {
    if (!(Number.isInteger(checkEvery) && checkEvery >= 0)) throw fieldError('checkEvery', `check every: ${checkEvery} must be a whole number >= 0`);
    this.checkEvery = checkEvery;
    this.checks = [];            // {iteration, seconds, test_accuracy} of the in-between checks
    if (!STOPPING.includes(stop.kind)) throw fieldError('stop', `stopping criterion: unknown "${stop.kind}" (allowed: ${STOPPING.join(', ')})`);
    if (stop.kind !== 'epochs' && stop.kind !== 'patience' && !(stop.xi > 0)) throw fieldError('xi', `xi: ${stop.xi} must be a number greater than 0`);
    if (stop.kind === 'patience' && !sets.val) throw fieldError('stop', 'stopping on validation loss needs a validation part (set the validation size)');
    if (stop.kind === 'patience' && !(Number.isInteger(stop.patience) && stop.patience >= 1)) throw fieldError('patience', `patience: ${stop.patience} must be a whole number of at least 1`);
    this.cfg = cfg;
    this.stop = stop;
    this.target = target;
    this.now = now;
    this.run = new TrainingRun(core, sets, cfg);
    this.losses = [];            // per iteration
    this.epochs = [];            // per epoch: metrics
    this.elapsed = 0;            // seconds spent training: measured around run.train() only, evaluations
                                 // not counted (the one definition of `seconds`; see grid-runner.js)
    this.evalElapsed = 0;
    this.diverged = null;
    this.stoppedBy = null;
    this.reached = null;         // {epoch, iteration, seconds} when test accuracy first >= target
    this.bestVal = Infinity;
    this.sinceBest = 0;
    this.finished = false;
  }

  get batchesPerEpoch() { return this.run.batchesPerEpoch; }
  get totalBatches() { return this.run.batchesPerEpoch * this.cfg.epochs; }

  /** Trains up to maxBatches batches; returns {losses, firstIteration, epoch (metrics) | null, finished}.
   * The first call measures the untrained network first (epoch 0), so every curve starts at the start. */
  advance(maxBatches) {
    if (this.finished) return { losses: new Float32Array(0), firstIteration: this.losses.length, epoch: null, finished: true };
    if (this.epochs.length === 0 && this.losses.length === 0) this._evaluate();
    let perCheck = this.stop.kind === 'grad_norm' || this.stop.kind === 'step_length' ? 1 : maxBatches;
    if (this.checkEvery && !this.reached) {                 /* stop the slice at the next accuracy check */
      const toNext = this.checkEvery - (this.run.iteration % this.checkEvery);
      maxBatches = Math.min(maxBatches, toNext);
      perCheck = Math.min(perCheck, toNext);
    }
    const t0 = this.now();
    let out = { losses: new Float32Array(0), firstIteration: this.run.iteration, epochEnded: false };
    const all = [];
    try {
      let left = maxBatches;
      while (left > 0) {
        out = this.run.train(Math.min(perCheck, left));
        all.push(...out.losses);
        left -= Math.max(out.losses.length, 1);
        if (this.stop.kind === 'grad_norm' && this.run.net.gradNorm <= this.stop.xi) { this.stoppedBy = 'grad_norm'; break; }
        if (this.stop.kind === 'step_length' && this.run.net.stepNorm <= this.stop.xi) { this.stoppedBy = 'step_length'; break; }
        if (out.epochEnded || this.run.done) break;
      }
    } catch (e) {
      if (e.code !== 'DIVERGED') throw e;
      const it = this.run.net.stepCount + 1;
      this.diverged = { iteration: it, message: e.message };
      this.stoppedBy = 'diverged';
    }
    this.elapsed += (this.now() - t0) / 1000;
    const firstIteration = this.losses.length;
    for (const l of all) this.losses.push(l);
    let epoch = null;
    if (out.epochEnded || this.stoppedBy) epoch = this._evaluate();
    else if (this.checkEvery && !this.reached && this.run.iteration % this.checkEvery === 0 && this.run.sets.test) {
      const t1 = this.now();
      const e = this.run.net.evaluate(this.run.sets.test);
      this.evalElapsed += (this.now() - t1) / 1000;
      this.checks.push({ iteration: this.run.iteration, seconds: this.elapsed, test_accuracy: e.accuracy });
      if (e.accuracy >= this.target)
        this.reached = { epoch: this.run.epoch + this.run.epochProgress, iteration: this.run.iteration, seconds: this.elapsed };
    }
    if (this.run.done || this.stoppedBy) this.finished = true;
    return { losses: Float32Array.from(all), firstIteration, epoch, finished: this.finished };
  }

  _evaluate() {
    const t0 = this.now();
    const e = this.run.evaluate({ confusion: true });
    this.evalElapsed += (this.now() - t0) / 1000;
    const row = {
      epoch: this.run.inEpoch ? this.run.epoch + this.run.epochProgress : this.run.epoch,   /* fractional when stopped mid-epoch */
      iteration: this.losses.length,
      seconds: this.elapsed,
      running_loss: e.runningLoss,
      train_loss: e.train.loss, train_accuracy: e.train.accuracy,
      test_loss: e.test ? e.test.loss : NaN, test_accuracy: e.test ? e.test.accuracy : NaN,
    };
    if (e.val) Object.assign(row, { val_loss: e.val.loss, val_accuracy: e.val.accuracy });
    if (e.test && e.test.confusion) this.confusion = e.test.confusion;
    this.epochs.push(row);
    if (!this.reached && row.test_accuracy >= this.target)
      this.reached = { epoch: row.epoch, iteration: row.iteration, seconds: row.seconds };
    if (this.stop.kind === 'patience' && e.val) {
      if (e.val.loss < this.bestVal - 1e-12) { this.bestVal = e.val.loss; this.sinceBest = 0; }
      else if (++this.sinceBest >= this.stop.patience) { this.stoppedBy = 'patience'; this.finished = true; }
    }
    return row;
  }

  /** The run's result: plain data (JSON-able), the same in the browser and in Node. */
  result() {
    const last = this.epochs[this.epochs.length - 1] || null;
    const r = {
      id: this.cfg.id, optimizer: this.cfg.optimizer.name, lr: this.cfg.optimizer.lr, batch: this.cfg.batch, seed: this.cfg.seed,
      config: this.cfg,
      losses: this.losses.slice(),
      epochs: this.epochs.slice(),
      train_seconds: this.elapsed,
      final: last && { train_loss: last.train_loss, train_accuracy: last.train_accuracy, test_loss: last.test_loss, test_accuracy: last.test_accuracy },
      diverged: this.diverged,
      stopped_by: this.stoppedBy || 'epochs',
      reached: this.reached,
      target: this.target,
      check_every: this.checkEvery,   // the resolution of reached.iteration: N, or 0 (epoch ends only)
      checks: this.checks.slice(),
      stability: stability(this.losses, this.diverged),
      confusion: this.confusion || null,
    };
    r.health = healthOfResult(r).cls;   // lib/health.js: converged, slow, stuck, exploded, diverged
    return r;
  }

  free() { this.run.free(); }
}

/** Trains a throwaway network for `batches` batches so the engine's optimising compiler has kicked in
 * before the first timed run (otherwise the first run of a grid looks slower than it is). */
export function warmUp(core, sets, cfg = {}, batches = 40) {
  const r = new TrainingRun(core, sets, { ...cfg, epochs: 1, seed: 0, optimizer: { name: 'adam', lr: 0.001 } });
  try { r.train(Math.min(batches, r.batchesPerEpoch)); } finally { r.free(); }
}

/**
 * Stability of a run, measured: the spread of the per-iteration training loss over the last 20% of
 * training, as the standard deviation divided by the mean (lower is steadier), whether it diverged,
 * and `spike`, its largest loss spike relative to the smoothed loss (report-stats.js spikeOf()).
 */
export function stability(losses, diverged = null) {
  const finite = losses.filter(Number.isFinite);
  const tail = finite.slice(Math.floor(finite.length * 0.8));
  if (diverged || tail.length < 2) return { spread: diverged ? Infinity : NaN, mean: NaN, diverged: !!diverged, window: tail.length, spike: diverged ? Infinity : NaN };
  const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
  const sd = Math.sqrt(tail.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (tail.length - 1));
  return { spread: sd / mean, std: sd, mean, diverged: false, window: tail.length, spike: spikeOf(losses) };
}

// the report's numbers (Table 1, Table 2, heatmaps, findings) live in report-stats.js
export { table1, table2, heatmaps, findings, checkEveryOf } from './report-stats.js';

// ---- export

const csvCell = v => (v == null ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : 'nan') : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
export function toCsv(rows) {
  if (!rows.length) return '';
  const keys = Object.keys(rows[0]);
  return [keys.join(','), ...rows.map(r => keys.map(k => csvCell(r[k])).join(','))].join('\n') + '\n';
}

/** Every curve as rows: per-epoch metrics of every run, and per-iteration losses of every run. */
export function curvesCsv(results) {
  const epochs = [], iterations = [];
  for (const r of results) {
    for (const e of r.epochs) epochs.push({ run: r.id, optimizer: r.optimizer, lr: r.lr, batch: r.batch, seed: r.seed, ...e });
    r.losses.forEach((l, i) => iterations.push({ run: r.id, optimizer: r.optimizer, lr: r.lr, batch: r.batch, seed: r.seed, iteration: i + 1, loss: l }));
  }
  return { epochs: toCsv(epochs), iterations: toCsv(iterations) };
}

/** Parses a CSV written by toCsv (numbers become numbers). */
export function parseCsv(text) {
  const lines = text.trim().split('\n');
  const keys = lines[0].split(',');
  return lines.slice(1).map(line => {
    const cells = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (q) { if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch; }
      else if (ch === '"') q = true; else if (ch === ',') { cells.push(cur); cur = ''; } else cur += ch;
    }
    cells.push(cur);
    const o = {};
    keys.forEach((k, i) => { const v = cells[i]; o[k] = v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v; });
    return o;
  });
}

const MD_DEFAULT = { check_every: 'checked every {n} it.', check_epochs: 'checked at epoch ends',
  healthy_only: 'Times (mean ± sd), mean accuracy, stability and speed to the target are over the healthy runs only (converged or slow); stuck, exploded and diverged runs are counted but left out (web/lib/health.js).' };
const fill = (s, p = {}) => s.replace(/\{(\w+)\}/g, (m, k) => (p[k] != null ? p[k] : m));

/** Markdown tables for the report and the command line; `t(key, params)` translates the column
 * headers (by default the keys, and English for how often the target was checked). */
export function tablesMarkdown(results, t = (k, p) => (MD_DEFAULT[k] ? fill(MD_DEFAULT[k], p) : k)) {
  const pct = v => (Number.isFinite(v) ? fixed(100 * v, 2) + ' %' : '—');
  const sec = v => (Number.isFinite(v) ? fixed(v, 1) + ' s' : '—');
  const t1 = table1(results), t2 = table2(results);
  const every = checkEveryOf(results);
  const toTarget = `${t('to_target')} (${every ? t('check_every', { n: every }) : t('check_epochs')})`;
  const lines = [];
  const sd = v => (Number.isFinite(v) ? ` ± ${fixed(v, 1)}` : '');
  const health = r => Object.entries(r.health || {}).filter(([, n]) => n).map(([c, n]) => `${n} ${c}`).join(', ');
  lines.push(`| ${t('batch')} | ${t('runs')} | ${t('health')} | ${t('mean_time')} | ${t('mean_accuracy')} | ${t('best_accuracy')} | ${t('best_run')} |`, '|---|---|---|---|---|---|---|');
  for (const r of t1) lines.push(`| ${r.batch} | ${r.runs} | ${health(r)} | ${sec(r.mean_seconds)}${sd(r.sd_seconds)} | ${pct(r.mean_accuracy)} | ${pct(r.best_accuracy)} | ${r.best_run || '—'} |`);
  lines.push('');
  lines.push(`| ${t('optimizer')} | ${t('health')} | ${t('mean_time')} | ${t('best_accuracy')} | ${t('mean_accuracy')} | ${t('stability')} | ${t('spike')} | ${t('diverged')} | ${toTarget} |`, '|---|---|---|---|---|---|---|---|---|');
  for (const r of t2) lines.push(`| ${r.optimizer} | ${health(r)} | ${sec(r.mean_seconds)}${sd(r.sd_seconds)} | ${pct(r.best_accuracy)} | ${pct(r.mean_accuracy)} | ${fixed(r.mean_spread, 3)} | ${fixed(r.mean_spike, 2)} | ${r.diverged}/${r.runs} | ${r.to_target ? `${r.to_target.iteration} it., ${sec(r.to_target.seconds)} (${r.to_target.id})` : '—'} |`);
  lines.push('', `${t('healthy_only')}`);
  return lines.join('\n') + '\n';
}
