// Panel 6: the computation graph rules of the slides on z = W x + b, L = 1/2 ||z - t||^2: the "+" node
// passes the gradient on unchanged, the dot node multiplies it by the other input, transposed.
// Forward values above the edges, gradients below; all from the core (trace, dinput, a bias-free copy
// of the layer for u = W x).
import { NetPanel } from './netpanel.js';
import { h, fsec, matField, checks, note, rich } from './ui.js';
import { n, vec, rowv, mat } from './tex.js';
import { sig } from '../lib/format.js';

export default class Graph extends NetPanel {
  get id() { return 'graph'; }
  get asideTop() { return true; }
  defaults() { return { x: [1, 2], W: [[0.5, -0.3], [0.8, 0.2]], b: [0.2, -0.1], t: [1, 0], lr: 0.1 }; }
  spec() {
    const p = this.p;
    return { layers: [2, 2], activations: ['identity'], loss: 'half_sse', weights: [p.W], biases: [p.b],
      input: [p.x], target: [p.t], optimizer: { name: 'sgd', lr: p.lr } };
  }
  get stageNames() {
    const t = this.t;
    return [t('gr.st.dot'), t('gr.st.plus'), t('st.loss'), t('gr.st.bloss'), t('gr.st.bplus'), t('gr.st.bdot'), t('st.update')];
  }
  controls() {
    const t = this.t, p = this.p, big = checks.abs(t, 1e4);
    const vecF = (key, title, sym) => matField({ title, values: [p[key]], label: (r, c) => `${sym}_{${c + 1}}`, check: big, t, key,
      onValid: (r, c, v) => { p[key][c] = v; this.changed(); } });
    return [vecF('x', t('gr.f.x'), 'x'),
      matField({ title: t('gr.f.W'), values: p.W, label: (r, c) => `W_{${r + 1}${c + 1}}`, check: big, t, key: 'W', onValid: (r, c, v) => { p.W[r][c] = v; this.changed(); } }),
      vecF('b', t('gr.f.b'), 'b'), vecF('t', t('gr.f.t'), 't'), this.lrField()];
  }
  /** u = W x: the same layer without its bias, computed by the core. */
  extra(trace) {
    const L = trace.layers[0];
    const net = this.core.createNet({ sizes: [2, 2], activations: ['identity'], bias: [false], loss: 'half_sse' });
    try {
      net.setLayer(0, L.W_prev, null);
      return { u: Array.from(net.predict(trace.input)) };
    } finally { net.free(); }
  }
  sections(e) {
    const t = this.t, T = e.trace, L = T.layers[0], u = e.extra.u, eta = this.p.lr;
    const x = T.input[0], tt = T.target[0], W = L.W_prev, b = L.b_prev, z = L.z[0], d = L.delta[0];
    const WT = [[W[0][0], W[1][0]], [W[0][1], W[1][1]]];   // the transpose: re-indexing
    const s = (st, title, rows, extra) => fsec(st, title, rows.map(r => ({ ...r, stage: st })), extra);
    return [
      s(0, t('gr.st.dot'), [{ sym: 'u = W\\,x', sub: `${mat(W)}\\,${vec(x)}`, res: u, key: 'u', touch: ['x', 'W', 'dot', 'u'] }]),
      s(1, t('gr.st.plus'), [{ sym: 'z = u + b', sub: `${vec(u)} + ${vec(b)}`, res: z, key: 'z', touch: ['u', 'b', 'plus', 'z'] }]),
      s(2, t('st.loss'), [{ sym: 'L = \\tfrac{1}{2}\\,\\lVert z - t \\rVert^2', sub: `\\tfrac{1}{2}\\left\\lVert ${vec(z)} - ${vec(tt)} \\right\\rVert^2`, res: T.loss, key: 'loss', touch: ['z', 't', 'loss'] }]),
      s(3, t('gr.st.bloss'), [{ sym: '\\frac{\\partial L}{\\partial z} = z - t', sub: `${vec(z)} - ${vec(tt)}`, res: d, key: 'dz', touch: ['z', 'loss'] }]),
      s(4, t('gr.st.bplus'), [
        { sym: '\\frac{\\partial L}{\\partial u} = \\frac{\\partial L}{\\partial z}', sub: vec(d), res: d, key: 'du', touch: ['u', 'plus'] },
        { sym: '\\frac{\\partial L}{\\partial b} = \\frac{\\partial L}{\\partial z}', sub: vec(d), res: L.db, key: 'db', touch: ['b', 'plus'] }],
      note('note', t('gr.plusRule'))),
      s(5, t('gr.st.bdot'), [
        { sym: '\\frac{\\partial L}{\\partial W} = \\frac{\\partial L}{\\partial u}\\,x^{\\mathsf T}', sub: `${vec(d)}\\,${rowv(x)}`, res: L.dW, key: 'dW', touch: ['W', 'dot'] },
        { sym: '\\frac{\\partial L}{\\partial x} = W^{\\mathsf T}\\,\\frac{\\partial L}{\\partial u}', sub: `${mat(WT)}\\,${vec(d)}`, res: T.dinput[0], key: 'dx', touch: ['x', 'dot'] }],
      note('note', t('gr.dotRule'))),
      s(6, t('st.update'), [
        { sym: 'W \\leftarrow W - \\eta\\,\\frac{\\partial L}{\\partial W}', sub: `${mat(W)} - ${n(eta)}\\,${mat(L.dW)}`, res: L.W, key: 'W.new', touch: ['W'] },
        { sym: 'b \\leftarrow b - \\eta\\,\\frac{\\partial L}{\\partial b}', sub: `${vec(b)} - ${n(eta)}\\,${vec(L.db)}`, res: L.b, key: 'b.new', touch: ['b'] }]),
    ];
  }
  /** The graph: x, W -> (·) -> u; u, b -> (+) -> z; z, t -> L. Forward values above, gradients below. */
  aside(e) {
    const t = this.t, T = e.trace, L = T.layers[0], u = e.extra.u;
    const v2 = a => `(${a.map(x => sig(x, 3)).join(', ')})`;
    const m2 = m => `(${m.map(r => r.map(x => sig(x, 3)).join(', ')).join('; ')})`;
    const svg = h('svg:svg', { class: 'diagram graph', viewBox: '0 40 760 260', role: 'img', 'aria-label': t('gr.diagram') });
    const line = (id, x1, y1, x2, y2) => svg.append(h('svg:line', { id: `d-${id}`, class: 'edge', x1, y1, x2, y2, 'marker-end': 'url(#arr)' }));
    const label = (x, y, cls, txt, anchor = 'middle') => svg.append(h('svg:text', { x, y, class: cls, 'text-anchor': anchor }, txt));
    svg.append(h('svg:defs', {}, h('svg:marker', { id: 'arr', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
      markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, h('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7682' }))));
    const box = (id, x, y, txt) => { svg.append(h('svg:rect', { id: `d-${id}`, class: 'node', x: x - 20, y: y - 16, width: 40, height: 32, rx: 5 })); label(x, y + 5, '', txt); };
    const op = (id, x, y, txt) => { svg.append(h('svg:circle', { id: `d-${id}`, class: 'node op', cx: x, cy: y, r: 20 })); label(x, y + 6, 'opname', txt); };
    line('x', 90, 150, 228, 150); line('W', 250, 254, 250, 172);
    line('u', 270, 150, 468, 150); line('b', 490, 254, 490, 172);
    line('z', 510, 150, 658, 150); line('t', 680, 254, 680, 172);
    box('xn', 70, 150, 'x'); box('Wn', 250, 270, 'W'); op('dot', 250, 150, '·'); op('plus', 490, 150, '+');
    box('bn', 490, 270, 'b'); box('tn', 680, 270, 't'); op('loss', 680, 150, 'L');
    // forward values (blue) above or before, gradients (red) below or after
    label(150, 140, 'fwd', `x = ${v2(T.input[0])}`); label(150, 172, 'bwd', `∂L/∂x = ${v2(T.dinput[0])}`);
    label(260, 208, 'fwd', `W = ${m2(L.W_prev)}`, 'start'); label(260, 226, 'bwd', `∂L/∂W = ${m2(L.dW)}`, 'start');
    label(369, 140, 'fwd', `u = ${v2(u)}`); label(369, 172, 'bwd', `∂L/∂u = ${v2(L.delta[0])}`);
    label(500, 208, 'fwd', `b = ${v2(L.b_prev)}`, 'start'); label(500, 226, 'bwd', `∂L/∂b = ${v2(L.db)}`, 'start');
    label(584, 140, 'fwd', `z = ${v2(L.z[0])}`); label(584, 172, 'bwd', `∂L/∂z = ${v2(L.delta[0])}`);
    label(690, 216, 'fwd', `t = ${v2(T.target[0])}`, 'start');
    label(680, 118, 'fwd', `L = ${sig(T.loss, 4)}`);
    label(20, 70, 'fwd', t('gr.legendF'), 'start'); label(20, 88, 'bwd', t('gr.legendB'), 'start');
    this.svg = svg;
    return svg;
  }
  highlight(ids) {
    if (!this.svg) return;
    for (const el of this.svg.querySelectorAll('.on')) el.classList.remove('on');
    const map = { x: ['x', 'xn'], W: ['W', 'Wn'], u: ['u'], b: ['b', 'bn'], z: ['z'], t: ['t', 'tn'], dot: ['dot'], plus: ['plus'], loss: ['loss'] };
    for (const id of ids || []) for (const k of map[id] || []) this.svg.querySelector(`#d-${k}`)?.classList.add('on');
  }
  notes() {
    const t = this.t;
    return [note('note', t('gr.n.rows'), rich(t('gr.n.rowsText'))), note('note', t('note.why'), rich(t('gr.n.paths')))];
  }
}
