// report-stats.js - the numbers of the experiments report (Table 1, Table 2, the heatmaps, the
// findings), from the grid's results (web/lib/experiments.js ExperimentRun.result()). No DOM.
//
// Rules (issue #17: the report states only what the runs show):
// - Every run has one health class (lib/health.js). The tables count each class; accuracy means,
//   stability and speed use the healthy runs only (converged and slow), and say how many were left out.
// - Stability is measured two ways. Loss spikes: for each iteration i in the last 80 % of a run,
//   the mini-batch loss L_i against the smoothed loss, the mean of the 50 losses before it,
//   m_i = (L_{i-50} + ... + L_{i-1}) / 50; a run's spike size is S = max_i (L_i - m_i) / m_i (0: no
//   mini-batch loss above its running mean; 1: a loss twice the running mean). Seeds: the standard
//   deviation of the final test accuracy over the seeds of one (optimizer, lr, batch), averaged over
//   the settings that have two or more healthy seeds. A run at chance is never stable: it is left out.
// - Time to the target comes from ONE run: the healthy run that reached it in the fewest iterations
//   (ties: the fewer seconds), with its iterations, epoch and seconds, named by its id.
// - Speed claims are noise-aware: a group's time is mean +- standard deviation over its healthy runs;
//   one group is said to be faster than another only when the intervals do not overlap
//   (mean_a + sd_a < mean_b - sd_b); with one run (no spread) no claim is made.

import { healthOfResult, countClasses, isHealthy, UNHEALTHY } from './health.js';

export const SPIKE_WINDOW = 50;

const avg = a => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
export const accOf = r => (r.final ? r.final.test_accuracy : NaN);
/** The run's health class: stored with the result, or computed for results saved before it was. */
export const healthOf = r => r.health || healthOfResult(r).cls;
export const healthy = results => results.filter(r => isHealthy(healthOf(r)));

/** Mean, sample standard deviation (NaN below 2 values) and count. */
export function spread(xs) {
  const v = xs.filter(Number.isFinite);
  const mean = avg(v);
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (v.length - 1)) : NaN;
  return { n: v.length, mean, sd };
}

/** True when a is faster than b beyond both spreads: mean_a + sd_a < mean_b - sd_b (both with n >= 2). */
export const fasterBeyondNoise = (a, b) => a.n > 1 && b.n > 1 && a.mean + a.sd < b.mean - b.sd;

/**
 * Noise-aware ranking of groups by time: [{key, times: [seconds]}] -> {stats: {key: spread}, fastest,
 * slowest} where fastest is the key faster beyond noise than every other group (else null: the
 * differences are within the measurement noise), slowest likewise.
 */
export function rankTimes(groups) {
  const stats = Object.fromEntries(groups.map(g => [g.key, spread(g.times)]));
  const keys = groups.map(g => g.key).filter(k => stats[k].n > 0);
  const beats = (a, b) => fasterBeyondNoise(stats[a], stats[b]);
  const fastest = keys.length > 1 ? keys.find(k => keys.every(o => o === k || beats(k, o))) || null : null;
  const slowest = keys.length > 1 ? keys.find(k => keys.every(o => o === k || beats(o, k))) || null : null;
  return { stats, fastest, slowest };
}

/** The largest loss spike of a run relative to its smoothed loss (see the rules above); NaN when too short. */
export function spikeOf(losses, w = SPIKE_WINDOW) {
  const n = losses.length;
  let sum = 0, best = NaN;
  const from = Math.max(w, Math.floor(0.2 * n));
  for (let i = 0; i < n; i++) {
    if (i >= w) {
      const m = sum / w;
      if (i >= from && Number.isFinite(losses[i]) && m > 0) { const s = (losses[i] - m) / m; if (!(s <= best)) best = s; }
      sum -= losses[i - w];
    }
    sum += losses[i];
  }
  return Math.max(0, best);
}
const spikeOfRun = r => (r.stability && Number.isFinite(r.stability.spike) ? r.stability.spike : spikeOf(r.losses || []));

/** The standard deviation of the final test accuracy over seeds, averaged over the settings with >= 2 healthy seeds. */
export function seedSpread(results) {
  const by = new Map();
  for (const r of healthy(results)) {
    const k = `${r.optimizer}|${r.lr}|${r.batch}`;
    if (!by.has(k)) by.set(k, []);
    by.get(k).push(accOf(r));
  }
  const sds = [...by.values()].filter(v => v.length > 1).map(v => spread(v).sd);
  return { sd: avg(sds), settings: sds.length };
}

/** Time to the target from one run: the healthy run reaching it in the fewest iterations (then seconds). */
export function toTargetRun(results) {
  const rs = healthy(results).filter(r => r.reached)
    .sort((a, b) => a.reached.iteration - b.reached.iteration || a.reached.seconds - b.reached.seconds);
  const r = rs[0];
  return r ? { id: r.id, iteration: r.reached.iteration, epoch: r.reached.epoch, seconds: r.reached.seconds, reached: rs.length } : null;
}

/** The id of a table cell, shared by the tables (web/experiments/tables.js) and the conclusions that cite them. */
export const cellId = (...parts) => `cell-${parts.map(p => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}`;

function groupRow(rs) {
  const ok = healthy(rs);
  const best = ok.reduce((b, r) => (!b || accOf(r) > accOf(b) ? r : b), null);
  const time = spread(ok.map(r => r.train_seconds));
  const health = countClasses(rs.map(healthOf));
  return {
    runs: rs.length, healthy: ok.length, left_out: rs.length - ok.length, health,
    mean_seconds: time.mean, sd_seconds: time.sd,
    mean_accuracy: avg(ok.map(accOf)), best_accuracy: best ? accOf(best) : NaN, best_run: best ? best.id : null,
    diverged: health.diverged,
  };
}

/** Table 1: per batch size: health counts; over its healthy runs, time (mean, sd), accuracy (mean, best run). */
export function table1(results) {
  const batches = [...new Set(results.map(r => r.batch))].sort((a, b) => a - b);
  const rank = rankTimes(batches.map(b => ({ key: b, times: healthy(results.filter(r => r.batch === b)).map(r => r.train_seconds) })));
  return batches.map(batch => ({ batch, ...groupRow(results.filter(r => r.batch === batch)),
    time_rank: rank.fastest === batch ? 'fastest' : rank.slowest === batch ? 'slowest' : rank.fastest == null ? 'noise' : 'between' }));
}

/** Table 2: per optimizer: health counts; over its healthy runs, time, accuracy, stability (spikes, seeds), time to the target from one run. */
export function table2(results) {
  const names = [...new Set(results.map(r => r.optimizer))];
  const rank = rankTimes(names.map(o => ({ key: o, times: healthy(results.filter(r => r.optimizer === o)).map(r => r.train_seconds) })));
  return names.map(optimizer => {
    const rs = results.filter(r => r.optimizer === optimizer);
    const ok = healthy(rs);
    const tt = toTargetRun(rs);
    return {
      optimizer, ...groupRow(rs),
      time_rank: rank.fastest === optimizer ? 'fastest' : rank.slowest === optimizer ? 'slowest' : rank.fastest == null ? 'noise' : 'between',
      mean_spread: avg(ok.map(r => r.stability && r.stability.spread).filter(Number.isFinite)),
      mean_spike: avg(ok.map(spikeOfRun).filter(Number.isFinite)),
      seed_sd: seedSpread(rs).sd,
      reached: rs.filter(r => r.reached && isHealthy(healthOf(r))).length,
      to_target: tt,
      best_iterations_to_target: tt ? tt.iteration : null,
      best_seconds_to_target: tt ? tt.seconds : null,
    };
  });
}

/** Heatmap per optimizer: final accuracy over lr (rows) x batch (columns), mean over seeds; each cell's
 * worst health class; the best cell among the healthy ones. */
export function heatmaps(results) {
  const lrs = [...new Set(results.map(r => r.lr))].sort((a, b) => b - a);
  const batches = [...new Set(results.map(r => r.batch))].sort((a, b) => a - b);
  const worst = cs => ['diverged', 'exploded', 'stuck', 'slow', 'converged'].find(c => cs.includes(c));
  const out = {};
  for (const optimizer of [...new Set(results.map(r => r.optimizer))]) {
    const cells = lrs.map(lr => batches.map(batch => {
      const rs = results.filter(r => r.optimizer === optimizer && r.lr === lr && r.batch === batch);
      if (!rs.length) return null;
      const div = rs.some(r => r.diverged);
      const health = worst(rs.map(healthOf));
      return { accuracy: div ? NaN : avg(rs.map(accOf)), diverged: div, runs: rs.length, health, healthy: isHealthy(health) };
    }));
    let best = null;
    cells.forEach((row, i) => row.forEach((c, j) => { if (c && c.healthy && Number.isFinite(c.accuracy) && (!best || c.accuracy > best.accuracy)) best = { lr: lrs[i], batch: batches[j], accuracy: c.accuracy }; }));
    out[optimizer] = { lrs, batches, cells, best };
  }
  return out;
}

/** How often the results' test accuracy was checked (0: only at epoch ends): the resolution of
 * "iterations to the target". A grid's runs share it (it is part of a run's settings). */
export function checkEveryOf(results) {
  return (results[0] && results[0].check_every) || 0;
}

/** What the measured data show, as facts the report's conclusions are written from. */
export function findings(results) {
  const ok = healthy(results).filter(r => r.final);
  const best = ok.reduce((b, r) => (!b || accOf(r) > accOf(b) ? r : b), null);
  const t2 = table2(results), t1 = table1(results);
  const fastest = t2.filter(r => r.to_target).sort((a, b) => a.to_target.iteration - b.to_target.iteration || a.to_target.seconds - b.to_target.seconds)[0] || null;
  const steadiest = t2.filter(r => Number.isFinite(r.mean_spike)).sort((a, b) => a.mean_spike - b.mean_spike)[0] || null;
  const fastestBatch = t1.find(r => r.time_rank === 'fastest') || null;
  return {
    runs: results.length, diverged: results.filter(r => r.diverged).map(r => r.id),
    health: countClasses(results.map(healthOf)),
    unhealthy: results.filter(r => UNHEALTHY.includes(healthOf(r))).map(r => ({ id: r.id, health: healthOf(r) })),
    best: best && { id: best.id, optimizer: best.optimizer, lr: best.lr, batch: best.batch, accuracy: accOf(best) },
    fastest_to_target: fastest && { optimizer: fastest.optimizer, run: fastest.to_target.id, iterations: fastest.to_target.iteration, seconds: fastest.to_target.seconds },
    steadiest: steadiest && { optimizer: steadiest.optimizer, spike: steadiest.mean_spike, spread: steadiest.mean_spread },
    fastest_batch: fastestBatch && { batch: fastestBatch.batch, seconds: fastestBatch.mean_seconds, sd: fastestBatch.sd_seconds },
    target: results[0] ? results[0].target : 0.9,
    check_every: checkEveryOf(results),
  };
}
