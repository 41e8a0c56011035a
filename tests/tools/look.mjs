// look.mjs - screenshots of this session's views at phone, tablet and laptop sizes in both languages,
// with every console error and warning printed: node tests/tools/look.mjs -> test-artifacts/look-*.png
import { startServer, launch, newPage, screenshot } from '../browser/browser.mjs';
const VIEWS = [['panels-index', 'panels.html?'], ['ex-mlp', 'panels.html?p=mlp&ex=1'], ['ex-optimizers', 'panels.html?p=optimizers&ex=1&seed=7'],
  ['losses-url', 'panels.html?p=losses&ex=1&seed=3'], ['training', 'index.html?'], ['experiments', 'experiments.html?']];
const SIZES = [[390, 844], [768, 1024], [1366, 768]];
const server = await startServer(), browser = await launch();
try {
  for (const [name, q] of VIEWS) for (const lang of ['en', 'ru']) for (const [width, height] of SIZES) {
    const page = await newPage(browser, { viewport: { width, height } });
    const msgs = [];
    page.on('console', m => { if (['error', 'warning'].includes(m.type())) msgs.push(m.text()); });
    page.on('pageerror', e => msgs.push(String(e)));
    await page.goto(`${server.base}/web/${q}&lang=${lang}`);
    await page.waitForTimeout(2500);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await screenshot(page, `look-${name}-${lang}-${width}`);
    console.log(name, lang, width, 'overflow', over, msgs.length ? msgs : '');
    await page.context().close();
  }
} finally { await browser.close(); await server.close(); }
