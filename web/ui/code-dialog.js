// code-dialog.js - the "Open in PyTorch" dialog every page shares: a modal <dialog> (the rest of the
// page inert, focus kept inside, Escape closes, focus back on the opener) labelled by its title,
// showing a Python script with syntax highlighting (web/lib/highlight-python.js), with Copy,
// Download FILE.py and, for runs with data, more downloads (a .zip of the script, model and data).
// Words: code-strings.js; styles: code-dialog.css (linked on first use).

import { h } from './dom.js';
import { translator } from '../lib/i18n.js';
import { highlightPython } from '../lib/highlight-python.js';
import { CODE_STRINGS } from './code-strings.js';
import { downloadFile } from './download.js';

let styled = false;
function linkStyles() {
  if (styled) return;
  styled = true;
  document.head.append(h('link', { rel: 'stylesheet', href: new URL('./code-dialog.css', import.meta.url).href }));
}

/** The "Open in PyTorch" button of a page (its text in `lang`; short: just "PyTorch", for a table); onclick opens the dialog. */
export function codeButton(lang, onclick, attrs = {}, { short = false } = {}) {
  linkStyles();
  const t = translator(CODE_STRINGS, lang);
  return h('button', { type: 'button', class: 'code-open', title: t('code.openTitle'), onclick, ...attrs }, t(short ? 'code.short' : 'code.open'));
}

/** The script as highlighted spans inside a <code>. */
function codeBlock(script) {
  return h('code', {}, highlightPython(script).map(tok => (tok.type ? h('span', { class: `py-${tok.type}` }, tok.text) : tok.text)));
}

let seq = 0;

/**
 * Opens the dialog. opts: lang; file (the script's name, e.g. 'mlp.py'); make: () => (a promise of)
 * {script, extra?: [{label, name, data: () => (a promise of) Uint8Array|string|Blob}]} — what the
 * dialog shows and offers; note: a line above the script (optional). Resolves when it closes.
 */
export function openCodeDialog({ lang, file, make, note = '' }) {
  linkStyles();
  const t = translator(CODE_STRINGS, lang), id = `code-dlg-${++seq}`;
  const opener = document.activeElement;
  const status = h('p', { class: 'code-status', role: 'status', 'aria-live': 'polite' }, t('code.making'));
  const pre = h('pre', { class: 'code-pre', tabindex: '0', role: 'region', 'aria-label': t('code.label') });
  const bar = h('div', { class: 'code-bar', role: 'group', 'aria-labelledby': `${id}-title` });
  const close = h('button', { type: 'button', class: 'code-close', 'data-testid': 'code-close', onclick: () => dlg.close() }, t('code.close'));
  const dlg = h('dialog', { class: 'code-dialog', id, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-status`, lang },
    h('div', { class: 'code-head' }, h('h2', { id: `${id}-title` }, t('code.title', { file })), close),
    note ? h('p', { class: 'code-note' }, note) : null, bar, status, pre);
  status.id = `${id}-status`;
  document.body.append(dlg);
  const done = new Promise(resolve => dlg.addEventListener('close', () => {
    dlg.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    resolve();
  }));
  // a click on the backdrop (outside the dialog's box) closes it too
  dlg.addEventListener('click', e => {
    if (e.target !== dlg) return;
    const r = dlg.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) dlg.close();
  });
  dlg.showModal();
  close.focus();
  Promise.resolve().then(make).then(({ script, extra = [] }) => {
    if (!dlg.open) return;
    pre.replaceChildren(codeBlock(script));
    pre.dataset.script = 'ready';
    const copy = h('button', { type: 'button', class: 'primary', 'data-testid': 'code-copy', onclick: async () => {
      let ok = true;
      try { await navigator.clipboard.writeText(script); } catch { ok = false; }
      status.textContent = t(ok ? 'code.copied' : 'code.copyFailed');
      status.classList.toggle('bad', !ok);
    } }, t('code.copy'));
    const dl = h('button', { type: 'button', 'data-testid': 'code-download', onclick: () => downloadFile(file, script, 'text/x-python;charset=utf-8') },
      t('code.download', { file }));
    const more = extra.map(x => h('button', { type: 'button', 'data-testid': `code-extra-${x.name}`, onclick: async e => {
      const b = e.currentTarget;
      b.setAttribute('aria-busy', 'true');
      try { downloadFile(x.name, await x.data()); } catch (err) { status.textContent = t('code.failed', { message: err.message }); status.classList.add('bad'); }
      b.removeAttribute('aria-busy');
    } }, x.label));
    bar.replaceChildren(copy, dl, ...more);
    status.textContent = '';
    copy.focus();
  }).catch(err => {
    if (!dlg.open) return;
    status.textContent = t('code.failed', { message: err && err.message ? err.message : String(err) });
    status.classList.add('bad');
    pre.dataset.script = 'failed';
  });
  return done;
}
