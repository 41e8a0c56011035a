// pytorch-run.js - "Open in PyTorch" for a training run (the training page's, an experiment's): the
// script of pytorch-mnist.js that continues the run for some steps in PyTorch, and one .zip with it,
// the run's model file (model-file.js), the lab's training images and the batch order as .npy (what
// the script reads from its folder). The same files as `backprop-lab export-pytorch --model`. No DOM.

import { saveModel, parseModel, loadRun, batchPlan } from './model-file.js';
import { mnistScript, npyBytes } from './pytorch-mnist.js';
import { zipStore } from './zip.js';

/** The data file names a model file records, by the pages' data names. */
export const DATA_FILE_NAMES = Object.freeze({ subset: 'mnist-subset.bin', full: 'mnist-full.bin' });

/**
 * The files of "Open in PyTorch" for a saved model (its text): [{name, data}] with train.py (continues
 * the run for `steps` steps), model.json, the training images and labels and the batch order as .npy.
 * sets: the datasets the core holds (trainer.js's createDatasets); train: the raw training part
 * {n, pixels, labels}. One list for the pages' .zip and `backprop-lab export-pytorch --model`.
 */
export function exportFiles(core, sets, train, text, { lang = 'en', steps = 20, version = '' } = {}) {
  const m = parseModel(text);
  const copy = loadRun(core, sets, m);          // batchPlan uses its run up: a copy
  let plan;
  try { plan = batchPlan(copy, steps); } finally { copy.free(); }
  return [
    { name: 'train.py', data: mnistScript(m, { sizes: plan.sizes, lang, version, file: 'train.py' }) },
    { name: 'model.json', data: text },
    { name: 'train_x.npy', data: npyBytes(train.pixels, [train.n, train.pixels.length / train.n]) },
    { name: 'train_y.npy', data: npyBytes(Uint8Array.from(train.labels), [train.n]) },
    { name: 'order.npy', data: npyBytes(plan.order, [plan.order.length]) },
  ];
}

/**
 * {script, zip, name, text} for a TrainingRun (or an ExperimentRun) on datasets the core holds (sets,
 * as trainer.js's createDatasets; train: the raw training part, {n, pixels, labels}). opts: data (the
 * page's data name), scale, validation (images held out), lang, steps (20), version (the core's).
 */
export function runExport(core, sets, train, run, { data = 'subset', scale = '01', validation = 0, lang = 'en', steps = 20, version = '' } = {}) {
  const text = saveModel(run, { data: DATA_FILE_NAMES[data] || null, scale, validation });
  const files = exportFiles(core, sets, train, text, { lang, steps, version });
  const r = run.run && run.run.net ? run.run : run;
  return { script: files[0].data, zip: zipStore(files), text, name: `backprop-lab-${r.net.sizes.join('-')}-it${r.iteration}.zip` };
}
