// cli.mjs - `backprop-lab trace | gradcheck | train`: the core from the command line, same code as the page.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, CoreError } from '../web/lib/engine.js';
import { buildNet, traceSteps, targetsOf, normalizeSpec } from '../web/lib/spec.js';
import { loadMnist } from '../web/lib/data.js';
import { TrainingRun, createDatasets, freeDatasets, DEFAULT_RUN } from '../web/lib/trainer.js';
import { cmdExportPytorch, readModelFile, trainRun, saveRunFile, MODEL_HELP } from './cli-model.mjs';
import { expandGrid, ExperimentRun, curvesCsv, toCsv, table1, table2, tablesMarkdown, findings, warmUp, PRACTICAL_GRID } from '../web/lib/experiments.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `backprop-lab - the Backprop Lab training core from the command line

  backprop-lab trace SPEC.json [--steps N] [--flavor simd|scalar]
      Runs N training steps (default 1) of the network in SPEC (JSON, see README) on its input and
      target and prints every intermediate value as JSON: loss, and per layer z, a, delta, dW, db and
      the updated W and b (plus optimizer state). One step prints one object; --steps N prints
      {"steps": [...]} with the optimizer state carried from step to step.
  backprop-lab gradcheck SPEC.json [--d 0.001] [--json]
      Analytic (backprop) vs numerical (L(w+d) - L(w-d)) / 2d gradient for every weight and bias.
  backprop-lab train [options]
      Trains on MNIST and writes the per-iteration and per-epoch curves.
      --data FILE          data file (default data/mnist-subset.bin)
      --layers 784,128,64,10   --activations relu,relu,softmax   --loss cross_entropy
      --init he_normal     --optimizer adam  --lr 0.001  --momentum M  --beta1 B --beta2 B
      --eps E  --alpha A  --weight-decay W  --batch 32  --epochs 3  --seed 1
      --scale 01|pm05      --validation N (images held out of training)
      --out PREFIX         writes PREFIX-iterations.csv and PREFIX-epochs.csv (or PREFIX.json
                           with --format json); without it the epochs table goes to stdout
  backprop-lab grid [options]
      The practical work's experiment: every optimizer x learning rate x batch size x seed, one run
      after another, the same code as the page's experiment view. Defaults: the 36-run grid
      (sgd,momentum,rmsprop,adam x 0.1,0.01,0.001 x 16,32,64), 3 epochs, seed 1.
      --optimizers sgd,adam  --lrs 0.1,0.01  --batches 32,64  --seeds 1,2  --epochs 3
      --target 0.9 (test accuracy for the convergence speed)  --data FILE  --scale 01|pm05
      --check-every 100    also check the test accuracy every N iterations (as the page does), so
                           the iterations to the target are known to N, not to whole epochs;
                           0 = only at the end of each epoch. The checks are not in the timing and
                           stop once a run has reached the target.
      --stop epochs|grad_norm|step_length|patience  --xi X  --patience P  --validation N
      --out PREFIX   writes PREFIX-epochs.csv, PREFIX-iterations.csv, PREFIX-runs.csv,
                     PREFIX-tables.md and PREFIX.json (without it the tables go to stdout)
${MODEL_HELP}
  backprop-lab help`;

function parseArgs(argv) {
  const pos = [], opt = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const k = a.slice(2);
      if (['json'].includes(k)) opt[k] = true;
      else {
        if (i + 1 >= argv.length) throw new UsageError(`option --${k} needs a value`);
        opt[k] = argv[++i];
      }
    } else pos.push(a);
  }
  return { pos, opt };
}

class UsageError extends Error {}

function num(opt, k, def, { int = false, min = -Infinity } = {}) {
  if (opt[k] == null) return def;
  const v = Number(opt[k]);
  if (!Number.isFinite(v) || (int && !Number.isInteger(v)) || v < min)
    throw new UsageError(`--${k}: ${JSON.stringify(opt[k])} is not ${int ? 'a whole number' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}`);
  return v;
}

function readSpec(file) {
  if (!file) throw new UsageError('give the spec file: backprop-lab trace SPEC.json');
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`); }
  try { return JSON.parse(text); } catch (e) { throw new UsageError(`${file} is not valid JSON: ${e.message}`); }
}

async function cmdTrace(pos, opt) {
  const spec = readSpec(pos[0]);
  const steps = num(opt, 'steps', 1, { int: true, min: 1 });
  const core = await loadCore({ flavor: opt.flavor || 'auto' });
  const trs = traceSteps(core, spec, steps);
  const out = opt.steps != null ? { steps: trs } : trs[0];
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
  return 0;
}

async function cmdGradcheck(pos, opt) {
  const spec = readSpec(pos[0]);
  const d = num(opt, 'd', 1e-3, { min: 0 });
  const core = await loadCore({ flavor: opt.flavor || 'auto' });
  const { net, spec: s } = buildNet(core, spec);
  if (!s.input || (!s.target && !s.labels)) throw new UsageError('the spec needs an input and a target for a gradient check');
  const rows = [];
  for (let l = 0; l < net.layers; l++) {
    const i = s.sizes[l], o = s.sizes[l + 1];
    const wo = net.paramOffset(l, 'W'), bo = net.paramOffset(l, 'b');
    const one = (p, name) => {
      const r = net.gradcheck(s.input, targetsOf(s), p, d);
      const den = Math.max(Math.abs(r.numeric), Math.abs(r.analytic));
      rows.push({ param: name, analytic: r.analytic, numeric: r.numeric, rel_error: den ? Math.abs(r.numeric - r.analytic) / den : 0 });
    };
    for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) one(wo + r * i + c, `W${l + 1}[${r + 1}][${c + 1}]`);
    if (bo >= 0) for (let r = 0; r < o; r++) one(bo + r, `b${l + 1}[${r + 1}]`);
  }
  net.free();
  if (opt.json) process.stdout.write(JSON.stringify({ d, params: rows }, null, 1) + '\n');
  else {
    console.log(`d = ${d}`);
    console.log('param'.padEnd(14) + 'analytic'.padStart(16) + 'numeric'.padStart(16) + 'rel. error'.padStart(12));
    for (const r of rows)
      console.log(r.param.padEnd(14) + r.analytic.toPrecision(8).padStart(16) + r.numeric.toPrecision(8).padStart(16) + r.rel_error.toExponential(2).padStart(12));
  }
  return 0;
}

async function cmdTrain(pos, opt) {
  const saved = opt.load ? readModelFile(opt.load) : null;      // --load: settings from the model file (cli-model.mjs)
  if (saved) { opt.scale ??= saved.training.scale; opt.validation ??= String(saved.training.validation || 0); }
  const maxIter = num(opt, 'iterations', Infinity, { int: true, min: 0 });
  const list = (k, def) => (opt[k] == null ? def : opt[k].split(','));
  const layers = list('layers', DEFAULT_RUN.layers).map(Number);
  if (!layers.every(n => Number.isInteger(n) && n > 0)) throw new UsageError(`--layers: ${opt.layers} is not a list of positive whole numbers`);
  const activations = list('activations', layers.length === 4 ? DEFAULT_RUN.activations : [...layers.slice(2).map(() => 'relu'), 'softmax']);
  const optimizer = { name: opt.optimizer || DEFAULT_RUN.optimizer.name };
  for (const [flag, key] of [['lr', 'lr'], ['momentum', 'momentum'], ['beta1', 'beta1'], ['beta2', 'beta2'], ['eps', 'eps'], ['alpha', 'alpha'], ['weight-decay', 'weight_decay']])
    if (opt[flag] != null) optimizer[key] = num(opt, flag);
  if (optimizer.lr == null && optimizer.name === DEFAULT_RUN.optimizer.name) optimizer.lr = DEFAULT_RUN.optimizer.lr;
  const cfg = {
    layers, activations, optimizer,
    loss: opt.loss || DEFAULT_RUN.loss, init: opt.init || DEFAULT_RUN.init,
    batch: num(opt, 'batch', DEFAULT_RUN.batch, { int: true, min: 1 }),
    epochs: num(opt, 'epochs', DEFAULT_RUN.epochs, { int: true, min: 1 }),
    seed: num(opt, 'seed', DEFAULT_RUN.seed, { int: true, min: 0 }),
  };
  const file = opt.data || path.join(ROOT, 'data', 'mnist-subset.bin');
  const data = await loadMnist(file, { scale: opt.scale || '01', validation: num(opt, 'validation', 0, { int: true, min: 0 }) });
  const core = await loadCore({ flavor: opt.flavor || 'auto' });
  const sets = createDatasets(core, { train: data.train, test: data.test, val: data.val });
  const run = trainRun(core, sets, saved, opt, () => new TrainingRun(core, sets, cfg));
  const iters = [], epochs = [];
  const t0 = performance.now();
  process.stderr.write(`training ${run.cfg.layers.join('-')} with ${run.cfg.optimizer.name} on ${data.meta.nTrain} images (${core.kernels})\n`);
  try {
    while (!run.done && run.iteration < maxIter) {
      const { losses, firstIteration, epochEnded } = run.train(Math.min(100, maxIter - run.iteration));
      losses.forEach((l, i) => iters.push({ iteration: firstIteration + i + 1, epoch: run.epoch + (epochEnded ? 0 : 1), loss: l }));
      if (epochEnded) {
        const e = run.evaluate();
        const row = { epoch: e.epoch, iteration: e.iteration, seconds: (performance.now() - t0) / 1000, running_loss: e.runningLoss,
          train_loss: e.train.loss, train_accuracy: e.train.accuracy, test_loss: e.test.loss, test_accuracy: e.test.accuracy };
        if (e.val) Object.assign(row, { val_loss: e.val.loss, val_accuracy: e.val.accuracy });
        epochs.push(row);
        process.stderr.write(`epoch ${e.epoch}: train loss ${e.train.loss.toFixed(4)}, test accuracy ${(100 * e.test.accuracy).toFixed(2)}%\n`);
      }
    }
    saveRunFile(run, opt, { data: path.basename(file), scale: opt.scale || '01', validation: num(opt, 'validation', 0) });
  } finally { run.free(); freeDatasets(sets); }
  const csv = rows => !rows.length ? '' : [Object.keys(rows[0]).join(','), ...rows.map(r => Object.values(r).join(','))].join('\n') + '\n';
  if (opt.out) {
    if (opt.format === 'json') fs.writeFileSync(`${opt.out}.json`, JSON.stringify({ config: run.cfg, data: data.meta.name, epochs, iterations: iters }, null, 1));
    else { fs.writeFileSync(`${opt.out}-iterations.csv`, csv(iters)); fs.writeFileSync(`${opt.out}-epochs.csv`, csv(epochs)); }
  } else process.stdout.write(csv(epochs));
  return 0;
}

async function cmdGrid(pos, opt) {
  const list = (k, def, conv = Number) => (opt[k] == null ? def : opt[k].split(',').map(conv));
  const grid = {
    optimizers: list('optimizers', PRACTICAL_GRID.optimizers, String),
    lrs: list('lrs', PRACTICAL_GRID.lrs), batches: list('batches', PRACTICAL_GRID.batches),
    seeds: list('seeds', PRACTICAL_GRID.seeds), epochs: num(opt, 'epochs', PRACTICAL_GRID.epochs, { int: true, min: 1 }),
  };
  const runs = expandGrid(grid);
  const stop = { kind: opt.stop || 'epochs', xi: num(opt, 'xi', NaN), patience: num(opt, 'patience', 2, { int: true, min: 1 }) };
  const target = num(opt, 'target', 0.9, { min: 0 });
  const checkEvery = num(opt, 'check-every', 100, { int: true, min: 0 });
  const file = opt.data || path.join(ROOT, 'data', 'mnist-subset.bin');
  const data = await loadMnist(file, { scale: opt.scale || '01', validation: num(opt, 'validation', stop.kind === 'patience' ? 1200 : 0, { int: true, min: 0 }) });
  const core = await loadCore({ flavor: opt.flavor || 'auto' });
  const sets = createDatasets(core, { train: data.train, test: data.test, val: data.val });
  const results = [];
  warmUp(core, sets, runs[0]);
  const t0 = performance.now();
  try {
    for (const [i, cfg] of runs.entries()) {
      const r = new ExperimentRun(core, sets, cfg, { stop, target, checkEvery });
      try {
        while (!r.advance(200).finished);
        const res = r.result();
        results.push(res);
        process.stderr.write(`[${i + 1}/${runs.length}] ${cfg.id}: ${res.diverged ? `diverged at iteration ${res.diverged.iteration}` :
          `test accuracy ${(100 * res.final.test_accuracy).toFixed(2)}%`} (${res.train_seconds.toFixed(1)} s)\n`);
      } finally { r.free(); }
    }
  } finally { freeDatasets(sets); }
  const seconds = (performance.now() - t0) / 1000;
  const md = tablesMarkdown(results);
  const summary = { grid, stop, target, check_every: checkEvery, seconds, kernels: core.kernels, data: data.meta.name, findings: findings(results) };
  if (opt.out) {
    const c = curvesCsv(results);
    fs.writeFileSync(`${opt.out}-epochs.csv`, c.epochs);
    fs.writeFileSync(`${opt.out}-iterations.csv`, c.iterations);
    fs.writeFileSync(`${opt.out}-runs.csv`, toCsv(results.map(r => ({ run: r.id, optimizer: r.optimizer, lr: r.lr, batch: r.batch, seed: r.seed,
      train_seconds: r.train_seconds, test_accuracy: r.final ? r.final.test_accuracy : NaN, test_loss: r.final ? r.final.test_loss : NaN,
      spread: r.stability.spread, diverged: r.diverged ? r.diverged.iteration : '', reached_iteration: r.reached ? r.reached.iteration : '',
      check_every: r.check_every }))));
    fs.writeFileSync(`${opt.out}-tables.md`, md);
    fs.writeFileSync(`${opt.out}.json`, JSON.stringify({ ...summary, table1: table1(results), table2: table2(results), runs: results }));
  } else process.stdout.write(md);
  process.stderr.write(`grid of ${runs.length} runs finished in ${seconds.toFixed(1)} s\n`);
  return 0;
}

export async function main(argv) {
  try {
    const { pos, opt } = parseArgs(argv);
    const cmd = pos.shift();
    if (cmd === 'trace') return await cmdTrace(pos, opt);
    if (cmd === 'gradcheck') return await cmdGradcheck(pos, opt);
    if (cmd === 'train') return await cmdTrain(pos, opt);
    if (cmd === 'grid') return await cmdGrid(pos, opt);
    if (cmd === 'export-pytorch') return await cmdExportPytorch(pos, opt);
    if (!cmd || cmd === 'help' || opt.help) { console.log(HELP); return cmd ? 0 : 2; }
    throw new UsageError(`unknown command "${cmd}" (trace, gradcheck, train, grid, export-pytorch, help)`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CoreError || (e && e.code && e.name !== 'TypeError')) {
      process.stderr.write(`backprop-lab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
