// export-data.js - what the results view's export buttons write, without the DOM: one row per run for
// runs.csv, the whole experiment as JSON (settings, grid, data, every run; non-finite numbers as
// strings, since JSON has none), and the time stamp in the file names. The curves' CSV and the
// tables' Markdown come from web/lib/experiments.js. Tested in tests/node/experiments-page.test.mjs.
import { toGrid } from '../lib/experiment-settings.js';
import { healthOf } from '../lib/report-stats.js';

/** "2026-12-01-14-38": the export time in the file names (UTC, to the minute). */
export const exportStamp = (date = new Date()) => date.toISOString().slice(0, 16).replace(/[:T]/g, '-');

/** runs.csv: one row per run, its settings, final numbers, stability, convergence and health class (lib/health.js). */
export function runsRows(results) {
  return results.map(r => ({ run: r.id, optimizer: r.optimizer, lr: r.lr, batch: r.batch, seed: r.seed,
    train_seconds: r.train_seconds, train_loss: r.final ? r.final.train_loss : NaN, test_loss: r.final ? r.final.test_loss : NaN,
    train_accuracy: r.final ? r.final.train_accuracy : NaN, test_accuracy: r.final ? r.final.test_accuracy : NaN,
    spread: r.stability.spread, diverged: r.diverged ? r.diverged.iteration : '', stopped_by: r.stopped_by,
    reached_iteration: r.reached ? r.reached.iteration : '', reached_seconds: r.reached ? r.reached.seconds : '',
    check_every: r.check_every || 0, health: healthOf(r), concurrency: r.concurrency ?? '' }));
}

/** experiment.json: the settings, the grid they make, the data's description, the language and every run. */
export function experimentJson({ settings, info, lang, results }, date = new Date()) {
  return JSON.stringify({ settings, grid: toGrid(settings), data: info, lang, exported: date.toISOString(), runs: results },
    (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1);
}
