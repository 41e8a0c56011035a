// panel-fields.js - a panel's field values in the URL and in the host API's state (issue #13), without
// the DOM. One key per field: the key the field carries (data-field), the same name ?hide= and ?lock=
// take, e.g. panels.html?p=one-weight&X=1.5&w=0.7, ?p=mlp&W1.0.1=0.3 (row 1, column 2 of W1, from 0),
// ?p=optimizers&surface=rosenbrock&adam.lr=0.05. Each value is checked by the field's own check; an
// unknown key or a refused value is an error in lib/state.js's form ({param, value, code, params}).
//
// A field: {key, type: 'number' | 'select' | 'check', check(value) -> reason | null (numbers), options:
// [values] (selects)}; web/panels/ui.js describes each field it builds (FIELDS).

import { parseNum } from './format.js';
import { PANEL_PAGE_KEYS } from './settings.js';

/**
 * The value a field takes from the text `text`: {value} or {reason} (in the page's language, t: the
 * page's translator: err.* of parseNum, url.allowed, url.bool). Checkboxes take 1 / 0 (true / false).
 */
export function fieldValue(field, text, t) {
  const s = String(text).trim();
  if (field.type === 'select') return field.options.includes(s) ? { value: s } : { reason: t('url.allowed', { allowed: field.options.join(', ') }) };
  if (field.type === 'check') return s === '1' || s === 'true' ? { value: true } : s === '0' || s === 'false' ? { value: false } : { reason: t('url.bool') };
  const r = parseNum(s);
  if (!r.ok) return { reason: t(`err.${r.reason}`) };
  const reason = field.check ? field.check(r.value) : null;
  return reason ? { reason } : { value: r.value };
}

/**
 * The field values a query gives: entries [[key, text], ...] (a URLSearchParams, or Object.entries of
 * the host API's {fields}), fields: Map key -> field, skip: keys that are not fields (the page's own).
 * A key that matches no field exactly but one field when case is ignored (HTML attributes of the
 * custom element are lower case: x for the one-weight panel's X) names that field.
 * Returns {values: [{key, text, value}] (selects first: a select may rebuild the panel's other
 * fields, e.g. the optimizers' surface), errors}.
 */
export function parseFields(entries, fields, t, skip = PANEL_PAGE_KEYS) {
  const values = [], errors = [], seen = new Set();
  const known = () => [...fields.keys()].join(', ');
  for (const [k, raw] of entries) {
    if (skip.includes(k)) continue;
    const text = String(raw);
    let key = fields.has(k) ? k : null;
    if (!key) {
      const same = [...fields.keys()].filter(f => f.toLowerCase() === k.toLowerCase());
      if (same.length === 1) key = same[0];
    }
    if (!key) { errors.push({ field: k, param: k, value: text, code: 'key', params: { allowed: known() } }); continue; }
    if (seen.has(key)) { errors.push({ field: key, param: k, value: text, code: 'twice', params: {} }); continue; }
    seen.add(key);
    const r = fieldValue(fields.get(key), text, t);
    if ('reason' in r) errors.push({ field: key, param: k, value: text, code: 'field', params: { reason: r.reason } });
    else values.push({ key, text: text.trim(), value: r.value });
  }
  const rank = v => (fields.get(v.key).type === 'select' ? 0 : 1);
  return { values: values.map((v, i) => [v, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([v]) => v), errors };
}
