// concurrency.js - how many runs trained at once when a time was measured. A grid run in a pool of
// workers (web/lib/worker-pool.js) shares the machine: each result records `concurrency` (the runs in
// flight while it trained, time-weighted mean, rounded) and `pool` (the pool's size); results saved
// before the pool existed have neither. Times are comparable only between runs measured under the same
// concurrency; the report says which groups there are. No DOM.

/** The results grouped by concurrency: [{concurrency (null: not recorded), runs, ids}], most runs first. */
export function concurrencyGroups(results) {
  const m = new Map();
  for (const r of results) {
    const c = Number.isInteger(r.concurrency) ? r.concurrency : null;
    if (!m.has(c)) m.set(c, { concurrency: c, runs: 0, ids: [] });
    const g = m.get(c);
    g.runs++;
    g.ids.push(r.id);
  }
  return [...m.values()].sort((a, b) => b.runs - a.runs || (a.concurrency ?? 0) - (b.concurrency ?? 0));
}

/** Whether two results' times may be compared: both measured with the same number of runs at once. */
export const sameConcurrency = (a, b) => Number.isInteger(a.concurrency) && a.concurrency === b.concurrency;
