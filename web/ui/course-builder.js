// course-builder.js - "Use in a course": a button in the page's header that opens a dialog where a
// course author, with the view set up on the page itself, ticks the controls to hide or lock (the
// page's names, web/lib/embed-view.js), picks the size and language, sees a live preview, and copies
// an iframe snippet or a link. The address and the snippet are written by lib/embed-view.js.

import { embedUrl, iframeSnippet } from '../lib/embed-view.js';
import { translator, LANGUAGES, LANGUAGE_NAMES } from '../lib/i18n.js';
import { BUILDER_STRINGS } from './builder-strings.js';
import { h } from './dom.js';

// The dialog's look, added once (the pages' style sheets stay the pages' own).
const CSS = `
.course-builder { max-width: min(1100px, 96vw); width: 96vw; max-height: 92vh; padding: 0; border: 1px solid #94a3b8; border-radius: 8px; }
.course-builder::backdrop { background: rgb(15 23 42 / .45); }
.cb-form { padding: 12px 16px; }
.cb-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.cb-head h2 { margin: 0; font-size: 1.2rem; }
.cb-close { font-size: 1.4rem; line-height: 1; min-width: 2.2rem; min-height: 2.2rem; }
.cb-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 16px; }
.cb-controls { max-height: 62vh; overflow: auto; }
.cb-controls table { border-collapse: collapse; width: 100%; }
.cb-controls th, .cb-controls td { padding: 2px 6px; text-align: left; border-bottom: 1px solid #e2e8f0; }
.cb-controls input { width: 1.1rem; height: 1.1rem; }
.cb-side fieldset { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.cb-side input[type=number] { width: 6rem; }
.cb-side textarea, .cb-side input[type=text] { width: 100%; box-sizing: border-box; font: 12px/1.4 ui-monospace, monospace; }
.cb-preview { border: 1px dashed #94a3b8; overflow: auto; max-width: 100%; }
.cb-preview iframe { border: 0; display: block; }
@media (max-width: 700px) { .cb-grid { grid-template-columns: minmax(0, 1fr); } }
`;
function addStyle() {
  if (document.getElementById('course-builder-css')) return;
  const style = document.createElement('style');
  style.id = 'course-builder-css';
  style.textContent = CSS;
  document.head.append(style);
}

/** Adds the button to the header; names: the page's hide/lock names (or a function giving them); lang(): the page's language. */
export function mountCourseBuilder({ names, lang, title = () => document.title }) {
  const end = document.querySelector('#shell .shell-end');
  if (!end || end.querySelector('#course-open')) return null;
  addStyle();
  const button = h('button', { type: 'button', id: 'course-open', class: 'shell-course' });
  const label = () => { const t = translator(BUILDER_STRINGS, lang()); button.textContent = t('b.open'); button.title = t('b.openTitle'); };
  label();
  new MutationObserver(label).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  button.addEventListener('click', () => open(typeof names === 'function' ? names() : names, lang(), title()));
  end.prepend(button);
  return button;
}

function open(names, pageLang, pageTitle) {
  const t = translator(BUILDER_STRINGS, pageLang);
  const choice = { hide: new Set(), lock: new Set(), lang: pageLang, embed: true, width: 900, height: 640 };
  const base = () => { const u = new URL(location.href); for (const k of ['hide', 'lock']) u.searchParams.delete(k); return u.href; };
  const url = () => embedUrl(base(), { hide: [...choice.hide], lock: [...choice.lock], lang: choice.lang, embed: choice.embed });
  const snippet = () => iframeSnippet({ url: url(), title: `${t('b.frameTitle')}: ${pageTitle}`, width: choice.width, height: choice.height });

  const rows = names.map(n => h('tr', {},
    h('th', { scope: 'row' }, h('code', {}, n)),
    h('td', {}, h('input', { type: 'checkbox', id: `b-hide-${n}`, 'data-name': n, 'data-what': 'hide', 'aria-label': `${t('b.hide')} ${n}` })),
    h('td', {}, h('input', { type: 'checkbox', id: `b-lock-${n}`, 'data-name': n, 'data-what': 'lock', 'aria-label': `${t('b.lock')} ${n}` }))));
  const num = (id, key) => h('input', { type: 'number', id, min: 200, max: 3000, step: 10, value: choice[key], 'data-key': key });
  const langSel = h('select', { id: 'b-lang' }, LANGUAGES.map(l => h('option', { value: l, selected: l === pageLang }, LANGUAGE_NAMES[l])));
  const compact = h('input', { type: 'checkbox', id: 'b-compact', checked: true });
  const code = h('textarea', { id: 'b-snippet', readonly: true, rows: 4, 'data-testid': 'snippet' });
  const link = h('input', { type: 'text', id: 'b-link', readonly: true, 'data-testid': 'link' });
  const preview = h('iframe', { id: 'b-preview', title: t('b.preview'), loading: 'lazy' });
  const copy = (el, okKey) => async e => {
    const b = e.currentTarget;
    let ok = true;
    try { await navigator.clipboard.writeText(el.value); } catch { ok = false; el.select(); }
    b.textContent = t(ok ? 'b.copied' : 'b.copyFailed');
    setTimeout(() => { b.textContent = t(okKey); }, 2000);
  };
  const dialog = h('dialog', { id: 'course-builder', class: 'course-builder', 'aria-labelledby': 'b-title' },
    h('form', { method: 'dialog', class: 'cb-form' },
      h('div', { class: 'cb-head' }, h('h2', { id: 'b-title' }, t('b.title')), h('button', { type: 'submit', class: 'cb-close', 'aria-label': t('b.close') }, '×')),
      h('p', { class: 'cb-intro' }, t('b.intro')),
      h('div', { class: 'cb-grid' },
        h('div', { class: 'cb-controls' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('b.control')), h('th', { scope: 'col' }, t('b.hide')), h('th', { scope: 'col' }, t('b.lock')))), h('tbody', {}, rows))),
        h('div', { class: 'cb-side' },
          h('fieldset', {}, h('legend', {}, t('b.size')),
            h('label', { for: 'b-width' }, t('b.width')), num('b-width', 'width'),
            h('label', { for: 'b-height' }, t('b.height')), num('b-height', 'height')),
          h('p', {}, h('label', { for: 'b-lang' }, t('b.lang')), ' ', langSel),
          h('p', {}, h('label', {}, compact, ' ', t('b.compact'))),
          h('h3', {}, t('b.preview')), h('div', { class: 'cb-preview' }, preview),
          h('label', { for: 'b-snippet' }, t('b.snippet')), code,
          h('p', {}, h('button', { type: 'button', onclick: copy(code, 'b.copySnippet') }, t('b.copySnippet'))),
          h('label', { for: 'b-link' }, t('b.link')), link,
          h('p', {}, h('button', { type: 'button', onclick: copy(link, 'b.copyLink') }, t('b.copyLink')))))));
  let timer = 0;
  const refresh = () => {
    code.value = snippet();
    link.value = url();
    preview.style.width = `${Math.min(choice.width, 560)}px`;
    preview.style.height = `${Math.min(choice.height, 400)}px`;
    clearTimeout(timer);
    timer = setTimeout(() => { if (preview.src !== link.value) preview.src = link.value; }, 400);
  };
  dialog.addEventListener('change', e => {
    const el = e.target;
    if (el.dataset.name) (el.checked ? choice[el.dataset.what].add(el.dataset.name) : choice[el.dataset.what].delete(el.dataset.name));
    else if (el.dataset.key) { const v = Number(el.value); if (Number.isFinite(v) && v > 0) choice[el.dataset.key] = Math.round(v); }
    else if (el === langSel) choice.lang = langSel.value;
    else if (el === compact) choice.embed = compact.checked;
    refresh();
  });
  dialog.addEventListener('close', () => { clearTimeout(timer); dialog.remove(); });
  document.body.append(dialog);
  refresh();
  dialog.showModal();
}
