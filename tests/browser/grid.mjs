// grid.mjs - shared by the experiment page's browser tests (experiments.test.mjs,
// experiments-pool.test.mjs): the static server and Chromium for a test file, the page opened on a
// grid of settings, a grid run to its end, and the reference numbers: the same grid in this process
// with the library's one runner (web/lib/grid-runner.js) on the data as the page's worker loads them
// (web/experiments/worker.js: the raw MNIST subset, scaled to [0, 1] by the core).
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launch, newPage, VIEWPORTS } from './browser.mjs';
import { loadCore } from '../../web/lib/engine.js';
import { loadMnistRaw } from '../../web/lib/data.js';
import { createDatasets, freeDatasets } from '../../web/lib/trainer.js';
import { GridRunner } from '../../web/lib/grid-runner.js';
import { parse, toRuns, toGrid, toQuery } from '../../web/lib/experiment-settings.js';

const DATA = fileURLToPath(new URL('../../data/mnist-subset.bin', import.meta.url));

/** The static server ({base, close}) and the browser of the test file; set by useBrowser()'s before()
 * (live bindings: an importing file reads them once its tests run). */
export let server = null, browser = null;

/** Starts the server and Chromium before the file's tests and closes them after. */
export function useBrowser() {
  test.before(async () => { server = await startServer(); browser = await launch(); });
  test.after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
  });
}

/** The page's address for a grid's form strings (only what differs from the defaults), a language, runs at once, a view. */
export function gridUrl(strs, { lang = 'en', jobs, hash = '' } = {}) {
  return `${server.base}/web/experiments.html?${toQuery(strs, { lang, jobs })}${hash}`;
}

/** A fresh page (its own storage) on the grid, once it is ready to start. */
export async function openGrid(strs, { viewport = VIEWPORTS.laptop, locale = 'en-US', ...where } = {}) {
  const page = await newPage(browser, { viewport, locale });
  await page.goto(gridUrl(strs, where));
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  return page;
}

/** Waits until the grid is done and every run of it has its result. */
export async function waitGridDone(page, timeout = 180000) {
  await page.waitForFunction(() => window.__experimentStatus === 'done' && window.__experiment.results.length === window.__experiment.total,
    null, { timeout, polling: 100 });
}

/** Start, then the end of the grid. */
export async function runGrid(page, timeout) {
  await page.click('#btn-start');
  await waitGridDone(page, timeout);
}

/** The page's results of this grid, in grid order. */
export const gridResults = page => page.evaluate(() => window.__experiment.results);

// The server has no data/mnist-full.bin unless `make data-full` ran: the page asks for it (HEAD) to offer it.
export const realErrors = page => page.errors.filter(e => !/Failed to load resource.*404/.test(e) && !/mnist-full\.bin/.test(e));

let core = null;
const done = new Map();     // run key -> result, so a run is trained once per test file

/** The grid in this process, one run after another: its results in grid order. */
export async function gridInNode(strs) {
  const { settings, errors } = parse(strs);
  assert.deepEqual(errors, {}, 'the test grid is valid');
  const runs = toRuns(settings), todo = runs.filter(r => !done.has(r.key));
  if (todo.length) {
    const g = toGrid(settings);
    if (!core) core = await loadCore({ flavor: 'simd' });
    const raw = await loadMnistRaw(DATA, { validation: g.validation });
    const sets = createDatasets(core, { train: raw.train, test: raw.test, val: raw.val }, 10, { scale: '01' });
    const runner = new GridRunner(core, sets, `${g.data}/${g.validation}`);
    try {
      await runner.run(todo, { stop: g.stop, target: g.target, checkEvery: g.checkEvery }, { onRunDone: ({ key, result }) => done.set(key, result) });
    } finally { runner.drop(); freeDatasets(sets); }
  }
  return runs.map(r => done.get(r.key));
}
