// worker.js - times one training epoch in a Web Worker for web/bench.html (and bench/browser-epoch.mjs).
//
// Protocol (web/lib/worker-runtime.js serves it): the page sends {id, type, payload}; the worker
// answers {id, result} or {id, error: {code, message, source}}. Requests:
//   measure {batches: [16, 32, 64]}   one epoch of 784-128-64-10 (ReLU, softmax + cross-entropy, Adam
//                                     lr 0.001, PyTorch's init) per batch size, over every training
//                                     image of mnist-full.bin (mnist-subset.bin when the full file is
//                                     not there), each after a warm-up (grid-runner.js's timeEpoch)
//                                     -> {rows: [{batch, n, seconds, rate, kernels}]}
// Events:
//   {type: 'progress', phase: 'warm'|'epoch'|'measured', batch, n, fraction}

import { loadCore } from '../lib/engine.js';
import { loadMnistRaw } from '../lib/data.js';
import { createDatasets, freeDatasets } from '../lib/trainer.js';
import { timeEpoch, BENCH_RUN } from '../lib/grid-runner.js';
import { serve, emit, dataFile } from '../lib/worker-runtime.js';


async function measure({ batches = [16, 32, 64] } = {}) {
  let data;
  try { data = await loadMnistRaw(dataFile('full').url); }
  catch { const f = dataFile('subset'); data = await loadMnistRaw(f.url, { name: f.name }); }
  const core = await loadCore();
  const sets = createDatasets(core, { train: data.train });
  const n = data.train.n, rows = [];
  const say = (phase, batch, fraction) => emit({ type: 'progress', phase, batch, n, fraction });
  try {
    for (const [i, batch] of batches.entries()) {
      say('warm', batch, i / batches.length);
      // the warm-up runs inside timeEpoch; 'epoch' is said when the timed epoch begins
      const r = timeEpoch(core, sets, { ...BENCH_RUN, batch }, { warm: 300, onTimed: () => say('epoch', batch, (i + 0.2) / batches.length) });
      rows.push({ batch, n, seconds: r.seconds, rate: r.rate, kernels: core.kernels });
      say('measured', batch, (i + 1) / batches.length);
    }
  } finally { freeDatasets(sets); }
  return { rows };
}

serve({ measure });
