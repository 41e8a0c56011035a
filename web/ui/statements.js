// statements.js - xAPI statements through the host API (issue #14): after each kept result of the
// page's store (web/ui/progress.js), the frame sends the event `statement` ({statement}: web/lib/xapi.js)
// to the course page, which may forward it to its Learning Record Store. The actor is the host's
// (URL key `actor`, or setState {actor}) or an anonymous account whose name this browser keeps.

import { statementFor, anonymousActor, checkActor } from '../lib/xapi.js';
import { scoreOf } from '../lib/exercise-progress.js';
import { pageStorage } from './storage.js';

const LEARNER_KEY = 'backprop-lab.learner.v1';

/** A random id for the anonymous actor, kept in localStorage where the page may use it (else for the visit). */
function learnerName() {
  const storage = pageStorage();
  try { const s = storage?.getItem(LEARNER_KEY); if (s) return s; } catch { /* unreadable: a new name */ }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const name = `anonymous-${[...bytes].map(b => b.toString(16).padStart(2, '0')).join('')}`;
  try { storage?.setItem(LEARNER_KEY, name); } catch { /* sandboxed: this visit only */ }
  return name;
}

/**
 * host: web/ui/host.js's connection (emit); store: the ProgressStore; actor: a checked actor or null;
 * base: the activities' base IRI (xapi.js activityBase); lang(): the page's language; names(panel):
 * {en, ru}, the exercise's title in each language. Returns {setActor(actor)} (checks it; throws).
 */
export function connectStatements({ host, store, actor = null, base, lang, names }) {
  let who = actor;            // the anonymous one is made at the first statement, not on every visit
  store.onChange(r => {
    who = who || anonymousActor(location.href, learnerName());
    host.emit('statement', { statement: statementFor(r, scoreOf(r), { actor: who, base, lang: lang(), names: names(r.panel) }) });
  });
  return { setActor(a) { who = checkActor(a); return who; } };
}
