// firefox.mjs - Debian's Firefox ESR for the browser tests, driven over WebDriver BiDi by
// puppeteer-core (Playwright drives only its own patched Firefox builds). Beside launch() of
// browser.mjs (Chromium through playwright-core), so that a test can run the same page in both
// engines and compare what they show. Console errors AND warnings are collected: a page of Backprop
// Lab logs neither.
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

export async function launchFirefox() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // an English UI and Accept-Language; each page is opened with ?lang= anyway
    extraPrefsFirefox: { 'intl.accept_languages': 'en-US, en', 'intl.locale.requested': 'en-US' },
  });
}

/**
 * A new page in its own browser context (its own cache, storage and service workers), recording
 * console errors, console warnings and uncaught errors into page.problems, and HTTP answers >= 400
 * into page.failed. viewport: {width, height}.
 */
export async function newFirefoxPage(browser, { viewport = { width: 1366, height: 768 } } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.problems = [];
  page.failed = [];
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warn' || m.type() === 'warning') page.problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => page.problems.push(`pageerror: ${e && e.message || e}`));
  page.on('response', r => { if (r.status() >= 400) page.failed.push(`${r.status()} ${r.url()}`); });
  page.closeAll = () => context.close();
  return page;
}
