// shell.js - the page shell every page shares: the same header (the application's name, the
// navigation between the four pages keeping ?lang, the language switch), the language chosen in
// one order (web/lib/i18n.js's pickLanguage: ?lang, the saved choice, the browser's languages,
// English) and the embed mode (?embed=1: no header, a small link to the full page instead).
// Styles: web/ui/shell.css. Each page calls mountShell() once and then answers onLanguage.

import { pickLanguage, translator, LANGUAGES, LANGUAGE_NAMES } from '../lib/i18n.js';
import { SHELL_STRINGS } from './shell-strings.js';
import { h } from './dom.js';
import { isOneFileCopy, OFFLINE_DIR, OFFLINE_FILES } from '../lib/inline.js';

const KEY = 'backprop-lab.lang';

/** The pages, in the order of the navigation: [id, file]. */
export const PAGES = Object.freeze([
  ['training', './'], ['panels', 'panels.html'], ['experiments', 'experiments.html'], ['bench', 'bench.html'],
]);

/** The language saved when the reader last switched, or null (sandboxed iframes throw on localStorage). */
export function savedLanguage() {
  try { return globalThis.localStorage ? localStorage.getItem(KEY) : null; } catch { return null; }
}

/** Remembers the reader's choice for the other pages; silently nothing where storage is refused. */
export function saveLanguage(lang) {
  try { localStorage.setItem(KEY, lang); } catch { /* sandboxed or private: the URL still carries it */ }
}

/** The language of this page: ?lang=, then the saved choice, then navigator.languages, then English. */
export function pageLanguage(search = location.search) {
  const nav = globalThis.navigator || {};
  const languages = nav.languages && nav.languages.length ? nav.languages : [nav.language].filter(Boolean);
  return pickLanguage({ query: new URLSearchParams(search).get('lang'), saved: savedLanguage(), languages });
}

/** True when the URL asks for the embedded view (?embed=1 or ?embed=true). */
export function isEmbed(search = location.search) {
  const v = new URLSearchParams(search).get('embed');
  return v === '1' || v === 'true';
}

/** The look the URL asks for: 'projector' (?theme=projector: lecture halls) or 'default'. */
export function pageTheme(search = location.search) {
  return new URLSearchParams(search).get('theme') === 'projector' ? 'projector' : 'default';
}

/**
 * Applies a look: <html data-theme="projector"> (the pages' CSS and web/ui/chart.js read it) and
 * ?theme in the address (left out for the default), then tells the page ('themechange' on window).
 */
export function setTheme(theme) {
  const root = document.documentElement;
  if (theme === 'projector') root.dataset.theme = 'projector'; else delete root.dataset.theme;
  const u = new URL(location.href);
  if (theme === 'projector') u.searchParams.set('theme', 'projector'); else u.searchParams.delete('theme');
  if (u.href !== location.href) history.replaceState(history.state, '', u.href);
  window.dispatchEvent(new CustomEvent('themechange', { detail: theme }));
}

/** Where the header's link to a page goes: the page, or in a one-file offline copy (lib/inline.js) the
 * copy of that page beside it (the copies are saved together; the speed page has none). */
function pageHref(id, file) {
  if (!isOneFileCopy()) return file;
  return OFFLINE_FILES[id] || null;
}

/** This page's address without the embed flag: what "open the full page" opens. */
function fullUrl() {
  const u = new URL(location.href);
  u.searchParams.delete('embed');
  return u.href;
}

/**
 * Builds the header into <header id="shell"> and returns {lang, embed, setLanguage(lang)}.
 * page: 'training' | 'panels' | 'experiments' | 'bench' (marked as the current page);
 * lang: the page's language (pageLanguage() unless the page has its own reason);
 * extra: nodes the page adds to the header's right side (the training page's "Copy link");
 * onLanguage(lang): the reader switched; the page re-renders its text and writes ?lang to its URL.
 */
export function mountShell({ page, lang = pageLanguage(), extra = [], onLanguage = () => {} }) {
  const embed = isEmbed();
  document.body.classList.toggle('embed', embed);
  const header = document.getElementById('shell') || document.body.insertBefore(h('header', { id: 'shell' }), document.body.firstChild);
  header.classList.add('shell');

  const brand = h('a', { class: 'shell-brand' });
  const nav = h('nav', { class: 'shell-nav' });
  const links = PAGES.map(([id, file]) => h('a', { href: pageHref(id, file), 'data-page': id, 'aria-current': id === page ? 'page' : null, hidden: !pageHref(id, file) }));
  nav.append(...links);
  const select = h('select', { id: 'lang' }, LANGUAGES.map(l => h('option', { value: l, lang: l }, LANGUAGE_NAMES[l])));
  const label = h('label', { for: 'lang' });
  const full = h('a', { id: 'full-link', class: 'shell-full', href: fullUrl(), target: '_blank', rel: 'noopener', hidden: !embed });
  const refresh = () => { full.href = fullUrl(); };
  for (const ev of ['pointerenter', 'focus', 'pointerdown']) full.addEventListener(ev, refresh);
  const projector = h('button', { type: 'button', id: 'theme-projector', class: 'shell-theme', 'aria-pressed': String(pageTheme() === 'projector') });
  projector.addEventListener('click', () => {
    const on = projector.getAttribute('aria-pressed') !== 'true';
    projector.setAttribute('aria-pressed', String(on));
    setTheme(on ? 'projector' : 'default');
    shell.setLanguage(shell.lang);          // the links to the other pages carry the look
  });
  // "Save for offline use": this page's one-file copy (make onefile), not offered by a copy itself
  const copyFile = OFFLINE_FILES[page];
  const save = h('a', { id: 'save-offline', class: 'shell-save', href: copyFile ? OFFLINE_DIR + copyFile : null, download: copyFile || null,
    hidden: !copyFile || isOneFileCopy() });
  if (pageTheme() === 'projector') document.documentElement.dataset.theme = 'projector';
  header.replaceChildren(brand, nav, h('div', { class: 'shell-end' }, extra, save, projector, h('span', { class: 'shell-lang' }, label, select)));
  header.after(full);

  const shell = {
    lang, embed,
    /** Writes the shell's text in `l` (the page calls this itself only if it changes language another way). */
    setLanguage(l) {
      shell.lang = l;
      const t = translator(SHELL_STRINGS, l);
      brand.textContent = t('shell.app');
      brand.href = `${pageHref('training', './')}?lang=${l}`;
      brand.title = t('shell.home');
      nav.setAttribute('aria-label', t('shell.pages'));
      PAGES.forEach(([id, file], i) => { links[i].textContent = t(`shell.${id}`); if (pageHref(id, file)) links[i].href = `${pageHref(id, file)}?lang=${l}${pageTheme() === 'projector' ? '&theme=projector' : ''}`; });
      label.textContent = t('shell.lang');
      select.value = l;
      save.textContent = t('shell.save');
      save.title = t('shell.saveTitle');
      projector.textContent = t('shell.projector');
      projector.title = t('shell.projectorTitle');
      full.textContent = `${t('shell.full')} \u2197`;
      refresh();
    },
  };
  select.addEventListener('change', () => {
    const l = select.value;
    if (l === shell.lang) return;
    saveLanguage(l);
    shell.setLanguage(l);
    onLanguage(l);
    refresh();
  });
  shell.setLanguage(lang);
  return shell;
}
