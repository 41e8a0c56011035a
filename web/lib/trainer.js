// trainer.js - one training run over MNIST-like data, shared by the Web Worker, the command line
// and the experiment grid, so the same seed gives the same numbers everywhere. Knows nothing of
// the DOM; all numbers come from the core.

/** The practical work's network and the page's defaults. Optional: alphas, dropout (per layer),
 * batchnorm (per layer), optimizer.weight_decay. */
export const DEFAULT_RUN = Object.freeze({
  layers: [784, 128, 64, 10],
  activations: ['relu', 'relu', 'softmax'],
  loss: 'cross_entropy',
  init: 'he_normal',
  optimizer: { name: 'adam', lr: 0.001 },
  batch: 32,
  epochs: 3,
  seed: 1,
});

/** The byte -> float table of an input scaling, the same numbers as web/data.js's scalePixels. */
export function pixelTable(scale = '01') {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = scale === 'pm05' ? v / 255 - 0.5 : v / 255;
  return lut;
}

/**
 * Copies decoded parts into the core once: {x: Float32Array, y: labels, n}, or raw pixels
 * {pixels: Uint8Array, labels | y, n} (from decodeMnistRaw) stored as bytes, a quarter of the memory,
 * and scaled by pixelTable(scale) as each batch is gathered: the same floats either way.
 */
export function createDatasets(core, parts, classes = 10, { scale = '01' } = {}) {
  const out = {};
  for (const [name, p] of Object.entries(parts)) {
    if (!p || !p.n) continue;
    const raw = !p.x && p.pixels;
    const dim = (raw ? p.pixels.length : p.x.length) / p.n;
    const d = core.createData(p.n, dim, classes, true, { bytes: !!raw });
    if (raw) { d.fill(p.pixels, p.labels || p.y); d.lut().set(pixelTable(scale)); }
    else d.fill(p.x, p.y);
    out[name] = d;
  }
  return out;
}

export function freeDatasets(sets) { for (const d of Object.values(sets)) d.free(); }

export class TrainingRun {
  /** sets: {train, test, val?} core Data objects; cfg: like DEFAULT_RUN. */
  constructor(core, sets, cfg) {
    this.core = core;
    this.sets = sets;
    this.cfg = { ...DEFAULT_RUN, ...cfg };
    const c = this.cfg;
    if (!sets.train) throw new Error('no training data');
    if (!Number.isInteger(c.batch) || c.batch < 1) throw Object.assign(new Error(`batch size: ${c.batch} is not allowed; it must be a whole number of at least 1`), { code: 'EINVAL', field: 'batch' });
    if (!Number.isInteger(c.epochs) || c.epochs < 1) throw Object.assign(new Error(`epochs: ${c.epochs} is not allowed; it must be a whole number of at least 1`), { code: 'EINVAL', field: 'epochs' });
    this.net = core.createNet({ sizes: c.layers, activations: c.activations, alphas: c.alphas, loss: c.loss,
      dropout: c.dropout, batchnorm: c.batchnorm });
    try {
      this.net.init(c.init, c.seed);
      this.net.setOptimizer(c.optimizer);
    } catch (e) { this.net.free(); throw e; }
    this.epoch = 0;            // epochs finished
    this.iteration = 0;        // batches done
    this.inEpoch = false;
    this.epochLossSum = 0;
    this.epochBatches = 0;
    this.batchesPerEpoch = Math.ceil(sets.train.n / c.batch);
  }

  get done() { return this.epoch >= this.cfg.epochs; }

  /**
   * Runs up to maxBatches batches, not past the end of the current epoch.
   * Returns {losses: Float32Array, firstIteration, epochEnded}. Throws CoreError DIVERGED on NaN/Inf.
   */
  train(maxBatches) {
    if (this.done) return { losses: new Float32Array(0), firstIteration: this.iteration, epochEnded: false };
    if (!this.inEpoch) {
      this.net.beginEpoch(this.sets.train, true);
      this.inEpoch = true;
      this.epochLossSum = 0;
      this.epochBatches = 0;
    }
    const first = this.iteration;
    const losses = this.net.trainBatches(this.sets.train, this.cfg.batch, maxBatches);
    this.iteration += losses.length;
    for (const l of losses) this.epochLossSum += l;
    this.epochBatches += losses.length;
    const epochEnded = this.net.epochRemaining === 0;
    if (epochEnded) { this.inEpoch = false; this.epoch++; }
    return { losses, firstIteration: first, epochEnded };
  }

  /** Progress within the current epoch, 0..1. */
  get epochProgress() { return this.inEpoch ? this.epochBatches / this.batchesPerEpoch : 0; }

  /** Loss and accuracy on every set; `runningLoss` is the mean batch loss of the epoch just ended. */
  evaluate({ confusion = false } = {}) {
    const r = { epoch: this.epoch, iteration: this.iteration, runningLoss: this.epochBatches ? this.epochLossSum / this.epochBatches : NaN };
    for (const [name, d] of Object.entries(this.sets)) {
      const e = this.net.evaluate(d, { confusion: confusion && name === 'test' });
      r[name] = { loss: e.loss, accuracy: e.accuracy, correct: e.correct, n: e.n };
      if (e.confusion) r[name].confusion = Array.from(e.confusion);
    }
    return r;
  }

  /** Multiply-adds of one sample's forward pass: what an evaluation costs per image. */
  get flopsPerSample() { return this.cfg.layers.slice(1).reduce((t, o, l) => t + 2 * o * this.cfg.layers[l], 0); }

  /**
   * evaluate() in parts of about `partFlops` each, as a generator: yields {done, total} (images) after
   * each part and returns the same metrics, so that a worker can report progress and answer pause
   * between the parts of a big network's evaluation (784-4096-4096-4096-10 over 14,000 images is a
   * minute). A network whose whole evaluation is cheaper than one part is evaluated in one call.
   */
  *evaluateSteps({ confusion = false, partFlops = 4e8 } = {}) {
    const total = Object.values(this.sets).reduce((t, d) => t + d.n, 0);
    if (this.flopsPerSample * total <= partFlops) return this.evaluate({ confusion });
    const rows = Math.max(1, Math.floor(partFlops / this.flopsPerSample));
    const r = { epoch: this.epoch, iteration: this.iteration, runningLoss: this.epochBatches ? this.epochLossSum / this.epochBatches : NaN };
    let done = 0;
    for (const [name, d] of Object.entries(this.sets)) {
      const acc = { lossSum: 0, correct: 0, confusion: confusion && name === 'test' ? new Int32Array(d.k * d.k) : null };
      for (let s = 0; s < d.n; s += rows) {
        const n = Math.min(rows, d.n - s);
        this.net.evaluatePart(d, s, n, acc);
        done += n;
        yield { done, total };
      }
      r[name] = { loss: acc.lossSum / d.n, accuracy: acc.correct / d.n, correct: acc.correct, n: d.n };
      if (acc.confusion) r[name].confusion = Array.from(acc.confusion);
    }
    return r;
  }

  free() { this.net.free(); }
}
