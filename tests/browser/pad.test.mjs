// tests/browser/pad.test.mjs - the training page's drawing pad with the keyboard only: reached with
// Tab, focus visible, arrows move a cursor without scrolling the page, Space puts the pen down, a
// vertical stroke is read as a 1 after an epoch of training, Delete clears. Screenshots of the focused
// pad go to test-artifacts/. Run: node --test tests/browser/pad.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, screenshot, VIEWPORTS } from './browser.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

/** Presses `key` n times. */
async function press(page, key, n = 1) { for (let i = 0; i < n; i++) await page.keyboard.press(key); }

/** Whether the visible pad shows ink (a light pixel) at (x, y) of its 280 x 280. */
const inkAt = (page, x, y) => page.$eval('#pad', (c, [x, y]) => c.getContext('2d').getImageData(x, y, 1, 1).data[0] > 128, [x, y]);

test('the drawing pad works with the keyboard alone', async () => {
  const page = await newPage(browser, { viewport: VIEWPORTS.laptop });
  await page.goto(`${server.base}/web/?epochs=1`);
  await page.waitForSelector('#status[data-phase="ready"]', { timeout: 30000 });
  await page.click('#btn-start');
  await page.waitForSelector('#status[data-phase="done"]', { timeout: 90000 });

  // labelled for what it is, in the page's language, and reached with Tab (backwards from Clear)
  assert.equal(await page.getAttribute('#pad', 'tabindex'), '0');
  assert.equal(await page.getAttribute('#pad', 'role'), 'application');
  assert.match(await page.getAttribute('#pad', 'aria-label'), /^Drawing pad\. Arrow keys move the cursor.*Space or Enter.*Delete clears/);
  await page.focus('#pad-clear');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pad');
  assert.notEqual(await page.$eval('#pad', e => getComputedStyle(e).outlineStyle), 'none', 'focus is visible');
  const scrollY = await page.evaluate(() => window.scrollY);
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight), 'the page can scroll');

  // a vertical stroke: up from the centre in big steps, pen down, down in small steps, pen up
  await press(page, 'Shift+ArrowUp', 2);                  // (140, 60)
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('#pad', 'data-pen'), 'down');
  assert.equal(await page.textContent('#pad-status'), 'Pen down');
  await press(page, 'ArrowDown', 8);                      // (140, 140)
  await page.waitForFunction(() => document.querySelectorAll('#probs li.best').length === 1);
  await screenshot(page, 'pad-keyboard-pen-down');
  await press(page, 'ArrowDown', 8);                      // (140, 220)
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#pad', 'data-pen'), 'up');
  await press(page, 'Shift+ArrowRight', 1);               // moving with the pen up draws nothing
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.scrollY), scrollY, 'the keys did not scroll the page');
  assert.ok(await inkAt(page, 140, 100), 'ink along the stroke');
  assert.ok(!(await inkAt(page, 170, 220)), 'no ink where the cursor moved with the pen up');
  await screenshot(page, 'pad-keyboard-focused');

  await page.waitForFunction(() => /The network says \d/.test(document.querySelector('#draw-answer').textContent));
  const probs = await page.$$eval('#probs .val', v => v.map(x => parseFloat(x.textContent)));
  const sum = probs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 100) < 2, `probabilities add up to ${sum}%`);
  const best = await page.textContent('#probs li.best .digit');
  console.log(`vertical stroke drawn with the keys read as ${best} (${probs[Number(best)]}%)`);
  assert.equal(best, '1');

  // Delete clears: the answer goes back to the invitation
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.querySelectorAll('#probs li.best').length === 0);
  assert.equal(await page.textContent('#draw-answer'), 'Draw a digit to see the network’s answer.');
  assert.ok(!(await inkAt(page, 140, 100)), 'the pad is empty');

  // two arrows held together move diagonally; Backspace clears too
  await page.keyboard.press('Space');
  await page.keyboard.down('ArrowLeft');
  await press(page, 'ArrowUp', 5);
  await page.keyboard.up('ArrowLeft');
  await page.waitForFunction(() => document.querySelectorAll('#probs li.best').length === 1);
  assert.ok(await inkAt(page, 145, 195), 'ink on the diagonal');
  assert.ok(!(await inkAt(page, 170, 170)), 'no ink off the diagonal');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelectorAll('#probs li.best').length === 0);
  assert.equal(await page.getAttribute('#pad', 'data-pen'), 'up', 'clearing lifts the pen');
  assert.equal(await page.evaluate(() => window.scrollY), scrollY, 'the keys did not scroll the page');

  // Tab leaves the pad as usual
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pad-clear');

  const errors = page.errors.filter(t => !/Failed to load resource/.test(t));
  assert.deepEqual(errors, []);
  await page.context().close();
});
