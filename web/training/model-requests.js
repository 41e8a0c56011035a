// model-requests.js - the training worker's model files and PyTorch export (worker.js serves them):
// the run as a model file (lib/model-file.js), a model file checked against the page's data before
// anything is freed, and "Open in PyTorch" for the run (lib/pytorch-run.js: the script and a .zip with
// it, the model and the lab's training images and batch order as .npy). Runs in the worker; no DOM.

import { saveModel, parseModel, loadRun } from '../lib/model-file.js';
import { runExport, DATA_FILE_NAMES } from '../lib/pytorch-run.js';
import { TRAIN_SIZES, INPUT_SIZE, CLASSES } from '../lib/settings.js';
import { errorOf } from '../lib/worker-runtime.js';
import { defaults, fromModel } from '../lib/state.js';

export const dataOfModel = m => (/full/.test(m.training.data || '') ? 'full' : 'subset');

/** A model-file error as the worker answers it: source 'model', its code, field and numbers. */
export function modelError(e) {
  const err = errorOf(e);
  if (e && e.name === 'ModelFileError') err.source = 'model';
  return err;
}

/** The text of the run's model file (data: the page's data name, scale: its input scaling). */
export function modelText(run, data, scale) {
  return saveModel(run, { data: DATA_FILE_NAMES[data] || null, scale, validation: 0 });
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

/** "Open in PyTorch" for the run (lib/pytorch-run.js): {script, zip, name}, the zip's buffer to transfer. */
export function pytorchExport(core, sets, train, run, opts) {
  const { script, zip, name } = runExport(core, sets, train, run, opts);
  return { script, zip, name };
}
