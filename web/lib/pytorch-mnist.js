// pytorch-mnist.js - "Open in PyTorch" for an MNIST run: a script that loads a saved model file
// (model-file.js) beside it, the lab's own training images and batch order (.npy files, npyBytes),
// builds the same network, loss and optimizer (state included) and prints the loss of each step.
// Through pytorch-script.js; no DOM.
import { commentsFor } from './pytorch-strings.js';
import { ExportError, optimizerCode, pyFloat } from './pytorch-script.js';

const ACT_PY = {
  identity: z => z, sigmoid: z => `torch.sigmoid(${z})`, tanh: z => `torch.tanh(${z})`, relu: z => `torch.relu(${z})`,
  leaky_relu: (z, al) => `F.leaky_relu(${z}, negative_slope=${pyFloat(al ?? 0.01)})`, elu: (z, al) => `F.elu(${z}, alpha=${pyFloat(al ?? 1)})`,
  softmax: z => `torch.softmax(${z}, dim=1)`,
};

/**
 * A .npy file (format 1.0) of a typed array: Uint8Array -> |u1, Int32Array -> <i4, Float32Array -> <f4.
 * shape: its dimensions (the product must be the length).
 */
export function npyBytes(arr, shape) {
  const descr = arr instanceof Uint8Array ? '|u1' : arr instanceof Int32Array ? '<i4' : arr instanceof Float32Array ? '<f4' : null;
  if (!descr) throw new ExportError('BAD_SPEC', 'npy: only Uint8Array, Int32Array and Float32Array');
  if (shape.reduce((a, b) => a * b, 1) !== arr.length) throw new ExportError('BAD_SPEC', `npy: shape ${shape} does not hold ${arr.length} values`);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';        // magic + header a multiple of 64 bytes
  const out = new Uint8Array(10 + header.length + arr.byteLength);
  out.set([0x93, 78, 85, 77, 80, 89, 1, 0, header.length & 255, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < arr.length; i++) {
    if (descr === '|u1') body.setUint8(i, arr[i]);
    else if (descr === '<i4') body.setInt32(i * 4, arr[i], true);
    else body.setFloat32(i * 4, arr[i], true);
  }
  return out;
}

/** The optimizer's torch state from the model file's m, v, vmax (Python, inside the loop over PARAMS). */
function stateCode(o) {
  const mom = o.momentum > 0;
  switch (o.name) {
    case 'sgd': case 'nesterov': return mom ? '{"momentum_buffer": moment(name, "m", p)}' : null;
    case 'momentum': return `{"momentum_buffer": moment(name, "m", p) / ${pyFloat(o.lr)}}`;
    case 'adagrad': return '{"step": torch.tensor(float(STEP)), "sum": moment(name, "v", p)}';
    case 'rmsprop': return `{"step": STEP, "square_avg": moment(name, "v", p)${mom ? ', "momentum_buffer": moment(name, "m", p)' : ''}}`;
    case 'adam': case 'amsgrad': case 'adamw':
      return `{"step": torch.tensor(float(STEP)), "exp_avg": moment(name, "m", p), "exp_avg_sq": moment(name, "v", p)${
        o.amsgrad || o.name === 'amsgrad' ? ', "max_exp_avg_sq": moment(name, "vmax", p)' : ''}}`;
    default: throw new ExportError('UNSUPPORTED', `optimizer "${o.name}" has no torch.optim form here`);
  }
}

/**
 * The script for a saved model (modelObject or parseModel's object; only network, optimizer, training
 * are read). opts: sizes (samples in each step's batch), lang, version, file, model/x/y/order (file names).
 */
export function mnistScript(m, { sizes, lang = 'en', version = '', file = 'train.py', files = {} } = {}) {
  const c = commentsFor(lang);
  const n = m.network, o = m.optimizer, t = m.training;
  const f = { model: 'model.json', x: 'train_x.npy', y: 'train_y.npy', order: 'order.npy', ...files };
  if (n.dropout.some(p => p > 0) || n.batchnorm.some(Boolean)) throw new ExportError('UNSUPPORTED', 'dropout and batch normalisation are not exported to PyTorch yet');
  const L = n.layers.length - 1, out = n.activations[L - 1], net = n.layers.join('-');
  n.activations.forEach((a, i) => { if (!ACT_PY[a]) throw new ExportError('UNSUPPORTED', `activation of layer ${i + 1}: "${a}" has no gradient`); });
  const ce = n.loss === 'cross_entropy';
  if (ce && out !== 'softmax') throw new ExportError('UNSUPPORTED', 'cross-entropy is exported with a softmax output layer only');
  const loss = {
    cross_entropy: ['F.cross_entropy(z, y, reduction="mean")', `L = 1/B sum_b -ln a_y  (nn.CrossEntropyLoss; ${c('insideLoss')})`],
    half_sse: ['0.5 * ((a - F.one_hot(y, K).to(a.dtype)) ** 2).sum(dim=1).mean()', 'L = 1/B sum_b 1/2 sum_k (a - t)^2'],
    sse: ['((a - F.one_hot(y, K).to(a.dtype)) ** 2).sum(dim=1).mean()', 'L = 1/B sum_b sum_k (a - t)^2'],
    mse: ['F.mse_loss(a, F.one_hot(y, K).to(a.dtype), reduction="mean")', 'L = 1/(B K) sum (a - t)^2  (nn.MSELoss)'],
    bce: ['F.binary_cross_entropy(a, F.one_hot(y, K).to(a.dtype), reduction="mean")', 'L = 1/(B K) sum -(t ln a + (1 - t) ln(1 - a))  (nn.BCELoss)'],
  }[n.loss];
  const sizeList = sizes.every(b => b === sizes[0]) ? `[${sizes[0]}] * ${sizes.length}` : `[${sizes.join(', ')}]`;
  const py = ['#!/usr/bin/env python3',
    `# ${c('mnistTitle', { net, opt: o.name, batch: t.batch, steps: sizes.length, from: t.iteration })}`,
    `# ${c('generated', { who: `Backprop Lab ${version}`.trim(), file })}`, `# ${c('mnistPrints')}`,
    'import base64', 'import json', 'import os', '', 'import numpy as np', 'import torch', 'import torch.nn.functional as F', '',
    'HERE = os.path.dirname(os.path.abspath(__file__))', '', '',
    'def tensor(b64, shape):', `    """${c('decode')}"""`,
    '    return torch.from_numpy(np.frombuffer(base64.b64decode(b64), dtype="<f4").reshape(shape).copy())', '', '',
    `# ${c('model')}`, `with open(os.path.join(HERE, "${f.model}"), encoding="utf-8") as f:`, '    MODEL = json.load(f)',
    'T = MODEL["tensors"]', '', '',
    'def moment(name, key, p):', '    return tensor(T[name][key], p.shape) if key in T[name] else torch.zeros_like(p)', '', '',
    `# ${c('data')}`, `pixels = np.load(os.path.join(HERE, "${f.x}"))`,
    t.scale === 'pm05' ? `X = torch.from_numpy((pixels.astype(np.float64) / 255 - 0.5).astype(np.float32))  # ${c('scalePm05')}`
      : `X = torch.from_numpy((pixels.astype(np.float64) / 255).astype(np.float32))  # ${c('scale01')}`,
    `Y = torch.from_numpy(np.load(os.path.join(HERE, "${f.y}")).astype(np.int64))`,
    `ORDER = torch.from_numpy(np.load(os.path.join(HERE, "${f.order}")).astype(np.int64))  # ${c('order')}`,
    `SIZES = ${sizeList}  # ${c('sizes')}`, `K = ${n.layers[L]}`, '', '',
    `# ${c('network', { net })}`, 'class Net(torch.nn.Module):', '    def __init__(self):', '        super().__init__()'];
  for (let l = 1; l <= L; l++)
    py.push(`        self.fc${l} = torch.nn.Linear(${n.layers[l - 1]}, ${n.layers[l]}, bias=${n.bias[l - 1] ? 'True' : 'False'})  # W${l}: ${n.layers[l]} x ${n.layers[l - 1]}`);
  py.push('', '    def forward(self, a0):');
  for (let l = 1; l <= L; l++) {
    py.push(`        z${l} = self.fc${l}(a${l - 1})  # z${l} = W${l} a${l - 1}${n.bias[l - 1] ? ` + b${l}` : ''}`);
    py.push(`        a${l} = ${ACT_PY[n.activations[l - 1]](`z${l}`, n.alphas[l - 1])}  # a${l} = f(z${l}): ${n.activations[l - 1]}`);
  }
  py.push(`        return z${L}, a${L}`, '', '', 'net = Net()', 'PARAMS = []', 'with torch.no_grad():');
  for (let l = 1; l <= L; l++) {
    py.push(`    net.fc${l}.weight.copy_(tensor(T["W${l}"]["value"], [${n.layers[l]}, ${n.layers[l - 1]}]))`, `    PARAMS.append(("W${l}", net.fc${l}.weight))`);
    if (n.bias[l - 1]) py.push(`    net.fc${l}.bias.copy_(tensor(T["b${l}"]["value"], [${n.layers[l]}]))`, `    PARAMS.append(("b${l}", net.fc${l}.bias))`);
  }
  const st = stateCode(o);
  py.push('', `optimizer = ${optimizerCode(o, '[p for _, p in PARAMS]', c)}`, `# ${c('state')}`, 'STEP = MODEL["optimizer"]["step"]');
  if (st) py.push('if STEP > 0:', '    for name, p in PARAMS:', `        optimizer.state[p] = ${st}`);
  py.push('', `# ---- ${c('loop')}`, 'pos = 0', `for it, B in enumerate(SIZES, start=${t.iteration + 1}):`,
    '    idx = ORDER[pos:pos + B]', '    pos += B', '    x, y = X[idx], Y[idx]',
    `    optimizer.zero_grad()  # ${c('zeroGrad')}`, `    z, a = net(x)  # ${c('stepForward')}`,
    `    loss = ${loss[0]}  # ${loss[1]}`, `    loss.backward()  # ${c('stepBackward')}`, `    optimizer.step()  # ${c('stepUpdate')}`,
    '    print(it, repr(loss.item()))');
  return py.join('\n') + '\n';
}
