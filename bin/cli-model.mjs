// cli-model.mjs - the command line's model-file and PyTorch commands (bin/cli.mjs dispatches here):
//   export-pytorch SPEC.json [--lang ru|en] [--out script.py]          one step of a toy network
//   export-pytorch --model model.json [--steps 20] [--lang] --out DIR   an MNIST run, continued in PyTorch
// and what `train --save / --load / --iterations` need.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, OPTIMIZER_DEFAULTS } from '../web/lib/engine.js';
import { buildNet } from '../web/lib/spec.js';
import { loadMnistRaw } from '../web/lib/data.js';
import { createDatasets, freeDatasets } from '../web/lib/trainer.js';
import { parseModel, saveModel, loadRun, resumeExperiment } from '../web/lib/model-file.js';
import { toyScript } from '../web/lib/pytorch-script.js';
import { exportFiles } from '../web/lib/pytorch-run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MODEL_HELP = `  backprop-lab train ... [--iterations N] [--save model.json] [--load model.json]
      --iterations N   stop after N iterations in all (e.g. to save in the middle of an epoch)
      --save FILE      write the model file at the end (data/MODEL-FORMAT.md): network, optimizer and
                       its state, training settings and position, weights
      --load FILE      continue the run saved in FILE (its network, optimizer, settings and data
                       scaling; --epochs N sets the epochs in all): the same bits as a run never stopped
  backprop-lab export-pytorch SPEC.json [--lang en|ru] [--out script.py]
      A Python script (PyTorch, float64) of one training step of the network in SPEC: the same
      weights, loss and optimizer; prints z, a, delta, dW, db and the updated W, b in the panels'
      order and checks the course's formulas against autograd. Without --out it goes to stdout.
  backprop-lab export-pytorch --model model.json [--steps 20] [--lang en|ru] --out DIR [--data FILE]
      DIR/train.py continues the saved run in PyTorch for N steps on the lab's images and batch
      order (DIR/model.json, train_x.npy, train_y.npy, order.npy) and prints the loss of each step.`;

class ModelUsageError extends Error { constructor(m) { super(m); this.code = 'USAGE'; } }

function readText(file, what) {
  if (!file) throw new ModelUsageError(`give the ${what} file`);
  try { return fs.readFileSync(file, 'utf8'); } catch (e) { throw new ModelUsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`); }
}
const lang = opt => {
  const l = opt.lang || 'en';
  if (l !== 'en' && l !== 'ru') throw new ModelUsageError(`--lang: "${l}" is not en or ru`);
  return l;
};

/** The saved model of `train --load`, parsed (the data are checked against it when the run is made). */
export function readModelFile(file) { return parseModel(readText(file, 'model')); }

/** The run of `train`: makeNew()'s (a TrainingRun or an ExperimentRun), or the one saved in --load. */
export function trainRun(core, sets, saved, opt, makeNew) {
  const run = makeNew();
  if (!saved) return run;
  const o = { epochs: opt.epochs != null ? Number(opt.epochs) : undefined };
  try {
    if (run.run) return resumeExperiment(run, core, saved, o);
    run.free();
    return loadRun(core, sets, saved, o);
  } catch (e) { if (run.run) run.free(); throw e; }
}

/** Writes the model file of `train --save` (a TrainingRun or an ExperimentRun). */
export function saveRunFile(run, opt, info) {
  if (opt.save) { fs.writeFileSync(opt.save, saveModel(run, info)); process.stderr.write(`saved the model to ${opt.save}\n`); }
}

export async function cmdExportPytorch(pos, opt) {
  // a spec: the panels' core (double precision), whose initial weights the script must start from;
  // a model file: the float32 build it was trained with
  const core = await loadCore({ flavor: opt.flavor || 'auto', precision: opt.model ? 'f32' : 'f64' });
  const version = `${core.version}`;
  if (!opt.model) {
    let spec;
    const text = readText(pos[0], 'spec');
    try { spec = JSON.parse(text); } catch (e) { throw new ModelUsageError(`${pos[0]} is not valid JSON: ${e.message}`); }
    let params = null;
    if (spec && !spec.weights) {                    // initial weights as the core draws them from init and seed
      const { net } = buildNet(core, spec);
      params = Array.from({ length: net.layers }, (_, l) => {
        const b = net.view('b', l);
        return { W: rows(Array.from(net.view('W', l).data), net.sizes[l]), b: b && Array.from(b.data) };
      });
      net.free();
    }
    const py = toyScript(spec, { lang: lang(opt), params, defaults: OPTIMIZER_DEFAULTS, version, file: opt.out ? path.basename(opt.out) : 'backprop_step.py' });
    if (opt.out) fs.writeFileSync(opt.out, py); else process.stdout.write(py);
    return 0;
  }
  if (!opt.out) throw new ModelUsageError('export-pytorch --model needs --out DIR (the script, the model and the data go there)');
  const steps = Number(opt.steps ?? 20);
  if (!Number.isInteger(steps) || steps < 1) throw new ModelUsageError(`--steps: ${JSON.stringify(opt.steps)} is not a whole number >= 1`);
  const text = readText(opt.model, 'model');
  const m = parseModel(text);
  const file = opt.data || path.join(ROOT, 'data', 'mnist-subset.bin');
  const raw = await loadMnistRaw(file, { validation: m.training.validation || 0 });
  const sets = createDatasets(core, { train: raw.train }, 10, { scale: m.training.scale });
  let files;
  try { files = exportFiles(core, sets, raw.train, text, { lang: lang(opt), steps, version }); } finally { freeDatasets(sets); }
  fs.mkdirSync(opt.out, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(opt.out, f.name), f.data);
  process.stderr.write(`wrote ${path.join(opt.out, 'train.py')} and its model and data; run: /usr/bin/python3 ${path.join(opt.out, 'train.py')}\n`);
  return 0;
}

function rows(flat, cols) {
  const out = [];
  for (let i = 0; i < flat.length; i += cols) out.push(flat.slice(i, i + cols));
  return out;
}
