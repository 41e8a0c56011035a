// tables.js - the measured tables as DOM: Table 1 (batch size), Table 2 (optimizer), the optimizers'
// settings, every run, and the heatmaps as tables. The numbers come from web/experiments.js
// (table1, table2, heatmaps); this module only lays them out in the page's language.
import { table1, table2, heatmaps, checkEveryOf } from '../lib/experiments.js';
import { cellId, healthOf, accOf } from '../lib/report-stats.js';
import { HEALTH_CLASSES, UNHEALTHY } from '../lib/health.js';
import { timeText } from './conclusions.js';
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

/** The word of Table 2's stability column: from the mean loss spike S over the optimizer's healthy runs,
 * against the smallest in the table (rule in the page); a group without a healthy run is never stable. */
export function stabilityWord(row, rows) {
  if (!row.healthy) return 'stab.none';
  const spikes = rows.filter(r => r.healthy).map(r => r.mean_spike).filter(Number.isFinite);
  if (!Number.isFinite(row.mean_spike) || !spikes.length) return 'stab.unknown';
  const m = Math.min(...spikes), q = m > 0 ? row.mean_spike / m : row.mean_spike > 0 ? Infinity : 1;
  return q <= 1.1 ? 'stab.best' : q <= 1.5 ? 'stab.good' : q <= 2.5 ? 'stab.fluct' : 'stab.poor';
}
/** The word of a time cell: fastest or slowest only beyond the spread of the times (lib/report-stats.js rankTimes). */
export function timeWord(row) {
  if (!Number.isFinite(row.mean_seconds)) return null;
  return { fastest: 'time.fastest', slowest: 'time.slowest', noise: 'time.noise' }[row.time_rank] || null;
}

/** The health of a group of runs: one line per class present ("9 converged", "2 stuck at chance"). */
export function healthCell(t, row, id) {
  return h('td', { id, class: 'health' + (UNHEALTHY.some(c => row.health[c]) ? ' warn' : '') },
    HEALTH_CLASSES.filter(c => row.health[c]).map(c => h('div', { 'data-health': c, 'data-count': String(row.health[c]) }, t('k.count', { n: row.health[c], cls: t(`hc.${c}`) }))));
}

function table(cls, caption, head, rows, { testid } = {}) {
  return h('div', { class: 'tablewrap' },
    h('table', { class: `data ${cls}`, 'data-testid': testid },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, head.map(x => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows)));
}

/** Table 1: batch size -> training time -> final accuracy, as the assignment lays it out (plus health and detail). */
export function table1El(results, { t, f }) {
  const rows = table1(results).map(r => {
    const id = col => cellId('t1', r.batch, col), tw = timeWord(r);
    return h('tr', {},
      h('th', { scope: 'row' }, String(r.batch)),
      healthCell(t, r, id('health')),
      h('td', { class: 'n', id: id('time') }, timeText(f, r.mean_seconds, r.sd_seconds), tw ? h('div', { class: 'word' }, t(tw)) : null),
      h('td', { class: 'n', id: id('acc') }, f.pct(r.mean_accuracy)),
      h('td', { class: 'n', id: id('best') }, f.pct(r.best_accuracy)),
      h('td', { id: id('bestRun') }, r.best_run ? runLabel(t, f, results.find(x => x.id === r.best_run)) : '—'));
  });
  return table('t1', t('t1.caption'),
    [t('t1.batch'), t('t1.health'), t('t1.time'), t('t1.acc'), t('t1.best'), t('t1.bestRun')], rows, { testid: 'table1' });
}

/** Table 2: optimizer -> health -> time -> accuracy -> stability (measured) and speed to the target (one run). */
export function table2El(results, { t, f }) {
  const t2 = table2(results);
  const rows = t2.map(r => {
    const sw = stabilityWord(r, t2), tw = timeWord(r), id = col => cellId('t2', r.optimizer, col);
    const tt = r.to_target;
    return h('tr', {},
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${OPT_COLORS[r.optimizer]}` }), optName(t, r.optimizer)),
      healthCell(t, r, id('health')),
      h('td', { class: 'n', id: id('time') }, timeText(f, r.mean_seconds, r.sd_seconds), tw ? h('div', { class: 'word' }, t(tw)) : null),
      h('td', { class: 'n', id: id('best') }, f.pct(r.best_accuracy)),
      h('td', { class: 'n', id: id('mean') }, f.pct(r.mean_accuracy)),
      h('td', { class: 'n', id: id('stability') }, r.healthy ? f.fix(r.mean_spike, 2) : '—',
        Number.isFinite(r.seed_sd) ? h('div', {}, t('t2.seedSd', { sd: f.fix(100 * r.seed_sd, 2) })) : null,
        h('div', { class: `word ${sw === 'stab.best' ? 'good' : sw === 'stab.poor' || sw === 'stab.none' ? 'bad' : ''}` }, t(sw))),
      h('td', { class: 'n', id: id('target'), 'data-run': tt ? tt.id : null }, tt
        ? [t('t2.targetCell', { it: f.int(tt.iteration), e: f.short(Number(tt.epoch.toFixed(2))), s: f.sec(tt.seconds, 2), k: r.reached, n: r.runs }),
          h('div', { class: 'word' }, runLabel(t, f, results.find(x => x.id === tt.id)))]
        : t('t2.notReached')));
  });
  return table('t2', t('t2.caption'),
    [t('t2.opt'), t('t2.health'), t('t2.time'), t('t2.best'), t('t2.mean'), t('t2.stability'),
      [t('t2.toTarget', { target: f.pct(results[0] ? results[0].target : 0.9, 0) }), h('div', { class: 'word', 'data-testid': 'checked' }, checkedText(t, checkEveryOf(results)))]],
    rows, { testid: 'table2' });
}

/** The runs that did not learn (stuck, exploded, diverged), each with its class and why. */
export function unhealthyEl(results, { t, f }) {
  const bad = results.filter(r => UNHEALTHY.includes(healthOf(r)));
  if (!bad.length) return null;
  const rows = bad.map(r => {
    const e0 = r.epochs.find(e => e.epoch === 0), last = r.epochs[r.epochs.length - 1];
    return h('tr', { id: cellId('bad', r.id), 'data-health': healthOf(r) },
      h('th', { scope: 'row' }, runLabel(t, f, r)),
      h('td', { class: 'n' }, String(r.seed)),
      h('td', { class: 'bad' }, t(`hc.${healthOf(r)}`)),
      h('td', { class: 'n' }, f.pct(accOf(r))),
      h('td', { class: 'n' }, e0 ? f.fix(e0.train_loss, 3) : '—'),
      h('td', { class: 'n' }, r.diverged ? t('runs.divergedAt', { it: r.diverged.iteration }) : last ? f.fix(last.train_loss, 3) : '—'));
  });
  return table('tbad', t('bad.caption'), [t('bad.run'), t('runs.seed'), t('bad.class'), t('bad.acc'), t('bad.start'), t('bad.end')], rows, { testid: 'table-unhealthy' });
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
  ['spread', r => r.stability.spread], ['status', r => (r.diverged ? 3 : UNHEALTHY.includes(healthOf(r)) ? 2 : r.stopped_by === 'epochs' ? 0 : 1)],
];
const fin = (r, k) => (r.final ? r.final[k] : NaN);
export const gapOf = r => (r.final ? r.final.test_loss - r.final.train_loss : NaN);

/** Every finished run, sortable by any column (click a header; again to reverse). */
export function runsTableEl(results, { t, f }, sort = { col: null, dir: 1 }, onSort = () => {}, code = null) {
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
  const rows = rs.map(r => h('tr', { class: UNHEALTHY.includes(healthOf(r)) ? 'diverged' : '', 'data-health': healthOf(r) },
    h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${OPT_COLORS[r.optimizer]}` }), optName(t, r.optimizer)),
    h('td', { class: 'n' }, f.short(r.lr)), h('td', { class: 'n' }, String(r.batch)), h('td', { class: 'n' }, String(r.seed)),
    h('td', { class: 'n' }, f.fix(fin(r, 'train_loss'), 4)), h('td', { class: 'n' }, f.fix(fin(r, 'test_loss'), 4)),
    h('td', { class: 'n' + (gapOf(r) > 0.1 ? ' warn' : '') }, f.fix(gapOf(r), 4)),
    h('td', { class: 'n' }, f.pct(fin(r, 'train_accuracy'))), h('td', { class: 'n' }, f.pct(fin(r, 'test_accuracy'))),
    h('td', { class: 'n' }, f.sec(r.train_seconds, 2), atOnceEl(t, r)),
    h('td', { class: 'n' }, r.reached ? t('runs.reachedCell', { e: f.short(Number(r.reached.epoch.toFixed(2))), it: f.int(r.reached.iteration), s: f.sec(r.reached.seconds, 2) }) : t('runs.notReached')),
    h('td', { class: 'n' }, f.fix(r.stability.spread, 3)),
    h('td', { class: UNHEALTHY.includes(healthOf(r)) ? 'bad' : '' }, r.diverged ? t('runs.divergedAt', { it: r.diverged.iteration })
      : UNHEALTHY.includes(healthOf(r)) ? t(`hc.${healthOf(r)}`) : t(`stopped.${r.stopped_by}`)),
    code ? h('td', {}, code.button(r)) : null));
  if (code) head.push(h('th', { scope: 'col' }, code.head));      // "Open in PyTorch" (results-view.js)
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
        const c = m.cells[i][j], id = cellId('heat', n, lr, b);
        if (!c) return h('td', { id, class: 'missing', title: t('heat.missing') }, '…');
        const best = m.best && m.best.lr === lr && m.best.batch === b;
        if (c.diverged) return h('td', { id, class: 'div', title: t('heat.divergedTitle') }, '✕ ', t('heat.diverged'));
        if (c.health && !c.healthy) return h('td', { id, class: 'div', 'data-health': c.health }, f.pct(c.accuracy), h('div', { class: 'word' }, t(`hc.${c.health}`)));
        const col = heatColor(c.accuracy, lo, hi);
        return h('td', { id, class: best ? 'best' : '', style: `background:${col.bg};color:${col.fg}`, title: best ? t('heat.bestTitle') : null },
          best ? h('span', { 'aria-label': t('heat.bestTitle') }, '★ ') : null, f.pct(c.accuracy));
      })))))));
}
