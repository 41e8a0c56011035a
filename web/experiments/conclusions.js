// conclusions.js - the report's conclusions, generated from the measured numbers only (no DOM; tested
// in Node): the facts, the learning rate x batch size analysis, the recommendations and the problems
// met. Every sentence cites the table cells it is read from ({text, refs: [cell id]}, the ids of
// lib/report-stats.js cellId(), which tables.js puts on the cells), so a reader can check it; what no
// table shows is not said. The course's general advice is marked as such ({text, course: true}).
import { findings, heatmaps, table1, table2, healthOf, accOf, checkEveryOf, cellId } from '../lib/report-stats.js';
import { UNHEALTHY, CHANCE_FACTOR, EXPLODE_FACTOR } from '../lib/health.js';

const optName = (t, n) => t(`opt.${n}`);
const mean = a => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
export const ADAPTIVE = ['adagrad', 'rmsprop', 'adam', 'amsgrad'];

/** A time with its spread: "1.23 s ± 0.10" (no spread with one run). */
export const timeText = (f, m, sd) => (Number.isFinite(sd) ? `${f.sec(m, 2)} ± ${f.fix(sd, 2)}` : f.sec(m, 2));

/**
 * The conclusions of `results`: {facts, analysis, recommendations, problems}, each a list of
 * {text, refs} in the page's language. ctx: {t, f, settings: {epochs}, runName}.
 */
export function conclusions(results, { t, f, settings, runName }) {
  const out = { facts: [], analysis: [], recommendations: [], problems: [] };
  if (!results.length) return out;
  const say = (list, key, p, refs) => list.push({ text: t(key, p), refs });
  const fd = findings(results);
  const t1 = table1(results), t2 = table2(results), hm = heatmaps(results);
  const target = f.pct(fd.target, 0);
  const byId = id => results.find(r => r.id === id);
  const opts = t2.map(r => r.optimizer);
  const t2cells = col => opts.map(o => cellId('t2', o, col));
  const t1cells = col => t1.map(r => cellId('t1', r.batch, col));
  const how = checkEveryOf(results) ? t('check.every', { n: checkEveryOf(results) }) : t('check.epochs');

  // health: every class counted, every unhealthy run named with its class
  const counts = Object.entries(fd.health).filter(([, n]) => n).map(([c, n]) => t('k.count', { n, cls: t(`hc.${c}`) }));
  say(out.facts, 'k.health', { n: results.length, list: counts.join(', '), target }, t2cells('health'));
  for (const cls of UNHEALTHY) {
    const rs = results.filter(r => healthOf(r) === cls);
    if (!rs.length) continue;
    say(out.facts, `k.${cls}`, { n: rs.length, list: rs.map(r => `${runName(r)} (${f.pct(accOf(r))})`).join('; '),
      limit: f.pct(CHANCE_FACTOR / 10, 0), factor: EXPLODE_FACTOR }, rs.map(r => cellId('bad', r.id)));
  }
  const left = results.length - results.filter(r => !UNHEALTHY.includes(healthOf(r))).length;
  say(out.facts, left ? 'k.leftOut' : 'k.noneLeftOut', { k: results.length - left, m: left }, t2cells('health'));

  if (fd.best) {
    const b = byId(fd.best.id);
    say(out.facts, 'k.best', { acc: f.pct(fd.best.accuracy), run: runName(b) }, [cellId('t1', b.batch, 'best'), cellId('t2', b.optimizer, 'best')]);
  }
  // time to the target, from one run per optimizer; iterations do not depend on the machine
  const reached = t2.filter(r => r.to_target).sort((a, b) => a.to_target.iteration - b.to_target.iteration || a.to_target.seconds - b.to_target.seconds);
  if (reached.length) {
    const first = reached[0], tied = reached.filter(r => r.to_target.iteration === first.to_target.iteration);
    const p = r => ({ opt: optName(t, r.optimizer), it: f.int(r.to_target.iteration), e: f.short(Number(r.to_target.epoch.toFixed(2))),
      s: f.sec(r.to_target.seconds, 2), run: runName(byId(r.to_target.id)), target, how });
    if (tied.length > 1) say(out.facts, 'k.targetTie', { ...p(first), list: tied.map(r => optName(t, r.optimizer)).join(', ') }, tied.map(r => cellId('t2', r.optimizer, 'target')));
    else say(out.facts, 'k.target', p(first), [cellId('t2', first.optimizer, 'target')]);
    const others = reached.slice(tied.length);
    if (others.length) say(out.facts, 'k.targetOthers', { list: others.map(r => t('k.targetOther', p(r))).join('; ') }, others.map(r => cellId('t2', r.optimizer, 'target')));
    const never = t2.filter(r => !r.to_target);
    if (never.length) say(out.facts, 'k.targetNever', { list: never.map(r => optName(t, r.optimizer)).join(', '), target }, never.map(r => cellId('t2', r.optimizer, 'target')));
  } else say(out.facts, 'k.targetNone', { target, e: settings.epochs }, t2cells('target'));

  // speed in seconds: a ranking only beyond the spread of the times
  const timed = t2.filter(r => Number.isFinite(r.mean_seconds));
  const fastest = t2.find(r => r.time_rank === 'fastest');
  if (fastest) say(out.facts, 'k.timeFastest', { opt: optName(t, fastest.optimizer), s: timeText(f, fastest.mean_seconds, fastest.sd_seconds) }, t2cells('time'));
  else if (timed.length > 1) say(out.facts, 'k.timeNoise', { list: timed.map(r => `${optName(t, r.optimizer)}: ${timeText(f, r.mean_seconds, r.sd_seconds)}`).join('; ') }, t2cells('time'));
  const bt = t1.filter(r => Number.isFinite(r.mean_seconds));
  const bFast = t1.find(r => r.time_rank === 'fastest'), bSlow = t1.find(r => r.time_rank === 'slowest');
  if (bFast) say(out.facts, 'k.batchFastest', { b: bFast.batch, s: timeText(f, bFast.mean_seconds, bFast.sd_seconds),
    slow: bSlow ? t('k.batchSlowest', { b: bSlow.batch, s: timeText(f, bSlow.mean_seconds, bSlow.sd_seconds) }) : '' }, t1cells('time'));
  else if (bt.length > 1) say(out.facts, 'k.batchNoise', { list: bt.map(r => `B = ${r.batch}: ${timeText(f, r.mean_seconds, r.sd_seconds)}`).join('; ') }, t1cells('time'));

  // stability over the healthy runs
  if (fd.steadiest) say(out.facts, 'k.spike', { opt: optName(t, fd.steadiest.optimizer), s: f.fix(fd.steadiest.spike, 2) }, t2cells('stability'));
  const seeded = t2.filter(r => Number.isFinite(r.seed_sd));
  if (seeded.length) say(out.facts, 'k.seeds', { list: seeded.map(r => `${optName(t, r.optimizer)}: ${f.fix(100 * r.seed_sd, 2)}`).join('; ') }, seeded.map(r => cellId('t2', r.optimizer, 'stability')));

  // learning rate x batch size (the heatmap tables)
  for (const [o, m] of Object.entries(hm)) {
    const hid = (lr, b) => cellId('heat', o, lr, b);
    if (!m.best) {
      const all = []; m.lrs.forEach(lr => m.batches.forEach(b => all.push(hid(lr, b))));
      say(out.analysis, 'a.optNoHealthy', { opt: optName(t, o) }, all);
      continue;
    }
    let worst = null;
    m.cells.forEach((row, i) => row.forEach((c, j) => {
      const v = c ? (c.healthy ? c.accuracy : -1 - UNHEALTHY.indexOf(c.health)) : null;
      if (c && (!worst || v < worst.v)) worst = { v, lr: m.lrs[i], batch: m.batches[j], c };
    }));
    say(out.analysis, 'a.opt', { opt: optName(t, o), lr: f.short(m.best.lr), batch: m.best.batch, acc: f.pct(m.best.accuracy),
      wlr: f.short(worst.lr), wbatch: worst.batch, wacc: worst.c.healthy ? f.pct(worst.c.accuracy) : t(`hc.${worst.c.health}`) },
    [hid(m.best.lr, m.best.batch), hid(worst.lr, worst.batch)]);
  }
  if (t1.length > 1) say(out.analysis, 'a.batchMean', { list: t1.map(r => `B = ${r.batch}: ${f.pct(r.mean_accuracy)}`).join('; ') }, t1cells('acc'));
  const bestLr = o => hm[o] && hm[o].best && hm[o].best.lr;
  const ad = opts.filter(o => ADAPTIVE.includes(o) && bestLr(o)), pl = opts.filter(o => !ADAPTIVE.includes(o) && bestLr(o));
  if (ad.length && pl.length) {
    const adLr = Math.min(...ad.map(bestLr)), plLr = Math.max(...pl.map(bestLr));
    if (adLr < plLr) say(out.analysis, 'a.adaptiveLr', { ad: ad.map(o => optName(t, o)).join(', '), adlr: f.short(adLr), pl: pl.map(o => optName(t, o)).join(', '), pllr: f.short(plLr) },
      [...ad, ...pl].map(o => cellId('heat', o, hm[o].best.lr, hm[o].best.batch)));
  }

  // recommendations: measured first, then the course's general advice
  if (fd.best) { const b = byId(fd.best.id); say(out.recommendations, 'r.best', { run: runName(b), acc: f.pct(fd.best.accuracy) }, [cellId('t2', b.optimizer, 'best')]); }
  for (const [o, m] of Object.entries(hm)) if (m.best) say(out.recommendations, 'r.perOpt', { opt: optName(t, o), lr: f.short(m.best.lr), batch: m.best.batch }, [cellId('heat', o, m.best.lr, m.best.batch)]);
  for (const k of ['r.general1', 'r.general2', 'r.general3']) out.recommendations.push({ text: t(k), refs: [], course: true });

  // problems met in these runs
  for (const cls of UNHEALTHY) {
    const rs = results.filter(r => healthOf(r) === cls);
    if (rs.length) say(out.problems, `p.${cls}`, { n: rs.length, lrs: [...new Set(rs.map(r => r.lr))].map(f.short).join(', ') }, rs.map(r => cellId('bad', r.id)));
  }
  const slow = results.filter(r => healthOf(r) === 'slow');
  if (slow.length) say(out.problems, 'p.slow', { n: slow.length, target }, t2cells('health'));
  return out;
}

