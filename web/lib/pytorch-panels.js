// pytorch-panels.js - "Open in PyTorch" for the panels without a network spec (pytorch-script.js
// does those with one):
//   surfaceScript(race)  the optimizers panel: the same 2-D surface, start point, number of steps and
//                        each optimizer's hyperparameters, run by torch.optim on one float64 tensor (x, y),
//                        printing f, the gradient and the next point of every step;
//   lossesScript(table)  the losses panel: classification error, squared errors and cross-entropy of
//                        the models' predictions, per row and their mean.
// No DOM.
import { commentsFor } from './pytorch-strings.js';
import { ExportError, optimizerCode, fullOptimizer, pyFloat } from './pytorch-script.js';

// the core's surfaces (src/toy.c, bp_surface), as Python
const Q = '"""';
const SURFACES = {
  quadratic: ['0.5 * (x ** 2 + 10 * y ** 2)', 'f = (x^2 + 10 y^2) / 2'],
  rosenbrock: ['(1 - x) ** 2 + 100 * (y - x ** 2) ** 2', 'f = (1 - x)^2 + 100 (y - x^2)^2'],
  saddle: ['x ** 2 - y ** 2', 'f = x^2 - y^2'],
  bowl: ['0.5 * (x ** 2 + y ** 2)', 'f = (x^2 + y^2) / 2'],
};

/**
 * race: {surface, start: [x0, y0], n: steps, optimizers: {name: {lr, momentum, ...}}} (the panel's p.o);
 * opts: lang, defaults (engine.js's OPTIMIZER_DEFAULTS), version, file.
 * Prints "name.t [f, df/dx, df/dy, x_next, y_next]" for t = 1..n; a path stops where the panel's does.
 */
export function surfaceScript(race, { lang = 'en', defaults = {}, version = '', file = 'optimizers.py' } = {}) {
  const c = commentsFor(lang), S = SURFACES[race.surface];
  if (!S) throw new ExportError('BAD_SPEC', `surface "${race.surface}" is not one of ${Object.keys(SURFACES).join(', ')}`);
  const py = ['#!/usr/bin/env python3', `# ${c('surfaceTitle', { surface: race.surface, n: race.n })}`,
    `# ${c('generated', { who: `Backprop Lab ${version}`.trim(), file })}`, `# ${c('surfacePrints')}`,
    'import json', 'import math', '', 'import torch', '', 'torch.set_default_dtype(torch.float64)', '', '',
    'def f(x, y):', `    return ${S[0]}  # ${S[1]}`, '', '',
    `START = [${race.start.map(pyFloat).join(', ')}]`, `N = ${race.n}`, 'RACE = ['];
  for (const [name, hyper] of Object.entries(race.optimizers))
    py.push(`    ("${name}", lambda p: ${optimizerCode(fullOptimizer({ name, ...hyper }, defaults), '[p]', c).replace(/  #.*$/, '')}),`);
  py.push(']', '', 'for name, make in RACE:', '    p = torch.tensor(START, requires_grad=True)  # theta = (x, y)', '    optimizer = make(p)',
    '    for t in range(1, N + 1):',
    '        if max(abs(v) for v in p.tolist()) > 1e6:', `            break  # ${c('surfaceStop')}`,
    '        optimizer.zero_grad()', '        loss = f(p[0], p[1])', '        if not math.isfinite(loss.item()):', '            break',
    `        loss.backward()  # g = (df/dx, df/dy)`, '        g = p.grad.tolist()',
    `        optimizer.step()  # ${c('surfaceStep')}`, '        print(f"{name}.{t}", json.dumps([loss.item(), *g, *p.tolist()]))');
  return py.join('\n') + '\n';
}

/**
 * table: {models: [rows of predicted probabilities per model], truth: [class of each row]} (the losses
 * panel's p). Prints "m1.cls" (wrong / total), then per loss ("se" = half_sse, "sse", "mse", "ce")
 * "m1.se.rows" and "m1.se.mean", model by model.
 */
export function lossesScript(table, { lang = 'en', version = '', file = 'losses.py' } = {}) {
  const c = commentsFor(lang);
  const K = table.models[0][0].length;
  const py = ['#!/usr/bin/env python3', `# ${c('lossesTitle')}`, `# ${c('generated', { who: `Backprop Lab ${version}`.trim(), file })}`,
    'import json', '', 'import torch', 'import torch.nn.functional as F', '', 'torch.set_default_dtype(torch.float64)', '', '',
    'def show(key, value):', `    ${Q}${c('show')}${Q}`, '    print(key, json.dumps(value.tolist() if torch.is_tensor(value) else value))', '', '',
    `TRUTH = torch.tensor(${JSON.stringify(table.truth)})  # ${c('lossesTruth')}`, `T = F.one_hot(TRUTH, ${K}).to(torch.float64)  # t: one-hot rows`,
    `MODELS = [${table.models.map(m => `torch.tensor(${pyRows(m)})`).join(', ')}]  # ${c('lossesModels')}`, '',
    'for m, Y in enumerate(MODELS, start=1):',
    `    show(f"m{m}.cls", (Y.argmax(dim=1) != TRUTH).sum().item() / len(TRUTH))  # ${c('lossesCls')}`,
    '    for key, rows in (',
    '        ("se", 0.5 * ((Y - T) ** 2).sum(dim=1)),  # L = 1/2 sum_k (y - t)^2',
    '        ("sse", ((Y - T) ** 2).sum(dim=1)),  # L = sum_k (y - t)^2',
    '        ("mse", F.mse_loss(Y, T, reduction="none").mean(dim=1)),  # L = 1/K sum_k (y - t)^2 (nn.MSELoss)',
    '        ("ce", F.nll_loss(torch.log(Y), TRUTH, reduction="none")),  # L = -sum_k t ln y = -ln y_c',
    '    ):', '        show(f"m{m}.{key}.rows", rows)', `        show(f"m{m}.{key}.mean", rows.mean().item())  # ${c('lossesMean')}`];
  return py.join('\n') + '\n';
}
const pyRows = rows => `[${rows.map(r => `[${r.map(pyFloat).join(', ')}]`).join(', ')}]`;

/**
 * The perceptron panel: p is the panel's p ({and, nand, or, one: {w1, w2, th} as typed text}, learn:
 * {act, loss, opt, lr, n}); init: the learner's initial [{W, b}] (the core's xavier_normal draw).
 * Prints "GATE.z" and "GATE.y" (the four rows x = 00, 10, 01, 11) for and, nand, or, one, then
 * "xor2.s" (NAND and OR of each row) and "xor2.y", then "learn.loss" (every iteration) and "learn.y".
 */
export function perceptronScript(p, init, { lang = 'en', defaults = {}, version = '', file = 'perceptron.py' } = {}) {
  const c = commentsFor(lang), q = p.learn, num = s => pyFloat(Number(s));
  const gate = g => `(${num(p[g].w1)}, ${num(p[g].w2)}, ${num(p[g].th)})`;
  const act = { sigmoid: 'torch.sigmoid', tanh: 'torch.tanh', relu: 'torch.relu' }[q.act];
  if (!act) throw new ExportError('UNSUPPORTED', `the learner's activation "${q.act}" is not exported`);
  const loss = { bce: ['F.binary_cross_entropy(y, T, reduction="mean")', 'L = 1/4 sum -(t ln y + (1 - t) ln(1 - y))'],
    half_sse: ['0.5 * ((y - T) ** 2).sum(dim=1).mean()', 'L = 1/4 sum 1/2 (y - t)^2'] }[q.loss];
  if (!loss) throw new ExportError('UNSUPPORTED', `the learner's loss "${q.loss}" is not exported`);
  const py = ['#!/usr/bin/env python3', `# ${c('percTitle')}`, `# ${c('generated', { who: `Backprop Lab ${version}`.trim(), file })}`,
    'import json', '', 'import torch', 'import torch.nn.functional as F', '', 'torch.set_default_dtype(torch.float64)', '', '',
    'def show(key, value):', `    ${Q}${c('show')}${Q}`, '    print(key, json.dumps(value.detach().reshape(-1).tolist()))', '', '',
    'def step(z):', `    return (z > 0).to(z.dtype)  # ${c('percStep')}`, '', '',
    'X = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # x1, x2 of the four rows', '',
    `# ${c('percGates')}`, `GATES = {"and": ${gate('and')}, "nand": ${gate('nand')}, "or": ${gate('or')}, "one": ${gate('one')}}  # (w1, w2, theta)`,
    'for name, (w1, w2, theta) in GATES.items():', '    z = X @ torch.tensor([w1, w2]) - theta  # z = w1 x1 + w2 x2 + b, b = -theta',
    '    show(f"{name}.z", z)', '    show(f"{name}.y", step(z))  # y = step(z)', '',
    `# ${c('percXor2')}`, 'w1, w2, theta = GATES["nand"]', 's1 = step(X @ torch.tensor([w1, w2]) - theta)',
    'w1, w2, theta = GATES["or"]', 's2 = step(X @ torch.tensor([w1, w2]) - theta)', 'w1, w2, theta = GATES["and"]',
    'show("xor2.s", torch.stack([s1, s2], dim=1))', 'show("xor2.y", step(s1 * w1 + s2 * w2 - theta))', '',
    `# ${c('percLearn', { n: q.n })}`, 'T = torch.tensor([[0.0], [1.0], [1.0], [0.0]])  # XOR',
    `W1 = torch.tensor(${pyNested(init[0].W)}, requires_grad=True)`, `b1 = torch.tensor(${pyNested(init[0].b)}, requires_grad=True)`,
    `W2 = torch.tensor(${pyNested(init[1].W)}, requires_grad=True)`, `b2 = torch.tensor(${pyNested(init[1].b)}, requires_grad=True)`,
    `optimizer = ${optimizerCode(fullOptimizer({ name: q.opt, lr: q.lr }, defaults), '[W1, b1, W2, b2]', c)}`, 'losses = []',
    `for it in range(${q.n}):`, '    optimizer.zero_grad()', `    h = ${act}(X @ W1.T + b1)  # a1 = f(W1 x + b1)`,
    '    y = torch.sigmoid(h @ W2.T + b2)  # y = sigmoid(W2 a1 + b2)', `    loss = ${loss[0]}  # ${loss[1]}`,
    '    loss.backward()', '    optimizer.step()', '    losses.append(loss.item())',
    'show("learn.loss", torch.tensor(losses))', `show("learn.y", torch.sigmoid(${act}(X @ W1.T + b1) @ W2.T + b2))`];
  return py.join('\n') + '\n';
}
const pyNested = v => (Array.isArray(v) ? `[${v.map(pyNested).join(', ')}]` : pyFloat(v));
