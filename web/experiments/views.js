// views.js - the page's chrome and its three views: the title and the tabs in the page's language,
// showing the view the location hash asks for (#setup, #results, #report; page-state.js viewOf),
// and redrawing the results and the report when runs finish (at most every 300 ms).
// page: {state, store, actions}; the run panel is web/experiments/run-panel.js.
import { h } from './ui.js';
import { renderReport } from './report.js';
import { renderRunPanel } from './run-panel.js';
import { renderResults, chartSpecs, heatLabels } from './results-view.js';
import { VIEWS, viewOf, gridRuns, currentResults, selectedKeys, runName } from './page-state.js';

const $ = id => document.getElementById(id);

/** The view the location shows now. */
const view = () => viewOf(location.hash);

/** The document's language and title, the page's heading and the tabs. */
export function renderChrome(state) {
  const { t } = state;
  document.documentElement.lang = state.lang;
  document.title = `${t('page.title')} — Backprop Lab`;
  $('title').textContent = t('page.title');
  $('subtitle').textContent = t('page.subtitle');
  $('skip').textContent = t('nav.skip');
  const tabs = $('tabs');
  tabs.setAttribute('aria-label', t('nav.views'));
  tabs.replaceChildren(...VIEWS.map(v => h('a', { href: `#${v}`, id: `tab-${v}`, 'data-view': v }, t(`nav.${v}`))));
  markTab();
}

function markTab() {
  const v = view();
  for (const a of $('tabs').children) {
    if (a.dataset.view === v) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

let routed = false;
/** Shows the view of the location hash (on load and at each hashchange); focus moves to it after the first. */
export function route(state) {
  const v = view();
  if (routed) $('main').focus({ preventScroll: true });
  routed = true;
  for (const s of VIEWS) $(`view-${s}`).hidden = s !== v;
  document.body.dataset.view = v;
  markTab();
  if (v === 'results') renderResults(state);
  if (v === 'report') renderReportView(state);
}

// body[data-report="ready"]: the report shown is the last one asked for, drawn from the saved runs
// (the tests and a print wait for it); a render that began before the store was read, or that a
// newer one overtook, never sets it
function renderReportView(state) {
  const { t, f } = state;
  const results = currentResults(state);
  const box = $('view-report');
  delete document.body.dataset.report;
  if (!state.stored || !box.firstChild) box.replaceChildren(h('p', { class: 'empty' }, t('rep.preparing')));
  if (!state.stored) return;            // main.js renders again once the saved runs are read
  renderReport(box, {
    t, f, lang: state.lang, results, settings: state.valid, info: state.info, runName: r => runName(state, r),
    total: gridRuns(state).length, chartSpecs: (sel, opts) => chartSpecs(state, sel, opts), selectedKeys: rs => selectedKeys(state, rs),
    gridRuns: () => gridRuns(state), stateResults: state.results, heatLabels: () => heatLabels(state),
  }).then(done => { if (done) document.body.dataset.report = 'ready'; }).catch(e => console.error(e));
}

/** Redraws the view shown if it is the results or the report. */
function renderShownView(state) {
  if (view() === 'results') renderResults(state);
  if (view() === 'report') renderReportView(state);
}

let resultsQueued = null;
/** Redraws the results or the report within 300 ms (once for a burst of finished runs). */
export function scheduleResults(state) {
  if (resultsQueued) return;
  resultsQueued = setTimeout(() => {
    resultsQueued = null;
    renderShownView(state);
  }, 300);
}

/** Redraws the run panel and the view shown. */
export function renderAll(page) {
  renderRunPanel(page);
  renderShownView(page.state);
}
