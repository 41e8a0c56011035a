// pytorch-worker.js - "Open in PyTorch" for an experiment run, in a worker of its own (started when
// the dialog opens, ended when it answered): the core and the data as the grid's worker loads them
// (worker.js: its data, its validation part, inputs scaled to [0, 1]), the run's TrainingRun made
// from its config (its initial weights and shuffles are the grid run's: the same seed), and the
// script for its first steps with the .zip of lib/pytorch-run.js.
// Protocol (lib/worker-runtime.js): pytorch {cfg, data, validation, lang, steps} -> {script, zip, name}.

import { loadCore } from '../lib/engine.js';
import { loadMnistRaw } from '../lib/data.js';
import { TrainingRun, createDatasets, freeDatasets } from '../lib/trainer.js';
import { runExport } from '../lib/pytorch-run.js';
import { serve, transfer, dataFile } from '../lib/worker-runtime.js';

async function pytorch({ cfg, data = 'subset', validation = 0, lang = 'en', steps = 20 }) {
  const file = dataFile(data);
  const core = await loadCore();
  const raw = await loadMnistRaw(file.url.href, { name: file.name, validation });
  const sets = createDatasets(core, { train: raw.train }, 10, { scale: '01' });
  try {
    const run = new TrainingRun(core, sets, cfg);
    try {
      const { script, zip, name } = runExport(core, sets, raw.train, run, { data, scale: '01', validation, lang, steps, version: core.version });
      return transfer({ script, zip, name }, [zip.buffer]);
    } finally { run.free(); }
  } finally { freeDatasets(sets); }
}

serve({ pytorch });
