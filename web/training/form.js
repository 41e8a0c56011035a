// form.js - the settings sidebar, built from the state table (lib/state.js, from lib/settings.js): one labelled control
// per field, shown only where the field applies, each with its own error line. Values are checked
// with the table's parser as they are typed; a refused value stays in the field, marked, with the
// reason, and is not applied.

import { FIELD, PRESETS, parseValue, presetOf, INPUT_SIZE, CLASSES, MAX_HIDDEN_LAYERS, TRAIN_SIZES } from '../lib/state.js';
import { parseNum } from '../lib/format.js';

const LAYOUT = [
  { id: 'data', legend: 'data.legend', fields: ['data', 'scale'] },
  { id: 'net', legend: 'net.legend', fields: ['preset', 'layers', 'slope', 'elu', 'loss', 'init'] },
  { id: 'opt', legend: 'opt.legend', fields: ['optimizer', 'lr', 'momentum', 'nesterov', 'beta1', 'beta2', 'alpha', 'eps', 'weight_decay', 'amsgrad'] },
  { id: 'train', legend: 'train.legend', fields: ['batch', 'epochs', 'seed'] },
];
// Where the option labels of an enum come from.
const OPTION_KEY = { data: null, scale: 'scale', out: 'act', loss: 'loss', init: 'init', optimizer: 'opt', act: 'act' };

// Fields whose option texts are long: label above the control.
const STACKED = ['data'];

const h = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
};

export class SettingsForm {
  /**
   * root: the <form>. onChange(key, value) for each accepted change; onValidity(errorsByField)
   * whenever the set of refused fields changes.
   */
  constructor(root, { onChange, onValidity }) {
    this.root = root;
    this.onChange = onChange;
    this.onValidity = onValidity;
    this.local = new Map();      // field id -> {code, params} refused while typing
    this.external = new Map();   // field -> [{code, params}] from validate()
    this.fullAvailable = false;
    this.nTrain = null;
    root.addEventListener('submit', e => e.preventDefault());
    root.addEventListener('input', e => this._input(e));
    root.addEventListener('change', e => this._input(e, true));
    root.addEventListener('click', e => this._click(e));
  }

  build(state, i18n) {
    this.state = state;
    this.i18n = i18n;
    const focusId = document.activeElement && this.root.contains(document.activeElement) ? document.activeElement.id : null;
    this.root.replaceChildren(...LAYOUT.map(g => this._group(g)));
    this.sync(state);
    if (focusId) { const f = document.getElementById(focusId); if (f) f.focus(); }
  }

  _group(g) {
    const { t } = this.i18n;
    const fs = h('fieldset', { id: `fs-${g.id}` }, h('legend', { text: t(g.legend) }));
    for (const key of g.fields) {
      if (key === 'preset') fs.append(this._preset());
      else if (key === 'layers') fs.append(this._layers());
      else fs.append(this._field(key));
    }
    return fs;
  }

  _label(key) { return this.i18n.t(FIELD[key].label); }

  _options(key, values, current) {
    const { t, num } = this.i18n;
    return values.map(v => {
      let text;
      if (key === 'data') text = t(`data.${v}`, { train: num(TRAIN_SIZES[v]), test: num(v === 'full' ? 10000 : 2000) });
      else {
        // a name the core gained after the dictionaries were written shows as itself
        const k = `${OPTION_KEY[key]}.${v}`;
        text = t(k) === k ? v : t(k);
      }
      return h('option', { value: v, selected: v === current, disabled: key === 'data' && v === 'full' && !this.fullAvailable && current !== 'full' }, text);
    });
  }

  _field(key) {
    const f = FIELD[key];
    const id = `f-${key}`;
    const wrap = h('div', { class: `field field-${f.type}${STACKED.includes(key) ? ' stack' : ''}`, 'data-field': key });
    const err = h('p', { class: 'err', id: `e-${key}`, 'aria-live': 'polite' });
    if (f.type === 'bool') {
      wrap.append(h('label', { class: 'check' }, h('input', { type: 'checkbox', id, name: key, 'aria-describedby': `e-${key}` }), ' ', this._label(key)), err);
    } else if (f.type === 'enum') {
      wrap.append(h('label', { for: id, text: this._label(key) }),
        h('select', { id, name: key, 'aria-describedby': `e-${key}` }, ...this._options(key, f.values, this.state[key])), err);
    } else {
      wrap.append(h('label', { for: id, text: this._label(key) }),
        h('input', { id, name: key, type: 'text', inputmode: f.type === 'int' ? 'numeric' : 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `e-${key}` }), err);
    }
    return wrap;
  }

  _preset() {
    const { t } = this.i18n;
    const cur = presetOf(this.state.hidden) || 'custom';
    return h('div', { class: 'field stack', 'data-field': 'preset' },
      h('label', { for: 'f-preset', text: t('preset.label') }),
      h('select', { id: 'f-preset', name: 'preset' },
        ...[...Object.keys(PRESETS), 'custom'].map(p => h('option', { value: p, selected: p === cur, disabled: p === 'custom' && cur !== 'custom' }, t(`preset.${p}`)))));
  }

  _layers() {
    const { t } = this.i18n;
    const s = this.state;
    const box = h('div', { class: 'layers', 'data-field': 'hidden', role: 'group', 'aria-labelledby': 'layers-summary' });
    box.append(h('p', { class: 'layer-io', text: t('layer.input') }));
    if (s.hidden.length) box.append(h('div', { class: 'layer-head', 'aria-hidden': 'true' }, h('span'), h('span', { text: t('layer.width') }), h('span', { text: t('layer.act') }), h('span')));
    const list = h('ol', { class: 'layer-list' });
    s.hidden.forEach((w, i) => {
      const n = i + 1;
      const row = h('li', { class: 'layer-row', 'data-index': String(i) },
        h('span', { class: 'layer-name', id: `l-name-${i}`, text: t('layer.hidden', { n }) }),
        h('label', { for: `f-width-${i}`, class: 'sub', text: t('layer.width') }),
        h('input', { id: `f-width-${i}`, 'data-width': String(i), type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'width',
          'aria-describedby': `e-width-${i}`, value: String(w) }),
        h('label', { for: `f-act-${i}`, class: 'sub', text: t('layer.act') }),
        h('select', { id: `f-act-${i}`, 'data-act': String(i) }, ...FIELD.act.values.map(v => h('option', { value: v, selected: v === s.act[i] }, t(`act.${v}`)))),
        h('button', { type: 'button', class: 'remove', 'data-remove': String(i), 'aria-label': t('layer.removeLabel', { n }), title: t('layer.removeLabel', { n }) }, '×'),
        h('p', { class: 'err', id: `e-width-${i}`, 'aria-live': 'polite' }));
      list.append(row);
    });
    box.append(list);
    box.append(h('button', { type: 'button', id: 'add-layer', class: 'add', disabled: s.hidden.length >= MAX_HIDDEN_LAYERS }, `+ ${t('layer.add')}`));
    box.append(h('p', { class: 'err', id: 'e-hidden', 'aria-live': 'polite' }));
    box.append(h('p', { class: 'layer-io', text: t('layer.output') }));
    box.append(h('div', { class: 'layer-out' }, this._field('out')));
    box.append(h('p', { class: 'note', id: 'layers-summary' }));
    box.append(h('p', { class: 'err', id: 'e-act', 'aria-live': 'polite' }));
    return box;
  }

  /** Puts the state's values into the controls (not into one being edited with a refused value). */
  sync(state) {
    this.state = state;
    const { t, num } = this.i18n;
    for (const f of Object.values(FIELD)) {
      const c = this.root.querySelector(`#f-${f.key}`);
      if (!c) continue;
      const wrap = c.closest('.field');
      if (wrap) wrap.hidden = !f.when(state);
      if (this.local.has(f.key)) continue;
      if (f.type === 'bool') c.checked = !!state[f.key];
      else if (c.tagName === 'SELECT') c.value = state[f.key];
      else if (document.activeElement !== c || parseNum(c.value).value !== state[f.key]) c.value = this._text(state[f.key]);
    }
    const full = this.root.querySelector('#f-data option[value="full"]');
    if (full) full.disabled = !this.fullAvailable && state.data !== 'full';
    const preset = this.root.querySelector('#f-preset');
    if (preset) {
      const cur = presetOf(state.hidden) || 'custom';
      preset.value = cur;
      preset.querySelector('option[value="custom"]').disabled = cur !== 'custom';
    }
    const sum = this.root.querySelector('#layers-summary');
    if (sum) {
      const sizes = [INPUT_SIZE, ...state.hidden, CLASSES];
      let params = 0;
      for (let i = 1; i < sizes.length; i++) params += sizes[i - 1] * sizes[i] + sizes[i];
      sum.textContent = t('net.summary', { layers: sizes.join('-'), params });
      void num;
    }
    this._showErrors();
  }

  /** A number as the field shows it: with a decimal comma in Russian (the URL keeps the point). */
  _text(v) { return this.i18n.lang === 'ru' ? String(v).replace('.', ',') : String(v); }

  setFullAvailable(on) { this.fullAvailable = on; if (this.state) this.sync(this.state); }

  /** Errors of the whole state (from validate()) to show at their fields. */
  setErrors(list) {
    this.external = new Map();
    for (const e of list) {
      if (!this.external.has(e.field)) this.external.set(e.field, []);
      this.external.get(e.field).push(e);
    }
    this._showErrors();
  }

  /** Translates one error. */
  message(e) {
    const { t, num } = this.i18n;
    const p = { ...e.params };
    for (const k of ['min', 'max']) if (typeof p[k] === 'number') p[k] = num(p[k]);
    if (e.code === 'item') return t('err.item', { index: p.index, error: this.message(p.error) });
    if (p.out) p.out = t(`act.${p.out}`);
    if (p.opt) p.opt = t(`opt.${p.opt}`);
    return t(`err.${e.code}`, p);
  }

  _showErrors() {
    for (const node of this.root.querySelectorAll('.err')) node.textContent = '';
    for (const node of this.root.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    const mark = (id, ctlId, msg) => {
      const e = this.root.querySelector(`#e-${id}`);
      if (e) e.textContent = msg;
      const c = this.root.querySelector(`#${ctlId}`);
      if (c) c.setAttribute('aria-invalid', 'true');
    };
    for (const [id, e] of this.local) {
      if (id.startsWith('width-')) mark(id, `f-${id}`, this.message(e));
      else mark(id, `f-${id}`, this.message(e));
    }
    for (const [field, list] of this.external) {
      if (this.local.has(field)) continue;
      const ctl = field === 'hidden' ? 'f-width-0' : field === 'act' ? 'f-act-0' : `f-${field}`;
      mark(field, ctl, list.map(e => this.message(e)).join('; '));
    }
    this.onValidity(this.errors());
  }

  /** Every refused or invalid field: Map field -> message. */
  errors() {
    const out = new Map();
    for (const [id, e] of this.local) out.set(id, this.message(e));
    for (const [field, list] of this.external) if (!out.has(field)) out.set(field, list.map(e => this.message(e)).join('; '));
    return out;
  }

  setDisabled(on) { for (const fs of this.root.querySelectorAll('fieldset')) if (fs.disabled !== on) fs.disabled = on; }

  _input(e, committed = false) {
    const c = e.target;
    if (c.id === 'f-preset') {
      if (!committed || !PRESETS[c.value]) return;
      for (const k of [...this.local.keys()]) if (k.startsWith('width-')) this.local.delete(k);
      // a preset is the whole network of the course: its widths with ReLU
      const hidden = PRESETS[c.value].slice();
      this.onChange('layers', { hidden, act: hidden.map(() => 'relu') });
      return;
    }
    if (c.dataset.width != null) {
      const i = Number(c.dataset.width);
      const id = `width-${i}`;
      const r = c.value.trim() === '' ? { error: { code: 'empty', params: {} } } : parseValue('hidden', c.value);
      if (r.error || r.value.length !== 1) {
        const err = r.error ? (r.error.code === 'item' ? r.error.params.error : r.error) : { code: 'nan', params: {} };
        this.local.set(id, err);
        this._showErrors();
        return;
      }
      this.local.delete(id);
      const hidden = this.state.hidden.slice();
      hidden[i] = r.value[0];
      this.onChange('hidden', hidden, { keepLayers: true });
      return;
    }
    if (c.dataset.act != null) {
      const act = this.state.act.slice();
      act[Number(c.dataset.act)] = c.value;
      this.onChange('act', act);
      return;
    }
    const key = c.name;
    const f = FIELD[key];
    if (!f) return;
    if (f.type === 'bool') { this.onChange(key, c.checked); return; }
    if (f.type === 'enum') { this.onChange(key, c.value); return; }
    const r = parseValue(key, c.value, { comma: true });
    if (r.error) { this.local.set(key, r.error); this._showErrors(); return; }
    this.local.delete(key);
    this.onChange(key, r.value);
  }

  _click(e) {
    const b = e.target.closest('button');
    if (!b || !this.root.contains(b)) return;
    if (b.id === 'add-layer') {
      const hidden = [...this.state.hidden, this.state.hidden.length ? this.state.hidden[this.state.hidden.length - 1] : 64];
      this._dropWidthErrors();
      this.onChange('hidden', hidden);
      const f = this.root.querySelector(`#f-width-${hidden.length - 1}`);
      if (f) f.focus();
    } else if (b.dataset.remove != null) {
      const i = Number(b.dataset.remove);
      const hidden = this.state.hidden.filter((_, j) => j !== i);
      const act = this.state.act.filter((_, j) => j !== i);
      this._dropWidthErrors();
      this.onChange('layers', { hidden, act });
      const next = this.root.querySelector(`#f-width-${Math.min(i, hidden.length - 1)}`) || this.root.querySelector('#add-layer');
      if (next) next.focus();
    }
  }

  _dropWidthErrors() { for (const k of [...this.local.keys()]) if (k.startsWith('width-')) this.local.delete(k); }
}
