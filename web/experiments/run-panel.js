// run-panel.js - the setup view's run panel: the grid's summary, the start / pause / cancel / clear /
// copy-link buttons, the message line, the two progress bars with the ETA, the live loss chart of the
// run in progress and the queue of the grid's runs. It only shows the state (web/experiments/page-state.js
// computes what to show); the buttons call page.actions (web/experiments/controller.js).
// page: {state, store, actions: {start, pause, cancel, clearResults}}.
import { h } from './ui.js';
import { Chart } from '../ui/chart.js';
import { liveSpec, liveSpecMany } from '../lib/chart-specs.js';
import { OPT_COLORS } from '../lib/chart-math.js';
import { toRuns } from '../lib/experiment-settings.js';
import { optName } from './tables.js';
import { gridRuns, groupBy, runNameFromId, runLabel, progressOf, buttonStates, queueItem } from './page-state.js';

const $ = id => document.getElementById(id);

export function renderRunPanel(page) {
  const { state, store, actions } = page;
  const { t } = state;
  const box = $('run-panel');
  if (!box) return;
  if (!box.firstChild) {
    box.append(
      h('h2', { id: 'run-title' }),
      h('p', { id: 'grid-summary', class: 'summary' }),
      h('div', { class: 'buttons', role: 'group', id: 'run-buttons' },
        h('button', { type: 'button', id: 'btn-start', class: 'primary', onclick: () => actions.start() }),
        h('button', { type: 'button', id: 'btn-pause', onclick: () => actions.pause() }),
        h('button', { type: 'button', id: 'btn-cancel', onclick: () => actions.cancel() }),
        h('button', { type: 'button', id: 'btn-clear', onclick: () => actions.clearResults() }),
        h('button', { type: 'button', id: 'btn-link', onclick: () => copyLink(state) })),
      h('p', { id: 'run-message', role: 'status' }),
      h('div', { id: 'progress-box', class: 'progress-box' }),
      h('figure', { class: 'live' }, h('figcaption', { id: 'live-caption' }), h('div', { id: 'live-chart', class: 'chart small' })),
      h('div', { id: 'queue', class: 'queue' }),
      h('p', { id: 'store-note', class: 'hint' }));
  }
  $('run-title').textContent = t('run.title');
  $('btn-pause').textContent = t('btn.pause');
  $('btn-cancel').textContent = t('btn.cancel');
  $('btn-clear').textContent = t('btn.clear');
  $('btn-link').textContent = t('btn.link');
  $('btn-link').title = t('btn.linkTitle');
  liveChartUpdate(state);
  $('store-note').textContent = t(store.persistent ? 'store.note' : 'store.memory');
  const m = $('run-message');
  m.className = state.message ? `msg ${state.message.kind}` : 'msg';
  m.textContent = state.message ? t(state.message.key, state.message.params || {}) : '';
  if (state.message && state.message.link) m.append(' ', h('a', { href: `#${state.message.link}` }, t(`msg.link.${state.message.link}`)));
  renderSummary(state);
  updateButtons(state);
  renderProgress(state);
  renderQueue(state);
}

/** The grid's size and how many of its runs are done (or that the settings are invalid). */
export function renderSummary(state) {
  const { t } = state;
  const el = $('grid-summary');
  if (!el) return;
  if (Object.keys(state.errors).length) { el.textContent = t('sum.invalid'); el.className = 'summary bad'; return; }
  const s = state.valid, runs = toRuns(s);
  const done = runs.filter(r => state.results.has(r.key)).length;
  el.className = 'summary';
  el.textContent = t('sum.grid', { n: runs.length, o: s.optimizers.length, l: s.lrs.length, b: s.batches.length, s: s.seeds.length, e: s.epochs, done, left: runs.length - done });
}

export function updateButtons(state) {
  const on = buttonStates(state);
  const set = (id, enabled) => { const b = $(id); if (b) { b.disabled = !enabled; } };
  set('btn-start', on.start);
  set('btn-pause', on.pause);
  set('btn-cancel', on.cancel);
  set('btn-clear', on.clear);
  const b = $('btn-start');
  if (b) b.textContent = state.t(on.startLabel);
}

async function copyLink(state) {
  let ok = true;
  try { await navigator.clipboard.writeText(location.href); } catch { ok = false; }
  const b = $('btn-link');
  b.textContent = state.t(ok ? 'btn.linkCopied' : 'btn.linkFailed');
  setTimeout(() => { b.textContent = state.t('btn.link'); }, 2500);
}

export function renderProgress(state) {
  const { t, f } = state;
  const box = $('progress-box');
  if (!box) return;
  const p = progressOf(state, performance.now());
  const eta = p.elapsed === null ? '' : t('prog.elapsed', { el: f.dur(p.elapsed) }) + (p.eta !== null ? ' · ' + t('prog.eta', { s: f.dur(p.eta) }) : '');
  const pool = state.pool && state.pool.size > 1 ? t('prog.atOnce', { n: state.pool.size }) : '';
  const busy = state.status === 'loading' || (state.status === 'running' && !p.runs.length);
  const what = state.status === 'loading' ? t('prog.loading') : state.workerWhat === 'warmup' ? t('prog.warmup') : state.workerWhat === 'loading' ? t('prog.loading') : '';
  const paused = state.status === 'paused' ? ` — ${t('prog.paused')}` : '';
  // one bar per running run (several with a pool of workers), named by the worker that trains it
  const runBar = ({ run: c, frac }, i) => h('div', { class: 'prog' },
    h('label', { for: i ? `prog-run-${i + 1}` : 'prog-run' }, p.runs.length > 1 ? t('prog.worker', { k: (c.worker ?? i) + 1 }) : t('prog.run')),
    h('progress', { id: i ? `prog-run-${i + 1}` : 'prog-run', max: 1000, value: Math.round(frac * 1000) }),
    h('span', { class: 'ptext', 'data-testid': 'run-progress' }, t('prog.runText', { run: runNameFromId(state, c.id), e: Math.min(c.epoch + 1, c.epochs), E: c.epochs, it: f.int(c.iteration), T: f.int(c.totalBatches) }), paused));
  box.replaceChildren(
    h('div', { class: 'prog' },
      h('label', { for: 'prog-grid' }, t('prog.grid')),
      h('progress', { id: 'prog-grid', max: 1000, value: Math.round(p.gridFrac * 1000), 'aria-valuetext': t('prog.gridText', { done: p.done, n: p.n }) }),
      h('span', { class: 'ptext', 'data-testid': 'grid-progress' }, p.n ? t('prog.gridText', { done: p.done, n: p.n }) : '—', pool ? ` · ${pool}` : '', eta ? ` · ${eta}` : '')),
    ...(p.runs.length ? p.runs.map(runBar) : [h('div', { class: 'prog' },
      h('label', { for: 'prog-run' }, t('prog.run')),
      busy ? h('progress', { id: 'prog-run' }) : h('progress', { id: 'prog-run', max: 1000, value: 0 }),
      h('span', { class: 'ptext' }, what || (state.status === 'paused' ? t('prog.paused') : t('prog.none'))))]));
}

// the live chart of the runs in progress (one per page, redrawn at most once a frame): one run's raw and
// smoothed loss, or each running run's smoothed loss when a pool trains several at once
let liveChart = null;
let liveQueued = false;
export function liveChartUpdate(state) {
  if (liveQueued) return;
  liveQueued = true;
  requestAnimationFrame(() => {
    liveQueued = false;
    const { t } = state;
    const el = $('live-chart');
    if (!el) return;
    if (!liveChart || liveChart.el !== el) liveChart = new Chart(el, null, { height: 170 });
    const lives = [...state.running.values()].filter(c => c.xs.length && !state.results.has(c.key));
    const c = lives.length === 1 ? lives[0] : state.live;
    const cap = $('live-caption');
    if (cap) cap.textContent = lives.length > 1 ? t('live.captionMany', { n: lives.length }) : c && !lives.length ? t('live.captionLast', { run: runNameFromId(state, c.id) }) : t('live.caption');
    const spec = lives.length > 1 ? liveSpecMany(lives, { t, lang: state.lang, names: lives.map(x => runNameFromId(state, x.id)) }) : liveSpec(c, { t, lang: state.lang });
    liveChart.set({ ...spec, title: cap ? cap.textContent : '' });
  });
}

export function renderQueue(state) {
  const { t } = state;
  const box = $('queue');
  if (!box) return;
  const runs = gridRuns(state);
  if (!runs.length || Object.keys(state.errors).length) { box.replaceChildren(); return; }
  box.replaceChildren(h('h3', {}, t('queue.title')), h('div', { class: 'qgroups' }, groupBy(runs, r => r.cfg.optimizer.name).map(([o, rs]) =>
    h('div', { class: 'qgroup' }, h('h4', {}, h('span', { class: 'swatch', style: `background:${OPT_COLORS[o]}` }), optName(t, o)),
      h('ul', {}, rs.map(r => {
        const { cls, value } = queueItem(state, r);
        const label = runLabel(state, { lr: r.cfg.optimizer.lr, batch: r.cfg.batch, seed: r.cfg.seed });
        return h('li', { class: cls, title: t(`queue.${cls}`) }, h('span', { class: 'ql' }, label), h('span', { class: 'qv' }, value),
          h('span', { class: 'sr-only' }, ` (${t(`queue.${cls}`)})`));
      }))))));
}

/** Says a sentence to screen readers (the page's aria-live region). */
export function announce(text) { const el = $('live'); if (el) el.textContent = text; }
