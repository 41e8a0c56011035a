// render.js - the page's texts and controls from the page state: the static texts of a language, the
// run controls and the status line, the progress row, the message box, the URL banner and the
// settings summary; renderRun (what changes when training starts or stops) and renderAll. What they
// show is decided in page-model.js; this module writes it into the DOM.

import { controlsView, statusView, progressView, messageView, urlErrorText, summaryText } from './page-model.js';
import { renderFinal, renderProbs, renderDetails, renderEmptyConfusion } from './results-view.js';
import { renderChartSummary, respecCharts } from './charts.js';

const $ = id => document.getElementById(id);

/** Buttons stay focusable when unusable: aria-disabled, not disabled. */
export const ariaDisabled = b => b.getAttribute('aria-disabled') === 'true';
const setEnabled = (b, on) => b.setAttribute('aria-disabled', on ? 'false' : 'true');

/** Everything that has words, in the page's language (page.i18n): static texts, the form, charts, results. */
export function applyLanguage(page) {
  const { t } = page.i18n;
  document.documentElement.lang = page.i18n.lang;
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of document.querySelectorAll('[data-i18n-title]')) n.title = t(n.dataset.i18nTitle);
  for (const n of document.querySelectorAll('[data-i18n-aria]')) n.setAttribute('aria-label', t(n.dataset.i18nAria));
  document.title = t('app.title');
  page.form.build(page.state, page.i18n);
  if (!page.lastMetrics) renderEmptyConfusion(page);
  respecCharts(page, 'iter', 'eloss', 'eacc');
  renderAll(page);
  renderDetails(page);
  renderUrlErrors(page);
}

export function renderUrlErrors(page) {
  const box = $('url-errors');
  if (!page.urlErrors.length) { box.hidden = true; box.replaceChildren(); return; }
  const { t } = page.i18n;
  const list = document.createElement('ul');
  for (const e of page.urlErrors) {
    const li = document.createElement('li');
    li.textContent = urlErrorText(e, page.form.message(e), t);
    list.append(li);
  }
  const title = document.createElement('p');
  title.textContent = t('url.title');
  const close = document.createElement('button');
  close.type = 'button'; close.className = 'ghost'; close.textContent = t('url.dismiss');
  close.addEventListener('click', () => { page.urlErrors = []; renderUrlErrors(page); });
  box.replaceChildren(title, list, close);
  box.hidden = false;
}

export function renderControls(page) {
  const { t } = page.i18n;
  const invalid = page.form.errors().size > 0;
  const v = controlsView(page, invalid);
  const start = $('btn-start');
  start.textContent = t(v.startLabel);
  start.classList.toggle('pausing', v.pausing);
  setEnabled(start, v.start);
  setEnabled($('btn-step'), v.step);
  setEnabled($('btn-epoch'), v.epoch);
  setEnabled($('btn-reset'), v.reset);
  page.form.setDisabled(v.locked);
  $('settings-note').textContent = t(v.note);
  const s = statusView(page, invalid, t);
  const st = $('status');
  st.dataset.phase = s.phase;
  st.textContent = s.text;
}

export function renderProgress(page) {
  const v = progressView(page.progress, page.phase, page.i18n.t);
  if (!v) { for (const id of ['p-epoch', 'p-iter', 'p-speed', 'p-left']) $(id).textContent = ''; $('p-bar').value = 0; return; }
  $('p-epoch').textContent = v.epoch;
  $('p-bar').value = v.bar;
  $('p-iter').textContent = v.iteration;
  $('p-speed').textContent = v.speed;
  $('p-left').textContent = v.left;
}

export function renderMessage(page) {
  const box = $('message');
  const v = messageView(page.message, page.i18n.t);
  if (!v) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  box.dataset.kind = v.kind;
  box.textContent = v.text;
}

/** The settings' one-line summary and the button that opens or closes them. */
export function renderSummary(page) {
  const { t } = page.i18n;
  $('settings-summary').textContent = summaryText(page.state, page.i18n);
  const open = !document.body.classList.contains('settings-closed');
  const tg = $('settings-toggle');
  tg.textContent = t(open ? 'settings.hide' : 'settings.show');
  tg.setAttribute('aria-expanded', String(open));
}

/** What changes when training starts or stops (cheap: no results, no form rebuild). */
export function renderRun(page) {
  renderControls(page);
  renderProgress(page);
  renderMessage(page);
}

export function renderAll(page) {
  renderRun(page);
  renderFinal(page);
  renderChartSummary(page);
  renderProbs(page);
  renderSummary(page);
  $('f-logy').checked = page.state.logy;
  $('f-smooth').value = String(Math.min(0.99, page.state.smooth));
  $('o-smooth').textContent = page.i18n.num(page.state.smooth);
}
