// Panel 3: one hidden layer, two outputs, squared loss (the practical work's Part 1 network, 2-2-2),
// every neuron's z and activation, the loss, every delta, gradient and update, with the network
// diagram lighting the neurons and weights each formula touches. Defaults: Mazur's example.
import { NetPanel } from './netpanel.js';
import { h, fsec, selField, matField, checks, note, rich } from './ui.js';
import { sig } from '../lib/format.js';
import { n, np, actApply, dActSym, dActSub, alphaOf } from './tex.js';

const ACTS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'identity'];

export default class Mlp extends NetPanel {
  get id() { return 'mlp'; }
  get diagFirst() { return true; }
  defaults() {
    return { x: [0.05, 0.1], y: [0.01, 0.99], W1: [[0.15, 0.2], [0.25, 0.3]], b1: [0.35, 0.35],
      W2: [[0.4, 0.45], [0.5, 0.55]], b2: [0.6, 0.6], lr: 0.5, actH: 'sigmoid', actO: 'sigmoid', updateBiases: false };
  }
  spec() {
    const p = this.p;
    return { layers: [2, 2, 2], activations: [p.actH, p.actO], loss: 'half_sse', weights: [p.W1, p.W2], biases: [p.b1, p.b2],
      input: [p.x], target: [p.y], optimizer: { name: 'sgd', lr: p.lr }, update_biases: p.updateBiases };
  }
  get stageNames() {
    const t = this.t;
    return [t('mlp.st.hid'), t('mlp.st.out'), t('st.loss'), t('mlp.st.dout'), t('mlp.st.dhid'), t('st.update')];
  }
  controls() {
    // Mazur's post does not update the biases: off for his example (the default), as in every other panel when on
    const box = h('input', { type: 'checkbox', id: 'upd-bias', checked: this.p.updateBiases, 'data-field': 'updateBiases',
      onchange: () => this.set('updateBiases', box.checked) });
    return [...mlpFields(this, ACTS), h('div', { class: 'field' }, box, h('label', { for: 'upd-bias' }, this.t('mlp.f.updBias')))];
  }
  sections(e) {
    const t = this.t, T = e.trace, [A, B] = T.layers;
    const x = T.input[0], y = T.target[0], eta = this.p.lr;
    const W1 = A.W_prev, b1 = A.b_prev, W2 = B.W_prev, b2 = B.b_prev;
    const f = A.activation, g = B.activation;
    const hid = [], out = [], dout = [], dhid = [], upd = [];
    for (let j = 0; j < 2; j++) {
      const J = j + 1;
      hid.push({ stage: 0, sym: `z^{h}_{${J}} = w_{1${J}}\\,x_1 + w_{2${J}}\\,x_2 + b^{h}_{${J}}`,
        sub: `${n(W1[j][0])} \\cdot ${np(x[0])} + ${np(W1[j][1])} \\cdot ${np(x[1])} + ${np(b1[j])}`,
        res: A.z[0][j], key: `l1.z.${j}`, touch: ['x1', 'x2', `w1${J}`, `w2${J}`, `bh${J}`, `h${J}`] });
      hid.push({ stage: 0, sym: `h_{${J}} = ${actApply(f, `z^{h}_{${J}}`)}`, sub: actApply(f, n(A.z[0][j])),
        res: A.a[0][j], key: `l1.a.${j}`, touch: [`h${J}`] });
    }
    for (let k = 0; k < 2; k++) {
      const K = k + 1;
      out.push({ stage: 1, sym: `z^{o}_{${K}} = v_{1${K}}\\,h_1 + v_{2${K}}\\,h_2 + b^{o}_{${K}}`,
        sub: `${n(W2[k][0])} \\cdot ${np(A.a[0][0])} + ${np(W2[k][1])} \\cdot ${np(A.a[0][1])} + ${np(b2[k])}`,
        res: B.z[0][k], key: `l2.z.${k}`, touch: ['h1', 'h2', `v1${K}`, `v2${K}`, `bo${K}`, `o${K}`] });
      out.push({ stage: 1, sym: `o_{${K}} = ${actApply(g, `z^{o}_{${K}}`)}`, sub: actApply(g, n(B.z[0][k])),
        res: B.a[0][k], key: `l2.a.${k}`, touch: [`o${K}`] });
    }
    const o = B.a[0];
    const loss = [{ stage: 2, sym: 'L = \\tfrac{1}{2} \\sum_k (o_k - y_k)^2',
      sub: `\\tfrac{1}{2}\\left((${n(o[0])} - ${np(y[0])})^2 + (${n(o[1])} - ${np(y[1])})^2\\right)`,
      res: T.loss, key: 'loss', touch: ['o1', 'o2'] }];
    for (let k = 0; k < 2; k++) {
      const K = k + 1;
      dout.push({ stage: 3, sym: `\\delta_{${K}} = (o_{${K}} - y_{${K}})\\,g'(z^{o}_{${K}}) = (o_{${K}} - y_{${K}})\\,${dActSym(g, `z^{o}_{${K}}`, `o_{${K}}`)}`,
        sub: `(${n(o[k])} - ${np(y[k])})\\,${dActSub(g, B.z[0][k], o[k], alphaOf(g))}`,
        res: B.delta[0][k], key: `l2.delta.${k}`, touch: [`o${K}`] });
    }
    for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) {
      const K = k + 1, J = j + 1;
      dout.push({ stage: 3, sym: `\\frac{\\partial L}{\\partial v_{${J}${K}}} = \\delta_{${K}}\\,h_{${J}}`,
        sub: `${n(B.delta[0][k])} \\cdot ${np(A.a[0][j])}`, res: B.dW[k][j], key: `l2.dW.${k}.${j}`, touch: [`h${J}`, `o${K}`, `v${J}${K}`] });
    }
    for (let k = 0; k < 2; k++) {
      const K = k + 1;
      dout.push({ stage: 3, sym: `\\frac{\\partial L}{\\partial b^{o}_{${K}}} = \\delta_{${K}}`, sub: n(B.delta[0][k]),
        res: B.db[k], key: `l2.db.${k}`, touch: [`o${K}`, `bo${K}`] });
    }
    for (let j = 0; j < 2; j++) {
      const J = j + 1;
      dhid.push({ stage: 4, sym: `\\delta_{${J}} = \\Bigl(\\sum_k \\delta_k\\,v_{${J}k}\\Bigr)\\,f'(z^{h}_{${J}}) = (\\delta_1 v_{${J}1} + \\delta_2 v_{${J}2})\\,${dActSym(f, `z^{h}_{${J}}`, `h_{${J}}`)}`,
        sub: `(${n(B.delta[0][0])} \\cdot ${np(W2[0][j])} + ${np(B.delta[0][1])} \\cdot ${np(W2[1][j])})\\,${dActSub(f, A.z[0][j], A.a[0][j], alphaOf(f))}`,
        res: A.delta[0][j], key: `l1.delta.${j}`, touch: [`h${J}`, 'o1', 'o2', `v${J}1`, `v${J}2`] });
    }
    for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) {
      const J = j + 1, I = i + 1;
      dhid.push({ stage: 4, sym: `\\frac{\\partial L}{\\partial w_{${I}${J}}} = \\delta_{${J}}\\,x_{${I}}`,
        sub: `${n(A.delta[0][j])} \\cdot ${np(x[i])}`, res: A.dW[j][i], key: `l1.dW.${j}.${i}`, touch: [`x${I}`, `h${J}`, `w${I}${J}`] });
    }
    for (let j = 0; j < 2; j++) {
      const J = j + 1;
      dhid.push({ stage: 4, sym: `\\frac{\\partial L}{\\partial b^{h}_{${J}}} = \\delta_{${J}}`, sub: n(A.delta[0][j]),
        res: A.db[j], key: `l1.db.${j}`, touch: [`h${J}`, `bh${J}`] });
    }
    for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) {
      const K = k + 1, J = j + 1;
      upd.push({ stage: 5, sym: `v_{${J}${K}} \\leftarrow v_{${J}${K}} - \\eta\\,\\frac{\\partial L}{\\partial v_{${J}${K}}}`,
        sub: `${n(W2[k][j])} - ${n(eta)} \\cdot ${np(B.dW[k][j])}`, res: B.W[k][j], key: `l2.W.${k}.${j}`, touch: [`v${J}${K}`] });
    }
    for (let k = 0; k < 2; k++) {
      const K = k + 1;
      upd.push({ stage: 5, sym: `b^{o}_{${K}} \\leftarrow b^{o}_{${K}} - \\eta\\,\\frac{\\partial L}{\\partial b^{o}_{${K}}}`,
        sub: `${n(b2[k])} - ${n(eta)} \\cdot ${np(B.db[k])}`, res: B.b[k], key: `l2.b.${k}`, touch: [`bo${K}`] });
    }
    for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) {
      const J = j + 1, I = i + 1;
      upd.push({ stage: 5, sym: `w_{${I}${J}} \\leftarrow w_{${I}${J}} - \\eta\\,\\frac{\\partial L}{\\partial w_{${I}${J}}}`,
        sub: `${n(W1[j][i])} - ${n(eta)} \\cdot ${np(A.dW[j][i])}`, res: A.W[j][i], key: `l1.W.${j}.${i}`, touch: [`w${I}${J}`] });
    }
    for (let j = 0; j < 2; j++) {
      const J = j + 1;
      upd.push({ stage: 5, sym: `b^{h}_{${J}} \\leftarrow b^{h}_{${J}} - \\eta\\,\\frac{\\partial L}{\\partial b^{h}_{${J}}}`,
        sub: `${n(b1[j])} - ${n(eta)} \\cdot ${np(A.db[j])}`, res: A.b[j], key: `l1.b.${j}`, touch: [`bh${J}`] });
    }
    return [
      fsec(0, t('mlp.st.hid'), hid), fsec(1, t('mlp.st.out'), out), fsec(2, t('st.loss'), loss),
      fsec(3, t('mlp.st.dout'), dout), fsec(4, t('mlp.st.dhid'), dhid), fsec(5, t('st.update'), upd),
    ];
  }
  /** The 2-2-2 network: inputs, hidden, outputs, the bias units (+1); numbers are the trace's. */
  aside(e) {
    const T = e.trace, [A, B] = T.layers;
    const X = [40, 200, 360], Y = [70, 170], R = 20;
    const svg = h('svg:svg', { class: 'diagram', viewBox: '0 0 400 250', role: 'img', 'aria-label': this.t('mlp.diagram') });
    const edge = (id, x1, y1, x2, y2, w) => {
      svg.append(h('svg:line', { id: `d-${id}`, class: 'edge', x1, y1, x2, y2 }));
      if (w != null) {
        // the weight's value along the edge: straight edges in the middle, crossing ones near their start
        const fr = y1 === y2 ? 0.5 : 0.27;
        const lx = x1 + (x2 - x1) * fr, ly = y1 + (y2 - y1) * fr - 5;
        svg.append(h('svg:text', { class: 'small', x: lx, y: ly, 'text-anchor': 'middle' }, `${id[0]}${SUB[id[1]]}${SUB[id[2]]} ${sigShort(w)}`));
      }
    };
    for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) edge(`w${i + 1}${j + 1}`, X[0] + R, Y[i], X[1] - R, Y[j], A.W_prev[j][i]);
    for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) edge(`v${j + 1}${k + 1}`, X[1] + R, Y[j], X[2] - R, Y[k], B.W_prev[k][j]);
    const biasY = 228;
    for (let j = 0; j < 2; j++) edge(`bh${j + 1}`, X[0] + 70, biasY, X[1], Y[j] + R);
    for (let k = 0; k < 2; k++) edge(`bo${k + 1}`, X[1] + 70, biasY, X[2], Y[k] + R);
    const node = (id, x, y, label, val) => {
      svg.append(h('svg:circle', { id: `d-${id}`, class: 'node', cx: x, cy: y, r: R }));
      svg.append(h('svg:text', { x, y: y + 5, 'text-anchor': 'middle' }, label));
      if (val != null) svg.append(h('svg:text', { class: 'small', x, y: y - R - 5, 'text-anchor': 'middle' }, sigShort(val)));
    };
    node('x1', X[0], Y[0], 'x₁', T.input[0][0]); node('x2', X[0], Y[1], 'x₂', T.input[0][1]);
    node('h1', X[1], Y[0], 'h₁', A.a[0][0]); node('h2', X[1], Y[1], 'h₂', A.a[0][1]);
    node('o1', X[2], Y[0], 'o₁', B.a[0][0]); node('o2', X[2], Y[1], 'o₂', B.a[0][1]);
    for (const [x, id] of [[X[0] + 70, 'bias-h'], [X[1] + 70, 'bias-o']]) {
      svg.append(h('svg:rect', { class: 'node op', x: x - 14, y: biasY - 12, width: 28, height: 22, rx: 4, id: `d-${id}` }));
      svg.append(h('svg:text', { x, y: biasY + 4, 'text-anchor': 'middle', class: 'small' }, '+1'));
    }
    this.svg = svg;
    return [svg, h('p', { class: 'f-note' }, this.t('mlp.diagramNote'))];
  }
  highlight(ids) {
    if (!this.svg) return;
    for (const el of this.svg.querySelectorAll('.on')) el.classList.remove('on');
    for (const id of ids || []) {
      const el = this.svg.querySelector(`#d-${id}`);
      if (el) el.classList.add('on');
    }
  }
  notes() {
    const t = this.t;
    return [note('fix', t('note.course'), rich(t('mlp.n.g'))), note('fix', t('note.course'), rich(t('mlp.n.L'))),
      note('fix', t('note.course'), rich(t('mlp.n.deriv'))), note('note', t('note.why'), rich(t('mlp.n.mazur'))),
      note('fix', t('note.mazur'), rich(t('mlp.n.erratum')))];
  }
}

/** Four significant digits for the diagram labels (the formulas carry the precise values). */
const sigShort = x => sig(x, 4);
const SUB = { 1: '\u2081', 2: '\u2082', 3: '\u2083', 4: '\u2084' };

/** The fields of a 2-2-2 network (panels 3 and 7): x, y, W1, b1, W2, b2, eta, both activations. */
export function mlpFields(panel, acts = ACTS) {
  const t = panel.t, p = panel.p, big = checks.abs(t, 1e4);
  const vecF = (key, title, sym) => matField({ title, values: [p[key]], label: (r, c) => `${sym}_{${c + 1}}`, check: big, t, key,
    onValid: (r, c, v) => { p[key][c] = v; panel.changed(); } });
  const matF = (key, title, sym, meaning) => matField({ title, values: p[key], label: (r, c) => sym(r, c), check: big, t, key, meaning,
    onValid: (r, c, v) => { p[key][r][c] = v; panel.changed(); } });
  return [
    vecF('x', t('mlp.f.x'), 'x'), vecF('y', t('mlp.f.y'), 'y'),
    // W1 is out x in: row j (hidden neuron), column i (input): w_ij
    matF('W1', t('mlp.f.W1'), (j, i) => `w_{${i + 1}${j + 1}}`, (j, i) => t('sr.w1', { i: i + 1, j: j + 1 })), vecF('b1', t('mlp.f.b1'), 'b^{h}'),
    matF('W2', t('mlp.f.W2'), (k, j) => `v_{${j + 1}${k + 1}}`, (k, j) => t('sr.w2', { j: j + 1, k: k + 1 })), vecF('b2', t('mlp.f.b2'), 'b^{o}'),
    h('div', { class: 'fgroup-plain' }, panel.lrField(),
      selField({ label: t('f.actH'), key: 'actH', value: p.actH, options: acts.map(a => [a, t(`act.${a}`)]), onChange: v => panel.set('actH', v) }),
      selField({ label: t('f.actO'), key: 'actO', value: p.actO, options: acts.map(a => [a, t(`act.${a}`)]), onChange: v => panel.set('actO', v) })),
  ];
}

/** The 2-2-2 parameters in the course's names, with their index in the core's parameter block. */
export function mlpParams(net) {
  const out = [], S = ['', '\u2081', '\u2082'];
  // in backprop's order: the output layer first
  for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) out.push({ l: 1, r: k, c: j, idx: net.paramOffset(1, 'W') + k * 2 + j, tex: `v_{${j + 1}${k + 1}}`, txt: `v${S[j + 1]}${S[k + 1]}` });
  for (let k = 0; k < 2; k++) out.push({ l: 1, r: k, c: -1, idx: net.paramOffset(1, 'b') + k, tex: `b^{o}_{${k + 1}}`, txt: `b\u1d52${S[k + 1]}` });
  for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) out.push({ l: 0, r: j, c: i, idx: net.paramOffset(0, 'W') + j * 2 + i, tex: `w_{${i + 1}${j + 1}}`, txt: `w${S[i + 1]}${S[j + 1]}` });
  for (let j = 0; j < 2; j++) out.push({ l: 0, r: j, c: -1, idx: net.paramOffset(0, 'b') + j, tex: `b^{h}_{${j + 1}}`, txt: `b\u02b0${S[j + 1]}` });
  return out;
}
