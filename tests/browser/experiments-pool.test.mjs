// experiments-pool.test.mjs - the experiment page's grid on a pool of workers (web/lib/worker-pool.js),
// in headless Chromium: a 6-run grid with 1 and with 3 runs at once gives, run for run, the numbers the
// library gives in Node one run after another (final parameter hash, every loss, every epoch row), and
// each result records how many ran at once; the progress view shows a bar per running run; Pause and
// Cancel with three runs in flight stop every worker; a reload keeps the finished runs and Continue
// trains the rest to the same numbers. Screenshots go to test-artifacts/experiments-pool-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from './browser.mjs';
import { useBrowser, openGrid, waitGridDone, gridResults, gridInNode, realErrors } from './grid.mjs';

// 6 short runs: 3 optimizers x 2 seeds, batch 64, one epoch; LONG: long enough to stop three in the middle
// (batch 16, 6 epochs of 750 iterations: seconds a run)
const SIX = { optimizers: 'sgd,momentum,adam', lrs: '0.01', batches: '64', seeds: '1,2', epochs: '1', hidden: '64' };
const LONG = { ...SIX, batches: '16', epochs: '6' };

useBrowser();

/** The grid in this process, one run after another with the library's runner: {id -> result}. */
const inNode = async strs => new Map((await gridInNode(strs)).map(r => [r.id, r]));

const numbers = r => ({ id: r.id, params: r.params_fnv1a, losses: r.losses, final: r.final, diverged: r.diverged,
  epochs: r.epochs.map(({ seconds, ...rest }) => rest), checks: r.checks.map(({ seconds, ...rest }) => rest),
  reached: r.reached && { epoch: r.reached.epoch, iteration: r.reached.iteration }, stability: r.stability, confusion: r.confusion });

function assertSame(got, want, what) {
  assert.equal(got.length, want.size, `${what}: every run`);
  for (const r of got) {
    assert.match(r.params_fnv1a, /^[0-9a-f]{8}$/, `${what}: ${r.id} has its parameter hash`);
    assert.deepEqual(numbers(r), numbers(want.get(r.id)), `${what}: ${r.id} final parameters, losses, epochs identical to Node`);
  }
}

const open = (strs, jobs) => openGrid(strs, { jobs });
const bars = page => page.locator('[data-testid="run-progress"]').allInnerTexts();
/** Waits until `n` runs are in flight, each past its first iteration (a bar per running run). */
async function waitInFlight(page, n) {
  await page.waitForFunction(k => {
    const b = [...document.querySelectorAll('[data-testid="run-progress"]')];
    return b.length === k && b.every(e => !/iteration 0 of/.test(e.textContent) && /epoch 1 of/.test(e.textContent));
  }, n, { timeout: 60000, polling: 20 });
}

test('a 6-run grid with 1 and with 3 runs at once gives the numbers of Node, run for run; each time says how many ran at once', async () => {
  const want = await inNode(SIX);
  for (const jobs of [1, 3]) {
    const page = await open(SIX, jobs);
    assert.equal(await page.inputValue('#f-jobs'), String(jobs), 'the setting from the URL is in the form');
    await page.click('#btn-start');
    if (jobs === 3) {
      await waitInFlight(page, 3).catch(() => {});          // short runs: may already be past
      await screenshot(page, 'experiments-pool-running-1366');
    }
    await waitGridDone(page);
    const got = await gridResults(page);
    assertSame(got, want, `${jobs} at once`);
    assert.ok(got.every(r => r.pool === jobs), `the pool's size, ${jobs}, is recorded`);
    if (jobs === 1) assert.ok(got.every(r => r.concurrency === 1), 'one worker: every run trained alone');
    else assert.ok(got.some(r => r.concurrency >= 2), `three workers: runs trained at once (${got.map(r => r.concurrency)})`);
    // the report says under which concurrency the times were measured; the runs table has it beside each time
    await page.evaluate(() => { location.hash = 'report'; });
    await page.waitForFunction(() => document.body.dataset.report === 'ready', null, { timeout: 20000 });
    const note = await page.locator('[data-testid="report"] [data-testid="times-note"]').innerText();
    assert.match(note, jobs === 1 ? /trained alone/ : /at once/, `the report's note on the times: ${note}`);
    await page.evaluate(() => { location.hash = 'results'; });
    await page.waitForSelector('[data-testid="runs-table"]');
    assert.match(await page.locator('[data-testid="runs-table"] tbody').innerText(), jobs === 1 ? /alone/ : /\d at once|alone/);
    assert.deepEqual(realErrors(page), [], 'no console errors');
    await page.context().close();
  }
});

test('pause with three runs in flight stops every worker and resume finishes them to the same numbers; cancel stops every worker too', async () => {
  const want = await inNode(LONG);
  const page = await open(LONG, 3);
  await page.click('#btn-start');
  await waitInFlight(page, 3);
  await screenshot(page, 'experiments-pool-three-1366');
  await page.click('#btn-pause');
  await page.waitForFunction(() => window.__experimentStatus === 'paused', null, { timeout: 15000 });
  const frozen = await bars(page), kept = (await gridResults(page)).length;
  assert.equal(frozen.length, 3, 'the three paused runs keep their bars');
  assert.ok(frozen.every(b => /Paused/.test(b)), 'each says it is paused');
  await page.waitForTimeout(600);
  assert.deepEqual(await bars(page), frozen, 'no worker trains while paused');
  assert.equal((await gridResults(page)).length, kept);
  assert.match(await page.locator('#btn-start').innerText(), /Resume/);
  await screenshot(page, 'experiments-pool-paused-1366');
  await page.click('#btn-start');
  await waitGridDone(page);
  assertSame(await gridResults(page), want, 'paused with three in flight and resumed');
  assert.deepEqual(realErrors(page), [], 'no console errors');
  await page.context().close();

  // cancel: a fresh page (its own storage), three runs in flight, Cancel
  const p2 = await open(LONG, 3);
  await p2.click('#btn-start');
  await waitInFlight(p2, 3);
  await p2.click('#btn-cancel');
  await p2.waitForFunction(() => window.__experimentStatus === 'idle', null, { timeout: 15000 });
  const n = (await gridResults(p2)).length;
  assert.equal((await bars(p2)).length, 0, 'no run in progress after cancel');
  await p2.waitForTimeout(600);
  assert.equal((await gridResults(p2)).length, n, 'no worker finishes a run after cancel');
  assert.match(await p2.locator('#run-message').innerText(), /cancel/i);
  assert.deepEqual(realErrors(p2), [], 'no console errors');
  await p2.context().close();
});

test('a reload keeps the runs finished with three at once; Continue trains the unfinished ones to the same numbers', async () => {
  const want = await inNode(LONG);
  const page = await open(LONG, 3);
  await page.click('#btn-start');
  await page.waitForFunction(() => window.__experiment.results.length >= 1 && document.querySelectorAll('[data-testid="run-progress"]').length >= 2,
    null, { timeout: 90000, polling: 20 });
  // a finished run is saved as it finishes: wait until IndexedDB (web/experiments/store.js) has one, then reload
  await page.evaluate(async () => {
    for (let i = 0; i < 100; i++) {
      const n = await new Promise(resolve => {
        const rq = indexedDB.open('backprop-lab-experiments');
        rq.onsuccess = () => { const c = rq.result.transaction('runs').objectStore('runs').count(); c.onsuccess = () => { rq.result.close(); resolve(c.result); }; };
        rq.onerror = () => resolve(0);
      });
      if (n >= 1) return;
      await new Promise(r => setTimeout(r, 50));
    }
  });
  await page.reload();
  await page.waitForFunction(() => ['idle', 'done'].includes(window.__experimentStatus), null, { timeout: 30000 });
  const before = await gridResults(page);
  assert.ok(before.length >= 1 && before.length < 6, `the finished runs are kept (${before.length}), the rest are still to do`);
  assertSame(before, new Map(before.map(r => [r.id, want.get(r.id)])), 'kept across the reload');
  assert.match(await page.locator('#btn-start').innerText(), /Continue/);
  await page.click('#btn-start');
  await waitGridDone(page);
  const after = await gridResults(page);
  assertSame(after, want, 'after the reload and Continue');
  for (const b of before) assert.deepEqual(after.find(r => r.id === b.id), b, `${b.id}: finished before the reload, not trained again`);
  assert.deepEqual(realErrors(page), [], 'no console errors');
  await page.context().close();
});
