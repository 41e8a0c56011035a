// embed-link.js - the panels page in a course page: the starting stage (?stage=N, from 1), the
// controls an author hides or locks (?hide=, ?lock=: the page's parts from web/lib/embed.js and the
// mounted panel's own fields, by their keys: x, w, lr, actH ...), and the host API's handlers
// (web/ui/host.js): getState, setState ({stage, lang, params}), start (plays the panel: one training
// step after another, each a progress event), pause, step (the next stage), reset.

import { controlNames, parseView } from '../lib/embed-view.js';
import { parseNum } from '../lib/format.js';
import { applyView } from '../ui/view-controls.js';
import { connectHost } from '../ui/host.js';
import { mountCourseBuilder } from '../ui/course-builder.js';

const PLAY_MS = 250;          // one training step per this while playing

const PARTS = {
  lang: '.shell-lang', nav: '.shell-nav', panels: '#nav', fields: '.panel > .controls', iterations: '.runbar',
  run: '[data-testid="run"]', stages: '.stagebar', plot: '.lossfig', notes: '.notes',
};
const selectorOf = name => PARTS[name] || `.field:has(> [data-field="${name}"])`;

/** The keys of the mounted panel's fields (its form controls that carry data-field). */
const fieldKeys = root => [...new Set([...root.querySelectorAll('.controls [data-field], .runbar [data-field]')].map(e => e.dataset.field))];

/**
 * After the panel mounted (or the index shown: panel null): reads ?stage, ?hide, ?lock, ?origin,
 * reports what it cannot use with report(errors), applies them and connects the host API.
 * page: {pid, panel, lang, setLang(lang), errors: more URL errors to report (the exercise's ex, seed)}.
 */
export function connectPanels(page, report) {
  const sp = new URLSearchParams(location.search);
  const panel = page.panel;
  const names = controlNames('panels', panel ? fieldKeys(panel.root) : []);
  const view = parseView(sp, names);
  const errors = [...view.errors, ...(page.errors || [])];
  if (sp.has('stage') && panel) {
    const n = Number(sp.get('stage'));
    if (Number.isInteger(n) && n >= 1 && n <= panel.stageNames.length) { panel.stage = n - 1; panel.showStage(); }
    else errors.push({ param: 'stage', value: sp.get('stage'), code: 'range', params: { max: panel.stageNames.length } });
  }
  if (errors.length) report(errors);
  applyView({ hide: view.hide, lock: view.lock, selectorOf });

  let timer = 0;
  const snapshot = () => {
    const e = panel && panel.entry;
    const losses = panel && panel.losses;
    return {
      panel: page.pid || null, lang: page.lang(), playing: !!timer,
      stage: panel ? panel.stage + 1 : null, stages: panel ? panel.stageNames.length : null,
      iteration: e ? e.trace.step : null, loss: losses && losses.length ? losses[losses.length - 1] : null,
      params: panel && panel.p ? { ...panel.p } : null,
    };
  };
  const playing = () => !!timer;
  const stop = () => { clearInterval(timer); timer = 0; };
  const needPanel = () => { if (!panel) throw Object.assign(new Error('no panel on this page'), { code: 'NO_PANEL' }); };

  const host = connectHost({
    page: 'panels', origins: view.origins,
    handlers: {
      getState: snapshot,
      running: playing,
      setState: args => {
        if (args.lang) page.setLang(args.lang);
        if (panel && args.params && panel.p) {
          for (const [k, v] of Object.entries(args.params)) {
            if (!(k in panel.p)) throw Object.assign(new Error(`unknown field ${k}`), { code: 'BAD_STATE' });
            const old = panel.p[k];
            panel.p[k] = typeof old === 'number' ? parseNum(String(v)).value ?? old : v;
          }
          panel.rebuild?.();
          panel.render();
        }
        if (args.stage != null) {
          needPanel();
          const n = Number(args.stage);
          if (!(Number.isInteger(n) && n >= 1 && n <= panel.stageNames.length)) throw Object.assign(new Error(`stage ${args.stage}`), { code: 'BAD_STATE' });
          panel.stage = n - 1; panel.showStage();
        }
        return snapshot();
      },
      start: () => {
        needPanel();
        if (!timer) timer = setInterval(() => { (panel.nextIter ? panel.nextIter() : panel.next()); host.progress({ epoch: null, iteration: snapshot().iteration, loss: snapshot().loss, accuracy: null }); }, PLAY_MS);
        host.state();
        return snapshot();
      },
      pause: () => { stop(); host.state(); return snapshot(); },
      step: () => { needPanel(); panel.next(); return snapshot(); },
      reset: () => { needPanel(); stop(); if (panel.rebuild) { panel.rebuild(); panel.update(); } panel.first(); return snapshot(); },
    },
  });
  // state on every change of stage or iteration (both end in showStage)
  if (panel) {
    const show = panel.showStage.bind(panel);
    panel.showStage = () => { show(); host.state(); };
  }
  mountCourseBuilder({ names, lang: page.lang });
  host.ready();
  return host;
}
