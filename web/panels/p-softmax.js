// Panel 4: softmax + cross-entropy with one hidden layer (the lab report's derivation), in vector and
// matrix form: the softmax Jacobian, why delta2 = y_hat - y, delta1 = W2^T delta2 * f'(z1), dW = delta a^T.
// Defaults: round one-decimal values a student can follow by hand (the test example of
// tests/fixtures/course.json 'softmax_ce_2layer', rounded); the browser test types that example's exact
// weights into the fields and checks the page against PyTorch.
import { NetPanel } from './netpanel.js';
import { h, fsec, matField, selField, checks, note, rich } from './ui.js';
import { n, np, vec, rowv, mat, actApply, dActSym } from './tex.js';

const ACTS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'identity'];
const T_ = m => m[0].map((_, j) => m.map(r => r[j]));   // transpose: re-indexing only

export default class Softmax extends NetPanel {
  get id() { return 'softmax'; }
  defaults() {
    return {
      x: [0.5, 0.3, -1.4, -0.3], cls: 1,
      W1: [[0, 0.9, -0.4, 0.7], [0.3, -0.2, -0.4, 0.3], [-0.2, 0.1, 0.3, 0.3]],
      b1: [0.3, -0.7, -0.3],
      W2: [[-0.3, 0.4, -0.5], [-1, -0.1, -0.5], [0.5, 0.7, -0.2]],
      b2: [0.3, -0.3, 0.2], lr: 0.1, act: 'sigmoid',
    };
  }
  spec() {
    const p = this.p;
    return { layers: [4, 3, 3], activations: [p.act, 'softmax'], loss: 'cross_entropy', weights: [p.W1, p.W2], biases: [p.b1, p.b2],
      input: [p.x], target: [[0, 1, 2].map(k => (k === p.cls ? 1 : 0))], optimizer: { name: 'sgd', lr: p.lr } };
  }
  get stageNames() {
    const t = this.t;
    return [t('mlp.st.hid'), t('mlp.st.out'), t('st.loss'), t('sm.st.jac'), t('sm.st.d2'), t('sm.st.g2'), t('sm.st.d1'), t('sm.st.g1'), t('st.update')];
  }
  controls() {
    const t = this.t, p = this.p, big = checks.abs(t, 1e4);
    const vecF = (key, title, sym) => matField({ title, values: [p[key]], label: (r, c) => `${sym}_{${c + 1}}`, check: big, t, key, width: 5,
      onValid: (r, c, v) => { p[key][c] = v; this.changed(); } });
    const matF = (key, title, sym) => matField({ title, values: p[key], label: (r, c) => `${sym}_{${r + 1}${c + 1}}`, check: big, t, key, width: 5,
      onValid: (r, c, v) => { p[key][r][c] = v; this.changed(); } });
    return [vecF('x', t('mlp.f.x'), 'x'),
      selField({ label: t('sm.f.cls'), key: 'cls', value: p.cls, options: [0, 1, 2].map(k => [k, t('sm.class', { k: k + 1 })]), onChange: v => this.set('cls', Number(v)) }),
      matF('W1', 'W⁽¹⁾', 'W^{(1)}'), vecF('b1', 'b⁽¹⁾', 'b^{(1)}'), matF('W2', 'W⁽²⁾', 'W^{(2)}'), vecF('b2', 'b⁽²⁾', 'b^{(2)}'),
      h('div', {}, this.lrField(), selField({ label: t('f.actH'), key: 'act', value: p.act, options: ACTS.map(a => [a, t(`act.${a}`)]), onChange: v => this.set('act', v) }))];
  }
  /** The softmax Jacobian at this step's z2, by the core. */
  extra(trace) { return { J: this.core.softmaxJacobian(trace.layers[1].z[0]) }; }
  sections(e) {
    const t = this.t, T = e.trace, [A, B] = T.layers, eta = this.p.lr, f = A.activation;
    const x = T.input[0], y = T.target[0], a1 = A.a[0], z1 = A.z[0], z2 = B.z[0], yh = B.a[0], d2 = B.delta[0], d1 = A.delta[0];
    const c = y.indexOf(1);
    const st = (s, title, rows, extra) => fsec(s, title, rows.map(r => ({ ...r, stage: s })), extra);
    const sumE = z2.map(v => `e^{${n(v)}}`).join(' + ');
    // the softmax Jacobian written out with the numbers; its values are the core's (extra.J)
    const jac = `\\begin{pmatrix}${yh.map((yi, i) => yh.map((yj, j) => (i === j ? `${n(yi)}(1 - ${np(yi)})` : `-${np(yi)} \\cdot ${np(yj)}`)).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
    const fprime = f === 'sigmoid' ? 'a^{(1)} \\odot (1 - a^{(1)})' : dActSym(f, 'z^{(1)}', 'a^{(1)}');
    const fprimeSub = f === 'sigmoid' ? `${vec(a1)} \\odot \\left(1 - ${vec(a1)}\\right)`
      : f === 'tanh' ? `\\left(1 - ${vec(a1)}^{\\odot 2}\\right)` : f === 'identity' ? '1' : `${dActSym(f, vec(z1), vec(a1))}`;
    return [
      st(0, t('mlp.st.hid'), [
        { sym: 'z^{(1)} = W^{(1)} x + b^{(1)}', sub: `${mat(A.W_prev)}\\,${vec(x)} + ${vec(A.b_prev)}`, res: z1, key: 'l1.z' },
        { sym: `a^{(1)} = ${actApply(f, 'z^{(1)}')}`, sub: actApply(f, vec(z1)), res: a1, key: 'l1.a' }]),
      st(1, t('mlp.st.out'), [
        { sym: 'z^{(2)} = W^{(2)} a^{(1)} + b^{(2)}', sub: `${mat(B.W_prev)}\\,${vec(a1)} + ${vec(B.b_prev)}`, res: z2, key: 'l2.z' },
        ...yh.map((v, j) => ({ sym: `\\hat y_{${j + 1}} = \\operatorname{softmax}(z^{(2)})_{${j + 1}} = \\frac{e^{z_{${j + 1}}}}{\\sum_{i} e^{z_i}}`,
          sub: `\\frac{e^{${n(z2[j])}}}{${sumE}}`, res: v, key: `l2.a.${j}` }))]),
      st(2, t('st.loss'), [{ sym: 'L = -\\sum_k y_k \\ln \\hat y_k = -\\ln \\hat y_{c}', sub: `-\\ln ${np(yh[c])}`, res: T.loss, key: 'loss',
        note: t('sm.lossNote', { c: c + 1 }) }]),
      st(3, t('sm.st.jac'), [
        { sym: '\\frac{\\partial \\hat y_i}{\\partial z_k} = \\hat y_i\\,(\\mathbf{1}[i = k] - \\hat y_k)', sub: jac, label: t('sm.jacIdx') },
        { sym: 'J = \\frac{\\partial \\hat y}{\\partial z^{(2)}} = \\operatorname{diag}(\\hat y) - \\hat y\\,\\hat y^{\\mathsf T}',
          sub: `\\operatorname{diag}${vec(yh)} - ${vec(yh)}\\,${rowv(yh)}`, res: e.extra.J, key: 'J', label: t('sm.jacMat') }],
      note('note', null, rich(t('sm.jacNote')))),
      st(4, t('sm.st.d2'), [
        { sym: '\\frac{\\partial L}{\\partial \\hat y_i} = -\\frac{y_i}{\\hat y_i}', label: t('sm.chain1') },
        { sym: '\\frac{\\partial L}{\\partial z_k} = \\sum_i \\frac{\\partial L}{\\partial \\hat y_i} \\frac{\\partial \\hat y_i}{\\partial z_k} = -\\sum_i \\frac{y_i}{\\hat y_i}\\, \\hat y_i (\\mathbf{1}[i = k] - \\hat y_k) = -y_k + \\hat y_k \\sum_i y_i = \\hat y_k - y_k',
          label: t('sm.chain2') },
        { sym: '\\delta^{(2)} = \\frac{\\partial L}{\\partial z^{(2)}} = \\hat y - y', sub: `${vec(yh)} - ${vec(y)}`, res: d2, key: 'l2.delta' }]),
      st(5, t('sm.st.g2'), [
        { sym: '\\frac{\\partial L}{\\partial W^{(2)}} = \\delta^{(2)} (a^{(1)})^{\\mathsf T},\\quad \\frac{\\partial L}{\\partial W^{(2)}_{ij}} = \\delta^{(2)}_i a^{(1)}_j',
          sub: `${vec(d2)}\\,${rowv(a1)}`, res: B.dW, key: 'l2.dW' },
        { sym: '\\frac{\\partial L}{\\partial b^{(2)}} = \\delta^{(2)}', sub: vec(d2), res: B.db, key: 'l2.db' }]),
      st(6, t('sm.st.d1'), [
        { sym: `\\delta^{(1)} = (W^{(2)})^{\\mathsf T} \\delta^{(2)} \\odot ${f === 'sigmoid' ? "\\sigma'(z^{(1)})" : "f'(z^{(1)})"} = (W^{(2)})^{\\mathsf T} \\delta^{(2)} \\odot ${fprime}`,
          sub: `${mat(T_(B.W_prev))}\\,${vec(d2)} \\odot ${fprimeSub}`, res: d1, key: 'l1.delta', note: t('sm.odot') }]),
      st(7, t('sm.st.g1'), [
        { sym: '\\frac{\\partial L}{\\partial W^{(1)}} = \\delta^{(1)} x^{\\mathsf T},\\quad \\frac{\\partial L}{\\partial W^{(1)}_{ij}} = \\delta^{(1)}_i x_j',
          sub: `${vec(d1)}\\,${rowv(x)}`, res: A.dW, key: 'l1.dW' },
        { sym: '\\frac{\\partial L}{\\partial b^{(1)}} = \\delta^{(1)}', sub: vec(d1), res: A.db, key: 'l1.db' }]),
      st(8, t('st.update'), [
        { sym: 'W^{(2)} \\leftarrow W^{(2)} - \\eta \\frac{\\partial L}{\\partial W^{(2)}}', sub: `${mat(B.W_prev)} - ${n(eta)}\\,${mat(B.dW)}`, res: B.W, key: 'l2.W' },
        { sym: 'b^{(2)} \\leftarrow b^{(2)} - \\eta \\frac{\\partial L}{\\partial b^{(2)}}', sub: `${vec(B.b_prev)} - ${n(eta)}\\,${vec(B.db)}`, res: B.b, key: 'l2.b' },
        { sym: 'W^{(1)} \\leftarrow W^{(1)} - \\eta \\frac{\\partial L}{\\partial W^{(1)}}', sub: `${mat(A.W_prev)} - ${n(eta)}\\,${mat(A.dW)}`, res: A.W, key: 'l1.W' },
        { sym: 'b^{(1)} \\leftarrow b^{(1)} - \\eta \\frac{\\partial L}{\\partial b^{(1)}}', sub: `${vec(A.b_prev)} - ${n(eta)}\\,${vec(A.db)}`, res: A.b, key: 'l1.b' }]),
    ];
  }
  notes() {
    const t = this.t;
    return [note('fix', t('note.course'), rich(t('sm.n.cases'))), note('fix', t('note.course'), rich(t('sm.n.sum'))),
      note('fix', t('note.course'), rich(t('sm.n.log')))];
  }
}
