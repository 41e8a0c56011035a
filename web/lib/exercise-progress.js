// exercise-progress.js - a student's results in the panels' exercises (issue #14): what an exercise
// records when it ends, what the panels' index shows as a checklist, what the SCORM adapter keeps in
// cmi.suspend_data and what an xAPI statement carries. No DOM: the storage is passed in (localStorage
// on the page, a Map in tests); a sandboxed frame without storage keeps results for the visit only.
//
// One result per exercise id (the panel's id, and the seed of a "new exercise", if any):
//   { id, panel, seed, stages, firstTry, hints, seconds, finished, at }
//   stages: how many stages the exercise has; firstTry: how many were right at the first check;
//   hints: how many diagnoses / hints the student was shown; seconds: time from the first field typed
//   to the last stage right; finished: every stage right; at: ISO time of the last change.
// The score (scoreOf) is firstTry / stages; an exercise is passed when finished and the score is at
// least PASS. A better result replaces a worse one (finished first, then the score); a worse never.

/** The panels that have an exercise, in the course's order (web/panels/main.js PANELS, without perceptron). */
export const EXERCISE_PANELS = ['one-weight', 'chain', 'mlp', 'softmax', 'graph', 'gradcheck', 'losses', 'optimizers'];
export const PASS = 0.6;
export const STORAGE_KEY = 'backprop-lab.exercises.v1';

const FIELDS = { stages: 'int', firstTry: 'int', hints: 'int', seconds: 'num' };

/** The id of an exercise: the panel, or the panel and the seed of a drawn one ("mlp@42"). */
export const exerciseId = (panel, seed = null) => (seed == null ? panel : `${panel}@${seed}`);

/** {scaled, raw, success}: scaled in [0, 1], raw in percent (SCORM 1.2's cmi.core.score.raw). */
export function scoreOf(r) {
  const scaled = r && r.stages > 0 ? Math.min(1, Math.max(0, r.firstTry / r.stages)) : 0;
  return { scaled, raw: Math.round(scaled * 100), success: !!(r && r.finished) && scaled >= PASS };
}

/** A result as given, checked: throws a TypeError naming the first bad field (an unknown key too). */
export function checkResult(r) {
  if (!r || typeof r !== 'object') throw new TypeError('an exercise result must be an object');
  const known = new Set(['id', 'panel', 'seed', 'stages', 'firstTry', 'hints', 'seconds', 'finished', 'at']);
  for (const k of Object.keys(r)) if (!known.has(k)) throw new TypeError(`unknown field "${k}" in an exercise result`);
  if (!EXERCISE_PANELS.includes(r.panel)) throw new TypeError(`panel: "${r.panel}" has no exercise`);
  if (!(r.seed === null || r.seed === undefined || (Number.isInteger(r.seed) && r.seed >= 0))) throw new TypeError(`seed: ${r.seed} is not a whole number >= 0`);
  for (const [k, kind] of Object.entries(FIELDS)) {
    const v = r[k];
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0 && (kind !== 'int' || Number.isInteger(v)))) throw new TypeError(`${k}: ${v} is not a ${kind === 'int' ? 'whole ' : ''}number >= 0`);
  }
  if (r.firstTry > r.stages) throw new TypeError(`firstTry: ${r.firstTry} is more than the ${r.stages} stages`);
  if (typeof r.finished !== 'boolean') throw new TypeError('finished must be true or false');
  const id = exerciseId(r.panel, r.seed ?? null);
  if (r.id !== undefined && r.id !== id) throw new TypeError(`id: "${r.id}" is not "${id}"`);
  return { id, panel: r.panel, seed: r.seed ?? null, stages: r.stages, firstTry: r.firstTry, hints: r.hints,
    seconds: Math.round(r.seconds), finished: r.finished, at: r.at || new Date().toISOString() };
}

const better = (a, b) => (a.finished !== b.finished ? a.finished : scoreOf(a).scaled > scoreOf(b).scaled);

export class ProgressStore {
  /** storage: {getItem, setItem} (localStorage) or null (this visit only). */
  constructor(storage = null, key = STORAGE_KEY) {
    this.storage = storage; this.key = key; this.listeners = new Set();
    this.results = new Map();
    try { const s = storage && storage.getItem(key); if (s) this.restore(s, { quiet: true }); } catch { /* unreadable: start empty */ }
  }
  all() { return [...this.results.values()]; }
  get(id) { return this.results.get(id) || null; }
  /** Records a result (checked); keeps the better of it and the stored one. Returns the kept result. */
  record(result) {
    const r = checkResult(result);
    const old = this.results.get(r.id);
    if (old && !better(r, old)) return old;
    this.results.set(r.id, r);
    this._save();
    for (const fn of this.listeners) fn(r, this);
    return r;
  }
  /** fn(result, store) after each kept result; returns a function that removes it. */
  onChange(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  /** Compact text of every result (SCORM 1.2 suspend_data holds 4096 characters). */
  serialize() {
    return JSON.stringify(this.all().map(r => [r.panel, r.seed, r.stages, r.firstTry, r.hints, r.seconds, r.finished ? 1 : 0, r.at]));
  }
  /** Merges results from serialize()'s text (the better result of each id is kept); bad text throws. */
  restore(text, { quiet = false } = {}) {
    const rows = JSON.parse(text);
    if (!Array.isArray(rows)) throw new TypeError('saved exercise results must be a list');
    for (const [panel, seed, stages, firstTry, hints, seconds, finished, at] of rows) {
      const r = checkResult({ panel, seed, stages, firstTry, hints, seconds, finished: finished === 1, at });
      const old = this.results.get(r.id);
      if (!old || better(r, old)) this.results.set(r.id, r);
    }
    if (!quiet) this._save();
  }
  clear() { this.results.clear(); this._save(); }
  _save() { try { this.storage?.setItem(this.key, this.serialize()); } catch { /* full or sandboxed: kept in memory */ } }
}
