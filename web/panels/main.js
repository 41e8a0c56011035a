// main.js - the panels page: picks the panel from ?p=; the language (web/ui/shell.js: ?lang=, the
// saved choice, the browser's) and ?embed=1, the compact view without navigation, come from the
// shell; loads the core once (its double-precision build, bp-f64.wasm); routes the keys.
import { loadCore } from '../lib/engine.js';
import { STRINGS } from './strings.js';
import { translator } from '../lib/i18n.js';
import { LMS_KEYS } from '../lib/settings.js';
import { isOneFileCopy } from '../lib/inline.js';
import { mountShell, pageLanguage, isEmbed, pageTheme } from '../ui/shell.js';
import { h, rich, speakIn, markScrollers } from './ui.js';
import { registerOffline } from '../ui/offline.js';
import { connectPanels } from './embed-link.js';
import { exerciseUrl } from '../lib/exercise-draw.js';
import { exerciseChecklist } from './checklist.js';
import { connectLms } from './lms-link.js';
import { scormSection } from './scorm-button.js';

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
const embed = isEmbed();
const lang = pageLanguage();
const pid = params.get('p');
const exUrl = exerciseUrl(params);       // ?ex=1 ("Check yourself" on), ?seed=N (a drawn exercise)

const state = { lang, t: translator(STRINGS, lang), panel: null, core: null };
speakIn(state.t);
const main = document.getElementById('main');
const nav = document.getElementById('nav');

function url(p, l = state.lang) {
  const q = new URLSearchParams();
  if (p) q.set('p', p);
  q.set('lang', l);
  if (embed) q.set('embed', '1');
  if (pageTheme() === 'projector') q.set('theme', 'projector');
  for (const k of LMS_KEYS) if (params.has(k)) q.set(k, params.get(k));   // a course's launch keys (lms-link.js) go along
  return `?${q}`;
}

function chrome() {
  const t = state.t;
  document.documentElement.lang = state.lang;
  document.title = pid ? `${t(`${pid}.title`)} \u2014 ${t('site')}` : t('site');
  document.getElementById('site-title').textContent = t('site.sub');
  const skip = document.getElementById('skip');
  skip.textContent = t('skip.stagebar');
  skip.hidden = !pid;
  nav.replaceChildren(h('a', { href: url(null), class: pid ? '' : 'here' }, t('nav.all')),
    ...PANELS.map(([id], i) => h('a', { href: url(id), class: id === pid ? 'here' : '', 'aria-current': id === pid ? 'page' : null },
      `${i + 1}. ${t(`${id}.short`)}`)));
  nav.setAttribute('aria-label', t('nav.label'));
}

function setLang(l) {
  if (l === state.lang) return;
  state.lang = l; state.t = translator(STRINGS, l);
  speakIn(state.t);
  const q = new URLSearchParams(location.search);    // the course page's choices (hide, lock, stage ...) stay
  q.set('lang', l);
  history.replaceState(null, '', `?${q}`);
  chrome();
  state.lms?.relabel();
  if (state.panel) { state.panel.t = state.t; state.panel.ctx.t = state.t; state.panel.render(); }
  else index();
}

function index() {
  const t = state.t;
  main.replaceChildren(h('section', { class: 'index' }, h('h2', {}, t('index.title')), h('p', {}, t('index.intro')),
    h('ol', { class: 'cards' }, PANELS.map(([id]) => h('li', {}, h('a', { href: url(id) }, h('strong', {}, t(`${id}.title`)), h('span', {}, rich(t(`${id}.intro`))))))),
    exerciseChecklist(t, id => `${url(id)}&ex=1`),
    embed || isOneFileCopy() ? null : scormSection(t)));     // a one-file copy has no files to pack
}

async function start() {
  mountShell({ page: 'panels', lang, onLanguage: setLang });
  chrome();
  state.lms = connectLms({ lang: () => state.lang });    // a course's results first (lms-link.js)
  if (!pid) { index(); embedLink(); return; }
  const entry = PANELS.find(([id]) => id === pid);
  if (!entry) { main.replaceChildren(h('p', { class: 'status bad' }, state.t('err.noPanel', { p: pid }))); index(); return; }
  main.replaceChildren(h('p', { class: 'loading' }, state.t('loading')));
  try {
    // the double-precision core: every number a panel shows equals a float64 hand calculation
    const [core, mod] = await Promise.all([loadCore({ precision: 'f64' }), entry[1]()]);
    state.core = core;
    const ctx = { core, t: state.t, embed, exercise: exUrl, get lang() { return state.lang; } };
    const panel = new mod.default(ctx);
    state.panel = panel;
    const root = h('div', { class: `panel p-${pid}`, 'data-panel': pid });
    main.replaceChildren(root);
    panel.mount(root);
    embedLink();
    document.body.dataset.ready = '1';
  } catch (e) {
    main.replaceChildren(h('p', { class: 'status bad', role: 'alert' }, `${state.t('err.load')}: ${e.message}`));
    throw e;
  }
}

/** The course page's choices and the host API (embed-link.js); what the URL asks that cannot be used, in a banner. */
function embedLink() {
  const setActor = a => state.lms.setActor(a);
  const host = connectPanels({ pid, panel: state.panel, lang: () => state.lang, t: () => state.t, setLang, setActor, errors: exUrl.errors }, errors => {
    const t = state.t;
    const why = e => ({ range: () => t('err.range', { lo: e.params.min ?? 1, hi: e.params.max }), field: () => e.params.reason, twice: () => t('url.twice'),
      key: () => (e.params.allowed ? t('url.unknownKey', e.params) : t('url.noFields')) }[e.code] || (() => t('url.allowed', e.params)))();
    const text = e => `${e.param}=${e.value}: ${why(e)}`;
    main.prepend(h('div', { class: 'status bad url-errors', role: 'alert' }, h('p', {}, t('url.title')), h('ul', {}, errors.map(e => h('li', {}, text(e))))));
  });
  state.lms.attach(host);
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

// sideways scroll boxes join the Tab order while they scroll (ui.js markScrollers): checked after
// every change of the panel's content and every resize, once per frame
let marking = 0;
const remark = () => { if (!marking) marking = requestAnimationFrame(() => { marking = 0; markScrollers(main); }); };
new MutationObserver(remark).observe(main, { childList: true, subtree: true });
window.addEventListener('themechange', () => chrome());   // the panel links carry the look
window.addEventListener('resize', remark);
start();
registerOffline();
