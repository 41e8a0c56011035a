// results-view.js - the results view (experiments.html#results): the chart picker and controls, the
// curves of the picked runs and of each optimizer (web/ui/chart.js), Table 1, Table 2, the heatmaps,
// the findings, every run, and the export buttons (CSV, JSON, Markdown, PNG). The numbers come from
// web/lib/experiments.js and web/lib/chart-specs.js, the tables' DOM from ./tables.js.
// state: the page's one state object (web/experiments/page-state.js).
import { h, download, downloadCanvas, fileSafe } from './ui.js';
import { Chart } from '../ui/chart.js';
import { OPT_COLORS } from '../lib/chart-math.js';
import { chartSpecs as specsOf } from '../lib/chart-specs.js';
import { heatmaps, curvesCsv, toCsv, tablesMarkdown } from '../lib/experiments.js';
import { heatmapCanvas } from './heatmap.js';
import { table1El, table2El, runsTableEl, heatmapsEl, optName, convergenceNote } from './tables.js';
import { conclusions } from './conclusions.js';
import { gridRuns, currentResults, selectedKeys, groupBy, runName, runLabel } from './page-state.js';
import { runsRows, experimentJson, exportStamp } from './export-data.js';
import { codeButton } from '../ui/code-dialog.js';
import { translator } from '../lib/i18n.js';
import { CODE_STRINGS } from '../ui/code-strings.js';

/** The run table's "Open in PyTorch" column: its head and each run's button (pytorch.js, loaded on first use). */
function pytorchCells(state) {
  const ct = translator(CODE_STRINGS, state.lang);
  return {
    head: ct('code.short'),
    button: r => codeButton(state.lang, () => import('./pytorch.js').then(m => m.openRunScript(state, r)),
      { 'aria-label': ct('code.openRun', { run: `${optName(state.t, r.optimizer)}, ${runLabel(state, r)}` }), 'data-testid': `pytorch-${r.id}`, class: 'code-open small' },
      { short: true }),
  };
}
import { timesNote } from './times-note.js';

const $ = id => document.getElementById(id);

/** The chart specs for a set of runs (the page and the report use the same; lib/chart-specs.js). */
export function chartSpecs(state, sel, opts = {}) {
  return specsOf(sel, { t: state.t, lang: state.lang, runName: r => runName(state, r), smooth: state.smooth, xIter: state.xIter, logLoss: state.logLoss }, opts);
}

/** The heatmap canvas's words and number formats in the page's language. */
export function heatLabels(state) {
  const { t, f } = state;
  return { title: t('res.heat'), lr: 'η', batch: t('heat.batchAxis'), diverged: t('heat.diverged'), name: n => optName(t, n), pct: v => f.pct(v, 1), num: f.short };
}

/** The measured facts as sentences (the results view and the report's conclusions share them). */
function findingsText(state, results) {
  return conclusions(results, { t: state.t, f: state.f, settings: state.valid, runName: r => runName(state, r) }).facts.map(x => x.text);
}

// the view's charts, by name ('loss', 'acc', 'iter', 'gap', 'opt-NAME'): replaced at each render
const charts = {};
function destroyCharts() { for (const k of Object.keys(charts)) { charts[k].destroy(); delete charts[k]; } }

export function renderResults(state) {
  const { t, f } = state;
  const rerender = () => renderResults(state);
  const box = $('view-results');
  const results = currentResults(state);
  const total = gridRuns(state).length;
  if (!state.stored) {                    // the saved runs are being read (main.js renders again after)
    destroyCharts();
    box.replaceChildren(h('h2', {}, t('res.title')), h('p', { class: 'empty' }, t('res.reading')));
    return;
  }
  if (!results.length) {
    destroyCharts();
    box.replaceChildren(h('h2', {}, t('res.title')), h('p', { class: 'empty' }, t('res.none')), h('p', {}, h('a', { href: '#setup' }, t('res.toSetup'))));
    return;
  }
  const keys = selectedKeys(state, results);
  const runs = gridRuns(state).filter(r => state.results.has(r.key));
  const sel = runs.filter(r => keys.has(r.key)).map(r => state.results.get(r.key));
  const scrollY = window.scrollY;
  const focusId = document.activeElement && document.activeElement.id;

  const partial = results.length < total ? h('p', { class: 'msg warn' }, t('res.partial', { k: results.length, n: total })) : null;
  const picker = h('details', { class: 'picker', open: true }, h('summary', {}, t('pick.title', { k: sel.length, n: results.length })),
    h('div', { class: 'pickbar' },
      h('button', { type: 'button', onclick: () => { state.selection = null; rerender(); } }, t('pick.best')),
      h('button', { type: 'button', onclick: () => { state.selection = new Set(runs.map(r => r.key)); rerender(); } }, t('pick.all')),
      h('button', { type: 'button', onclick: () => { state.selection = new Set(); rerender(); } }, t('pick.none'))),
    h('div', { class: 'pickgroups' }, groupBy(runs, r => r.cfg.optimizer.name).map(([o, rs]) =>
      h('fieldset', { class: 'pickgroup' }, h('legend', {}, h('span', { class: 'swatch', style: `background:${OPT_COLORS[o]}` }), optName(t, o)),
        rs.map(r => {
          const res = state.results.get(r.key);
          const id = `pick-${fileSafe(r.cfg.id)}`;
          return h('label', { class: 'check', for: id },
            h('input', { type: 'checkbox', id, checked: keys.has(r.key), onchange: ev => {
              const s = new Set(keys);
              if (ev.target.checked) s.add(r.key); else s.delete(r.key);
              state.selection = s; rerender();
            } }),
            runLabel(state, res),
            h('span', { class: 'pv' }, res.diverged ? ` ✕ ${t('heat.diverged')}` : ` ${f.pct(res.final && res.final.test_accuracy, 1)}`));
        })))));

  const controls = h('div', { class: 'chartbar' },
    h('label', {}, t('ctl.smooth'), ' ', h('select', { id: 'ctl-smooth', onchange: e => { state.smooth = Number(e.target.value); rerender(); } },
      [1, 5, 10, 25, 50, 100, 200].map(w => h('option', { value: w, selected: state.smooth === w }, w === 1 ? t('ctl.noSmooth') : t('ctl.window', { w }))))),
    h('label', {}, t('ctl.x'), ' ', h('select', { id: 'ctl-x', onchange: e => { state.xIter = e.target.value; rerender(); } },
      ['iteration', 'epoch'].map(v => h('option', { value: v, selected: state.xIter === v }, t(`ctl.x.${v}`))))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'ctl-log', checked: state.logLoss, onchange: e => { state.logLoss = e.target.checked; rerender(); } }), t('ctl.log')));

  const specs = chartSpecs(state, sel);
  const fig = (k, extra) => h('figure', { class: 'chartfig' },
    h('figcaption', {}, h('span', {}, t(`chart.${k}`)), h('button', { type: 'button', class: 'small', id: `png-${k}`, 'aria-label': `${t('btn.png')}: ${t(`chart.${k}`)}`, onclick: () => savePng(state, k) }, t('btn.png'))),
    h('div', { class: 'chart', id: `chart-${k}` }), extra ? h('p', { class: 'hint' }, extra) : null);

  const perOpt = groupBy(runs, r => r.cfg.optimizer.name);
  const hmCanvasBtn = h('button', { type: 'button', class: 'small', onclick: () => downloadCanvas(heatmapCanvas(heatmaps(results), heatLabels(state)), 'heatmaps.png') }, t('btn.png'));

  const f1 = findingsText(state, results);
  box.replaceChildren(...[
    h('div', { class: 'reshead' }, h('h2', {}, t('res.title')), exportBar(state, results)),
    partial,
    h('section', { class: 'card' }, h('h3', {}, t('res.curves')), h('p', { class: 'hint' }, t('res.curvesNote')), picker, controls,
      h('div', { class: 'charts' }, fig('loss'), fig('acc'), fig('iter', t('chart.iterNote')), fig('gap', t('chart.gapNote')))),
    h('section', { class: 'card' }, h('h3', {}, t('res.perOpt')), h('p', { class: 'hint' }, t('res.perOptNote')),
      h('div', { class: 'charts small' }, perOpt.map(([o]) => h('figure', { class: 'chartfig' },
        h('figcaption', {}, h('span', {}, t('chart.perOpt', { opt: optName(t, o) })), h('button', { type: 'button', class: 'small', onclick: () => savePng(state, `opt-${o}`) }, t('btn.png'))),
        h('div', { class: 'chart', id: `chart-opt-${o}` }))))),
    h('section', { class: 'card' }, h('h3', {}, t('res.tables')),
      table1El(results, { t, f }),
      table2El(results, { t, f }),
      timesNote(t, results, { a: 1, b: 2 }),       // this view's Table 1 and Table 2
      h('p', { class: 'hint stability-note' }, t('note.stability', { b: 2 })),
      h('p', { class: 'hint' }, t('note.words')),
      h('p', { class: 'hint' }, convergenceNote(t, f, results, state.valid.target))),
    h('section', { class: 'card' }, h('div', { class: 'sechead' }, h('h3', {}, t('res.heat')), hmCanvasBtn), h('p', { class: 'hint' }, t('res.heatNote')),
      heatmapsEl(results, { t, f })),
    h('section', { class: 'card' }, h('h3', {}, t('res.findings')), h('ul', { class: 'findings', 'data-testid': 'findings' }, f1.map(x => h('li', {}, x)))),
    h('section', { class: 'card' }, h('h3', {}, t('res.runs')), h('p', { class: 'hint' }, t('res.runsNote')),
      runsTableEl(results, { t, f }, state.sort, col => { state.sort = { col, dir: state.sort.col === col ? -state.sort.dir : 1 }; rerender(); }, pytorchCells(state))),
  ].filter(Boolean));
  destroyCharts();
  for (const k of ['loss', 'acc', 'iter', 'gap']) { charts[k] = new Chart($(`chart-${k}`), { ...specs[k], title: t(`chart.${k}`) }, { height: 250 }); }
  for (const [o, rs] of perOpt) {
    const k = `opt-${o}`;
    const rres = rs.map(r => state.results.get(r.key));
    charts[k] = new Chart($(`chart-${k}`), { ...chartSpecs(state, rres, { xIter: 'epoch', log: true }).iter, title: t('chart.perOpt', { opt: optName(t, o) }) }, { height: 220 });
  }
  window.scrollTo(0, scrollY);
  if (focusId && $(focusId)) $(focusId).focus();
}

function savePng(state, k) {
  const { t } = state;
  const c = charts[k];
  if (!c) return;
  const title = k.startsWith('opt-') ? t('chart.perOpt', { opt: optName(t, k.slice(4)) }) : t(`chart.${k}`);
  const img = c.image(title);
  if (img) downloadCanvas(img, `${fileSafe(k)}.png`);
}

function exportBar(state, results) {
  const { t } = state;
  const button = (id, label, file) => h('button', { type: 'button', id, onclick: () => download(...file()) }, t(label));
  return h('div', { class: 'exports', role: 'group', 'aria-label': t('exp.label') },
    h('span', { class: 'exlabel' }, t('exp.label')),
    button('exp-epochs', 'exp.epochs', () => [curvesCsv(results).epochs, `epochs-${exportStamp()}.csv`, 'text/csv']),
    button('exp-iters', 'exp.iters', () => [curvesCsv(results).iterations, `iterations-${exportStamp()}.csv`, 'text/csv']),
    button('exp-runs', 'exp.runs', () => [toCsv(runsRows(results)), `runs-${exportStamp()}.csv`, 'text/csv']),
    button('exp-json', 'exp.json', () => [experimentJson({ settings: state.valid, info: state.info, lang: state.lang, results }), `experiment-${exportStamp()}.json`, 'application/json']),
    button('exp-md', 'exp.md', () => [tablesMarkdown(results, (k, p) => t(`md.${k}`, p)), `tables-${exportStamp()}.md`, 'text/markdown']));
}
