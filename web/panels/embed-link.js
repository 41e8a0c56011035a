// embed-link.js - the panels page in a course page: the starting stage (?stage=N, from 1), the
// controls an author hides or locks (?hide=, ?lock=: the page's parts from web/lib/embed.js and the
// mounted panel's own fields, by their keys: x, w, lr, actH ...), the fields' values (?x=0.3&lr=0.5:
// web/lib/panel-fields.js; the address follows every edit), and the host API's handlers
// (web/ui/host.js): getState, setState ({stage, lang, fields, params, actor}), start (plays the panel: one training
// step after another, each a progress event), pause, step (the next stage), reset.

import { controlNames, parseView } from '../lib/embed-view.js';
import { parseNum } from '../lib/format.js';
import { parseFields } from '../lib/panel-fields.js';
import { FIELDS } from './ui.js';
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
const FIELD_SEL = '.controls [data-field], .runbar [data-field]';
const fieldKeys = root => [...new Set([...root.querySelectorAll(FIELD_SEL)].map(e => e.dataset.field))];

/** The mounted panel's fields (ui.js's FIELDS, in the panel's order; a checkbox: 1 or 0), the table the URL keys and hide/lock come from. */
function fieldTable(root) {
  const m = new Map();
  for (const el of root.querySelectorAll(FIELD_SEL)) {
    const key = el.dataset.field;
    const f = el.type === 'checkbox' ? { key, type: 'check' } : FIELDS.get(key);
    if (f && !m.has(key)) m.set(key, f);
  }
  return m;
}
const fieldEl = (root, key) => root.querySelector(`[data-field="${CSS.escape(key)}"]`);
/** A field's value as the URL writes it. */
const fieldText = el => (el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value.trim());
/** The fields' values now: {key: text}. */
const fieldTexts = root => Object.fromEntries([...fieldTable(root).keys()].map(k => [k, fieldText(fieldEl(root, k))]));
/** Sets fields as the student would ([{key, text, value}] from parseFields): the field's own events apply them. */
function setFields(root, values) {
  for (const { key, text, value } of values) {
    const el = fieldEl(root, key);
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = value; else el.value = text;
    el.dispatchEvent(new Event(el.tagName === 'INPUT' && el.type !== 'checkbox' ? 'input' : 'change', { bubbles: true }));
  }
}

/**
 * After the panel mounted (or the index shown: panel null): reads ?stage, ?hide, ?lock, ?origin,
 * reports what it cannot use with report(errors), applies them and connects the host API.
 * page: {pid, panel, lang, setLang(lang), setActor(actor), errors: more URL errors to report (the exercise's ex, seed)}.
 */
export function connectPanels(page, report) {
  const sp = new URLSearchParams(location.search);
  const panel = page.panel;
  const names = controlNames('panels', panel ? fieldKeys(panel.root) : []);
  const view = parseView(sp, names);
  const errors = [...view.errors, ...(page.errors || [])];
  // the panel's field values from the URL (one key per field), checked by each field's own check
  const root = panel ? panel.root : null;
  const defaults = root ? fieldTexts(root) : {};
  const fromUrl = parseFields(sp, root ? fieldTable(root) : new Map(), page.t());
  errors.push(...fromUrl.errors);
  if (root) setFields(root, fromUrl.values);
  // the address keeps every field that differs from the panel's default, so a copied link (the
  // builder's too) reopens the same numbers
  const syncUrl = () => {
    if (!root) return;
    const q = new URLSearchParams(location.search), now = fieldTexts(root);
    for (const k of Object.keys(defaults)) q.delete(k);
    for (const [k, v] of Object.entries(now)) if (v !== defaults[k]) q.set(k, v);
    history.replaceState(history.state, '', `?${q}${location.hash}`);
  };
  syncUrl();
  root?.addEventListener('input', syncUrl);
  root?.addEventListener('change', syncUrl);
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
      fields: root ? fieldTexts(root) : null,
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
        if (args.actor !== undefined) {       // xAPI statements' actor (lms-link.js)
          try { page.setActor(args.actor); } catch (e) { throw Object.assign(new Error(e.message), { code: 'BAD_STATE' }); }
        }
        if (args.fields != null) {
          needPanel();
          const r = parseFields(Object.entries(args.fields), fieldTable(root), page.t(), []);
          if (r.errors.length) throw Object.assign(new Error(r.errors.map(e => `${e.param}=${e.value}: ${e.params.reason || e.code}`).join('; ')), { code: 'BAD_STATE' });
          setFields(root, r.values);
        }
        if (panel && args.params && panel.p) {
          for (const [k, v] of Object.entries(args.params)) {
            if (!(k in panel.p)) throw Object.assign(new Error(`unknown field ${k}`), { code: 'BAD_STATE' });
            const old = panel.p[k];
            panel.p[k] = typeof old === 'number' ? parseNum(String(v)).value ?? old : v;
          }
          panel.rebuild?.();
          panel.render();
          syncUrl();
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
