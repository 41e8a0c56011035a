// ex-shot.mjs - screenshots of the exercise mode (issue #14) for a look by eye:
// node tests/tools/ex-shot.mjs 'p=mlp&ex=1&lang=ru' NAME [WIDTHxHEIGHT] -> test-artifacts/ex-NAME.png
import { startServer, launch, newPage, screenshot } from '../browser/browser.mjs';
const [q = 'p=mlp&ex=1', name = 'shot', size = '1366x768'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const server = await startServer(), browser = await launch();
try {
  const page = await newPage(browser, { viewport: { width, height } });
  await page.goto(`${server.base}/web/panels.html?${q}`);
  await page.waitForSelector('body[data-ready="1"], .index', { timeout: 20000 });
  if (process.env.TYPE) for (const step of JSON.parse(process.env.TYPE)) {
    if (step === 'check') await page.click('[data-testid="ex-check"]');
    else await page.fill(`input.exin[data-ex="${step[0]}"]`, step[1]);
  }
  for (let i = 0; i < Number(process.env.AUTO || 0); i++) {      // the open stage's true values, to 4 digits
    await page.$$eval('input.exin', els => els.forEach(el => { if (el.offsetParent) { el.value = Number(el.dataset.truth).toPrecision(4); el.dispatchEvent(new Event('input')); } }));
    await page.click('[data-testid="ex-check"]');
  }
  if (process.env.WRONG) await page.$$eval('input.exin', (els, f) => els.forEach(el => { if (el.offsetParent) { el.value = String(Number(el.dataset.truth) * f); el.dispatchEvent(new Event('input')); } }), Number(process.env.WRONG));
  if (process.env.WRONG) await page.click('[data-testid="ex-check"]');
  if (process.env.SCROLL) await page.evaluate(s => document.querySelector(s)?.scrollIntoView(), process.env.SCROLL);
  console.log(await screenshot(page, `ex-${name}`));
  console.log(JSON.stringify(page.errors));
} finally { await browser.close(); await server.close(); }
