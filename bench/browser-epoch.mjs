// browser-epoch.mjs - one epoch over the MNIST training set in headless Chromium (web/bench.html),
// printed as seconds per epoch: the "a full epoch in under 1.5 s in a tab" measurement.
import { startServer, launch, newPage } from '../tests/browser/browser.mjs';

const server = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser);
  await page.goto(`${server.base}/web/bench.html?auto`);
  await page.waitForFunction(() => window.__bench, null, { timeout: 300000 });
  const rows = await page.evaluate(() => window.__bench);
  if (rows.error) throw new Error(rows.error);
  for (const r of rows) console.log(`Chromium: batch ${r.batch}: one epoch of ${r.n} images in ${r.seconds.toFixed(3)} s (${Math.round(r.rate)} samples/s, ${r.kernels}); longest pause of the page meanwhile ${Math.round(r.pauseMs)} ms`);
} finally { await browser.close(); await server.close(); }
