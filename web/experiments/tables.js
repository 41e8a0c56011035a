// tables.js - the measured tables as DOM: Table 1 (batch size), Table 2 (optimizer), the optimizers'
// settings, every run, and the heatmaps as tables. The numbers come from web/experiments.js
// (table1, table2, heatmaps); this module only lays them out in the page's language.
import { table1, table2, heatmaps, checkEveryOf } from '../lib/experiments.js';
import { h } from './ui.js';
import { heatColor, heatRange, OPT_COLORS } from '../lib/chart-math.js';
import { effectiveHyper } from '../lib/experiment-settings.js';
import { atOnceEl } from './times-note.js';

export const optName = (t, n) => t(`opt.${n}`);

/** How finely "iterations to the target" is known: "checked every 100 it." or "checked at epoch ends". */
export const checkedText = (t, every) => (every ? t('check.every', { n: every }) : t('check.epochs'));

/** The note under the tables on how the convergence speed is measured (and to what resolution). */
export function convergenceNote(t, f, results, target) {
  const every = checkEveryOf(results);
  return t('note.convergence', { target: f.pct(target, 0), how: every ? t('note.checkEvery', { n: every }) : t('note.checkEpochs') });
}

/** The words of Table 2's "stability" and "time" columns, from the measured numbers (rule in the page). */
export function stabilityWord(row, rows) {
  if (row.diverged === row.runs) return 'stab.diverged';
  const spreads = rows.map(r => r.mean_spread).filter(Number.isFinite);
  if (!Number.isFinite(row.mean_spread) || !spreads.length) return 'stab.unknown';
  const m = Math.min(...spreads), q = row.mean_spread / m;
  return q <= 1.1 ? 'stab.best' : q <= 1.5 ? 'stab.good' : q <= 2.5 ? 'stab.fluct' : 'stab.poor';
}
export function timeWord(row, rows) {
  const ts = rows.map(r => r.mean_seconds).filter(Number.isFinite);
  if (!Number.isFinite(row.mean_seconds) || !ts.length) return null;
  const q = row.mean_seconds / Math.min(...ts);
  return q <= 1.1 ? 'time.vfast' : q <= 1.4 ? 'time.fast' : q <= 2 ? 'time.medium' : 'time.slow';
}

function table(cls, caption, head, rows, { testid } = {}) {
  return h('div', { class: 'tablewrap' },
    h('table', { class: `data ${cls}`, 'data-testid': testid },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, head.map(x => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows)));
}

/** Table 1: batch size -> training time -> final accuracy, as the assignment lays it out (plus detail). */
export function table1El(results, { t, f }) {
  const rows = table1(results).map(r => h('tr', {},
    h('th', { scope: 'row' }, String(r.batch)),
    h('td', { class: 'n' }, f.sec(r.mean_seconds, 2)),
    h('td', { class: 'n' }, f.pct(r.mean_accuracy)),
    h('td', { class: 'n' }, f.pct(r.best_accuracy)),
    h('td', {}, r.best_run ? runLabel(t, f, results.find(x => x.id === r.best_run)) : '—'),
    h('td', { class: 'n' }, `${r.runs}`),
    h('td', { class: 'n' + (r.diverged ? ' bad' : '') }, String(r.diverged))));
  return table('t1', t('t1.caption'),
    [t('t1.batch'), t('t1.time'), t('t1.acc'), t('t1.best'), t('t1.bestRun'), t('t1.runs'), t('t1.diverged')], rows, { testid: 'table1' });
}

/** Table 2: optimizer -> time -> accuracy -> stability (measured), divergences and speed to the target. */
export function table2El(results, { t, f }) {
  const t2 = table2(results);
  const rows = t2.map(r => {
    const sw = stabilityWord(r, t2), tw = timeWord(r, t2);
    return h('tr', {},
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${OPT_COLORS[r.optimizer]}` }), optName(t, r.optimizer)),
      h('td', { class: 'n' }, f.sec(r.mean_seconds, 2), tw ? h('div', { class: 'word' }, t(tw)) : null),
      h('td', { class: 'n' }, f.pct(r.best_accuracy)),
      h('td', { class: 'n' }, f.pct(r.mean_accuracy)),
      h('td', { class: 'n' }, f.fix(r.mean_spread, 3), h('div', { class: `word ${sw === 'stab.best' ? 'good' : sw === 'stab.poor' || sw === 'stab.diverged' ? 'bad' : ''}` }, t(sw))),
      h('td', { class: 'n' + (r.diverged ? ' bad' : '') }, `${r.diverged} / ${r.runs}`),
      h('td', { class: 'n' }, r.best_iterations_to_target != null
        ? t('t2.reachedCell', { it: f.int(r.best_iterations_to_target), s: f.sec(r.best_seconds_to_target, 2), k: r.reached, n: r.runs })
        : t('t2.notReached')));
  });
  return table('t2', t('t2.caption'),
    [t('t2.opt'), t('t2.time'), t('t2.best'), t('t2.mean'), t('t2.stability'), t('t2.diverged'),
      [t('t2.toTarget', { target: f.pct(results[0] ? results[0].target : 0.9, 0) }), h('div', { class: 'word', 'data-testid': 'checked' }, checkedText(t, checkEveryOf(results)))]],
    rows, { testid: 'table2' });
}

export function runLabel(t, f, r) {
  if (!r) return '—';
  return t('run.label', { opt: optName(t, r.optimizer), lr: f.short(r.lr), batch: r.batch, seed: r.seed });
}

/** The optimizers' settings: hyperparameters, what was tried, the best combination. */
export function settingsEl(results, settings, { t, f }) {
  const hm = heatmaps(results);
  const rows = settings.optimizers.map(n => {
    const hyper = effectiveHyper(n, settings);
    const best = hm[n] && hm[n].best;
    return h('tr', {},
      h('th', { scope: 'row' }, optName(t, n)),
      h('td', {}, Object.entries(hyper).map(([k, v]) => `${t(`hp.${k}`)} = ${f.short(v)}`).join(', ') || '—'),
      h('td', { class: 'n' }, settings.lrs.map(f.short).join('; ')),
      h('td', { class: 'n' }, settings.batches.join('; ')),
      h('td', { class: 'n' }, best ? t('best.combo', { lr: f.short(best.lr), batch: best.batch }) : '—'),
      h('td', { class: 'n' }, best ? f.pct(best.accuracy) : '—'));
  });
  return table('tset', t('set.caption'), [t('set.opt'), t('set.hyper'), t('set.lrs'), t('set.batches'), t('set.best'), t('set.acc')], rows, { testid: 'table-settings' });
}

const COLS = [
  ['opt', r => r.optimizer], ['lr', r => r.lr], ['batch', r => r.batch], ['seed', r => r.seed],
  ['trainLoss', r => fin(r, 'train_loss')], ['testLoss', r => fin(r, 'test_loss')],
  ['gap', r => gapOf(r)], ['trainAcc', r => fin(r, 'train_accuracy')], ['testAcc', r => fin(r, 'test_accuracy')],
  ['time', r => r.train_seconds], ['toTarget', r => (r.reached ? r.reached.iteration : Infinity)],
  ['spread', r => r.stability.spread], ['status', r => (r.diverged ? 2 : r.stopped_by === 'epochs' ? 0 : 1)],
];
const fin = (r, k) => (r.final ? r.final[k] : NaN);
export const gapOf = r => (r.final ? r.final.test_loss - r.final.train_loss : NaN);

/** Every finished run, sortable by any column (click a header; again to reverse). */
export function runsTableEl(results, { t, f }, sort = { col: null, dir: 1 }, onSort = () => {}) {
  let rs = results.slice();
  if (sort.col) {
    const get = COLS.find(c => c[0] === sort.col)[1];
    rs.sort((a, b) => {
      const x = get(a), y = get(b);
      const c = typeof x === 'string' ? x.localeCompare(y) : (Number.isNaN(x) ? Infinity : x) - (Number.isNaN(y) ? Infinity : y);
      return sort.dir * (c || 0);
    });
  }
  const every = checkEveryOf(results);
  const head = COLS.map(([k]) => h('th', { scope: 'col', 'aria-sort': sort.col === k ? (sort.dir > 0 ? 'ascending' : 'descending') : null },
    h('button', { type: 'button', class: 'sort', onclick: () => onSort(k) }, t(`runs.${k}`), sort.col === k ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''),
    k === 'toTarget' ? h('div', { class: 'word' }, checkedText(t, every)) : null));
  const rows = rs.map(r => h('tr', { class: r.diverged ? 'diverged' : '' },
    h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${OPT_COLORS[r.optimizer]}` }), optName(t, r.optimizer)),
    h('td', { class: 'n' }, f.short(r.lr)), h('td', { class: 'n' }, String(r.batch)), h('td', { class: 'n' }, String(r.seed)),
    h('td', { class: 'n' }, f.fix(fin(r, 'train_loss'), 4)), h('td', { class: 'n' }, f.fix(fin(r, 'test_loss'), 4)),
    h('td', { class: 'n' + (gapOf(r) > 0.1 ? ' warn' : '') }, f.fix(gapOf(r), 4)),
    h('td', { class: 'n' }, f.pct(fin(r, 'train_accuracy'))), h('td', { class: 'n' }, f.pct(fin(r, 'test_accuracy'))),
    h('td', { class: 'n' }, f.sec(r.train_seconds, 2), atOnceEl(t, r)),
    h('td', { class: 'n' }, r.reached ? t('runs.reachedCell', { e: f.short(Number(r.reached.epoch.toFixed(2))), it: f.int(r.reached.iteration), s: f.sec(r.reached.seconds, 2) }) : t('runs.notReached')),
    h('td', { class: 'n' }, f.fix(r.stability.spread, 3)),
    h('td', { class: r.diverged ? 'bad' : '' }, r.diverged ? t('runs.divergedAt', { it: r.diverged.iteration }) : t(`stopped.${r.stopped_by}`))));
  const thead = h('thead', {}, h('tr', {}, head));
  return h('div', { class: 'tablewrap' }, h('table', { class: 'data runs', 'data-testid': 'runs-table' }, h('caption', {}, t('runs.caption')), thead, h('tbody', {}, rows)));
}

/** The heatmaps as tables: final test accuracy over learning rate x batch size, per optimizer. */
export function heatmapsEl(results, { t, f }) {
  const hm = heatmaps(results);
  const [lo, hi] = heatRange(hm);
  return h('div', { class: 'heatmaps', 'data-testid': 'heatmaps' }, Object.entries(hm).map(([n, m]) =>
    h('table', { class: 'heat' },
      h('caption', {}, h('span', { class: 'swatch', style: `background:${OPT_COLORS[n]}` }), optName(t, n)),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'corner' }, t('heat.corner')), m.batches.map(b => h('th', { scope: 'col' }, `B = ${b}`)))),
      h('tbody', {}, m.lrs.map((lr, i) => h('tr', {}, h('th', { scope: 'row' }, `η = ${f.short(lr)}`), m.batches.map((b, j) => {
        const c = m.cells[i][j];
        if (!c) return h('td', { class: 'missing', title: t('heat.missing') }, '…');
        const best = m.best && m.best.lr === lr && m.best.batch === b;
        if (c.diverged) return h('td', { class: 'div', title: t('heat.divergedTitle') }, '✕ ', t('heat.diverged'));
        const col = heatColor(c.accuracy, lo, hi);
        return h('td', { class: best ? 'best' : '', style: `background:${col.bg};color:${col.fg}`, title: best ? t('heat.bestTitle') : null },
          best ? h('span', { 'aria-label': t('heat.bestTitle') }, '★ ') : null, f.pct(c.accuracy));
      })))))));
}
