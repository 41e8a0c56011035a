// report.js - the printable report (experiments.html#report): the sections the assignment asks for,
// written from the measured results: aims, backpropagation and the optimizers in short, the network,
// the gradient formulas of its layers and the update rule of each optimizer used (KaTeX), the plots
// (images of the charts), Table 1, Table 2, the heatmaps, the lr x batch analysis, and conclusions
// stated from findings(). Print it to PDF from the browser (print CSS in experiments.css).
import katex from '../vendor/katex/katex.mjs';
import { h } from './ui.js';
import { chartImage } from '../ui/chart.js';
import { table1El, table2El, unhealthyEl, heatmapsEl, settingsEl, optName, convergenceNote } from './tables.js';
import { conclusions } from './conclusions.js';
import { timesNote } from './times-note.js';

const tex = (src, display = false) => h('span', { class: display ? 'tex display' : 'tex', html: katex.renderToString(src, { throwOnError: false, displayMode: display, output: 'html' }) });

/** Update rules as the core implements them (torch.optim; the course's form for Momentum). */
export const UPDATE_RULES = {
  sgd: ['\\theta \\leftarrow \\theta - \\eta\\, g'],
  momentum: ['v \\leftarrow \\gamma v + \\eta\\, g', '\\theta \\leftarrow \\theta - v'],
  nesterov: ['b \\leftarrow \\mu b + g', '\\theta \\leftarrow \\theta - \\eta\\,(g + \\mu b)'],
  adagrad: ['G \\leftarrow G + g^2', '\\theta \\leftarrow \\theta - \\dfrac{\\eta}{\\sqrt{G} + \\varepsilon}\\, g'],
  rmsprop: ['E[g^2] \\leftarrow \\alpha\\, E[g^2] + (1 - \\alpha)\\, g^2', '\\theta \\leftarrow \\theta - \\dfrac{\\eta}{\\sqrt{E[g^2]} + \\varepsilon}\\, g'],
  adam: ['m \\leftarrow \\beta_1 m + (1 - \\beta_1)\\, g', 'v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g^2',
    '\\hat m = \\dfrac{m}{1 - \\beta_1^t},\\quad \\hat v = \\dfrac{v}{1 - \\beta_2^t}', '\\theta \\leftarrow \\theta - \\dfrac{\\eta\\, \\hat m}{\\sqrt{\\hat v} + \\varepsilon}'],
  amsgrad: ['m \\leftarrow \\beta_1 m + (1 - \\beta_1)\\, g', 'v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g^2', 'v_{\\max} \\leftarrow \\max(v_{\\max}, v)',
    '\\theta \\leftarrow \\theta - \\dfrac{\\eta\\, m / (1 - \\beta_1^t)}{\\sqrt{v_{\\max} / (1 - \\beta_2^t)} + \\varepsilon}'],
};

const DERIV = {
  relu: "f'(z) = \\mathbb{1}[z > 0]",
  leaky_relu: "f'(z) = \\mathbb{1}[z > 0] + \\alpha\\,\\mathbb{1}[z \\le 0],\\ \\alpha = 0.01",
  elu: "f'(z) = \\mathbb{1}[z > 0] + (f(z) + \\alpha)\\,\\mathbb{1}[z \\le 0],\\ \\alpha = 1",
  tanh: "f'(z) = 1 - \\tanh^2 z",
  sigmoid: "f'(z) = \\sigma(z)\\,(1 - \\sigma(z))",
};

/** A conclusion as a list item, with a link to each table it cites ({text, refs}: conclusions.js);
 * nums: the printed number of each table by its cell-id prefix (t1, t2, bad, heat). */
function conclusionItem(item, nums, t) {
  const byTable = new Map();
  for (const id of item.refs) {
    const key = id.split('-')[1];
    if (!byTable.has(key)) byTable.set(key, []);
    byTable.get(key).push(id);
  }
  const links = [...byTable].map(([key, ids]) => h('a', { class: 'ref', href: `#${ids[0]}`, title: t('rep.refTitle'), 'data-cells': ids.join(' ') },
    t('rep.ref', { n: nums[key] ?? '?' })));
  return h('li', { 'data-refs': item.refs.join(' ') }, item.text, links.length ? [' [', ...links.flatMap((l, i) => (i ? ['; ', l] : [l])), ']'] : null,
    item.course ? h('span', { class: 'course' }, ` (${t('rep.course')})`) : null);
}

/** Builds the report into `box`; resolves to false when a newer rendering overtook it (box untouched). ctx: {t, f, lang, results, settings, info, runName, total, chartSpecs, selectedKeys, gridRuns, stateResults, heatLabels} */
let renderSeq = 0;
export async function renderReport(box, ctx) {
  const seq = ++renderSeq;
  const { t, f, results, settings, info, runName } = ctx;
  const toolbar = h('div', { class: 'report-tools no-print' },
    h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('rep.print')),
    h('span', { class: 'hint' }, t('rep.printHint')));
  if (!results.length) {
    box.replaceChildren(toolbar, h('article', { class: 'report' }, h('h1', {}, t('rep.title')), h('p', { class: 'empty' }, t('res.none'))));
    return true;
  }
  const c = conclusions(results, ctx);
  const s = settings;
  const layers = [784, ...s.hidden, 10];
  const L = layers.length - 1;
  const nParams = layers.slice(1).reduce((a, n, i) => a + n * layers[i] + n + (s.batchnorm && i < L - 1 ? 2 * n : 0), 0);
  const drop = s.hidden.map((_, i) => (s.dropout.length === 1 ? s.dropout[0] : s.dropout[i]));
  let fig = 0, tab = 0;
  const nums = {};                        // the printed number of each cited table
  const figure = (im, caption) => (im ? h('figure', { class: 'rfig' }, h('img', { src: im.src, width: im.width, height: im.height, alt: caption }),
    h('figcaption', {}, t('rep.fig', { n: ++fig }), ' ', caption)) : null);
  const tcap = (caption, key) => { ++tab; if (key) nums[key] = tab; return h('p', { class: 'tcap' }, t('rep.table', { n: tab }), ' ', caption); };
  // a caption and its table stay on one page
  const tblock = (caption, key, el) => (el ? h('div', { class: 'tblock' }, tcap(caption, key), el) : null);

  // the runs in the overlaid charts
  const keys = ctx.selectedKeys(results);
  const sel = ctx.gridRuns().filter(r => keys.has(r.key)).map(r => ctx.stateResults.get(r.key));
  const specs = ctx.chartSpecs(sel, { xIter: 'iteration' });
  const W = 700;
  const img = (spec, title) => chartImage(spec, title, { width: W, height: 240 });
  const legendNote = sel.length ? t('rep.shown', { list: sel.map(r => runName(r)).join('; ') }) : '';

  // architecture table
  const archRows = layers.slice(1).map((n, i) => h('tr', {},
    h('th', { scope: 'row' }, String(i + 1)),
    h('td', { class: 'n' }, `${layers[i]} → ${n}`),
    h('td', {}, tex(`W^{(${i + 1})} \\in \\mathbb{R}^{${n} \\times ${layers[i]}},\\ b^{(${i + 1})} \\in \\mathbb{R}^{${n}}`)),
    h('td', {}, i === L - 1 ? 'softmax' : t(`act.${s.act}`)),
    h('td', {}, i < L - 1 ? [drop[i] > 0 ? t('rep.dropoutP', { p: f.short(drop[i]) }) : null, s.batchnorm ? t('rep.bn') : null].filter(Boolean).join(', ') || '—' : '—'),
    h('td', { class: 'n' }, f.int(n * layers[i] + n + (s.batchnorm && i < L - 1 ? 2 * n : 0)))));

  // per-layer gradient formulas of this network
  const layerTex = [];
  for (let l = L; l >= 1; l--) {
    const d = l === L ? `\\delta^{(${l})} = \\hat y - y \\in \\mathbb{R}^{${layers[l]}}`
      : `\\delta^{(${l})} = \\left(W^{(${l + 1})\\top} \\delta^{(${l + 1})}\\right) \\odot f'\\!\\left(z^{(${l})}\\right) \\in \\mathbb{R}^{${layers[l]}}`;
    const prevT = l === 1 ? 'x^{\\top}' : `a^{(${l - 1})\\top}`;
    layerTex.push(h('li', {}, h('strong', {}, t('rep.layerN', { l, n: layers[l], m: layers[l - 1] })), ' ',
      tex(d), h('br'), tex(`\\frac{\\partial L}{\\partial W^{(${l})}} = \\delta^{(${l})}\\, ${prevT} \\in \\mathbb{R}^{${layers[l]} \\times ${layers[l - 1]}},\\qquad \\frac{\\partial L}{\\partial b^{(${l})}} = \\delta^{(${l})}`)));
  }

  const perOpt = [...new Set(results.map(r => r.optimizer))];
  const images = {
    loss: await img(specs.loss, t('chart.loss')), acc: await img(specs.acc, t('chart.acc')),
    iter: await img(specs.iter, t('chart.iter')), gap: await img(specs.gap, t('chart.gap')), perOpt: {},
  };
  for (const o of perOpt) images.perOpt[o] = await img(ctx.chartSpecs(results.filter(r => r.optimizer === o), { xIter: 'epoch', log: true }).iter, t('chart.perOpt', { opt: optName(t, o) }));
  if (seq !== renderSeq) return false;    // a newer rendering has started
  const date = new Date().toLocaleString(ctx.lang === 'ru' ? 'ru-RU' : 'en-US', { dateStyle: 'long', timeStyle: 'short' });
  const notesKey = 'backprop-lab-report-notes';
  const notes = h('div', { class: 'notes', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true', 'aria-label': t('rep.notesLabel'),
    'data-placeholder': t('rep.notesPlaceholder'), oninput: e => { try { localStorage.setItem(notesKey, e.target.innerText); } catch { /* private mode */ } } });
  try { notes.innerText = localStorage.getItem(notesKey) || ''; } catch { /* private mode */ }

  const partial = results.length < ctx.total ? h('p', { class: 'msg warn' }, t('res.partial', { k: results.length, n: ctx.total })) : null;

  const article = h('article', { class: 'report', 'data-testid': 'report', lang: ctx.lang },
    h('header', { class: 'rhead' },
      h('h1', {}, t('rep.title')),
      h('p', { class: 'sub' }, t('rep.subtitle')),
      // the data of the settings (a run's key holds them); the kernels the runs record (older saved runs: the worker's, once it answered)
      h('p', { class: 'meta' }, t('rep.meta', { date, data: t(`data.${s.data}`), n: results.length,
        kernels: [...new Set(results.map(r => r.kernels).filter(Boolean))].join(', ') || (info && info.kernels) || '—' }))),
    partial,
    h('section', {}, h('h2', {}, t('rep.s1')),
      h('h3', {}, t('rep.aims')), h('p', {}, t('rep.aimsText')),
      h('h3', {}, t('rep.bpTitle')), h('p', {}, t('rep.bpText')),
      h('h3', {}, t('rep.optTitle')), h('p', {}, t('rep.optText'))),
    h('section', {}, h('h2', {}, t('rep.s2')),
      h('p', {}, t('rep.archText', { layers: layers.join('–'), act: t(`act.${s.act}`), params: f.int(nParams) })),
      tblock(t('rep.archCaption'), null, h('div', { class: 'tablewrap' }, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['rep.col.layer', 'rep.col.shape', 'rep.col.params', 'rep.col.act', 'rep.col.reg', 'rep.col.count'].map(k => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, archRows)))),
      h('p', {}, t('rep.training', { loss: t('rep.ce'), init: t('rep.initHe'), epochs: s.epochs, wd: s.weight_decay > 0 ? t('rep.wd', { wd: f.short(s.weight_decay) }) : t('rep.noWd'),
        stop: t(`stop.${s.stop}`) + (s.stop === 'grad_norm' || s.stop === 'step_length' ? ` (ξ = ${f.short(s.xi)})` : s.stop === 'patience' ? ` (P = ${s.patience}, ${t('f.validation').toLowerCase()} ${s.validation})` : '') }))),
    h('section', { class: 'formulas' }, h('h2', {}, t('rep.s3')),
      h('p', {}, t('rep.forward')),
      tex('z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)},\\qquad a^{(l)} = f\\!\\left(z^{(l)}\\right),\\qquad a^{(0)} = x,\\qquad \\hat y = \\operatorname{softmax}\\!\\left(z^{(L)}\\right)', true),
      tex('L = -\\frac{1}{B}\\sum_{b=1}^{B} \\sum_{k=1}^{10} y_{bk} \\log \\hat y_{bk}', true),
      h('p', {}, t('rep.backward')),
      tex('\\delta^{(L)} = \\frac{\\partial L}{\\partial z^{(L)}} = \\hat y - y', true),
      tex("\\delta^{(l)} = \\left(W^{(l+1)\\top} \\delta^{(l+1)}\\right) \\odot f'\\!\\left(z^{(l)}\\right)", true),
      tex('\\frac{\\partial L}{\\partial W^{(l)}} = \\delta^{(l)}\\, a^{(l-1)\\top},\\qquad \\frac{\\partial L}{\\partial b^{(l)}} = \\delta^{(l)}', true),
      h('p', {}, t('rep.deriv'), ' ', tex(DERIV[s.act] || "f'(z)"), '. ', t('rep.batchMean')),
      h('p', {}, t('rep.perLayer')),
      h('ol', { class: 'layers', reversed: true }, layerTex),
      drop.some(p => p > 0) ? h('p', {}, t('rep.dropoutF'), ' ', tex('a^{(l)} = f\\!\\left(z^{(l)}\\right) \\odot m^{(l)},\\ m_i = \\frac{\\mathbb{1}[u_i > p]}{1 - p};\\quad \\delta^{(l)} \\leftarrow \\delta^{(l)} \\odot m^{(l)}')) : null,
      s.batchnorm ? h('p', {}, t('rep.bnF'), ' ', tex('\\hat z = \\frac{z - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}},\\quad a = f(\\gamma \\hat z + \\beta)')) : null,
      s.weight_decay > 0 ? h('p', {}, t('rep.wdF'), ' ', tex('g \\leftarrow g + \\lambda\\,\\theta')) : null,
      h('h3', {}, t('rep.rules')),
      h('p', {}, t('rep.rulesNote')),
      h('dl', { class: 'rules' }, s.optimizers.map(o => [h('dt', {}, optName(t, o)), h('dd', {}, UPDATE_RULES[o].map(r => tex(r, true)))]))),
    h('section', {}, h('h2', {}, t('rep.s4')),
      tblock(t('set.caption'), null, settingsEl(results, s, { t, f })),
      h('p', {}, legendNote),
      figure(images.loss, t('rep.figLoss')),
      figure(images.acc, t('rep.figAcc')),
      figure(images.iter, t('rep.figIter')),
      figure(images.gap, t('rep.figGap')),
      perOpt.map(o => figure(images.perOpt[o], t('rep.figPerOpt', { opt: optName(t, o) })))),
    h('section', {}, h('h2', {}, t('rep.s5')),
      tblock(t('rep.t1'), 't1', table1El(results, { t, f })),
      tblock(t('rep.t2'), 't2', table2El(results, { t, f })),
      h('p', { class: 'hint' }, t('note.health')),
      timesNote(t, results, { a: nums.t1, b: nums.t2 }),     // (numbered by the tblocks above)
      h('p', { class: 'hint' }, t('note.stability', { b: nums.t2 })),
      h('p', { class: 'hint' }, t('note.words')),
      h('p', { class: 'hint' }, convergenceNote(t, f, results, s.target)),
      tblock(t('rep.tBad', { a: nums.t1, b: nums.t2 }), 'bad', unhealthyEl(results, { t, f })),
      tblock(t('rep.tHeat'), 'heat', heatmapsEl(results, { t, f })),
      h('h3', {}, t('rep.lrBatch')),
      h('ul', { 'data-testid': 'analysis' }, c.analysis.map(x => conclusionItem(x, nums, t)))),
    h('section', { 'data-testid': 'conclusions' }, h('h2', {}, t('rep.s6')),
      h('h3', {}, t('rep.facts')), h('ul', { class: 'findings' }, c.facts.map(x => conclusionItem(x, nums, t))),
      h('h3', {}, t('rep.recs')), h('ul', {}, c.recommendations.map(x => conclusionItem(x, nums, t))),
      h('h3', {}, t('rep.problems')), h('ul', {}, c.problems.map(x => conclusionItem(x, nums, t))),
      h('h3', {}, t('rep.notes')), notes));
  box.replaceChildren(toolbar, article);
  return true;
}
