// main.js - the panels page: picks the panel from ?p=, the language from ?lang= (else the browser's),
// ?embed=1 for the compact view without navigation; loads the core once; routes the keys.
import { loadCore } from '../lib/engine.js';
import { STRINGS, makeT } from './strings.js';
import { h, rich } from './ui.js';
import { registerOffline } from '../ui/offline.js';

export const PANELS = [
  ['one-weight', () => import('./p-one-weight.js')],
  ['chain', () => import('./p-chain.js')],
  ['mlp', () => import('./p-mlp.js')],
  ['softmax', () => import('./p-softmax.js')],
  ['perceptron', () => import('./p-perceptron.js')],
  ['graph', () => import('./p-graph.js')],
  ['gradcheck', () => import('./p-gradcheck.js')],
  ['losses', () => import('./p-losses.js')],
  ['optimizers', () => import('./p-optimizers.js')],
];

const params = new URLSearchParams(location.search);
const embed = params.get('embed') === '1';
let lang = params.get('lang');
if (!STRINGS[lang]) lang = (navigator.language || 'en').toLowerCase().startsWith('ru') ? 'ru' : 'en';
const pid = params.get('p');

const state = { lang, t: makeT(lang), panel: null, core: null };
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const langBox = document.getElementById('lang');

function url(p, l = state.lang) {
  const q = new URLSearchParams();
  if (p) q.set('p', p);
  q.set('lang', l);
  if (embed) q.set('embed', '1');
  return `?${q}`;
}

function chrome() {
  const t = state.t;
  document.documentElement.lang = state.lang;
  document.title = pid ? `${t(`${pid}.title`)} \u2014 ${t('site')}` : t('site');
  document.body.classList.toggle('embed', embed);
  document.getElementById('site-title').textContent = t('site');
  document.getElementById('site-sub').textContent = t('site.sub');
  nav.replaceChildren(h('a', { href: url(null), class: pid ? '' : 'here' }, t('nav.all')),
    ...PANELS.map(([id], i) => h('a', { href: url(id), class: id === pid ? 'here' : '', 'aria-current': id === pid ? 'page' : null },
      `${i + 1}. ${t(`${id}.short`)}`)));
  nav.setAttribute('aria-label', t('nav.label'));
  langBox.replaceChildren(...['en', 'ru'].map(l => h('button', { type: 'button', class: `btn lang ${l === state.lang ? 'here' : ''}`,
    'aria-pressed': l === state.lang ? 'true' : 'false', 'data-lang': l, lang: l, onclick: () => setLang(l) }, l === 'en' ? 'English' : 'Русский')));
  langBox.setAttribute('aria-label', t('lang.label'));
}

function setLang(l) {
  if (l === state.lang) return;
  state.lang = l; state.t = makeT(l);
  history.replaceState(null, '', url(pid, l));
  chrome();
  if (state.panel) { state.panel.t = state.t; state.panel.ctx.t = state.t; state.panel.render(); }
  else index();
}

function index() {
  const t = state.t;
  main.replaceChildren(h('section', { class: 'index' }, h('h2', {}, t('index.title')), h('p', {}, t('index.intro')),
    h('ol', { class: 'cards' }, PANELS.map(([id]) => h('li', {}, h('a', { href: url(id) }, h('strong', {}, t(`${id}.title`)), h('span', {}, rich(t(`${id}.intro`)))))))));
}

async function start() {
  chrome();
  if (!pid) { index(); return; }
  const entry = PANELS.find(([id]) => id === pid);
  if (!entry) { main.replaceChildren(h('p', { class: 'status bad' }, state.t('err.noPanel', { p: pid }))); index(); return; }
  main.replaceChildren(h('p', { class: 'loading' }, state.t('loading')));
  try {
    const [core, mod] = await Promise.all([loadCore(), entry[1]()]);
    state.core = core;
    const ctx = { core, t: state.t, embed, get lang() { return state.lang; } };
    const panel = new mod.default(ctx);
    state.panel = panel;
    const root = h('div', { class: `panel p-${pid}`, 'data-panel': pid });
    main.replaceChildren(root);
    panel.mount(root);
    document.body.dataset.ready = '1';
  } catch (e) {
    main.replaceChildren(h('p', { class: 'status bad', role: 'alert' }, `${state.t('err.load')}: ${e.message}`));
    throw e;
  }
}

document.addEventListener('keydown', e => {
  const p = state.panel;
  if (!p || e.altKey || e.ctrlKey || e.metaKey) return;
  const tg = e.target;
  if (tg && (tg.closest('input, select, textarea, [contenteditable]'))) return;
  const act = { ArrowRight: 'next', ArrowLeft: 'prev', Home: 'first', End: 'last' }[e.key];
  if (!act) return;
  e.preventDefault();
  p[act]();
  p.reveal?.();
});

start();
registerOffline();
