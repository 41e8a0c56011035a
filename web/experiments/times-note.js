// times-note.js - how many runs trained at once beside the times the page shows (web/lib/concurrency.js):
// the sentence under the report's tables and the small line under a run's time in the table of runs.
// A grid run in a pool of workers shares the machine, so its times compare only with times measured
// under the same concurrency.
import { h } from './ui.js';
import { concurrencyGroups } from '../lib/concurrency.js';

/** The note on the times under the tables: all alone, all with N at once, or the groups (null: nothing
 * recorded); tables: {a, b} the numbers the view gives Tables 1 and 2 of the assignment. */
export function timesNote(t, results, tables) {
  const groups = concurrencyGroups(results);
  if (!groups.length || groups.every(g => g.concurrency == null)) return null;
  let text;
  if (groups.length === 1) text = groups[0].concurrency === 1 ? t('note.timesAlone') : t('note.timesSame', { n: groups[0].concurrency });
  else text = t('note.timesMixed', { ...tables, list: groups.map(g => (g.concurrency == null ? t('note.timesUnknown', { k: g.runs }) : t('note.timesGroup', { c: g.concurrency, k: g.runs }))).join('; ') });
  return h('p', { class: 'hint', 'data-testid': 'times-note' }, text);
}

/** "2 at once" under a run's time (nothing for a result saved before the pool recorded it). */
export function atOnceEl(t, r) {
  return Number.isInteger(r.concurrency) ? h('div', { class: 'word' }, t('runs.atOnce', { n: r.concurrency })) : null;
}
