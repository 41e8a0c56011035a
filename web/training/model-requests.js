// model-requests.js - the training worker's model files and PyTorch export (worker.js serves them):
// the run as a model file (lib/model-file.js), a model file checked against the page's data before
// anything is freed, and "Open in PyTorch" for the run: the script (lib/pytorch-mnist.js) and a .zip
// with it, the model and the lab's training images and batch order as .npy. Runs in the worker; no DOM.

import { saveModel, parseModel, loadRun, batchPlan } from '../lib/model-file.js';
import { mnistScript, npyBytes } from '../lib/pytorch-mnist.js';
import { zipStore } from '../lib/zip.js';
import { TRAIN_SIZES, INPUT_SIZE, CLASSES } from '../lib/settings.js';
import { errorOf } from '../lib/worker-runtime.js';
import { defaults, fromModel } from '../lib/state.js';

/** The data file names the model file records ('data' in the page's settings -> file). */
const FILE_OF = { subset: 'mnist-subset.bin', full: 'mnist-full.bin' };
export const dataOfModel = m => (/full/.test(m.training.data || '') ? 'full' : 'subset');

/** A model-file error as the worker answers it: source 'model', its code, field and numbers. */
export function modelError(e) {
  const err = errorOf(e);
  if (e && e.name === 'ModelFileError') err.source = 'model';
  return err;
}

/** The text of the run's model file (data: the page's data name, scale: its input scaling). */
export function modelText(run, data, scale) {
  return saveModel(run, { data: FILE_OF[data] || null, scale, validation: 0 });
}

/**
 * A model file's text checked for the page: parsed, for 784 inputs and 10 classes, saved in the middle
 * of an epoch only over the training set of its own data, with settings the page's form can show
 * (lib/state.js fromModel; else code PAGE_UNSHOWN). Returns {m, data, scale}; throws modelError.
 */
export function checkModel(text) {
  try {
    const first = parseModel(text, { input: INPUT_SIZE, classes: CLASSES });
    const data = dataOfModel(first);
    const m = first.training.in_epoch ? parseModel(text, { input: INPUT_SIZE, classes: CLASSES, trainSize: TRAIN_SIZES[data] }) : first;
    const { unshown } = fromModel(defaults(), m);
    if (unshown.length) {
      throw Object.assign(new Error(`the page cannot show these settings of the model: ${unshown.join(', ')}`),
        { name: 'ModelFileError', code: 'PAGE_UNSHOWN', field: unshown[0], details: { fields: unshown.join(', ') } });
    }
    return { m, data, scale: m.training.scale };
  } catch (e) { throw modelError(e); }
}

/** loadRun of a checked model on the worker's datasets; throws modelError. */
export function runOfModel(core, sets, m) {
  try { return loadRun(core, sets, m); } catch (e) { throw modelError(e); }
}

/**
 * "Open in PyTorch" for the run: {script, zip, name} — the script continues the run for `steps` steps
 * on the lab's images (train: the raw training part, pixels and labels) in the lab's batch order; the
 * zip holds it with model.json, train_x.npy, train_y.npy and order.npy (pytorch-mnist.js reads those).
 */
export function pytorchExport(core, sets, train, run, { data, scale, lang = 'en', steps = 20, version = '' }) {
  const text = modelText(run, data, scale);
  const m = parseModel(text);
  const copy = loadRun(core, sets, m);          // batchPlan uses its run up: a copy
  let plan;
  try { plan = batchPlan(copy, steps); } finally { copy.free(); }
  const script = mnistScript(m, { sizes: plan.sizes, lang, version, file: 'train.py' });
  const zip = zipStore([
    { name: 'train.py', data: script },
    { name: 'model.json', data: text },
    { name: 'train_x.npy', data: npyBytes(train.pixels, [train.n, train.pixels.length / train.n]) },
    { name: 'train_y.npy', data: npyBytes(Uint8Array.from(train.labels), [train.n]) },
    { name: 'order.npy', data: npyBytes(plan.order, [plan.order.length]) },
  ]);
  return { script, zip, name: `backprop-lab-${run.net.sizes.join('-')}-it${run.iteration}.zip` };
}
