// health.js - the one health classification of a training run, the same on the training page, in the
// command line (train and grid) and in the experiments report. No DOM; tested in Node
// (tests/node/health.test.mjs).
//
// Classes, checked in this order (the first that applies):
//   diverged   the loss became NaN or infinite (the core stops with DIVERGED).
//   exploded   the training loss evaluated at the last epoch end is more than EXPLODE_FACTOR = 10
//              times the loss of the untrained network (epoch 0); or the mean of that epoch's
//              mini-batch losses is, and the run ended at chance (below, so it did not recover). With softmax + cross-entropy and 10 classes an untrained network
//              starts near ln 10 = 2.303, so "exploded" means a loss above about 23: no run that learns
//              gets there (a run that learns ends below its start), while SGD with lr 100 ends near 30
//              with mini-batch losses of 1e27.
//   stuck      after at least one whole epoch, the last test accuracy (training accuracy where there is
//              no test part) is below CHANCE_FACTOR = 2 times chance: chance is 1/K = 10 % for K = 10
//              classes, so below 20 %. Any run that learns on MNIST passes 80 % within its first epoch;
//              a run below 20 % predicts one or two classes (SGD lr 1 ends at 6.8 %, Adam lr 0.1 at
//              10.00 % with a loss of 2.31 = ln 10: the network outputs the uniform distribution).
//   converged  the run reached the target test accuracy (default 90 %).
//   slow       healthy, but the target was not reached.
// Healthy: converged and slow. The report's stability and speed statistics use healthy runs only.

export const EXPLODE_FACTOR = 10;
export const CHANCE_FACTOR = 2;
export const HEALTH_CLASSES = Object.freeze(['converged', 'slow', 'stuck', 'exploded', 'diverged']);
export const UNHEALTHY = Object.freeze(['stuck', 'exploded', 'diverged']);
export const isHealthy = cls => cls === 'converged' || cls === 'slow';

const fin = Number.isFinite;

/**
 * The class of a run from plain numbers:
 *   start_loss   the untrained network's training loss (epoch 0)
 *   epochs       [{epoch, loss, batch_loss, accuracy}] at epoch ends after epoch 0 (loss: evaluated
 *                training loss; batch_loss: mean of the epoch's mini-batch losses; accuracy: test, else training)
 *   diverged     truthy when the loss became NaN or infinite
 *   reached      truthy when the target accuracy was reached
 *   classes      K (default 10)
 * Returns {cls, healthy, ...what it is based on: factor (last loss / start), accuracy, chance}.
 */
export function classify({ start_loss, epochs = [], diverged = false, reached = false, classes = 10 }) {
  const chance = 1 / classes;
  const last = epochs.length ? epochs[epochs.length - 1] : null;
  const out = cls => ({ cls, healthy: isHealthy(cls), chance, threshold_accuracy: CHANCE_FACTOR * chance, ...info });
  const info = {};
  if (diverged) return out('diverged');
  if (last) {
    if (typeof last.loss === 'number' && !fin(last.loss)) return out('diverged');
    const start = fin(start_loss) && start_loss > 0 ? start_loss : NaN;
    info.accuracy = last.accuracy;
    const atChance = fin(last.accuracy) && last.accuracy < CHANCE_FACTOR * chance;
    if (fin(last.loss)) info.factor = last.loss / start;
    if (info.factor > EXPLODE_FACTOR) return out('exploded');
    // the epoch's mini-batch losses count only for a run that did not recover (a spike early in a
    // good run's last epoch is not an explosion)
    if (atChance && fin(last.batch_loss) && last.batch_loss / start > EXPLODE_FACTOR) { info.factor = last.batch_loss / start; return out('exploded'); }
    if (last.epoch >= 1 && atChance) return out('stuck');
  }
  return out(reached ? 'converged' : 'slow');
}

/** The class of an experiment run's result (web/lib/experiments.js ExperimentRun.result()). */
export function healthOfResult(r) {
  const rows = r.epochs || [];
  const e0 = rows.find(e => e.epoch === 0);
  return classify({
    start_loss: e0 ? e0.train_loss : NaN,
    epochs: rows.filter(e => e.epoch > 0).map(e => ({ epoch: e.epoch, loss: e.train_loss, batch_loss: e.running_loss,
      accuracy: fin(e.test_accuracy) ? e.test_accuracy : e.train_accuracy })),
    diverged: !!r.diverged, reached: !!r.reached,
  });
}

/** The class of a training-page run from its epoch metrics ({epoch, train: {loss, accuracy}, test, runningLoss}),
 * epoch 0 first; target: the accuracy counted as converged (default 0.9). */
export function healthOfMetrics(metrics, { diverged = false, target = 0.9 } = {}) {
  const e0 = metrics.find(m => m.epoch === 0);
  const acc = m => (m.test && fin(m.test.accuracy) ? m.test.accuracy : m.train ? m.train.accuracy : NaN);
  const later = metrics.filter(m => m.epoch > 0);
  return classify({
    start_loss: e0 && e0.train ? e0.train.loss : NaN,
    epochs: later.map(m => ({ epoch: m.epoch, loss: m.train ? m.train.loss : NaN, batch_loss: m.runningLoss, accuracy: acc(m) })),
    diverged, reached: later.some(m => acc(m) >= target),
  });
}

/** Counts of each class in a list of classes (every class present, 0 when none). */
export function countClasses(classes) {
  const n = Object.fromEntries(HEALTH_CLASSES.map(c => [c, 0]));
  for (const c of classes) n[c]++;
  return n;
}

/** One English line for the command line: null for a healthy run. */
export function healthWarning(h, { lr } = {}) {
  if (h.healthy) return null;
  const pct = v => `${(100 * v).toFixed(2)} %`;
  const hint = `lower the learning rate${lr != null ? ` (${lr}; try ${Number((lr / 10).toPrecision(2))})` : ''}; ` +
    'each optimizer has its own good range (Adam ~0.001, SGD ~0.1): a rate kept when switching optimizer is a common cause';
  if (h.cls === 'diverged') return `warning: the run diverged (the loss became NaN or infinite); ${hint}`;
  if (h.cls === 'exploded') return `warning: the run exploded: its training loss rose to ${h.factor.toPrecision(3)} times its start and did not come back (limit ${EXPLODE_FACTOR}x); ${hint}`;
  return `warning: the run is stuck at chance: test accuracy ${pct(h.accuracy)} after an epoch (below ${pct(h.threshold_accuracy)}, twice the chance of ${pct(h.chance)}); ${hint}`;
}
