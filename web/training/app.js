// app.js - the training page's entry: builds the page's one state object (page-model.js) and its
// parts (the settings form, the worker client, the drawing pad, the charts), keeps the URL and the
// language in step with the settings, and wires the DOM's events to the modules that act on them:
// run.js (the training run and the worker), render.js (controls, status, messages), results-view.js
// (results and drawing pad), charts.js. Every string is in strings.js.

import { parse, serialize, update, sameRun } from '../lib/state.js';
import { mountShell, pageLanguage } from '../ui/shell.js';
import { registerOffline } from '../ui/offline.js';
import { SettingsForm } from './form.js';
import { createPageState, pageI18n } from './page-model.js';
import { trainerClient, fail, checkState, scheduleApply, startLoading, command, pause, reset, onWorkerEvent } from './run.js';
import { applyLanguage, renderControls, renderSummary, ariaDisabled } from './render.js';
import { makePad, onSample, watchResults } from './results-view.js';
import { makeCharts, redrawCharts, respecCharts } from './charts.js';
import { DATA_FILES } from '../build/data-files.js';
// the model row's module (and the code dialog) load at the first press
const modelUi = () => import('./model-ui.js');
import { connectTraining } from './embed-link.js';

const $ = id => document.getElementById(id);

const page = createPageState(parse(location.search), pageI18n(pageLanguage()));
page.form = new SettingsForm($('settings-form'), { onChange: onFieldChange, onValidity: () => renderControls(page) });
page.makeTrainer = () => trainerClient(ev => onWorkerEvent(page, ev), err => fail(page, err));
page.trainer = page.makeTrainer();
page.pad = makePad(page);
watchResults(page);

// ---------------------------------------------------------------- URL and language
function writeUrl() {
  const url = location.pathname + serialize(page.state) + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

function setLanguage(l) {
  page.state = { ...page.state, lang: l };
  page.i18n = pageI18n(l);
  writeUrl();
  applyLanguage(page);
  page.onSettings?.();
}

// ---------------------------------------------------------------- settings
function onFieldChange(key, value, opts = {}) {
  const before = page.state;
  if (key === 'layers') page.state = { ...page.state, hidden: value.hidden, act: value.act };
  else page.state = update(page.state, key, value);
  if (key === 'lang') return;
  writeUrl();
  const rebuild = (key === 'hidden' && !opts.keepLayers) || key === 'layers' || key === 'optimizer';
  if (rebuild) page.form.build(page.state, page.i18n); else page.form.sync(page.state);
  if (key === 'logy') respecCharts(page, 'iter', 'eloss');
  if (key === 'smooth') { page.iter.setBeta(page.state.smooth); redrawCharts(page, 'iter'); }
  renderSummary(page);
  if (!sameRun(before, page.state)) scheduleApply(page);
  else renderControls(page);
  page.onSettings?.();
}

// ---------------------------------------------------------------- start
function main() {
  if (page.state.embed) document.body.classList.add('embed');
  const shell = mountShell({ page: 'training', lang: page.i18n.lang, onLanguage: setLanguage });
  // a course page's choices and the host API (embed-link.js)
  connectTraining(page, { onFieldChange, setLanguage: l => { shell.setLanguage(l); setLanguage(l); } });
  if (matchMedia('(max-width: 999px)').matches) document.body.classList.add('settings-closed');
  applyLanguage(page);      // texts, settings form, controls: the page answers from here on
  writeUrl();
  checkState(page);
  // The charts in the next task, so that the controls paint first.
  setTimeout(() => makeCharts(page), 0);

  const usable = id => !ariaDisabled($(id));
  $('btn-start').addEventListener('click', () => {
    if (page.phase === 'running') pause(page);
    else if (usable('btn-start')) command(page, 'start');
  });
  $('btn-step').addEventListener('click', () => { if (usable('btn-step')) command(page, 'step'); });
  $('btn-epoch').addEventListener('click', () => { if (usable('btn-epoch')) command(page, 'epoch'); });
  $('btn-reset').addEventListener('click', () => { if (usable('btn-reset')) reset(page); });
  $('f-logy').addEventListener('change', e => onFieldChange('logy', e.target.checked));
  $('f-smooth').addEventListener('input', e => onFieldChange('smooth', Number(e.target.value)));
  $('btn-save').addEventListener('click', () => modelUi().then(m => m.saveModel(page)));
  $('btn-load').addEventListener('click', () => modelUi().then(m => m.pickModel(page, () => { writeUrl(); renderSummary(page); })));
  $('btn-pytorch').addEventListener('click', () => modelUi().then(m => m.openPytorch(page)));
  $('pad-clear').addEventListener('click', () => page.pad.clear());
  $('pad-sample').addEventListener('click', () => onSample(page));
  $('settings-toggle').addEventListener('click', () => { document.body.classList.toggle('settings-closed'); renderSummary(page); });
  $('copy-link').addEventListener('click', async () => {
    let ok = true;
    try { await navigator.clipboard.writeText(location.href); } catch { ok = false; }
    const b = $('copy-link');
    b.textContent = page.i18n.t(ok ? 'link.copied' : 'link.copyFailed');
    setTimeout(() => { b.textContent = page.i18n.t('link.copy'); }, 2000);
  });

  // Offer the full MNIST file when the build found it (web/build/data-files.js): no request that fails.
  page.form.setFullAvailable(DATA_FILES.includes('mnist-full.bin'));

  startLoading(page);
}

main();
registerOffline();
