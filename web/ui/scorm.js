// scorm.js - the page's side of a SCORM 1.2 LMS (issue #14; the panels page with ?scorm=1): finds the
// LMS's API (web/lib/scorm-cmi.js findApi: the parent chain up to 7 levels, then the opener's),
// LMSInitialize(""), reads cmi.suspend_data into the store (store.restore), writes the package's
// score, status, suspend_data and session time after each kept result and commits, LMSFinish on
// pagehide. What the LMS reports as an error (LMSGetLastError, LMSGetErrorString) goes to the page's
// status line through say(key, params, bad); nothing here throws.

import { findApi, cmiValues, packageResult } from '../lib/scorm-cmi.js';

/**
 * store: the page's ProgressStore; exercises: the package's ids; say(key, params, bad): shows a
 * lms-strings.js message; win: the window to search from. Returns {api, finish()} or null (no LMS).
 */
export function connectScorm({ store, exercises, say, win = window }) {
  const api = findApi(win);
  if (!api) { say('lms.noApi', {}, true); return null; }
  const started = performance.now();
  let failed = false, finished = false;

  /** One API call; false (and the LMS's error in the status line) when it fails or throws. */
  const call = (name, ...args) => {
    let r;
    try { r = api[name](...args); } catch (e) { return report(name, '', String((e && e.message) || e)); }
    if (name === 'LMSGetValue') {
      const code = lastError();
      return code && code !== '0' ? report(name, code) : r;
    }
    return r === true || r === 'true' ? true : report(name, lastError());
  };
  function lastError() { try { return String(api.LMSGetLastError()); } catch { return ''; } }
  function report(name, code, message = null) {
    let text = message;
    if (text == null) { try { text = String(api.LMSGetErrorString(code) || ''); } catch { text = ''; } }
    failed = true;
    say('lms.error', { call: name, code, message: text }, true);
    return false;
  }

  const write = () => {
    if (finished) return;
    let values;
    try { values = cmiValues(store, exercises, (performance.now() - started) / 1000); } catch (e) { report('cmi.suspend_data', '', e.message); return; }
    for (const [el, v] of values) if (call('LMSSetValue', el, v) === false) return;
    if (call('LMSCommit', '') === false) return;
    if (!failed) {
      const p = packageResult(store, exercises);
      say('lms.connected', { list: exercises, raw: p.raw, status: p.status });
    }
  };

  if (call('LMSInitialize', '') === false) return { api, finish() {} };
  const saved = call('LMSGetValue', 'cmi.suspend_data');
  if (typeof saved === 'string' && saved !== '') {
    try { store.restore(saved); } catch { say('lms.restoreFailed', {}, true); failed = true; }
  }
  write();
  const off = store.onChange(() => write());

  const finish = () => {
    if (finished) return;
    write();
    finished = true;
    off();
    call('LMSFinish', '');
  };
  win.addEventListener('pagehide', finish);
  return { api, finish };
}
