// bench-worker.js - times one training epoch in a Web Worker for web/bench.html.
import { loadCore } from '../lib/engine.js';
import { loadMnistRaw } from '../lib/data.js';
import { createDatasets } from '../lib/trainer.js';

self.onmessage = async e => {
  try {
    let data;
    const say = (phase, batch, fraction) => self.postMessage({ type: 'progress', phase, batch, n: data.train.n, fraction });
    try { data = await loadMnistRaw(new URL('../../data/mnist-full.bin', import.meta.url)); }
    catch { data = await loadMnistRaw(new URL('../../data/mnist-subset.bin', import.meta.url)); }
    const core = await loadCore();
    const sets = createDatasets(core, { train: data.train });
    const n = data.train.n, rows = [], B = e.data.batches;
    for (const [i, batch] of B.entries()) {
      const net = core.createNet({ sizes: [784, 128, 64, 10], activations: ['relu', 'relu', 'softmax'], loss: 'cross_entropy' });
      net.init('pytorch', 1);
      net.setOptimizer({ name: 'adam', lr: 0.001 });
      say('warm', batch, i / B.length);
      net.beginEpoch(sets.train);
      net.trainBatches(sets.train, batch, 300);
      say('epoch', batch, (i + 0.2) / B.length);
      net.beginEpoch(sets.train);
      const t = performance.now();
      net.trainBatches(sets.train, batch, 1 << 30);
      const seconds = (performance.now() - t) / 1000;
      rows.push({ batch, n, seconds, rate: n / seconds, kernels: core.kernels });
      say('measured', batch, (i + 1) / B.length);
      net.free();
    }
    self.postMessage({ type: 'done', rows });
  } catch (err) { self.postMessage({ type: 'error', message: err.message }); }
};
