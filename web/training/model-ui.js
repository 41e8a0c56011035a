// model-ui.js - the training page's model row: Save model (the worker writes the run's model file,
// lib/model-file.js, and the page downloads it), Load model... (a file picked, continued by the worker
// with its settings shown in the form) and Open in PyTorch (the shared code dialog, ui/code-dialog.js,
// with the worker's script and a .zip of the script, the model and the lab's data). A refused file is
// said by its error code in the page's language (model-strings.js), and the run before stays.

import { fromModel } from '../lib/state.js';
import { downloadFile, pickFile } from '../ui/download.js';
import { openCodeDialog } from '../ui/code-dialog.js';
import { initialProgress } from './page-model.js';
import { enqueue, startLoading } from './run.js';
import { renderAll, renderRun } from './render.js';
import { renderDetails, onDrawing } from './results-view.js';
import { redrawCharts } from './charts.js';

const $ = id => document.getElementById(id);
const PYTORCH_STEPS = 20;
const usable = id => $(id).getAttribute('aria-disabled') !== 'true';

/** The model row's status line (kept as key and numbers: render.js says it again after a language switch). */
function note(page, key, params) {
  page.modelNote = key ? { key, params } : null;
  $('model-status').textContent = key ? page.i18n.t(key, params) : '';
}

/** Save model: the worker's model file of the run, downloaded. */
export async function saveModel(page) {
  if (!usable('btn-save')) return;
  try {
    const r = await page.trainer.request('saveModel');
    downloadFile(r.name, r.text, 'application/json');
    note(page, 'model.saved', { file: r.name, epoch: page.progress ? page.progress.epoch : 0, iteration: page.progress ? page.progress.iteration : 0 });
  } catch (err) {
    page.message = { kind: 'error', err };
    renderRun(page);
  }
}

/** Load model...: the file picker, then loadModelFile. onState(): the settings changed (URL, summary). */
export async function pickModel(page, onState) {
  if (!usable('btn-load')) return;
  const file = await pickFile('.json,application/json');
  if (file) await loadModelFile(page, file, onState);
}

/** Continues the model in `file` (a File or {name, text()}): the worker loads it; the form shows its settings. */
export function loadModelFile(page, file, onState) {
  clearTimeout(page.applyTimer);
  return enqueue(page, async () => {
    note(page, 'model.loading', { file: file.name });
    const text = await file.text();
    page.configuring = true;
    renderRun(page);
    let r;
    try {
      r = await page.trainer.request('loadModel', { text });
    } catch (err) {
      page.configuring = false;
      note(page, null);
      err.details = { ...(err.details || {}), file: file.name };
      page.message = { kind: 'error', err };
      renderRun(page);
      // the worker switched data before the model was refused: the page's own run again
      const d = err.details;
      if (d.data && page.info && (d.data !== page.info.data || d.scale !== page.info.scale)) { page.info = null; page.applied = null; startLoading(page); }
      return;
    }
    const { state } = fromModel(page.state, r.model);
    Object.assign(page, {
      state, applied: state, info: { nTrain: r.nTrain, nTest: r.nTest, flavor: r.flavor, kernels: r.kernels, data: r.data, scale: r.scale },
      runId: r.run, runInfo: r, lastMetrics: null, misInfo: null, weightInfo: null, message: null, configuring: false,
      phase: r.done ? 'done' : r.iteration > 0 ? 'paused' : 'ready',
      progress: { ...initialProgress(state, r), iteration: r.iteration, epoch: r.epoch, epochBatch: r.epochBatch },
    });
    page.iter.clear(); page.epochs.clear();
    page.form.build(state, page.i18n);
    onState();
    redrawCharts(page, 'iter', 'eloss', 'eacc');
    renderAll(page);
    renderDetails(page);
    onDrawing(page);
    note(page, 'model.loaded', { file: file.name, epoch: r.epoch, iteration: r.iteration });
  });
}

/** Open in PyTorch: the dialog with the worker's script for the next PYTORCH_STEPS steps and the .zip. */
export function openPytorch(page) {
  if (!usable('btn-pytorch')) return;
  const { t, lang } = page.i18n;
  openCodeDialog({
    lang, file: 'train.py', note: t('pytorch.note', { steps: PYTORCH_STEPS }),
    make: async () => {
      const r = await page.trainer.request('pytorch', { lang, steps: PYTORCH_STEPS });
      const mb = Math.max(0.1, Math.round(r.zip.length / 1e5) / 10);
      return { script: r.script, extra: [{ label: t('pytorch.zip', { mb }), name: r.name, data: () => r.zip }] };
    },
  });
}
