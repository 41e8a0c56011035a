// pytorch-surface.js - "Open in PyTorch" for the optimizers panel: the same 2-D surface, start point,
// number of steps and each optimizer's hyperparameters, run by torch.optim on one float64 tensor
// (x, y), printing f, the gradient and the next point of every step, as the panel shows them.
// Through pytorch-script.js's optimizer table; no DOM.
import { commentsFor } from './pytorch-strings.js';
import { ExportError, optimizerCode, fullOptimizer, pyFloat } from './pytorch-script.js';

// the core's surfaces (src/toy.c, bp_surface), as Python
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
