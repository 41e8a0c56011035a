// Panel 2: the practical work's chain x -> h -> o (x = 0.5, y = 1, w = 0.4, eta = 0.1, sigmoid
// hidden, linear output o = h v; v is not given by the course, 0.6 by default as in the fixtures).
import { NetPanel } from './netpanel.js';
import { h, fsec, numField, selField, checks, note, rich } from './ui.js';
import { n, np, actApply, dActSym, dActSub, alphaOf } from './tex.js';
import { sig } from '../lib/format.js';

const ACTS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'identity'];

export default class Chain extends NetPanel {
  get id() { return 'chain'; }
  get diagFirst() { return true; }
  defaults() { return { x: 0.5, y: 1, w: 0.4, v: 0.6, lr: 0.1, actH: 'sigmoid', actO: 'identity' }; }
  spec() {
    const p = this.p;
    return { layers: [1, 1, 1], activations: [p.actH, p.actO], loss: 'half_sse', weights: [[[p.w]], [[p.v]]], biases: [null, null],
      input: [[p.x]], target: [[p.y]], optimizer: { name: 'sgd', lr: p.lr } };
  }
  get stageNames() { const t = this.t; return [t('st.forward'), t('st.loss'), t('mlp.st.dout'), t('mlp.st.dhid'), t('st.update')]; }
  controls() {
    const t = this.t, p = this.p, big = checks.abs(t, 1e4);
    const f = (key, label, title) => numField({ label, value: p[key], check: big, t, key, title, onValid: v => this.set(key, v) });
    return [
      f('x', '$x$', t('f.input')), f('y', '$y$', t('f.target')), f('w', '$w$', t('f.weight0')), f('v', '$v$', t('ch.f.v')),
      this.lrField(),
      selField({ label: t('f.actH'), key: 'actH', value: p.actH, options: ACTS.map(a => [a, t(`act.${a}`)]), onChange: v => this.set('actH', v) }),
      selField({ label: t('f.actO'), key: 'actO', value: p.actO, options: ACTS.map(a => [a, t(`act.${a}`)]), onChange: v => this.set('actO', v) }),
    ];
  }
  sections(e) {
    const t = this.t, T = e.trace, [A, B] = T.layers, f = A.activation, g = B.activation;
    const x = T.input[0][0], y = T.target[0][0], w = A.W_prev[0][0], v = B.W_prev[0][0], eta = this.p.lr;
    const zh = A.z[0][0], hh = A.a[0][0], zo = B.z[0][0], o = B.a[0][0];
    const lin = g === 'identity';
    const fwd = [
      { sym: 'z_h = w\\,x', sub: `${n(w)} \\cdot ${np(x)}`, res: zh, key: 'l1.z' },
      f === 'sigmoid'
        ? { sym: 'h = f(w\\,x) = \\frac{1}{1 + e^{-w x}}', sub: `\\frac{1}{1 + e^{-${np(zh)}}}`, res: hh, key: 'l1.a' }
        : { sym: `h = ${actApply(f, 'z_h')}`, sub: actApply(f, n(zh)), res: hh, key: 'l1.a' },
      ...(lin ? [{ sym: 'o = h\\,v', sub: `${n(hh)} \\cdot ${np(v)}`, res: o, key: 'l2.a' }]
        : [{ sym: 'z_o = h\\,v', sub: `${n(hh)} \\cdot ${np(v)}`, res: zo, key: 'l2.z' },
          { sym: `o = ${actApply(g, 'z_o')}`, sub: actApply(g, n(zo)), res: o, key: 'l2.a' }]),
    ];
    const loss = [{ sym: 'L = \\tfrac{1}{2}\\,(o - y)^2', sub: `\\tfrac{1}{2}\\,(${n(o)} - ${np(y)})^2`, res: T.loss, key: 'loss' }];
    const dout = [
      { sym: lin ? '\\delta_o = \\frac{\\partial L}{\\partial o} = o - y' : `\\delta_o = (o - y)\\,g'(z_o) = (o - y)\\,${dActSym(g, 'z_o', 'o')}`,
        sub: lin ? `${n(o)} - ${np(y)}` : `(${n(o)} - ${np(y)})\\,${dActSub(g, zo, o, alphaOf(g))}`, res: B.delta[0][0], key: 'l2.delta',
        note: lin ? t('ch.linNote') : null },
      { sym: '\\frac{\\partial L}{\\partial v} = \\delta_o\\,h', sub: `${n(B.delta[0][0])} \\cdot ${np(hh)}`, res: B.dW[0][0], key: 'l2.dW' },
    ];
    const dhid = [
      { sym: `\\delta_h = \\delta_o\\,v\\,f'(z_h) = \\delta_o\\,v\\,${dActSym(f, 'z_h', 'h')}`,
        sub: `${n(B.delta[0][0])} \\cdot ${np(v)} \\cdot ${dActSub(f, zh, hh, alphaOf(f))}`, res: A.delta[0][0], key: 'l1.delta' },
      { sym: '\\frac{\\partial L}{\\partial w} = \\delta_o\\,\\frac{\\partial o}{\\partial h}\\,\\frac{\\partial h}{\\partial w} = \\delta_h\\,x',
        sub: `${n(A.delta[0][0])} \\cdot ${np(x)}`, res: A.dW[0][0], key: 'l1.dW' },
    ];
    const upd = [
      { sym: 'v \\leftarrow v - \\eta\\,\\frac{\\partial L}{\\partial v}', sub: `${n(v)} - ${n(eta)} \\cdot ${np(B.dW[0][0])}`, res: B.W[0][0], key: 'l2.W' },
      { sym: 'w \\leftarrow w - \\eta\\,\\frac{\\partial L}{\\partial w}', sub: `${n(w)} - ${n(eta)} \\cdot ${np(A.dW[0][0])}`, res: A.W[0][0], key: 'l1.W' },
    ];
    const st = (s, rows) => rows.map(r => ({ ...r, stage: s }));
    return [fsec(0, t('st.forward'), st(0, fwd)), fsec(1, t('st.loss'), st(1, loss)), fsec(2, t('mlp.st.dout'), st(2, dout)),
      fsec(3, t('mlp.st.dhid'), st(3, dhid)), fsec(4, t('st.update'), st(4, upd))];
  }
  aside(e) {
    const T = e.trace, [A, B] = T.layers;
    const svg = h('svg:svg', { class: 'diagram', viewBox: '0 0 400 110', role: 'img', 'aria-label': this.t('ch.diagram') });
    const nodes = [['x', 50, T.input[0][0]], ['h', 200, A.a[0][0]], ['o', 350, B.a[0][0]]];
    svg.append(h('svg:line', { class: 'edge', x1: 72, y1: 60, x2: 178, y2: 60 }), h('svg:line', { class: 'edge', x1: 222, y1: 60, x2: 328, y2: 60 }));
    svg.append(h('svg:text', { class: 'small', x: 125, y: 52, 'text-anchor': 'middle' }, `w = ${sig4(A.W_prev[0][0])}`));
    svg.append(h('svg:text', { class: 'small', x: 275, y: 52, 'text-anchor': 'middle' }, `v = ${sig4(B.W_prev[0][0])}`));
    svg.append(h('svg:text', { class: 'bwd', x: 125, y: 82, 'text-anchor': 'middle' }, `∂L/∂w = ${sig4(A.dW[0][0])}`));
    svg.append(h('svg:text', { class: 'bwd', x: 275, y: 82, 'text-anchor': 'middle' }, `∂L/∂v = ${sig4(B.dW[0][0])}`));
    for (const [id, cx, val] of nodes) {
      svg.append(h('svg:circle', { class: 'node', cx, cy: 60, r: 22 }));
      svg.append(h('svg:text', { x: cx, y: 65, 'text-anchor': 'middle' }, id));
      svg.append(h('svg:text', { class: 'fwd', x: cx, y: 28, 'text-anchor': 'middle' }, `${id} = ${sig4(val)}`));
    }
    return svg;
  }
  notes() {
    const t = this.t;
    return [note('fix', t('note.course'), rich(t('ch.n.delta'))), note('fix', t('note.course'), rich(t('ch.n.w'))),
      note('note', t('note.why'), rich(t('ch.n.v')))];
  }
}

const sig4 = x => sig(x, 4);
