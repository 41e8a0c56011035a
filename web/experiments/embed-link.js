// embed-link.js - the experiment page in a course page: the controls an author hides or locks
// (?hide=, ?lock=: a setting by its name, e.g. optimizer, lr, batch, whose field here is the grid's
// axis; the page's parts form, start, views) and the host API (web/ui/host.js): getState, start,
// pause; events state (on a change of status or results), progress (runs done), done, error.

import { controlNames, parseView } from '../lib/embed-view.js';
import { onPage } from '../lib/settings.js';
import { applyView } from '../ui/view-controls.js';
import { connectHost } from '../ui/host.js';
import { mountCourseBuilder } from '../ui/course-builder.js';

const PARTS = { lang: '.shell-lang', nav: '.shell-nav', form: '#setup-form-box', start: '#run-buttons', views: '#tabs' };
const selectorOf = name => PARTS[name] || `[data-field="${(onPage(name, 'experiments') || {}).axis || name}"]`;
export const NAMES = controlNames('experiments');

/** page: the page object of main.js ({state, actions}); report(errors): into the page's message. */
export function connectExperiments(page, report) {
  const view = parseView(location.search, NAMES);
  if (view.errors.length) report(view.errors);
  applyView({ hide: view.hide, lock: view.lock, selectorOf });
  const hook = window.__experiment;
  const snapshot = () => ({ status: hook.status, settings: hook.settings, runs: hook.total, done: hook.results.length, lang: page.state.lang });
  const host = connectHost({
    page: 'experiments', origins: view.origins,
    handlers: {
      getState: snapshot,
      running: () => hook.status === 'running',
      start: async () => { page.actions.start(); await new Promise(r => setTimeout(r, 0)); return snapshot(); },
      pause: async () => { await page.actions.pause(); return snapshot(); },
    },
  });
  let last = '';
  setInterval(() => {
    const s = snapshot();
    const key = `${s.status} ${s.done} ${s.lang}`;
    if (key === last) return;
    const before = last.split(' ')[0];
    last = key;
    host.state();
    if (s.status === 'running' || s.done) host.progress({ epoch: null, iteration: null, loss: null, accuracy: null, runs: s.runs, done: s.done });
    if (s.status !== before && s.status === 'done') host.emit('done', { state: s });
    if (s.status !== before && s.status === 'error') host.emit('error', { code: 'ERROR', message: '' });
  }, 250);
  mountCourseBuilder({ names: NAMES, lang: () => page.state.lang });
  host.ready();
  return host;
}
