// pytorch-script.js - "Open in PyTorch": complete Python scripts that compute what the lab computed.
//   toyScript(spec)   one step of a toy network spec (the panels'), every value the panel shows in its
//                     order, in float64, beside the course's formulas checked against autograd;
//   mnistScript(model) a run from a saved model file (model-file.js) on the lab's own images and
//                     batch order (npy files written beside it), printing the loss of each step.
// Comments in English or Russian (pytorch-strings.js). No DOM: the pages, the CLI and the tests use it.
import { normalizeSpec } from './spec.js';
import { commentsFor } from './pytorch-strings.js';

export class ExportError extends Error {
  /** code: UNSUPPORTED (a feature PyTorch export does not cover yet) or BAD_SPEC. */
  constructor(code, message) { super(message); this.name = 'ExportError'; this.code = code; }
}
const unsupported = msg => { throw new ExportError('UNSUPPORTED', msg); };

/** A number as a Python float literal (the shortest text that reads back to the same double). */
export function pyFloat(v) {
  if (!Number.isFinite(v)) throw new ExportError('BAD_SPEC', `${v} is not a finite number`);
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
const pyList = v => (Array.isArray(v) || ArrayBuffer.isView(v) ? `[${Array.from(v, pyList).join(', ')}]` : pyFloat(v));
const pyBool = b => (b ? 'True' : 'False');
const Q = '"""';   // a Python docstring's quotes

// ---- activations: the functional form, the course's formula, f'(z) from z and a
const ACT = {
  identity: { py: z => z, tex: 'a = z', d: z => `torch.ones_like(${z})` },
  sigmoid: { py: z => `torch.sigmoid(${z})`, tex: 'a = 1 / (1 + e^-z)', d: (z, a) => `${a} * (1 - ${a})` },
  tanh: { py: z => `torch.tanh(${z})`, tex: 'a = tanh z', d: (z, a) => `1 - ${a} ** 2` },
  relu: { py: z => `torch.relu(${z})`, tex: 'a = max(0, z)', d: z => `(${z} > 0).to(${z}.dtype)` },
  leaky_relu: { py: (z, al) => `F.leaky_relu(${z}, negative_slope=${pyFloat(al)})`, tex: 'a = z if z > 0 else alpha z',
    d: (z, a, al) => `torch.where(${z} > 0, torch.ones_like(${z}), torch.full_like(${z}, ${pyFloat(al)}))` },
  elu: { py: (z, al) => `F.elu(${z}, alpha=${pyFloat(al)})`, tex: 'a = z if z > 0 else alpha (e^z - 1)',
    d: (z, a, al) => `torch.where(${z} > 0, torch.ones_like(${z}), ${a} + ${pyFloat(al)})` },
  softmax: { py: z => `torch.softmax(${z}, dim=1)`, tex: 'a_k = e^z_k / sum_j e^z_j', d: null },
};
const alphaOf = (act, al) => (al != null ? al : act === 'leaky_relu' ? 0.01 : act === 'elu' ? 1 : 0);

function checkActs(acts) {
  acts.forEach((a, i) => {
    if (!ACT[a]) unsupported(`activation of layer ${i + 1}: "${a}" has no gradient, so PyTorch cannot train through it`);
  });
}

/** The loss: autograd's expression, the course's formula, and delta of the output layer by formula. */
function lossCode(loss, outAct, z, a, { labels }) {
  const tgt = labels ? 'labels' : 't';
  const L = {
    half_sse: { py: `0.5 * ((${a} - t) ** 2).sum(dim=1).mean()`, tex: 'L = 1/B sum_b 1/2 sum_k (a - t)^2', dLda: `(${a} - t) / B` },
    sse: { py: `((${a} - t) ** 2).sum(dim=1).mean()`, tex: 'L = 1/B sum_b sum_k (a - t)^2', dLda: `2 * (${a} - t) / B` },
    mse: { py: `F.mse_loss(${a}, t, reduction="mean")`, tex: 'L = 1/(B K) sum (a - t)^2  (nn.MSELoss)', dLda: `2 * (${a} - t) / (B * K)` },
    cross_entropy: outAct === 'softmax'
      ? { py: `F.cross_entropy(${z}, ${tgt}, reduction="mean")`, tex: 'L = 1/B sum_b -sum_k t ln a  (nn.CrossEntropyLoss)', fused: `(${a} - t) / B`, key: 'fusedSoftmax' }
      : { py: `-(t * torch.log(${a})).sum(dim=1).mean()`, tex: 'L = 1/B sum_b -sum_k t ln a', dLda: `-t / ${a} / B` },
    bce: { py: `F.binary_cross_entropy(${a}, t, reduction="mean")`, tex: 'L = 1/(B K) sum -(t ln a + (1 - t) ln(1 - a))  (nn.BCELoss)',
      fused: `(${a} - t) / (B * K)`, key: 'fusedSigmoid' },
  }[loss];
  if (!L) unsupported(`loss "${loss}" has no PyTorch form here`);
  return L;
}

/** Python for the torch.optim optimizer of a lab optimizer (all hyperparameters, engine.js's names). */
export function optimizerCode(o, params, c) {
  const lr = pyFloat(o.lr), wd = pyFloat(o.weight_decay || 0), eps = pyFloat(o.eps), mu = pyFloat(o.momentum || 0);
  const betas = `(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)})`;
  switch (o.name) {
    case 'sgd': return `torch.optim.SGD(${params}, lr=${lr}, momentum=${mu}, dampening=0.0, weight_decay=${wd}, nesterov=${pyBool(o.nesterov)})`;
    case 'nesterov': return `torch.optim.SGD(${params}, lr=${lr}, momentum=${mu}, dampening=0.0, weight_decay=${wd}, nesterov=True)`;
    case 'momentum': return `torch.optim.SGD(${params}, lr=${lr}, momentum=${mu}, dampening=0.0, weight_decay=${wd}, nesterov=False)  # ${c('courseMomentum')}`;
    case 'adagrad': return `torch.optim.Adagrad(${params}, lr=${lr}, lr_decay=0.0, weight_decay=${wd}, initial_accumulator_value=0.0, eps=${eps})`;
    case 'rmsprop': return `torch.optim.RMSprop(${params}, lr=${lr}, alpha=${pyFloat(o.alpha)}, eps=${eps}, weight_decay=${wd}, momentum=${mu}, centered=False)`;
    case 'adam': case 'amsgrad':
      return `torch.optim.Adam(${params}, lr=${lr}, betas=${betas}, eps=${eps}, weight_decay=${wd}, amsgrad=${pyBool(o.amsgrad || o.name === 'amsgrad')})`;
    case 'adamw': return `torch.optim.AdamW(${params}, lr=${lr}, betas=${betas}, eps=${eps}, weight_decay=${wd}, amsgrad=${pyBool(o.amsgrad)})`;
    default: return unsupported(`optimizer "${o.name}" has no torch.optim form here`);
  }
}

/** Every hyperparameter of an optimizer spec, defaults filled in (engine.js's OPTIMIZER_DEFAULTS). */
export function fullOptimizer(opt, defaults) {
  const base = { lr: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.99, weight_decay: 0, nesterov: false, amsgrad: false };
  return { ...base, ...(defaults[opt.name] || {}), ...opt };
}

const HEAD = `import json

import torch
import torch.nn.functional as F
`;

/**
 * One training step of a network spec (README "The network spec"; the panels' spec()) as a Python script.
 * opts: lang 'en'|'ru'; params: [{W, b}] the initial weights when the spec has none (from the core);
 * defaults: engine.js's OPTIMIZER_DEFAULTS; version, file: for the header; gradcheck: a step d to also
 * print, for every parameter before the update, "gc.W1.i [w, L(w+d), L(w-d), numeric, backprop]"
 * (the gradient-check panel's table).
 * Prints "key json" lines: l1.z, l1.a, ..., loss, lL.delta, lL.dW, lL.db, ..., lL.W, lL.b, ... l1.b.
 */
export function toyScript(spec, { lang = 'en', params = null, defaults = {}, version = '', file = 'backprop_step.py', gradcheck = null } = {}) {
  const c = commentsFor(lang);
  let s;
  try { s = normalizeSpec(spec); } catch (e) { throw new ExportError('BAD_SPEC', e.message); }
  if (!s.input || (!s.target && !s.labels)) throw new ExportError('BAD_SPEC', 'the spec needs an input and a target');
  if (s.dropout.some(p => p > 0) || s.batchnorm.some(Boolean)) unsupported('dropout and batch normalisation are not exported to PyTorch yet');
  checkActs(s.activations);
  const nL = s.sizes.length - 1, B = s.input.length, out = s.activations[nL - 1];
  const W = l => (s.weights ? s.weights[l] : params && params[l].W), bv = l => (s.weights || s.biases ? s.biases && s.biases[l] : params && params[l].b);
  if (!W(0)) throw new ExportError('BAD_SPEC', 'the spec has no weights: give the initial ones (params) from the core');
  const o = fullOptimizer(s.optimizer, defaults);
  const py = [`#!/usr/bin/env python3`, `# ${c('toyTitle', { net: s.sizes.join('-') })}`, `# ${c('generated', { who: `Backprop Lab ${version}`.trim(), file })}`,
    `# ${c('toyOrder')}`, HEAD, 'torch.set_default_dtype(torch.float64)', '', '',
    'def show(key, value):', `    ${Q}${c('show')}${Q}`, '    print(key, json.dumps(value.detach().tolist()))', '', '',
    'def same(what, formula, autograd):', `    ${Q}${c('same')}${Q}`, '    err = (formula - autograd).abs().max().item()',
    '    assert err <= 1e-12 * (1 + autograd.abs().max().item()), f"{what}: the formula and autograd differ by {err}"', '', '',
    `# ${c('network', { net: s.sizes.join('-') })}`];
  const ps = [];
  for (let l = 1; l <= nL; l++) {
    py.push(`W${l} = torch.tensor(${pyList(W(l - 1))}, requires_grad=True)`);
    ps.push(`W${l}`);
    if (s.bias[l - 1]) {
      py.push(`b${l} = torch.tensor(${pyList(bv(l - 1) || new Array(s.sizes[l]).fill(0))}, requires_grad=True)`);
      if (s.updateBiases) ps.push(`b${l}`); else py.push(`# ${c('frozenBias', { l })}`);
    } else py.push(`# ${c('noBias', { l })}`);
  }
  py.push(`x = torch.tensor(${pyList(s.input)})  # ${c('input')}`);
  if (s.labels) py.push(`labels = torch.tensor(${JSON.stringify(s.labels)})  # ${c('labels')}`, `t = F.one_hot(labels, ${s.sizes[nL]}).to(torch.float64)`);
  else py.push(`t = torch.tensor(${pyList(s.target)})  # ${c('target')}`);
  const forward = [];
  for (let l = 1; l <= nL; l++) {
    const act = s.activations[l - 1], al = alphaOf(act, s.alphas[l - 1]);
    forward.push(`z${l} = a${l - 1} @ W${l}.T${s.bias[l - 1] ? ` + b${l}` : ''}  # z${l} = W${l} a${l - 1}${s.bias[l - 1] ? ` + b${l}` : ''}`);
    forward.push(`a${l} = ${ACT[act].py(`z${l}`, al)}  # ${ACT[act].tex.replace(/\ba\b/, `a${l}`).replace(/\bz\b/g, `z${l}`)}`);
  }
  py.push('B, K = t.shape', '', `# ---- ${c('forward')}`, 'a0 = x', ...forward);
  const lc = lossCode(s.loss, out, `z${nL}`, `a${nL}`, { labels: !!s.labels });
  py.push('', `# ---- ${c('lossHead', { loss: s.loss, B })}`, `loss = ${lc.py}  # ${lc.tex}`, '',
    `# ---- ${c('backward')}`, `for z in (${Array.from({ length: nL }, (_, i) => `z${i + 1}`).join(', ')}${nL === 1 ? ',' : ''}):`, '    z.retain_grad()', 'loss.backward()', '',
    `# ---- ${c('course')}`, 'with torch.no_grad():');
  for (let l = nL; l >= 1; l--) {
    const act = s.activations[l - 1], al = alphaOf(act, s.alphas[l - 1]);
    if (l === nL) {
      if (lc.fused) py.push(`    delta${l} = ${lc.fused}  # ${c(lc.key)}`);
      else if (act === 'softmax') py.push(`    g = ${lc.dLda}`, `    delta${l} = a${l} * (g - (g * a${l}).sum(dim=1, keepdim=True))  # ${c('softmaxDelta')}`);
      else py.push(`    delta${l} = ${lc.dLda} * (${ACT[act].d(`z${l}`, `a${l}`, al)})  # ${c('outDelta')}`);
    } else py.push(`    delta${l} = (delta${l + 1} @ W${l + 1}) * (${ACT[act].d(`z${l}`, `a${l}`, al)})  # ${c('hidDelta', { l, n: l + 1 })}`);
    py.push(`    dW${l} = delta${l}.T @ a${l - 1}  # ${c('dW', { l, p: l - 1 })}`);
    py.push(`    same("l${l}.delta", delta${l}, z${l}.grad)`, `    same("l${l}.dW", dW${l}, W${l}.grad)`);
    if (s.bias[l - 1]) py.push(`    db${l} = delta${l}.sum(dim=0)  # ${c('db', { l })}`, `    same("l${l}.db", db${l}, b${l}.grad)`);
  }
  py.push('');
  for (let l = 1; l <= nL; l++) py.push(`show("l${l}.z", z${l})`, `show("l${l}.a", a${l})`);
  py.push('show("loss", loss)');
  for (let l = nL; l >= 1; l--) {
    py.push(`show("l${l}.delta", z${l}.grad)`, `show("l${l}.dW", W${l}.grad)`);
    if (s.bias[l - 1]) py.push(`show("l${l}.db", b${l}.grad)`);
  }
  if (gradcheck != null) {
    if (!(gradcheck > 0)) throw new ExportError('BAD_SPEC', `gradient check: d = ${gradcheck} must be a number > 0`);
    py.push('', '', `# ---- ${c('gcHead')}`, 'def loss_at():', `    ${Q}${c('gcLoss')}${Q}`, '    with torch.no_grad():', '        a0 = x',
      ...forward.map(l => `        ${l}`), `        return (${lc.py}).item()`, '', '',
      `d = ${pyFloat(gradcheck)}`, `for name, P in (${ps.map(p => `("${p}", ${p})`).join(', ')}):`, '    for i in range(P.numel()):',
      '        with torch.no_grad():', '            w = P.view(-1)[i].item()', '            P.view(-1)[i] = w + d', '            plus = loss_at()  # L(w + d)',
      '            P.view(-1)[i] = w - d', '            minus = loss_at()  # L(w - d)', '            P.view(-1)[i] = w',
      `        numeric = (plus - minus) / (2 * d)  # ${c('gcNumeric')}`,
      '        print(f"gc.{name}.{i}", json.dumps([w, plus, minus, numeric, P.grad.view(-1)[i].item()]))');
  }
  py.push('', `# ---- ${c('update', { opt: o.name })}`, `optimizer = ${optimizerCode(o, `[${ps.join(', ')}]`, c)}`, 'optimizer.step()');
  for (let l = nL; l >= 1; l--) {
    py.push(`show("l${l}.W", W${l})`);
    if (s.bias[l - 1]) py.push(`show("l${l}.b", b${l})`);
  }
  return py.join('\n') + '\n';
}

/** The keys and values a toy script prints, from the lab's trace (traceSteps(...)[0]), in the same order. */
export function toyValues(trace) {
  const out = [], L = trace.layers, n = L.length;
  L.forEach((x, i) => out.push([`l${i + 1}.z`, x.z], [`l${i + 1}.a`, x.a]));
  out.push(['loss', trace.loss]);
  for (let l = n; l >= 1; l--) {
    out.push([`l${l}.delta`, L[l - 1].delta], [`l${l}.dW`, L[l - 1].dW]);
    if (L[l - 1].db) out.push([`l${l}.db`, L[l - 1].db]);
  }
  for (let l = n; l >= 1; l--) {
    out.push([`l${l}.W`, L[l - 1].W]);
    if (L[l - 1].b) out.push([`l${l}.b`, L[l - 1].b]);
  }
  return out;
}
