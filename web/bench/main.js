// main.js - the speed page (bench.html): one epoch per batch size in the bench worker
// (web/bench/worker.js). The page is the worker's audience: it shows progress and, while the worker
// trains, measures how long the main thread is ever kept from running a 10 ms timer (what a student
// would feel as a freeze). ?auto starts the measurement at once (make bench).
import { moduleWorker } from '../ui/spawn.js';
import { WorkerClient } from '../lib/worker-client.js';
import { translator } from '../lib/i18n.js';
import { numberFormats } from '../lib/format.js';
import { mountShell, pageLanguage } from '../ui/shell.js';
import { STRINGS } from './strings.js';
import { connectBench } from './embed-link.js';

const BATCHES = [16, 32, 64];
const $ = id => document.getElementById(id);
const status = $('status'), out = $('out'), bar = $('bar');
let lang = pageLanguage();
let t = translator(STRINGS, lang), f = numberFormats(lang);
let rows = null, lastStatus = null;

function render() {
  document.documentElement.lang = lang;
  document.title = `${t('title')} — Backprop Lab`;
  for (const [id, key] of [['title', 'title'], ['intro', 'intro'], ['go', 'go'], ['h-batch', 'batch'],
    ['h-images', 'images'], ['h-seconds', 'seconds'], ['h-rate', 'rate'], ['h-pause', 'pause'], ['pause-note', 'pauseNote']]) $(id).textContent = t(key);
  if (lastStatus) status.textContent = lastStatus();
  const tb = out.querySelector('tbody');
  tb.textContent = '';
  for (const r of rows || []) {
    const tr = tb.insertRow();
    for (const [v, id] of [[r.batch], [f.int(r.n)], [f.fix(r.seconds, 3), `seconds-${r.batch}`], [f.int(Math.round(r.rate))], [f.int(Math.round(r.pauseMs))]]) {
      const td = tr.insertCell(); td.textContent = v; if (id) td.dataset.testid = id;
    }
  }
  out.hidden = $('pause-note').hidden = !rows;
}

const say = fn => { lastStatus = fn; status.textContent = fn(); };

function setLanguage(l) {
  lang = l; t = translator(STRINGS, l); f = numberFormats(l);
  const u = new URL(location.href); u.searchParams.set('lang', lang); history.replaceState(null, '', u);
  render();
}

async function measure() {
  $('go').disabled = true;
  say(() => t('load'));
  bar.hidden = false; bar.value = 0;
  const worker = new WorkerClient(moduleWorker(new URL('./worker.js', import.meta.url)));
  // main-thread pauses, per batch size: the largest delay of a 10 ms timer while that epoch runs
  let timing = null, last = 0, pause = 0;
  const tick = setInterval(() => { const now = performance.now(); if (timing) pause = Math.max(pause, now - last - 10); last = now; }, 10);
  const pauses = {};
  worker.on('progress', d => {
    if (d.phase === 'warm') say(() => t('warm', { b: d.batch }));
    if (d.phase === 'epoch') { say(() => t('epoch', { b: d.batch, n: d.n })); timing = d.batch; pause = 0; last = performance.now(); }
    if (d.phase === 'measured') { pauses[d.batch] = pause; timing = null; }
    bar.value = d.fraction;
  });
  try {
    rows = (await worker.request('measure', { batches: BATCHES })).rows;
  } catch (e) { throw new Error(e.message); }
  finally { clearInterval(tick); worker.terminate(); bar.hidden = true; $('go').disabled = false; }
  for (const r of rows) r.pauseMs = Math.max(0, pauses[r.batch] ?? 0);
  say(() => t('done', { k: rows[0].kernels }));
  render();
  window.__bench = rows;
}

mountShell({ page: 'bench', lang, onLanguage: setLanguage });
render();
let measuring = null;
const run = () => (measuring = measuring || measure().catch(e => { say(() => t('error', { m: e.message })); window.__bench = { error: e.message }; throw e; })
  .finally(() => { measuring = null; }));
$('go').addEventListener('click', () => run().catch(() => {}));
// a course page's choices and the host API; what the link asks that cannot be used, under the title
connectBench({ run, running: () => !!measuring, rows: () => rows, lang: () => lang }, errors => {
  const p = document.createElement('p');
  p.className = 'note'; p.setAttribute('role', 'alert');
  p.textContent = errors.map(e => `${e.param}=${e.value}: ${t('url.allowed', e.params)}`).join('; ');
  $('title').after(p);
});
if (new URLSearchParams(location.search).has('auto')) $('go').click();
