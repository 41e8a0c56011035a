// cli.mjs - `backprop-lab trace | gradcheck | train`: the core from the command line, same code as the page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCore, CoreError } from '../web/lib/engine.js';
import { buildNet, traceSteps, targetsOf, normalizeSpec, traceValues } from '../web/lib/spec.js';
import { loadMnist } from '../web/lib/data.js';
import { createDatasets, freeDatasets, DEFAULT_RUN } from '../web/lib/trainer.js';
import { expandGrid, ExperimentRun, curvesCsv, toCsv, table1, table2, tablesMarkdown, findings, PRACTICAL_GRID } from '../web/lib/experiments.js';
import { GridRunner } from '../web/lib/grid-runner.js';
import { healthOfResult, healthWarning, countClasses, UNHEALTHY } from '../web/lib/health.js';
import { GridPool } from '../web/lib/worker-pool.js';
import { WorkerClient } from '../web/lib/worker-client.js';
import { nodeWorker } from './node-worker.mjs';
import { cliFlags, parseOne, listItems } from '../web/lib/settings.js';
import { cmdExportPytorch, readModelFile, trainRun, saveRunFile, MODEL_HELP } from './cli-model.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const COMMANDS = ['trace', 'gradcheck', 'train', 'grid', 'export-pytorch', 'help'];

// "--epochs 3   epochs": one line per flag of a command, from lib/settings.js; the value shown is
// the default (a few allowed names instead, and the default after the help)
function flagLines(command) {
  const specs = [...new Set(cliFlags(command).values())].filter(f => f.help);
  const dflt = f => (command === 'grid' && f.experiments && f.experiments.def != null ? f.experiments.def : f.def);
  const plain = f => dflt(f) != null && typeof dflt(f) !== 'function' && f.type !== 'text';
  const few = f => f.type === 'enum' && f.values.length <= 4;
  const arg = f => (f.switch ? '' : f.arg || (few(f) ? f.values.join('|') : plain(f) ? [].concat(dflt(f)).join(',')
    : (f.type === 'int' ? 'N' : 'X') + (f.list ? ',...' : '')));
  const more = f => (few(f) && plain(f) ? ` (default ${dflt(f)})` : f.type === 'enum' && !few(f) ? ` (one of ${f.values.join(', ')})` : '');
  return specs.map(f => {
    const left = `      --${f.flag} ${arg(f)}`;
    return `${left.length > 34 ? `${left}\n${' '.repeat(35)}` : left.padEnd(35)}${f.help}${more(f)}`;
  }).join('\n');
}

const HELP = `backprop-lab - the Backprop Lab training core from the command line

  backprop-lab trace SPEC.json [--steps N] [--precision f64|f32] [--max-values N] [--flavor simd|scalar]
      Runs N training steps (default 1) of the network in SPEC (JSON, see README) on its input and
      target and prints every intermediate value as JSON: loss, and per layer z, a, delta, dW, db and
      the updated W and b (plus optimizer state). One step prints one object; --steps N prints
      {"steps": [...]} with the optimizer state carried from step to step, streamed step by step.
      --precision: the core in double precision (f64, the default, as the panels) or the float build
      that trains (f32, --flavor). Refuses a trace of more than --max-values numbers (default
      10000000, about 250 MB).
  backprop-lab gradcheck SPEC.json [--d 0.001] [--precision f64|f32] [--json] [--max-params N]
      Analytic (backprop) vs numerical (L(w+d) - L(w-d)) / 2d gradient for every weight and bias,
      at most --max-params of them (default 100000); progress on stderr when it takes a while.
      A gradient that is not finite is printed as NaN/Infinity and the exit code is 1.
  backprop-lab train [options]
      Trains on MNIST and writes the per-iteration and per-epoch curves (an epoch's seconds: the time
      spent training so far, evaluation not counted, as in the pages and the grid).
${flagLines('train')}
  backprop-lab grid [options]
      The practical work's experiment: every optimizer x learning rate x batch size x seed, one run
      after another, the same code as the page's experiment view. Defaults: the 36-run grid
      (sgd,momentum,rmsprop,adam x 0.1,0.01,0.001 x 16,32,64), 3 epochs, seed 1. The check-every
      checks are not in the timing and stop once a run has reached the target.
${flagLines('grid')}
${MODEL_HELP}
  backprop-lab help`;

// A flag's value checked against lib/settings.js (type, range, allowed names), in English.
function checkFlag(f, text) {
  const items = f.list ? listItems(text) : [text];
  for (const [i, it] of items.entries()) {
    const r = parseOne(f, it);
    if (!r.error) continue;
    const { code, params: p } = r.error;
    const what = `--${f.flag}: ${f.list ? `item ${i + 1} ` : ''}${JSON.stringify(it)}`;
    const kind = f.type === 'int' ? 'a whole number' : 'a number';
    if (code === 'enum') throw new UsageError(`${what} is not one of ${p.allowed}`);
    if (code === 'bool') throw new UsageError(`${what} is not 1 or 0`);
    const bound = { min: ` >= ${p.min}`, gt: ` > ${p.min}`, max: ` <= ${p.max}`, lt: ` < ${p.max}` }[code];
    const low = f.min == null ? '' : ` ${f.minEx ? '>' : '>='} ${f.min}`;          // not a number: say which are
    throw new UsageError(`${what} is not ${kind}${bound || low}`);
  }
}

/**
 * The command and its flags. Every flag is one of the command's in lib/settings.js (an old
 * spelling is stored under the canonical one) and its value is checked there; an unknown flag is
 * refused, never ignored. opt holds the values as text, by canonical flag.
 */
function parseArgs(argv) {
  const pos = [], opt = {};
  const cmd = argv[0] && !argv[0].startsWith('--') ? argv[0] : 'help';
  const flags = cliFlags(COMMANDS.includes(cmd) ? cmd : 'help');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { pos.push(a); continue; }
    const f = flags.get(a.slice(2));
    if (!f) throw new UsageError(`unknown option ${a} for "${cmd}" (allowed: ${[...flags.keys()].map(k => `--${k}`).join(' ')})`);
    if (f.switch) { opt[f.flag] = true; continue; }
    if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError(`option ${a} needs a value`);
    checkFlag(f, argv[++i]);
    opt[f.flag] = argv[i];
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

// One JSON text holds at most about 5e8 characters (V8's string limit), and a number takes up to ~25
const STEP_VALUES_MAX = 20_000_000;

async function cmdTrace(pos, opt) {
  const spec = readSpec(pos[0]);
  const steps = num(opt, 'steps', 1, { int: true, min: 1 });
  const maxValues = num(opt, 'max-values', 10_000_000, { int: true, min: 1 });
  const perStep = traceValues(normalizeSpec(spec));
  if (perStep > STEP_VALUES_MAX)
    throw new UsageError(`one traced step of this network has about ${perStep.toLocaleString('en')} numbers, more than one JSON text can hold ` +
      `(${STEP_VALUES_MAX.toLocaleString('en')}); trace a smaller network or batch`);
  if (perStep * steps > maxValues)
    throw new UsageError(`${steps} steps of this network make about ${(perStep * steps).toLocaleString('en')} numbers (~${Math.ceil(perStep * steps * 25 / 1e6)} MB), ` +
      `more than --max-values ${maxValues.toLocaleString('en')}; raise it (e.g. --max-values ${perStep * steps}) or trace fewer steps`);
  const core = await loadCore({ flavor: opt.flavor || 'auto', precision: opt.precision || 'f64' });
  if (opt.steps == null) {
    process.stdout.write(JSON.stringify(traceSteps(core, spec, 1)[0], null, 1) + '\n');
    return 0;
  }
  // streamed step by step: a long trace never becomes one string
  let n = 0;
  process.stdout.write('{"steps": [\n');
  traceSteps(core, spec, steps, tr => { process.stdout.write((n++ ? ',\n' : '') + JSON.stringify(tr, null, 1)); });
  process.stdout.write('\n]}\n');
  return 0;
}

async function cmdGradcheck(pos, opt) {
  const spec = readSpec(pos[0]);
  const d = num(opt, 'd', 1e-3, { min: 0 });
  const maxParams = num(opt, 'max-params', 100_000, { int: true, min: 1 });
  const s0 = normalizeSpec(spec);
  if (!s0.input || (!s0.target && !s0.labels)) throw new UsageError('the spec needs an input and a target for a gradient check');
  const total = s0.sizes.slice(1).reduce((t, o, l) => t + o * s0.sizes[l] + (s0.bias[l] ? o : 0), 0);
  if (total > maxParams)
    throw new UsageError(`this network has ${total.toLocaleString('en')} weights and biases, more than --max-params ${maxParams.toLocaleString('en')} ` +
      `(each costs three passes over the network); raise it (--max-params ${total}) to check them all`);
  const core = await loadCore({ flavor: opt.flavor || 'auto', precision: opt.precision || 'f64' });
  const { net, spec: s } = buildNet(core, spec);
  const rows = [];
  const t0 = performance.now();
  let shown = t0;
  const progress = () => {                                   // stderr, every 2 s once a check takes that long
    const now = performance.now();
    if (now - shown < 2000) return;
    shown = now;
    const left = (now - t0) / rows.length * (total - rows.length) / 1000;
    process.stderr.write(`gradcheck: ${rows.length.toLocaleString('en')} of ${total.toLocaleString('en')} parameters ` +
      `(${Math.floor(100 * rows.length / total)} %), about ${Math.ceil(left)} s left\n`);
  };
  try {
    for (let l = 0; l < net.layers; l++) {
      const i = s.sizes[l], o = s.sizes[l + 1];
      const wo = net.paramOffset(l, 'W'), bo = net.paramOffset(l, 'b');
      const one = (p, name) => {
        const r = net.gradcheck(s.input, targetsOf(s), p, d);
        rows.push({ param: name, analytic: r.analytic, numeric: r.numeric, rel_error: r.relError });   // the core's, NaN kept
        progress();
      };
      for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) one(wo + r * i + c, `W${l + 1}[${r + 1}][${c + 1}]`);
      if (bo >= 0) for (let r = 0; r < o; r++) one(bo + r, `b${l + 1}[${r + 1}]`);
    }
  } finally { net.free(); }
  // JSON has no NaN: a non-finite number is written as the string "NaN", "Infinity" or "-Infinity", never null
  const j = v => (Number.isFinite(v) ? v : String(v));
  if (opt.json) process.stdout.write(JSON.stringify({ d, params: rows.map(r => ({ ...r, analytic: j(r.analytic), numeric: j(r.numeric), rel_error: j(r.rel_error) })) }, null, 1) + '\n');
  else {
    console.log(`d = ${d}`);
    console.log('param'.padEnd(14) + 'analytic'.padStart(16) + 'numeric'.padStart(16) + 'rel. error'.padStart(12));
    for (const r of rows)
      console.log(r.param.padEnd(14) + r.analytic.toPrecision(8).padStart(16) + r.numeric.toPrecision(8).padStart(16) + r.rel_error.toExponential(2).padStart(12));
  }
  const bad = rows.filter(r => !Number.isFinite(r.rel_error)).length;
  if (bad) {
    process.stderr.write(`backprop-lab: ${bad} of ${rows.length} parameters have a gradient that is not a finite number (NaN or infinite): ` +
      'the loss is not finite at this spec, so the check says nothing about them\n');
    return 1;
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
  // the experiment page's ExperimentRun, one run: the same epoch rows, and `seconds` is training time
  // without the evaluations, as everywhere (web/lib/grid-runner.js)
  const run = trainRun(core, sets, saved, opt, () => new ExperimentRun(core, sets, cfg));   // --load: resumed from the file
  const iters = [], epochs = [];
  let health = null;
  process.stderr.write(`training ${run.cfg.layers.join('-')} with ${run.cfg.optimizer.name} on ${data.meta.nTrain} images (${core.kernels})\n`);
  try {
    while (!run.finished && run.run.iteration < maxIter) {
      const { losses, firstIteration, epoch } = run.advance(Math.min(100, maxIter - run.run.iteration));
      losses.forEach((l, i) => { const it = firstIteration + i + 1; iters.push({ iteration: it, epoch: Math.ceil(it / run.batchesPerEpoch), loss: l }); });
      if (epoch && !run.diverged) {
        epochs.push(epoch);
        process.stderr.write(`epoch ${epoch.epoch}: train loss ${epoch.train_loss.toFixed(4)}, test accuracy ${(100 * epoch.test_accuracy).toFixed(2)}%\n`);
      }
    }
    if (run.diverged) throw Object.assign(new Error(run.diverged.message), { code: 'DIVERGED' });
    health = healthOfResult(run.result());
    const warning = healthWarning(health, { lr: run.cfg.optimizer.lr });
    if (warning) process.stderr.write(`${warning}\n`);
    saveRunFile(run, opt, { data: path.basename(file), scale: opt.scale || '01', validation: num(opt, 'validation', 0) });
  } finally { run.free(); freeDatasets(sets); }
  const csv = rows => !rows.length ? '' : [Object.keys(rows[0]).join(','), ...rows.map(r => Object.values(r).join(','))].join('\n') + '\n';
  if (opt.out) {
    if (opt.format === 'json') fs.writeFileSync(`${opt.out}.json`, JSON.stringify({ config: run.cfg, data: data.meta.name, epochs, iterations: iters }, null, 1));
    else { fs.writeFileSync(`${opt.out}-iterations.csv`, csv(iters)); fs.writeFileSync(`${opt.out}-epochs.csv`, csv(epochs)); }
  } else process.stdout.write(csv(epochs));
  return opt.strict && health && !health.healthy ? 3 : 0;
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
  const validation = num(opt, 'validation', stop.kind === 'patience' ? 1200 : 0, { int: true, min: 0 });
  const say = (k, { cfg, result: res }) => process.stderr.write(`[${k}/${runs.length}] ${cfg.id}: ${res.diverged ? `diverged at iteration ${res.diverged.iteration}` :
    `test accuracy ${(100 * res.final.test_accuracy).toFixed(2)}%`} (${res.train_seconds.toFixed(1)} s${res.concurrency > 1 ? `, ${res.concurrency} at once` : ''}) ${res.health}\n` +
    ((w => (w ? `  ${w}\n` : ''))(healthWarning(healthOfResult(res), { lr: cfg.optimizer.lr }))));
  const jobs = opt.jobs == null ? null : num(opt, 'jobs', 1, { int: true, min: 0 }) || os.availableParallelism();
  const { results, seconds, kernels, dataName } = jobs
    ? await gridInPool(runs, { file, scale: opt.scale || '01', validation, flavor: opt.flavor || 'auto' }, { stop, target, checkEvery }, jobs, say)
    : await gridHere(runs, { file, scale: opt.scale || '01', validation, flavor: opt.flavor || 'auto' }, { stop, target, checkEvery }, say);
  const md = tablesMarkdown(results);
  const summary = { grid, stop, target, check_every: checkEvery, seconds, jobs: jobs || 1, kernels, data: dataName, findings: findings(results) };
  if (opt.out) {
    const c = curvesCsv(results);
    fs.writeFileSync(`${opt.out}-epochs.csv`, c.epochs);
    fs.writeFileSync(`${opt.out}-iterations.csv`, c.iterations);
    fs.writeFileSync(`${opt.out}-runs.csv`, toCsv(results.map(r => ({ run: r.id, optimizer: r.optimizer, lr: r.lr, batch: r.batch, seed: r.seed,
      train_seconds: r.train_seconds, test_accuracy: r.final ? r.final.test_accuracy : NaN, test_loss: r.final ? r.final.test_loss : NaN,
      spread: r.stability.spread, health: r.health, diverged: r.diverged ? r.diverged.iteration : '', reached_iteration: r.reached ? r.reached.iteration : '',
      check_every: r.check_every, concurrency: r.concurrency }))));
    fs.writeFileSync(`${opt.out}-tables.md`, md);
    fs.writeFileSync(`${opt.out}.json`, JSON.stringify({ ...summary, table1: table1(results), table2: table2(results), runs: results }));
  } else process.stdout.write(md);
  process.stderr.write(`grid of ${runs.length} runs finished in ${seconds.toFixed(1)} s${jobs ? ` with ${jobs} worker${jobs > 1 ? 's' : ''}` : ''}\n`);
  const counts = countClasses(results.map(r => r.health));
  const bad = UNHEALTHY.reduce((a, c) => a + counts[c], 0);
  process.stderr.write(`health: ${Object.entries(counts).map(([c, n]) => `${n} ${c}`).join(', ')}\n`);
  if (bad) process.stderr.write(`warning: ${bad} of ${results.length} runs did not learn (stuck, exploded or diverged); the tables' stability and speed leave them out\n`);
  return opt.strict && bad ? 3 : 0;
}

// The grid in this process, one run after another (the page's runner, web/lib/grid-runner.js: the same
// warm-up, the same runs, the same `seconds`); the grid's time starts after the warm-up.
async function gridHere(runs, { file, scale, validation, flavor }, rules, say) {
  const data = await loadMnist(file, { scale, validation });
  const core = await loadCore({ flavor });
  const sets = createDatasets(core, { train: data.train, test: data.test, val: data.val });
  const results = [];
  const runner = new GridRunner(core, sets, file);
  let t0 = performance.now();
  try {
    await runner.run(runs.map(cfg => ({ key: cfg.id, cfg })), rules, {
      onStart: ({ index }) => { if (index === 0) t0 = performance.now(); },
      onRunDone: ev => { results.push(Object.assign(ev.result, { concurrency: 1, pool: 1 })); say(ev.index + 1, ev); },
    });
  } finally { runner.drop(); freeDatasets(sets); }
  return { results, seconds: (performance.now() - t0) / 1000, kernels: core.kernels, dataName: data.meta.name };
}

// The grid on `jobs` worker threads (web/lib/worker-pool.js over the page's own worker,
// web/experiments/worker.js), each loading the data once and running whole runs; the results in grid
// order, with the same numbers as gridHere. The grid's time starts once every worker has the data.
async function gridInPool(runs, { file, scale, validation, flavor }, rules, jobs, say) {
  const url = new URL('../web/experiments/worker.js', import.meta.url);
  const pool = new GridPool(() => new WorkerClient(nodeWorker(url)));
  const results = new Array(runs.length);
  let done = 0;
  pool.on('run-done', ev => { results[ev.index] = ev.result; say(++done, { cfg: runs[ev.index], result: ev.result }); });
  try {
    const info = await pool.request('init', { file: pathToFileURL(path.resolve(file)).href, scale, validation, flavor });
    await pool.request('resize', { jobs: Math.min(jobs, runs.length) });
    const t0 = performance.now();
    const out = await pool.request('start', { runs: runs.map(cfg => ({ key: cfg.id, cfg })), ...rules, jobs });
    if (out.reason !== 'done') throw new Error(`the grid stopped: ${out.reason}`);
    return { results, seconds: (performance.now() - t0) / 1000, kernels: info.kernels, dataName: path.basename(file) };
  } finally { pool.terminate(); }
}

export async function main(argv) {
  try {
    const { pos, opt } = parseArgs(argv);
    const cmd = pos.shift();
    if (opt.help && COMMANDS.includes(cmd)) { console.log(HELP); return 0; }
    if (cmd === 'trace') return await cmdTrace(pos, opt);
    if (cmd === 'gradcheck') return await cmdGradcheck(pos, opt);
    if (cmd === 'train') return await cmdTrain(pos, opt);
    if (cmd === 'grid') return await cmdGrid(pos, opt);
    if (cmd === 'export-pytorch') return await cmdExportPytorch(pos, opt);
    if (!cmd || cmd === 'help' || opt.help) { console.log(HELP); return cmd || opt.help ? 0 : 2; }
    throw new UsageError(`unknown command "${cmd}" (trace, gradcheck, train, grid, export-pytorch, help)`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CoreError || (e && e.code && e.name !== 'TypeError')) {
      process.stderr.write(`backprop-lab: ${e.message}\n`);
      return 2;
    }
    // a defect, not the input's fault: one line, never a stack trace unless asked for
    process.stderr.write(`backprop-lab: internal error: ${e && e.message}${process.env.BACKPROP_LAB_DEBUG ? `\n${e && e.stack}` : ' (BACKPROP_LAB_DEBUG=1 shows where)'}\n`);
    return 1;
  }
}
