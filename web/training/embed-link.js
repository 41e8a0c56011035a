// embed-link.js - the training page in a course page: the controls an author hides or locks
// (?hide=, ?lock=: web/lib/embed.js names them, this module says where each is on this page) and the
// host API's handlers (web/ui/host.js): getState, setState (any URL key, checked as the URL is),
// start, pause, step, reset; events state (settings and phase), progress, done, error.

import { controlNames, parseView } from '../lib/embed-view.js';
import { FIELDS, FIELD, parseValue, validate } from '../lib/state.js';
import { applyView } from '../ui/view-controls.js';
import { connectHost } from '../ui/host.js';
import { mountCourseBuilder } from '../ui/course-builder.js';
import { command, pause, reset } from './run.js';

/** Where each control of hide/lock is: a setting's form field, or one of the page's parts. */
const PARTS = {
  lang: '.shell-lang', nav: '.shell-nav', link: '#copy-link', settings: '.side, .settings-bar', layers: '.layers',
  hidden: '[data-field="hidden"] .layer-list, #add-layer, .layer-head', act: '[data-act], label[for^="f-act-"]',
  logy: '.chart-tools label.check', smooth: 'label[for="f-smooth"], #f-smooth, #o-smooth',
  start: '#btn-start', step: '#btn-step', epoch: '#btn-epoch', reset: '#btn-reset', progress: '.progress-row',
  charts: '.charts', results: '.results', draw: '.draw', misclassified: 'h3[data-i18n="mis.title"], #misclassified',
  weights: 'h3[data-i18n="weights.title"], #weights',
};
export const selectorOf = name => PARTS[name] || `[data-field="${name}"]`;

/** Every hide/lock name of this page: its settings and its parts (lib/embed.js). */
export const NAMES = controlNames('training');

/** The settings as the host sees them: every field of the URL state but the shell's. */
const settingsOf = state => Object.fromEntries(FIELDS.filter(f => !f.shell).map(f => [f.key, state[f.key]]));

/**
 * Reads ?hide, ?lock, ?origin (problems go to the URL banner with the others), applies them, and
 * connects the host API. app: {onFieldChange(key, value), setLanguage(lang)} of app.js.
 */
export function connectTraining(page, app) {
  const view = parseView(location.search, NAMES);
  page.urlErrors.push(...view.errors);
  applyView({ hide: view.hide, lock: view.lock, selectorOf });

  const snapshot = () => {
    const m = page.lastMetrics;
    const p = page.progress || {};
    return {
      settings: settingsOf(page.state), lang: page.i18n.lang, phase: page.phase,
      epoch: p.epoch ?? 0, iteration: p.iteration ?? 0,
      loss: page.lastLoss ?? null, accuracy: m && m.test ? m.test.accuracy : null,
    };
  };

  // boot.js connected the host already (and said 'ready'); else connect it here
  const early = window.backpropHost;
  window.backpropHost = null;
  const host = early || connectHost({ page: 'training', origins: view.origins });
  host.attach({
      getState: snapshot,
      setState: args => setState(page, app, args),
      running: () => page.phase === 'running',
      start: async () => {
        if (page.phase === 'running') return snapshot();
        command(page, 'start');               // answers when training stops: not awaited
        await new Promise(r => setTimeout(r, 0));
        return snapshot();
      },
      pause: async () => { if (page.phase === 'running') await pause(page); return snapshot(); },
      step: async () => { await command(page, 'step'); return snapshot(); },
      reset: async () => { await reset(page); return snapshot(); },
  });

  // progress: the worker's events (the page's own listener has drawn them already)
  const progress = () => host.progress({ epoch: snapshot().epoch, iteration: snapshot().iteration, loss: page.lastLoss ?? null,
    accuracy: snapshot().accuracy, epochs: page.state.epochs });
  page.trainer.on('progress', ev => {
    if (ev.run !== page.runId) return;
    if (ev.losses && ev.losses.length) page.lastLoss = ev.losses[ev.losses.length - 1];
    progress();
  });
  page.trainer.on('epoch', ev => { if (ev.run === page.runId) setTimeout(progress, 0); });

  // state on every change: the phase (the status line's data-phase, which every render writes) and the settings
  let last = '';
  const changed = () => {
    const s = snapshot();
    const key = JSON.stringify(s);
    if (key === last) return;
    const before = last ? JSON.parse(last).phase : null;
    last = key;
    host.state();
    if (s.phase !== before) {
      if (s.phase === 'done') host.emit('done', { state: s });
      if (s.phase === 'error' || s.phase === 'diverged') {
        const msg = page.message || {};
        const err = msg.err || {};
        host.emit('error', { code: s.phase === 'diverged' ? 'DIVERGED' : err.code || 'ERROR', message: err.message || '', iteration: msg.iteration ?? null });
      }
    }
  };
  new MutationObserver(changed).observe(document.getElementById('status'), { attributes: true, attributeFilter: ['data-phase'] });
  page.onSettings = changed;
  mountCourseBuilder({ names: NAMES, lang: () => page.i18n.lang });
  if (early) host.state(); else host.ready();
  return host;
}

/** setState: {key: value | text} with the URL's keys (lr, optimizer, hidden: [128, 64] or '128,64', lang). */
async function setState(page, app, args) {
  const bad = [];
  const parsed = [];
  for (const [key, v] of Object.entries(args)) {
    const f = FIELD[key];
    if (!f || (f.shell && key !== 'lang')) { bad.push({ field: key, code: 'unknown' }); continue; }
    const r = parseValue(key, Array.isArray(v) ? v.join(',') : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
    if (r.error) bad.push({ field: key, ...r.error }); else parsed.push([key, r.value]);
  }
  if (bad.length) throw Object.assign(new Error(`refused: ${bad.map(b => `${b.field} (${b.code})`).join(', ')}`), { code: 'BAD_STATE', details: bad });
  if (page.phase === 'running') await pause(page);
  const order = k => FIELDS.findIndex(f => f.key === k);
  for (const [key, value] of parsed.sort((a, b) => order(a[0]) - order(b[0]))) {
    if (key === 'lang') app.setLanguage(value); else app.onFieldChange(key, value);
  }
  const problems = validate(page.state);
  if (problems.length) throw Object.assign(new Error(`refused: ${problems.map(p => `${p.field} (${p.code})`).join(', ')}`), { code: 'BAD_STATE', details: problems });
  return { settings: settingsOf(page.state) };
}
