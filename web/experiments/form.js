// form.js - the setup view's settings form: the fields of web/lib/experiment-settings.js grouped as
// the assignment reads (grid, stopping, network, hyperparameters, data), checked field by field as
// the reader types, mirrored in the URL, locked while the grid runs. A change of the grid drops the
// chart pick and redraws the results. Submitting calls page.actions.start (./controller.js).
// page: {state, store, actions}.
import { h } from './ui.js';
import { OPTIMIZERS, HIDDEN_ACTIVATIONS, FIELDS, parse, toQuery, toGrid, labelKey, hintKey } from '../lib/experiment-settings.js';
import { STOPPING } from '../lib/experiments.js';
import { OPT_COLORS } from '../lib/chart-math.js';
import { optName } from './tables.js';
import { renderRunPanel, renderSummary, renderQueue, updateButtons } from './run-panel.js';
import { scheduleResults } from './views.js';

const $ = id => document.getElementById(id);

// the text fields: the group they are in and the keyboard they ask for on a phone
const TEXT_FIELDS = {
  lrs: { group: 'grid', mode: 'decimal' }, batches: { group: 'grid', mode: 'numeric' }, epochs: { group: 'grid', mode: 'numeric' },
  seeds: { group: 'grid', mode: 'numeric' }, target: { group: 'stop', mode: 'decimal' }, check_every: { group: 'stop', mode: 'numeric' },
  xi: { group: 'stop', mode: 'decimal' },
  patience: { group: 'stop', mode: 'numeric' }, validation: { group: 'stop', mode: 'numeric' }, hidden: { group: 'net', mode: 'numeric' },
  dropout: { group: 'net', mode: 'decimal' }, weight_decay: { group: 'net', mode: 'decimal' }, momentum: { group: 'hyper', mode: 'decimal' },
  alpha: { group: 'hyper', mode: 'decimal' }, beta1: { group: 'hyper', mode: 'decimal' }, beta2: { group: 'hyper', mode: 'decimal' },
  jobs: { group: 'data', mode: 'numeric' },
};

/** Writes the form's strings (and the language) to the URL, so a link reopens the same grid. */
export function syncUrl(state) {
  const q = toQuery(state.strs, { lang: state.lang });
  history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
}

export function renderSetup(page) {
  const { state } = page;
  const { t } = state;
  const onInput = () => onFormInput(page);
  const field = (name, control) => {
    const hint = t(hintKey(name), {}, '');
    control.setAttribute('aria-describedby', hint ? `h-${name} e-${name}` : `e-${name}`);
    return h('div', { class: 'field', id: `w-${name}`, 'data-field': name },
      h('label', { for: `f-${name}` }, t(labelKey(name))),
      control,
      hint ? h('p', { class: 'hint', id: `h-${name}` }, hint) : null,
      h('p', { class: 'err', id: `e-${name}`, 'aria-live': 'polite' }));
  };
  const text = name => field(name, h('input', { type: 'text', id: `f-${name}`, name, value: state.strs[name], inputmode: TEXT_FIELDS[name].mode,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `h-${name} e-${name}`, oninput: onInput, onchange: onInput }));
  const select = (name, options) => field(name, h('select', { id: `f-${name}`, name, 'aria-describedby': `h-${name} e-${name}`, onchange: onInput },
    options.map(([v, label, disabled]) => h('option', { value: v, selected: state.strs[name] === v, disabled }, label))));

  const form = h('form', { id: 'setup-form', novalidate: true, onsubmit: e => { e.preventDefault(); page.actions.start(); } });
  const chosen = new Set(state.strs.optimizers.split(/[\s,;]+/).map(s => s.toLowerCase()));
  const optBox = h('fieldset', { class: 'field opts', id: 'w-optimizers', 'data-field': 'optimizers', 'aria-describedby': 'e-optimizers' },
    h('legend', {}, t('f.optimizers')),
    h('div', { class: 'checks' }, OPTIMIZERS.map(n => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'opt', value: n, id: `f-opt-${n}`, checked: chosen.has(n), onchange: onInput }),
      h('span', { class: 'swatch', style: `background:${OPT_COLORS[n]}` }), optName(t, n)))),
    h('p', { class: 'hint', id: 'h-optimizers' }, t('hint.optimizers')),
    h('p', { class: 'err', id: 'e-optimizers', 'aria-live': 'polite' }));
  form.append(
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.grid')), optBox,
      h('div', { class: 'row' }, text('lrs'), text('batches')),
      h('div', { class: 'row' }, text('epochs'), text('seeds'))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.stop')),
      h('div', { class: 'row' }, text('target'), text('check_every')),
      h('div', { class: 'row' }, select('stop', STOPPING.map(k => [k, t(`stop.${k}`)])),
        text('xi'), text('patience'), text('validation'))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.net')),
      h('div', { class: 'row' }, text('hidden'), select('act', HIDDEN_ACTIVATIONS.map(a => [a, t(`act.${a}`)]))),
      h('div', { class: 'row' }, text('dropout'), text('weight_decay')),
      h('div', { class: 'field checkfield', id: 'w-batchnorm', 'data-field': 'batchnorm' },
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'f-batchnorm', checked: state.strs.batchnorm === '1' || state.strs.batchnorm === 'true',
          'aria-describedby': 'h-batchnorm e-batchnorm', onchange: onInput }), t('f.batchnorm')),
        h('p', { class: 'hint', id: 'h-batchnorm' }, t('hint.batchnorm')), h('p', { class: 'err', id: 'e-batchnorm' })),
      h('p', { class: 'hint', id: 'net-summary' })),
    h('details', { class: 'group hyper' }, h('summary', {}, t('g.hyper')),
      h('div', { class: 'row' }, text('momentum'), text('alpha'), text('beta1'), text('beta2'))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('g.data')),
      h('div', { class: 'row' }, select('data', [['subset', t('data.subset')], ['full', t('data.full'), state.ctx.fullAvailable === false]]), text('jobs'))));
  $('setup-form-box').replaceChildren(h('h2', { class: 'sr-only' }, t('g.settings')), form);
  showErrors(state);
  showConditional(state);
  lockForm(state);
  renderRunPanel(page);
}

/** Settings are locked while the grid runs (a paused grid may be changed: resume then runs the new grid). */
export function lockForm(state) {
  const form = $('setup-form');
  const lock = state.status === 'running' || state.status === 'pausing';
  if (form) for (const el of form.querySelectorAll('input, select')) el.disabled = lock;
  const fo = document.querySelector('#f-data option[value="full"]');
  if (fo) fo.disabled = state.ctx.fullAvailable === false;
}

/** The form's strings as the reader left them. */
export function readForm(state) {
  const s = { ...state.strs };
  for (const name of Object.keys(TEXT_FIELDS)) { const el = $(`f-${name}`); if (el) s[name] = el.value; }
  for (const name of ['stop', 'act', 'data']) { const el = $(`f-${name}`); if (el) s[name] = el.value; }
  const bn = $('f-batchnorm'); if (bn) s.batchnorm = bn.checked ? '1' : '0';
  s.optimizers = [...document.querySelectorAll('input[name="opt"]:checked')].map(x => x.value).join(',');
  return s;
}

function onFormInput(page) {
  const { state } = page;
  state.strs = readForm(state);
  revalidate(page);
  showConditional(state);
  syncUrl(state);
}

/** Checks the form's strings; valid settings replace state.valid (a new grid drops the pick and a done status). */
export function revalidate(page) {
  const { state } = page;
  const { settings, errors } = parse(state.strs, state.ctx);
  state.errors = errors;
  if (!Object.keys(errors).length) {
    const before = state.valid && JSON.stringify(toGrid(state.valid));
    state.valid = settings;
    if (JSON.stringify(toGrid(settings)) !== before) {
      state.selection = null;
      if (state.status === 'done') { state.status = 'idle'; document.body.dataset.status = 'idle'; state.message = null; }
      scheduleResults(state);
      if (state.message && state.message.link) state.message = null;
      renderRunPanel(page);
    }
  }
  showErrors(state);
  renderSummary(state);
  renderQueue(state);
  updateButtons(state);
}

/** Each field's error message (or none), its red frame and aria-invalid. */
export function showErrors(state) {
  const { t } = state;
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

/** The fields only some stopping rules use, the ξ label of the rule, and the network's summary line. */
function showConditional(state) {
  const { t } = state;
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

/** The field a reader should fix first (focused, its details opened); false when none is bad. */
export function focusFirstError(state) {
  const bad = FIELDS.find(n => state.errors[n]);
  if (!bad) return false;
  const el = bad === 'optimizers' ? document.querySelector('input[name="opt"]') : $(`f-${bad}`);
  if (el) { const d = el.closest('details'); if (d) d.open = true; el.focus(); }
  return true;
}
