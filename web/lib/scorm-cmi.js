// scorm-cmi.js - what the panels page tells a SCORM 1.2 LMS about a package of exercises (issue #14),
// without the DOM: the launch keys (scorm, exercises), the package's score and status, the session
// time, the values written. web/ui/scorm.js talks to the LMS with them; scripts/scorm.mjs and the
// panels' index build the package (web/lib/scorm-package.js) for the same exercise lists.
//
// The package is one SCO with the list of its exercises (README "Reporting to a course"):
//   cmi.core.score.raw  the mean of the exercises' scores in percent (scoreOf().scaled x 100; an
//                       exercise not done yet counts 0), min 0, max 100;
//   cmi.core.lesson_status  'passed' when every exercise of the package is passed (scoreOf().success),
//                       'incomplete' before; never 'failed' from here, since a student may retry
//                       any exercise and the better result is kept;
//   cmi.suspend_data    the store's serialize() (every result the browser holds, <= 4096 characters);
//   cmi.core.session_time  the time since the page's LMSInitialize, HHHH:MM:SS.SS.

import { EXERCISE_PANELS, PASS, scoreOf } from './exercise-progress.js';
import { SETTING, parseOne } from './settings.js';
import { items } from './embed.js';

/** The SCORM 1.2 limit of cmi.suspend_data. */
export const SUSPEND_MAX = 4096;
/** adlcp:masteryscore: an exercise's pass mark in percent (exercise-progress.js PASS). */
export const MASTERY = Math.round(PASS * 100);

/**
 * An exercise list as the URL or the command line gives it ("mlp,softmax"): {value: [ids]} in the
 * course's order, or {error: {code, params}}: 'empty', 'enum' (unknown ids; allowed: the list), 'dup'.
 */
export function parseExercises(text) {
  const list = items(text);
  if (!list.length) return { error: { code: 'empty', params: { allowed: EXERCISE_PANELS.join(', ') } } };
  const bad = list.filter(x => !EXERCISE_PANELS.includes(x));
  if (bad.length) return { error: { code: 'enum', params: { value: bad.join(','), allowed: EXERCISE_PANELS.join(', ') } } };
  const dup = list.filter((x, i) => list.indexOf(x) !== i);
  if (dup.length) return { error: { code: 'dup', params: { value: dup.join(',') } } };
  return { value: EXERCISE_PANELS.filter(x => list.includes(x)) };
}

/**
 * The launch keys of the panels page (settings.js: scorm, exercises): {scorm: bool, exercises:
 * [ids] | null, errors: [{param, value, code, params}]}. With scorm=1, exercises is required.
 */
export function parseLaunch(query) {
  const sp = query instanceof URLSearchParams ? query : new URLSearchParams(String(query || ''));
  const errors = [];
  let scorm = SETTING.scorm.def;
  if (sp.has('scorm')) {
    const r = parseOne(SETTING.scorm, sp.get('scorm'));
    if (r.error) errors.push({ param: 'scorm', value: sp.get('scorm'), ...r.error });
    else scorm = r.value;
  }
  let exercises = null;
  if (sp.has('exercises') || scorm) {
    const r = parseExercises(sp.get('exercises'));
    if (r.error) errors.push({ param: 'exercises', value: sp.get('exercises') ?? '', ...r.error });
    else exercises = r.value;
  }
  return { scorm: scorm && !!exercises, exercises, errors };
}

/** The package's score and status from the store's results: {raw, min, max, status, passed: [ids]}. */
export function packageResult(store, exercises) {
  let sum = 0;
  const passed = [];
  for (const id of exercises) {
    const r = store.get(id);
    const s = scoreOf(r);
    if (r) sum += s.scaled;
    if (s.success) passed.push(id);
  }
  const raw = Math.round((sum / exercises.length) * 100);
  return { raw, min: 0, max: 100, status: passed.length === exercises.length ? 'passed' : 'incomplete', passed };
}

/** A time span as SCORM 1.2's CMITimespan, HHHH:MM:SS.SS (hours up to 9999). */
export function cmiTimespan(seconds) {
  const cs = Math.min(Math.max(0, Math.round(seconds * 100)), 9999 * 360000 + 359999);
  const h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
  const two = n => String(n).padStart(2, '0');
  return `${String(h).padStart(4, '0')}:${two(m)}:${two(s)}.${two(c)}`;
}

/** The values written after each kept result, in order: [[element, value]]. */
export function cmiValues(store, exercises, sessionSeconds) {
  const p = packageResult(store, exercises);
  const data = store.serialize();
  if (data.length > SUSPEND_MAX) throw Object.assign(new RangeError(`suspend_data: ${data.length} characters`), { code: 'SUSPEND_FULL' });
  return [
    ['cmi.core.score.raw', String(p.raw)], ['cmi.core.score.min', String(p.min)], ['cmi.core.score.max', String(p.max)],
    ['cmi.core.lesson_status', p.status], ['cmi.suspend_data', data], ['cmi.core.session_time', cmiTimespan(sessionSeconds)],
  ];
}

/** The API object an LMS offers, checked: the SCORM 1.2 functions it must have. */
export const API_FUNCTIONS = Object.freeze(['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString']);
export const isApi = api => !!api && API_FUNCTIONS.every(f => typeof api[f] === 'function');

/**
 * The standard search for the LMS's API (ADL's SCORM 1.2 RTE): the window's parent chain, at most
 * 7 levels up, then the same from window.opener. win: a window (or any object with .API, .parent,
 * .opener). Returns the API or null; a frame of another origin that cannot be read is passed over.
 */
export function findApi(win, levels = 7) {
  const climb = w => {
    for (let n = 0; w && n <= levels; n++) {
      try { if (isApi(w.API)) return w.API; } catch { /* another origin */ }
      let up;
      try { up = w.parent; } catch { return null; }
      if (!up || up === w) return null;
      w = up;
    }
    return null;
  };
  let found = climb(win);
  if (!found) { try { if (win.opener) found = climb(win.opener); } catch { /* gone */ } }
  return found;
}
