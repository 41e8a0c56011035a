// main.js - the experiment page (experiments.html): the practical work's Part 2 and 3. This module
// only starts the page; importing any other module of web/experiments/ starts nothing.
//   page-state.js   the page's one state object and what follows from it (no DOM; Node tests)
//   export-data.js  what the export buttons write (no DOM; Node tests)
//   form.js         the settings form, checked field by field, mirrored in the URL
//   controller.js   the workers, the grid's runs, pause / resume / cancel, the result store
//   run-panel.js    buttons, progress and ETA, the live chart, the queue
//   results-view.js curves, tables, heatmaps, exports;  report.js the printable report (#report)
//   views.js        the title, the tabs, routing between #setup, #results and #report
import { mountShell, pageLanguage } from '../ui/shell.js';
import { registerOffline } from '../ui/offline.js';
import { moduleWorker } from '../ui/spawn.js';
import { WorkerClient } from '../lib/worker-client.js';
import { GridPool } from '../lib/worker-pool.js';
import { parse, fromQuery } from '../lib/experiment-settings.js';
import { ResultStore } from './store.js';
import { createState, setLanguage, testHook } from './page-state.js';
import { createController } from './controller.js';
import { renderSetup, syncUrl } from './form.js';
import { renderChrome, route, renderAll } from './views.js';
import { DATA_FILES } from '../build/data-files.js';
import { connectExperiments } from './embed-link.js';

// page: what the page's modules receive: the one state object, the result store and the actions
const state = createState(pageLanguage());   // ?lang=, the saved choice, the browser's languages (web/ui/shell.js)
const page = { state, store: new ResultStore(), actions: null };
const controller = createController(page);
page.actions = controller;

// for the browser tests (tests/browser/experiments.test.mjs, embed.test.mjs, offline.test.mjs)
window.__experiment = testHook(state);
Object.defineProperty(window, '__experimentStatus', { get: () => state.status });

function setLang(l) {
  if (l === state.lang) return;
  setLanguage(state, l);
  syncUrl(state);
  renderChrome(state);
  renderSetup(page);
  renderAll(page);
}

async function boot() {
  const q = fromQuery(location.search, state.ctx);
  state.strs = q.strs; state.errors = q.errors;
  if (q.unknown.length) state.message = { kind: 'bad', key: 'msg.unknownParams', params: { list: q.unknown.map(u => `${u.param}=${u.value}`).join(', ') } };
  state.valid = Object.keys(q.errors).length ? null : q.settings;
  if (!state.valid) state.valid = parse({}, state.ctx).settings;
  mountShell({ page: 'experiments', lang: state.lang, onLanguage: setLang });
  // a course page's choices and the host API; unknown hide/lock names join the link's refused parameters
  connectExperiments(page, errors => {
    const list = errors.map(e => `${e.param}=${e.value}`).join(', ');
    state.message = { kind: 'bad', key: 'msg.unknownParams', params: { list: state.message && state.message.params ? `${state.message.params.list}, ${list}` : list } };
  });
  renderChrome(state);
  renderSetup(page);
  route(state);
  window.addEventListener('hashchange', () => route(state));
  // the views shown before this say they are reading the saved runs; renderAll below shows them
  await page.store.open();
  try { state.results = await page.store.all(); } finally { state.stored = true; }
  let connected = true;
  try {
    // a pool of the page's workers (one to begin with; a start grows it to the runs it trains at once)
    controller.connect(() => new GridPool(() => new WorkerClient(moduleWorker(new URL('./worker.js', import.meta.url)))));
  } catch (e) { connected = false; controller.fail({ code: 'WORKER', message: String(e) }); }
  if (connected) {
    controller.offerFull(DATA_FILES.includes('mnist-full.bin'));
    controller.ensureInit().then(() => { if (state.status === 'loading') controller.setStatus('idle'); }).catch(controller.fail);
  }
  renderAll(page);   // the saved runs, in the results or the report, even without a worker
}

boot().catch(e => { console.error(e); controller.fail(e); });
registerOffline();
