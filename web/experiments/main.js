// main.js - the experiment page (experiments.html): the practical work's Part 2 and 3. The settings
// form (checked field by field, mirrored in the URL), the grid queued in a Web Worker with pause,
// resume and cancel, finished runs kept in IndexedDB, the results (curves, Table 1, Table 2,
// heatmaps, every run), exports, and the printable report (#report).
import { STRINGS } from './strings.js';
import { h, download, downloadCanvas, fileSafe } from './ui.js';
import { translator } from '../lib/i18n.js';
import { numberFormats } from '../lib/format.js';
import { mountShell, pageLanguage } from '../ui/shell.js';
import { WorkerClient } from '../lib/worker-client.js';
import { moduleWorker } from '../ui/spawn.js';
import { ResultStore } from './store.js';
import { OPTIMIZERS, HIDDEN_ACTIVATIONS, FIELDS, parse, fromQuery, toQuery, toRuns, toGrid, labelKey, hintKey } from '../lib/experiment-settings.js';
import { heatmapCanvas } from './charts.js';
import { Chart } from '../ui/chart.js';
import { OPT_COLORS } from '../lib/chart-math.js';
import { chartSpecs as specsOf, liveSpec } from '../lib/chart-specs.js';
import { table1El, table2El, runsTableEl, heatmapsEl, optName, convergenceNote } from './tables.js';
import { renderReport, conclusions } from './report.js';
import { heatmaps, curvesCsv, toCsv, tablesMarkdown, STOPPING } from '../lib/experiments.js';
import { registerOffline } from '../ui/offline.js';

const $ = id => document.getElementById(id);

// ---------------------------------------------------------------- state
const state = {
  lang: pageLanguage(),  // ?lang=, the saved choice, the browser's languages (web/ui/shell.js)
  strs: null,            // the form's strings
  errors: {},            // field -> {key, params}
  valid: null,           // the last valid settings
  ctx: {},               // {nTrain, nTrainInFile, fullAvailable}
  info: null,            // the worker's init answer
  status: 'loading',     // loading | idle | running | pausing | paused | done | error
  results: new Map(),    // key -> result (every saved run, of any grid)
  current: null,         // the run in progress: {key, id, index, count, iteration, totalBatches, epoch, epochs, xs, ys, seconds}
  session: null,         // {t0, count, done} of the current start
  selection: null,       // Set of keys picked for the charts (null: the best of each optimizer)
  sort: { col: null, dir: 1 },
  smooth: 25, xIter: 'iteration', logLoss: false,
  message: null,         // {key, params, kind}
  paused: null,          // key of a run paused half-way
};
let t = translator(STRINGS, state.lang), f = numberFormats(state.lang);
const store = new ResultStore();
let client = null;
let initPromise = null, initKey = '';

// ---------------------------------------------------------------- boot
async function boot() {
  const q = fromQuery(location.search, state.ctx);
  state.strs = q.strs; state.errors = q.errors;
  if (q.unknown.length) state.message = { kind: 'bad', key: 'msg.unknownParams', params: { list: q.unknown.map(u => `${u.param}=${u.value}`).join(', ') } };
  state.valid = Object.keys(q.errors).length ? null : q.settings;
  if (!state.valid) state.valid = parse({}, state.ctx).settings;
  mountShell({ page: 'experiments', lang: state.lang, onLanguage: setLang });
  renderChrome();
  renderSetup();
  route();
  window.addEventListener('hashchange', route);
  await store.open();
  state.results = await store.all();
  try {
    client = new WorkerClient(moduleWorker(new URL('./worker.js', import.meta.url)));
    client.on('progress', onProgress).on('run-done', onRunDone).on('grid-done', onGridDone).on('status', onWorkerStatus)
      .on('fatal', e => fail(e));
  } catch (e) { fail({ code: 'WORKER', message: String(e) }); return; }
  probeFull();
  liveChartUpdate();
  ensureInit().then(() => { if (state.status === 'loading') setStatus('idle'); }).catch(fail);
  renderAll();
}

async function probeFull() {
  try {
    const r = await fetch(new URL('../../data/mnist-full.bin', import.meta.url), { method: 'HEAD' });
    state.ctx.fullAvailable = r.ok;
  } catch { state.ctx.fullAvailable = false; }
  const opt = document.querySelector('#f-data option[value="full"]');
  if (opt) opt.disabled = !state.ctx.fullAvailable;
  revalidate();
}

/** Loads the data the settings ask for (once per data file and validation size). */
function ensureInit() {
  const g = toGrid(state.valid);
  const key = `${g.data}/${g.validation}`;
  if (initPromise && initKey === key) return initPromise;
  initKey = key;
  if (state.status === 'idle' || state.status === 'done') setStatus('loading');
  initPromise = client.request('init', { data: g.data, validation: g.validation }).then(info => {
    state.info = info;
    state.workerWhat = null;
    state.ctx.nTrain = info.nTrain; state.ctx.nTrainInFile = info.nTrainInFile;
    revalidate();
    return info;
  });
  initPromise.catch(() => { initPromise = null; initKey = ''; });
  return initPromise;
}

function fail(e) {
  setStatus('error');
  const field = e && e.field && FIELDS.includes(e.field) ? e.field : null;
  if (field) { state.errors[field] = { key: 'err.worker', params: { m: e.message } }; showErrors(); }
  state.message = { kind: 'bad', key: e && e.source === 'data' ? (e.code === 'NOT_FOUND' ? 'msg.dataMissing' : 'msg.dataBad') : 'msg.failed', params: { m: (e && e.message) || String(e) } };
  renderRunPanel();
}

// ---------------------------------------------------------------- chrome, language, routing
function renderChrome() {
  document.documentElement.lang = state.lang;
  document.title = `${t('page.title')} — Backprop Lab`;
  $('title').textContent = t('page.title');
  $('subtitle').textContent = t('page.subtitle');
  $('skip').textContent = t('nav.skip');
  const tabs = $('tabs');
  tabs.setAttribute('aria-label', t('nav.views'));
  tabs.replaceChildren(...['setup', 'results', 'report'].map(v => h('a', { href: `#${v}`, id: `tab-${v}`, 'data-view': v }, t(`nav.${v}`))));
  markTab();
}

function setLang(l) {
  if (l === state.lang) return;
  state.lang = l; t = translator(STRINGS, l); f = numberFormats(l);
  syncUrl();
  renderChrome();
  renderSetup();
  renderAll();
}

function view() { const v = location.hash.replace('#', ''); return ['setup', 'results', 'report'].includes(v) ? v : 'setup'; }
function markTab() {
  const v = view();
  for (const a of $('tabs').children) {
    if (a.dataset.view === v) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}
let routed = false;
function route() {
  const v = view();
  if (routed) $('main').focus({ preventScroll: true });
  routed = true;
  for (const s of ['setup', 'results', 'report']) $(`view-${s}`).hidden = s !== v;
  document.body.dataset.view = v;
  markTab();
  if (v === 'results') renderResults();
  if (v === 'report') renderReportView();
}

function syncUrl() {
  const q = toQuery(state.strs, { lang: state.lang });
  history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
}

// ---------------------------------------------------------------- the settings form
const TEXT_FIELDS = {
  lrs: { group: 'grid', mode: 'decimal' }, batches: { group: 'grid', mode: 'numeric' }, epochs: { group: 'grid', mode: 'numeric' },
  seeds: { group: 'grid', mode: 'numeric' }, target: { group: 'stop', mode: 'decimal' }, check_every: { group: 'stop', mode: 'numeric' },
  xi: { group: 'stop', mode: 'decimal' },
  patience: { group: 'stop', mode: 'numeric' }, validation: { group: 'stop', mode: 'numeric' }, hidden: { group: 'net', mode: 'numeric' },
  dropout: { group: 'net', mode: 'decimal' }, weight_decay: { group: 'net', mode: 'decimal' }, momentum: { group: 'hyper', mode: 'decimal' },
  alpha: { group: 'hyper', mode: 'decimal' }, beta1: { group: 'hyper', mode: 'decimal' }, beta2: { group: 'hyper', mode: 'decimal' },
};

function field(name, control) {
  const hint = t(hintKey(name), {}, '');
  control.setAttribute('aria-describedby', hint ? `h-${name} e-${name}` : `e-${name}`);
  return h('div', { class: 'field', id: `w-${name}`, 'data-field': name },
    h('label', { for: `f-${name}` }, t(labelKey(name))),
    control,
    hint ? h('p', { class: 'hint', id: `h-${name}` }, hint) : null,
    h('p', { class: 'err', id: `e-${name}`, 'aria-live': 'polite' }));
}

function textInput(name) {
  return h('input', { type: 'text', id: `f-${name}`, name, value: state.strs[name], inputmode: TEXT_FIELDS[name].mode,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `h-${name} e-${name}`, oninput: onInput, onchange: onInput });
}

function select(name, options) {
  return h('select', { id: `f-${name}`, name, 'aria-describedby': `h-${name} e-${name}`, onchange: onInput },
    options.map(([v, label, disabled]) => h('option', { value: v, selected: state.strs[name] === v, disabled }, label)));
}

function renderSetup() {
  const form = h('form', { id: 'setup-form', novalidate: true, onsubmit: e => { e.preventDefault(); start(); } });
  const chosen = new Set(state.strs.optimizers.split(/[\s,;]+/).map(s => s.toLowerCase()));
  const optBox = h('fieldset', { class: 'field opts', id: 'w-optimizers', 'data-field': 'optimizers', 'aria-describedby': 'e-optimizers' },
    h('legend', {}, t('f.optimizers')),
    h('div', { class: 'checks' }, OPTIMIZERS.map(n => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'opt', value: n, id: `f-opt-${n}`, checked: chosen.has(n), onchange: onOptChange }),
      h('span', { class: 'swatch', style: `background:${OPT_COLORS[n]}` }), optName(t, n)))),
    h('p', { class: 'hint', id: 'h-optimizers' }, t('hint.optimizers')),
    h('p', { class: 'err', id: 'e-optimizers', 'aria-live': 'polite' }));
  form.append(
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.grid')), optBox,
      h('div', { class: 'row' }, field('lrs', textInput('lrs')), field('batches', textInput('batches'))),
      h('div', { class: 'row' }, field('epochs', textInput('epochs')), field('seeds', textInput('seeds')))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.stop')),
      h('div', { class: 'row' }, field('target', textInput('target')), field('check_every', textInput('check_every'))),
      h('div', { class: 'row' }, field('stop', select('stop', STOPPING.map(k => [k, t(`stop.${k}`)]))),
        field('xi', textInput('xi')), field('patience', textInput('patience')), field('validation', textInput('validation')))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.net')),
      h('div', { class: 'row' }, field('hidden', textInput('hidden')), field('act', select('act', HIDDEN_ACTIVATIONS.map(a => [a, t(`act.${a}`)])))),
      h('div', { class: 'row' }, field('dropout', textInput('dropout')), field('weight_decay', textInput('weight_decay'))),
      h('div', { class: 'field checkfield', id: 'w-batchnorm', 'data-field': 'batchnorm' },
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'f-batchnorm', checked: state.strs.batchnorm === '1' || state.strs.batchnorm === 'true',
          'aria-describedby': 'h-batchnorm e-batchnorm', onchange: onInput }), t('f.batchnorm')),
        h('p', { class: 'hint', id: 'h-batchnorm' }, t('hint.batchnorm')), h('p', { class: 'err', id: 'e-batchnorm' })),
      h('p', { class: 'hint', id: 'net-summary' })),
    h('details', { class: 'group hyper' }, h('summary', {}, t('g.hyper')),
      h('div', { class: 'row' }, field('momentum', textInput('momentum')), field('alpha', textInput('alpha')),
        field('beta1', textInput('beta1')), field('beta2', textInput('beta2')))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.data')),
      field('data', select('data', [['subset', t('data.subset')], ['full', t('data.full'), state.ctx.fullAvailable === false]]))));
  $('setup-form-box').replaceChildren(h('h2', { class: 'sr-only' }, t('g.settings')), form);
  showErrors();
  showConditional();
  lockForm();
  renderRunPanel();
}

/** Settings are locked while the grid runs (a paused grid may be changed: resume then runs the new grid). */
function lockForm() {
  const form = $('setup-form');
  const lock = state.status === 'running' || state.status === 'pausing';
  if (form) for (const el of form.querySelectorAll('input, select')) el.disabled = lock;
  const fo = document.querySelector('#f-data option[value="full"]');
  if (fo) fo.disabled = state.ctx.fullAvailable === false;
}

function readForm() {
  const s = { ...state.strs };
  for (const name of Object.keys(TEXT_FIELDS)) { const el = $(`f-${name}`); if (el) s[name] = el.value; }
  for (const name of ['stop', 'act', 'data']) { const el = $(`f-${name}`); if (el) s[name] = el.value; }
  const bn = $('f-batchnorm'); if (bn) s.batchnorm = bn.checked ? '1' : '0';
  s.optimizers = [...document.querySelectorAll('input[name="opt"]:checked')].map(x => x.value).join(',');
  return s;
}

function onOptChange() { onInput(); }
function onInput() {
  state.strs = readForm();
  revalidate();
  showConditional();
  syncUrl();
}

function revalidate() {
  const { settings, errors } = parse(state.strs, state.ctx);
  state.errors = errors;
  if (!Object.keys(errors).length) {
    const before = state.valid && JSON.stringify(toGrid(state.valid));
    state.valid = settings;
    if (JSON.stringify(toGrid(settings)) !== before) {
      state.selection = null;
      if (state.status === 'done') { state.status = 'idle'; document.body.dataset.status = 'idle'; state.message = null; }
      scheduleResults();
      if (state.message && state.message.link) state.message = null;
      renderRunPanel();
    }
  }
  showErrors();
  renderSummary();
  renderQueue();
  updateButtons();
}

function showErrors() {
  for (const name of FIELDS) {
    const e = $(`e-${name}`);
    if (!e) continue;
    const er = state.errors[name];
    e.textContent = er ? t(er.key, er.params) : '';
    const w = $(`w-${name}`);
    if (w) w.classList.toggle('bad', !!er);
    const inputs = name === 'optimizers' ? document.querySelectorAll('input[name="opt"]') : [$(`f-${name}`)];
    for (const el of inputs) if (el) { if (er) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid'); }
  }
}

function showConditional() {
  const stop = ($('f-stop') || {}).value || state.strs.stop;
  const show = (name, on) => { const w = $(`w-${name}`); if (w) w.hidden = !on; };
  show('xi', stop === 'grad_norm' || stop === 'step_length');
  show('patience', stop === 'patience');
  show('validation', stop === 'patience');
  const xiLabel = document.querySelector('label[for="f-xi"]');
  if (xiLabel) xiLabel.textContent = t(stop === 'step_length' ? 'f.xiStep' : 'f.xi');
  const ns = $('net-summary');
  if (ns && state.valid) {
    const s = state.valid;
    ns.textContent = t('net.summary', { layers: [784, ...s.hidden, 10].join('–'), act: t(`act.${s.act}`) });
  }
}

function renderSummary() {
  const el = $('grid-summary');
  if (!el) return;
  if (Object.keys(state.errors).length) { el.textContent = t('sum.invalid'); el.className = 'summary bad'; return; }
  const s = state.valid, runs = toRuns(s);
  const done = runs.filter(r => state.results.has(r.key)).length;
  el.className = 'summary';
  el.textContent = t('sum.grid', { n: runs.length, o: s.optimizers.length, l: s.lrs.length, b: s.batches.length, s: s.seeds.length, e: s.epochs, done, left: runs.length - done });
}

// ---------------------------------------------------------------- running the grid
function gridRuns() { return state.valid ? toRuns(state.valid) : []; }
function currentResults() {
  return gridRuns().filter(r => state.results.has(r.key)).map(r => state.results.get(r.key));
}

async function start() {
  if (state.status === 'running' || state.status === 'pausing') return;
  state.strs = readForm();
  revalidate();
  const bad = FIELDS.find(n => state.errors[n]);
  if (bad) {
    state.message = { kind: 'bad', key: 'msg.fixFields' };
    renderRunPanel();
    const el = bad === 'optimizers' ? document.querySelector('input[name="opt"]') : $(`f-${bad}`);
    if (el) { const d = el.closest('details'); if (d) d.open = true; el.focus(); }
    return;
  }
  const runs = gridRuns();
  const todo = runs.filter(r => !state.results.has(r.key));
  if (!todo.length) { state.message = { kind: 'ok', key: 'msg.allDone' }; renderRunPanel(); return; }
  const g = toGrid(state.valid);
  state.message = null;
  setStatus('running');
  state.session = { t0: performance.now(), count: todo.length, done: 0 };
  try {
    await ensureInit();
    // the batch size is checked against the data now known
    revalidate();
    if (Object.keys(state.errors).length) { setStatus('idle'); state.message = { kind: 'bad', key: 'msg.fixFields' }; renderRunPanel(); return; }
    const out = await client.request('start', { runs: todo.map(r => ({ key: r.key, cfg: r.cfg })), stop: g.stop, target: g.target, checkEvery: g.checkEvery });
    if (out.reason === 'paused') { setStatus('paused'); state.paused = state.current && state.current.key; }
    else if (out.reason === 'cancelled') { setStatus('idle'); state.current = null; state.paused = null; state.message = { kind: 'ok', key: 'msg.cancelled' }; }
    else { state.current = null; state.paused = null; state.message = { kind: 'ok', key: 'msg.done', params: { s: f.dur(state.lastGridSeconds) }, link: 'results' }; setStatus('done'); }
  } catch (e) {
    state.current = null;
    fail(e);
  }
  renderRunPanel();
}

async function pause() {
  if (state.status !== 'running') return;
  setStatus('pausing');
  await client.request('pause');
}
async function cancel() {
  if (state.status === 'running' || state.status === 'pausing') { setStatus('pausing'); await client.request('cancel'); return; }
  if (state.status === 'paused') {
    await client.request('cancel');
    state.current = null; state.paused = null;
    setStatus('idle');
    state.message = { kind: 'ok', key: 'msg.cancelled' };
    renderRunPanel();
  }
}

let clearArmed = 0;
async function clearResults() {
  if (state.status === 'running' || state.status === 'pausing') return;
  const b = $('btn-clear');
  if (Date.now() - clearArmed > 4000) {
    clearArmed = Date.now();
    b.textContent = t('btn.clearConfirm');
    setTimeout(() => { if ($('btn-clear')) $('btn-clear').textContent = t('btn.clear'); }, 4000);
    return;
  }
  clearArmed = 0;
  if (state.status === 'paused') await client.request('cancel');
  await store.clear();
  state.results = new Map();
  state.current = null; state.paused = null; state.selection = null;
  setStatus('idle');
  state.message = { kind: 'ok', key: 'msg.cleared' };
  renderAll();
}

function onWorkerStatus(ev) {
  state.workerWhat = ev.what;
  renderProgress();
}

function onProgress(ev) {
  let c = state.current;
  if (!c || c.key !== ev.key) {
    c = state.current = { key: ev.key, id: ev.id, xs: [], ys: [], rows: [] };
    state.live = c;
  }
  Object.assign(c, { index: ev.index, count: ev.count, iteration: ev.iteration, totalBatches: ev.totalBatches, epoch: ev.epoch, epochs: ev.epochs, seconds: ev.seconds });
  for (let i = 0; i < ev.losses.length; i++) { c.xs.push(ev.firstIteration + i + 1); c.ys.push(ev.losses[i]); }
  for (const r of ev.rows) c.rows.push(r);
  state.workerWhat = null;
  renderProgress();
  liveChartUpdate();
  renderQueue();
}

function onRunDone(ev) {
  state.results.set(ev.key, ev.result);
  store.put(ev.key, ev.result);
  if (state.session) state.session.done++;
  state.current = null;
  liveChartUpdate();
  const r = ev.result;
  announce(t('live.runDone', { k: ev.index + 1, n: ev.count, run: runName(r),
    acc: r.diverged ? t('live.diverged') : f.pct(r.final && r.final.test_accuracy) }));
  renderSummary();
  renderQueue();
  renderProgress();
  scheduleResults();
}

function onGridDone(ev) {
  announce(t('live.gridDone', { n: ev.finished, s: f.dur(ev.seconds) }));
  state.lastGridSeconds = ev.seconds;
}

function announce(text) { const el = $('live'); if (el) el.textContent = text; }

function setStatus(s) {
  state.status = s;
  document.body.dataset.status = s;
  lockForm();
  renderRunPanel();
}

// ---------------------------------------------------------------- the run panel
function renderRunPanel() {
  const box = $('run-panel');
  if (!box) return;
  if (!box.firstChild) {
    box.append(
      h('h2', { id: 'run-title' }),
      h('p', { id: 'grid-summary', class: 'summary' }),
      h('div', { class: 'buttons', role: 'group', id: 'run-buttons' },
        h('button', { type: 'button', id: 'btn-start', class: 'primary', onclick: start }),
        h('button', { type: 'button', id: 'btn-pause', onclick: pause }),
        h('button', { type: 'button', id: 'btn-cancel', onclick: cancel }),
        h('button', { type: 'button', id: 'btn-clear', onclick: clearResults }),
        h('button', { type: 'button', id: 'btn-link', onclick: copyLink })),
      h('p', { id: 'run-message', role: 'status' }),
      h('div', { id: 'progress-box', class: 'progress-box' }),
      h('figure', { class: 'live' }, h('figcaption', { id: 'live-caption' }), h('div', { id: 'live-chart', class: 'chart small' })),
      h('div', { id: 'queue', class: 'queue' }),
      h('p', { id: 'store-note', class: 'hint' }));
  }
  $('run-title').textContent = t('run.title');
  $('btn-start').textContent = t(state.status === 'paused' ? 'btn.resume' : currentResults().length && gridRuns().length > currentResults().length ? 'btn.continue' : 'btn.start');
  $('btn-pause').textContent = t('btn.pause');
  $('btn-cancel').textContent = t('btn.cancel');
  $('btn-clear').textContent = t('btn.clear');
  $('btn-link').textContent = t('btn.link');
  $('btn-link').title = t('btn.linkTitle');
  liveChartUpdate();
  $('store-note').textContent = t(store.persistent ? 'store.note' : 'store.memory');
  const m = $('run-message');
  m.className = state.message ? `msg ${state.message.kind}` : 'msg';
  m.textContent = state.message ? t(state.message.key, state.message.params || {}) : '';
  if (state.message && state.message.link) m.append(' ', h('a', { href: `#${state.message.link}` }, t(`msg.link.${state.message.link}`)));
  renderSummary();
  updateButtons();
  renderProgress();
  renderQueue();
}

function updateButtons() {
  const s = state.status;
  const set = (id, on) => { const b = $(id); if (b) { b.disabled = !on; } };
  const left = gridRuns().filter(r => !state.results.has(r.key)).length;
  set('btn-start', (s === 'idle' || s === 'paused' || s === 'done' || s === 'loading' || s === 'error') && left > 0 && !Object.keys(state.errors).length);
  set('btn-pause', s === 'running');
  set('btn-cancel', s === 'running' || s === 'paused');
  set('btn-clear', s !== 'running' && s !== 'pausing' && state.results.size > 0);
  const b = $('btn-start');
  if (b) b.textContent = t(s === 'paused' ? 'btn.resume' : left < gridRuns().length && left > 0 ? 'btn.continue' : 'btn.start');
}

async function copyLink() {
  let ok = true;
  try { await navigator.clipboard.writeText(location.href); } catch { ok = false; }
  const b = $('btn-link');
  b.textContent = t(ok ? 'btn.linkCopied' : 'btn.linkFailed');
  setTimeout(() => { b.textContent = t('btn.link'); }, 2500);
}

function renderProgress() {
  const box = $('progress-box');
  if (!box) return;
  const runs = Object.keys(state.errors).length ? [] : gridRuns();
  const done = runs.filter(r => state.results.has(r.key)).length;
  const c = state.current;
  const cf = c && c.totalBatches ? Math.min(1, c.iteration / c.totalBatches) : 0;
  const total = runs.length || 1;
  const gridFrac = Math.min(1, (done + (c ? cf : 0)) / total);
  let eta = '';
  const sess = state.session;
  if (state.status === 'running' && sess) {
    const el = (performance.now() - sess.t0) / 1000;
    const frac = (sess.done + cf) / sess.count;
    eta = t('prog.elapsed', { el: f.dur(el) }) + (frac > 0.02 && el > 2 ? ' · ' + t('prog.eta', { s: f.dur(el / frac * (1 - frac)) }) : '');
  }
  const busy = state.status === 'loading' || (state.status === 'running' && !c);
  const what = state.status === 'loading' ? t('prog.loading') : state.workerWhat === 'warmup' ? t('prog.warmup') : state.workerWhat === 'loading' ? t('prog.loading') : '';
  box.replaceChildren(
    h('div', { class: 'prog' },
      h('label', { for: 'prog-grid' }, t('prog.grid')),
      h('progress', { id: 'prog-grid', max: 1000, value: Math.round(gridFrac * 1000), 'aria-valuetext': t('prog.gridText', { done, n: runs.length }) }),
      h('span', { class: 'ptext', 'data-testid': 'grid-progress' }, runs.length ? t('prog.gridText', { done, n: runs.length }) : '—', eta ? ` · ${eta}` : '')),
    h('div', { class: 'prog' },
      h('label', { for: 'prog-run' }, t('prog.run')),
      busy ? h('progress', { id: 'prog-run' }) : h('progress', { id: 'prog-run', max: 1000, value: Math.round(cf * 1000) }),
      h('span', { class: 'ptext' }, what || (c ? t('prog.runText', { run: runNameFromId(c.id), e: Math.min(c.epoch + 1, c.epochs), E: c.epochs, it: f.int(c.iteration), T: f.int(c.totalBatches) })
        : state.status === 'paused' ? t('prog.paused') : t('prog.none')), c && state.status === 'paused' ? ` — ${t('prog.paused')}` : '')));
}

function runNameFromId(id) {
  const m = /^(\w+)-lr([\d.e-]+)-b(\d+)-s(\d+)$/.exec(id || '');
  if (!m) return id || '';
  return runName({ optimizer: m[1], lr: Number(m[2]), batch: Number(m[3]), seed: Number(m[4]) });
}
function runName(r) {
  const multiSeed = state.valid && state.valid.seeds.length > 1;
  return t(multiSeed ? 'run.nameSeed' : 'run.name', { opt: optName(t, r.optimizer), lr: f.short(r.lr), batch: r.batch, seed: r.seed });
}

// the live chart of the run in progress
let liveChart = null;
let liveQueued = false;
function liveChartUpdate() {
  if (liveQueued) return;
  liveQueued = true;
  requestAnimationFrame(() => {
    liveQueued = false;
    const el = $('live-chart');
    if (!el) return;
    if (!liveChart || liveChart.el !== el) liveChart = new Chart(el, null, { height: 170 });
    const c = state.live;
    const cap = $('live-caption');
    if (cap) cap.textContent = c && state.current !== c ? t('live.captionLast', { run: runNameFromId(c.id) }) : t('live.caption');
    liveChart.set({ ...liveSpec(c, { t, lang: state.lang }), title: cap ? cap.textContent : '' });
  });
}

function renderQueue() {
  const box = $('queue');
  if (!box) return;
  const runs = gridRuns();
  if (!runs.length || Object.keys(state.errors).length) { box.replaceChildren(); return; }
  const byOpt = new Map();
  for (const r of runs) { const o = r.cfg.optimizer.name; if (!byOpt.has(o)) byOpt.set(o, []); byOpt.get(o).push(r); }
  const c = state.current;
  box.replaceChildren(h('h3', {}, t('queue.title')), h('div', { class: 'qgroups' }, [...byOpt].map(([o, rs]) =>
    h('div', { class: 'qgroup' }, h('h4', {}, h('span', { class: 'swatch', style: `background:${OPT_COLORS[o]}` }), optName(t, o)),
      h('ul', {}, rs.map(r => {
        const res = state.results.get(r.key);
        const active = c && c.key === r.key;
        const paused = active && (state.status === 'paused' || state.status === 'pausing');
        const running = active && !paused;
        const cls = res ? (res.diverged ? 'diverged' : 'done') : paused ? 'paused' : running ? 'running' : 'todo';
        const label = t(state.valid.seeds.length > 1 ? 'queue.itemSeed' : 'queue.item', { lr: f.short(r.cfg.optimizer.lr), batch: r.cfg.batch, seed: r.cfg.seed });
        const value = res ? (res.diverged ? '✕' : f.pct(res.final && res.final.test_accuracy, 1)) : active ? `${Math.round(100 * (c.iteration / c.totalBatches || 0))}\u00a0%` : '';
        return h('li', { class: cls, title: t(`queue.${cls}`) }, h('span', { class: 'ql' }, label), h('span', { class: 'qv' }, value),
          h('span', { class: 'sr-only' }, ` (${t(`queue.${cls}`)})`));
      }))))));
}

// ---------------------------------------------------------------- results
let resultsQueued = null;
function scheduleResults() {
  if (resultsQueued) return;
  resultsQueued = setTimeout(() => {
    resultsQueued = null;
    if (view() === 'results') renderResults();
    if (view() === 'report') renderReportView();
    exposeForTests();
  }, 300);
}

/** The runs the charts show: the user's pick, else the best lr x batch of each optimizer. */
function selectedKeys(results) {
  const runs = gridRuns().filter(r => state.results.has(r.key));
  if (state.selection) return new Set(runs.filter(r => state.selection.has(r.key)).map(r => r.key));
  const hm = heatmaps(results);
  const out = new Set();
  for (const [o, m] of Object.entries(hm)) {
    if (!m.best) continue;
    const r = runs.find(x => x.cfg.optimizer.name === o && x.cfg.optimizer.lr === m.best.lr && x.cfg.batch === m.best.batch);
    if (r) out.add(r.key);
  }
  return out;
}

/** The chart specs for a set of runs (the page and the report use the same; lib/chart-specs.js). */
export function chartSpecs(sel, opts = {}) {
  return specsOf(sel, { t, lang: state.lang, runName, smooth: state.smooth, xIter: state.xIter, logLoss: state.logLoss }, opts);
}

const charts = {};
function renderResults() {
  const box = $('view-results');
  const results = currentResults();
  const total = gridRuns().length;
  exposeForTests();
  if (!results.length) {
    for (const k of Object.keys(charts)) { charts[k].destroy(); delete charts[k]; }
    box.replaceChildren(h('h2', {}, t('res.title')), h('p', { class: 'empty' }, t('res.none')), h('p', {}, h('a', { href: '#setup' }, t('res.toSetup'))));
    return;
  }
  const keys = selectedKeys(results);
  const runs = gridRuns().filter(r => state.results.has(r.key));
  const sel = runs.filter(r => keys.has(r.key)).map(r => state.results.get(r.key));
  const scrollY = window.scrollY;
  const focusId = document.activeElement && document.activeElement.id;

  const partial = results.length < total ? h('p', { class: 'msg warn' }, t('res.partial', { k: results.length, n: total })) : null;
  const picker = h('details', { class: 'picker', open: true }, h('summary', {}, t('pick.title', { k: sel.length, n: results.length })),
    h('div', { class: 'pickbar' },
      h('button', { type: 'button', onclick: () => { state.selection = null; renderResults(); } }, t('pick.best')),
      h('button', { type: 'button', onclick: () => { state.selection = new Set(runs.map(r => r.key)); renderResults(); } }, t('pick.all')),
      h('button', { type: 'button', onclick: () => { state.selection = new Set(); renderResults(); } }, t('pick.none'))),
    h('div', { class: 'pickgroups' }, groupBy(runs, r => r.cfg.optimizer.name).map(([o, rs]) =>
      h('fieldset', { class: 'pickgroup' }, h('legend', {}, h('span', { class: 'swatch', style: `background:${OPT_COLORS[o]}` }), optName(t, o)),
        rs.map(r => {
          const res = state.results.get(r.key);
          const id = `pick-${fileSafe(r.cfg.id)}`;
          return h('label', { class: 'check', for: id },
            h('input', { type: 'checkbox', id, checked: keys.has(r.key), onchange: ev => {
              const s = new Set(keys);
              if (ev.target.checked) s.add(r.key); else s.delete(r.key);
              state.selection = s; renderResults();
            } }),
            t(state.valid.seeds.length > 1 ? 'queue.itemSeed' : 'queue.item', { lr: f.short(res.lr), batch: res.batch, seed: res.seed }),
            h('span', { class: 'pv' }, res.diverged ? ` ✕ ${t('heat.diverged')}` : ` ${f.pct(res.final && res.final.test_accuracy, 1)}`));
        })))));

  const controls = h('div', { class: 'chartbar' },
    h('label', {}, t('ctl.smooth'), ' ', h('select', { id: 'ctl-smooth', onchange: e => { state.smooth = Number(e.target.value); renderResults(); } },
      [1, 5, 10, 25, 50, 100, 200].map(w => h('option', { value: w, selected: state.smooth === w }, w === 1 ? t('ctl.noSmooth') : t('ctl.window', { w }))))),
    h('label', {}, t('ctl.x'), ' ', h('select', { id: 'ctl-x', onchange: e => { state.xIter = e.target.value; renderResults(); } },
      ['iteration', 'epoch'].map(v => h('option', { value: v, selected: state.xIter === v }, t(`ctl.x.${v}`))))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'ctl-log', checked: state.logLoss, onchange: e => { state.logLoss = e.target.checked; renderResults(); } }), t('ctl.log')));

  const specs = chartSpecs(sel);
  const fig = (k, extra) => h('figure', { class: 'chartfig' },
    h('figcaption', {}, h('span', {}, t(`chart.${k}`)), h('button', { type: 'button', class: 'small', id: `png-${k}`, 'aria-label': `${t('btn.png')}: ${t(`chart.${k}`)}`, onclick: () => savePng(k) }, t('btn.png'))),
    h('div', { class: 'chart', id: `chart-${k}` }), extra ? h('p', { class: 'hint' }, extra) : null);

  const perOpt = groupBy(runs, r => r.cfg.optimizer.name);
  const hmCanvasBtn = h('button', { type: 'button', class: 'small', onclick: () => downloadCanvas(heatmapCanvas(heatmaps(results), heatLabels()), 'heatmaps.png') }, t('btn.png'));

  const f1 = findingsText(results);
  box.replaceChildren(...[
    h('div', { class: 'reshead' }, h('h2', {}, t('res.title')), exportBar(results)),
    partial,
    h('section', { class: 'card' }, h('h3', {}, t('res.curves')), h('p', { class: 'hint' }, t('res.curvesNote')), picker, controls,
      h('div', { class: 'charts' }, fig('loss'), fig('acc'), fig('iter', t('chart.iterNote')), fig('gap', t('chart.gapNote')))),
    h('section', { class: 'card' }, h('h3', {}, t('res.perOpt')), h('p', { class: 'hint' }, t('res.perOptNote')),
      h('div', { class: 'charts small' }, perOpt.map(([o]) => h('figure', { class: 'chartfig' },
        h('figcaption', {}, h('span', {}, t('chart.perOpt', { opt: optName(t, o) })), h('button', { type: 'button', class: 'small', onclick: () => savePng(`opt-${o}`) }, t('btn.png'))),
        h('div', { class: 'chart', id: `chart-opt-${o}` }))))),
    h('section', { class: 'card' }, h('h3', {}, t('res.tables')),
      table1El(results, { t, f }),
      table2El(results, { t, f }),
      h('p', { class: 'hint stability-note' }, t('note.stability')),
      h('p', { class: 'hint' }, t('note.words')),
      h('p', { class: 'hint' }, convergenceNote(t, f, results, state.valid.target))),
    h('section', { class: 'card' }, h('div', { class: 'sechead' }, h('h3', {}, t('res.heat')), hmCanvasBtn), h('p', { class: 'hint' }, t('res.heatNote')),
      heatmapsEl(results, { t, f })),
    h('section', { class: 'card' }, h('h3', {}, t('res.findings')), h('ul', { class: 'findings', 'data-testid': 'findings' }, f1.map(x => h('li', {}, x)))),
    h('section', { class: 'card' }, h('h3', {}, t('res.runs')), h('p', { class: 'hint' }, t('res.runsNote')),
      runsTableEl(results, { t, f }, state.sort, col => { state.sort = { col, dir: state.sort.col === col ? -state.sort.dir : 1 }; renderResults(); })),
  ].filter(Boolean));
  for (const k of Object.keys(charts)) { charts[k].destroy(); delete charts[k]; }
  for (const k of ['loss', 'acc', 'iter', 'gap']) { charts[k] = new Chart($(`chart-${k}`), { ...specs[k], title: t(`chart.${k}`) }, { height: 250 }); }
  for (const [o, rs] of perOpt) {
    const k = `opt-${o}`;
    const rres = rs.map(r => state.results.get(r.key));
    charts[k] = new Chart($(`chart-${k}`), { ...chartSpecs(rres, { xIter: 'epoch', log: true }).iter, title: t('chart.perOpt', { opt: optName(t, o) }) }, { height: 220 });
  }
  window.scrollTo(0, scrollY);
  if (focusId && $(focusId)) $(focusId).focus();
}

function heatLabels() {
  return { title: t('res.heat'), lr: 'η', batch: t('heat.batchAxis'), diverged: t('heat.diverged'), name: n => optName(t, n), pct: v => f.pct(v, 1), num: f.short };
}

function savePng(k) {
  const c = charts[k];
  if (!c) return;
  const title = k.startsWith('opt-') ? t('chart.perOpt', { opt: optName(t, k.slice(4)) }) : t(`chart.${k}`);
  const img = c.image(title);
  if (img) downloadCanvas(img, `${fileSafe(k)}.png`);
}

function groupBy(xs, key) {
  const m = new Map();
  for (const x of xs) { const k = key(x); if (!m.has(k)) m.set(k, []); m.get(k).push(x); }
  return [...m];
}

function exportBar(results) {
  const stamp = () => new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const runsRows = () => results.map(r => ({ run: r.id, optimizer: r.optimizer, lr: r.lr, batch: r.batch, seed: r.seed,
    train_seconds: r.train_seconds, train_loss: r.final ? r.final.train_loss : NaN, test_loss: r.final ? r.final.test_loss : NaN,
    train_accuracy: r.final ? r.final.train_accuracy : NaN, test_accuracy: r.final ? r.final.test_accuracy : NaN,
    spread: r.stability.spread, diverged: r.diverged ? r.diverged.iteration : '', stopped_by: r.stopped_by,
    reached_iteration: r.reached ? r.reached.iteration : '', reached_seconds: r.reached ? r.reached.seconds : '',
    check_every: r.check_every || 0 }));
  const json = () => JSON.stringify({ settings: state.valid, grid: toGrid(state.valid), data: state.info, lang: state.lang,
    exported: new Date().toISOString(), runs: results }, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1);
  return h('div', { class: 'exports', role: 'group', 'aria-label': t('exp.label') },
    h('span', { class: 'exlabel' }, t('exp.label')),
    h('button', { type: 'button', id: 'exp-epochs', onclick: () => download(curvesCsv(results).epochs, `epochs-${stamp()}.csv`, 'text/csv') }, t('exp.epochs')),
    h('button', { type: 'button', id: 'exp-iters', onclick: () => download(curvesCsv(results).iterations, `iterations-${stamp()}.csv`, 'text/csv') }, t('exp.iters')),
    h('button', { type: 'button', id: 'exp-runs', onclick: () => download(toCsv(runsRows()), `runs-${stamp()}.csv`, 'text/csv') }, t('exp.runs')),
    h('button', { type: 'button', id: 'exp-json', onclick: () => download(json(), `experiment-${stamp()}.json`, 'application/json') }, t('exp.json')),
    h('button', { type: 'button', id: 'exp-md', onclick: () => download(tablesMarkdown(results, (k, p) => t(`md.${k}`, p)), `tables-${stamp()}.md`, 'text/markdown') }, t('exp.md')));
}

/** The measured facts as sentences (the results view and the report's conclusions share them). */
function findingsText(results) { return conclusions(results, { t, f, settings: state.valid, runName }).facts; }

// ---------------------------------------------------------------- report
function renderReportView() {
  const results = currentResults();
  exposeForTests();
  const box = $('view-report');
  if (!box.firstChild) box.append(h('p', { class: 'empty' }, t('rep.preparing')));
  renderReport(box, {
    t, f, lang: state.lang, results, settings: state.valid, info: state.info, runName,
    total: gridRuns().length, chartSpecs, selectedKeys, gridRuns: () => gridRuns(), stateResults: state.results, heatLabels,
  }).then(() => { document.body.dataset.report = 'ready'; }).catch(e => console.error(e));
}

function renderAll() {
  renderRunPanel();
  if (view() === 'results') renderResults();
  if (view() === 'report') renderReportView();
  exposeForTests();
}

// ---------------------------------------------------------------- for the tests
function exposeForTests() {
  if (window.__experiment) return;
  window.__experiment = {
    get status() { return state.status; },
    get results() { return currentResults(); },
    get total() { return gridRuns().length; },
    get settings() { return state.valid; },
    get errors() { return state.errors; },
    curvesCsv: () => curvesCsv(currentResults()),
  };
}
Object.defineProperty(window, '__experimentStatus', { get: () => state.status });

boot().catch(e => { console.error(e); fail(e); });
registerOffline();
