// Panel 5: the perceptron of the slides. AND, NAND, OR with the slides' weights and thresholds
// (step activation, b = -theta), their truth tables and decision regions; XOR impossible with one
// line; XOR as AND(NAND, OR) with two step layers; XOR learned by a 2-2-1 sigmoid network, its
// decision region redrawn as it trains. All outputs are the core's (forward trace, predict).
import { Panel } from './netpanel.js';
import { h, numField, selField, checks, note, rich, num, tex, Chart, plotSpec, autoCanvas } from './ui.js';
import { n, np, actApply } from './tex.js';
import { negateText, parseNum } from '../lib/format.js';

const X4 = [[0, 0], [1, 0], [0, 1], [1, 1]];          // the slides' row order
const TRUTH = { and: [0, 0, 0, 1], nand: [1, 1, 1, 0], or: [0, 1, 1, 1], xor: [0, 1, 1, 0] };
const G = 120;                                         // grid cells per side of the plane
const LO = -0.5, HI = 1.5;
// the grid's centres, inputs given to the core for net.predict (layout, not results)
const GRID = [];
for (let r = 0; r < G; r++) for (let c = 0; c < G; c++) GRID.push([LO + (HI - LO) * (c + 0.5) / G, HI - (HI - LO) * (r + 0.5) / G]);

export default class Perceptron extends Panel {
  get id() { return 'perceptron'; }
  constructor(ctx) {
    super(ctx);
    // the slides' parameters: (w1, w2, theta) as typed text, b = -theta
    this.p = {
      and: { w1: '0.5', w2: '0.5', th: '0.7' }, nand: { w1: '-0.5', w2: '-0.5', th: '-0.7' }, or: { w1: '0.5', w2: '0.5', th: '0.4' },
      one: { w1: '0.5', w2: '0.5', th: '0.4' },
      learn: { loss: 'bce', opt: 'adam', lr: 0.1, seed: 1, n: 300, act: 'sigmoid' },
    };
    this.learn = null;
  }
  get stageNames() { const t = this.t; return ['AND', 'NAND', 'OR', t('pc.st.xor1'), t('pc.st.xor2'), t('pc.st.learn')]; }
  render() {
    const t = this.t;
    const bar = this.bar = this.makeStageBar('keys.simple');
    this.status = h('div', { class: 'status', role: 'status' });
    this.body = h('div', { class: 'formulas', 'data-testid': 'formulas' });
    this.secs = {};
    for (const g of ['and', 'nand', 'or', 'one', 'xor2', 'learn']) this.secs[g] = h('section', { class: 'fsec pc', 'data-stage': ['and', 'nand', 'or', 'one', 'xor2', 'learn'].indexOf(g) });
    this.body.append(...Object.values(this.secs));
    this.root.replaceChildren(this.header(), bar, this.status, this.body,
      h('div', { class: 'notes' }, note('note', t('pc.n.bias'), rich(t('pc.n.biasText'))), note('fix', t('note.course'), rich(t('pc.n.or')))));
    for (const g of ['and', 'nand', 'or', 'one']) this.gate(g);
    this.xor2();
    this.learnSection();
    this.showStage();
  }
  /** A one-neuron step network from typed (w1, w2, theta); b is -theta by flipping the typed sign. */
  stepNet(q) {
    const net = this.core.createNet({ sizes: [2, 1], activations: ['step'], loss: 'half_sse' });
    net.setLayer(0, [[Number(q.w1), Number(q.w2)]], [parseNum(negateText(q.th)).value]);
    return net;
  }
  fields(g, onChange) {
    const t = this.t, q = this.p[g], big = checks.abs(t, 100);
    const f = (k, label) => numField({ label, value: q[k], t, key: `${g}.${k}`, check: big, width: 5, onValid: (v, text) => { q[k] = String(v); onChange(); } });
    return h('div', { class: 'controls inline' }, f('w1', '$w_1$'), f('w2', '$w_2$'), f('th', '$\\theta$'));
  }
  /** One gate: fields, the formula, the truth table with z and y from the core, the plane. */
  gate(g) {
    const t = this.t, sec = this.secs[g], q = this.p[g];
    const name = g === 'one' ? 'XOR?' : g.toUpperCase();
    const target = g === 'one' ? TRUTH.xor : TRUTH[g];
    const net = this.stepNet(q);
    let z, y, grid;
    try {
      net.setTrace(true);
      net.forward(X4);
      z = Array.from(net.view('z', 0).data); y = Array.from(net.view('a', 0).data);
      grid = net.predict(GRID);
    } finally { net.free(); }
    const b = parseNum(negateText(q.th)).value;
    const rows = X4.map((x, i) => {
      const ok = y[i] === target[i];
      return h('tr', {}, h('td', {}, x[0]), h('td', {}, x[1]),
        h('td', { class: 'sub' }, tex(`\\operatorname{step}(${n(Number(q.w1))} \\cdot ${x[0]} + ${np(Number(q.w2))} \\cdot ${x[1]} + ${np(b)})`)),
        h('td', {}, num(z[i], `${g}.z.${i}`)), h('td', {}, num(y[i], `${g}.y.${i}`)), h('td', {}, target[i]),
        h('td', { class: ok ? 'ok' : 'no' }, ok ? '✓' : '✗'));
    });
    const wrong = y.some((v, i) => v !== target[i]);
    const table = h('table', { class: 'tt' }, h('thead', {}, h('tr', {}, ['x₁', 'x₂', t('pc.sum'), 'z', 'y', name === 'XOR?' ? 'XOR' : name, ''].map(c => h('th', {}, c)))), h('tbody', {}, rows));
    const plane = h('div', { class: 'planebox' });
    sec.replaceChildren(h('h3', {}, g === 'one' ? t('pc.st.xor1') : t('pc.gate', { g: name })),
      h('div', { class: 'grid2' },
        h('div', {}, this.fields(g, () => { this.gate(g); if (g !== 'one') this.xor2(); this.showStage(); }),
          h('div', { class: 'frow' }, h('div', { class: 'f-line' }, tex('y = \\begin{cases} 0, & w_1 x_1 + w_2 x_2 \\le \\theta \\\\ 1, & w_1 x_1 + w_2 x_2 > \\theta \\end{cases} = \\operatorname{step}(w_1 x_1 + w_2 x_2 + b),\\quad b = -\\theta'))),
          h('div', { class: 'scroll-x' }, table),
          g === 'one' ? note(wrong ? 'warn' : 'fix', wrong ? t('pc.cannot') : '', rich(t('pc.proof'))) : (wrong ? note('warn', t('pc.notGate', { g: name })) : null)),
        h('figure', { class: 'lossfig' }, h('figcaption', {}, rich(t('pc.plane'))), plane)));
    this.canvas(g, plane, (c, w, hh) => drawPlane(c, w, hh, grid, target, { step: true }));
  }
  /** A plane canvas for section g (the previous one's observer released). */
  canvas(g, el, draw) {
    this.canvases = this.canvases || {};
    this.canvases[g]?.destroy();
    this.canvases[g] = autoCanvas(el, draw, 1);
    return this.canvases[g];
  }
  /** XOR = AND(NAND(x), OR(x)): the gates' current parameters as a two-layer step network. */
  xor2() {
    const t = this.t, sec = this.secs.xor2, P = this.p;
    const net = this.core.createNet({ sizes: [2, 2, 1], activations: ['step', 'step'], loss: 'half_sse' });
    const b = k => parseNum(negateText(P[k].th)).value;
    let s, y, grid;
    try {
      net.setLayer(0, [[Number(P.nand.w1), Number(P.nand.w2)], [Number(P.or.w1), Number(P.or.w2)]], [b('nand'), b('or')]);
      net.setLayer(1, [[Number(P.and.w1), Number(P.and.w2)]], [b('and')]);
      net.setTrace(true);
      net.forward(X4);
      s = net.view('a', 0); y = Array.from(net.view('a', 1).data);
      grid = net.predict(GRID);
    } finally { net.free(); }
    const rows = X4.map((x, i) => {
      const ok = y[i] === TRUTH.xor[i];
      return h('tr', {}, h('td', {}, x[0]), h('td', {}, x[1]), h('td', {}, num(s.data[i * 2], `xor2.s1.${i}`)), h('td', {}, num(s.data[i * 2 + 1], `xor2.s2.${i}`)),
        h('td', {}, num(y[i], `xor2.y.${i}`)), h('td', {}, TRUTH.xor[i]), h('td', { class: ok ? 'ok' : 'no' }, ok ? '✓' : '✗'));
    });
    const plane = h('div', { class: 'planebox' });
    sec.replaceChildren(h('h3', {}, t('pc.st.xor2')),
      h('div', { class: 'grid2' },
        h('div', {}, h('div', { class: 'frow' }, h('div', { class: 'f-line' }, tex('s_1 = \\operatorname{NAND}(x_1, x_2),\\quad s_2 = \\operatorname{OR}(x_1, x_2),\\quad y = \\operatorname{AND}(s_1, s_2)'))),
          h('p', { class: 'f-note' }, t('pc.xor2Note')),
          h('table', { class: 'tt' }, h('thead', {}, h('tr', {}, ['x₁', 'x₂', 's₁ (NAND)', 's₂ (OR)', 'y', 'XOR', ''].map(c => h('th', {}, c)))), h('tbody', {}, rows))),
        h('figure', { class: 'lossfig' }, h('figcaption', {}, rich(t('pc.plane'))), plane)));
    this.canvas('xor2', plane, (c, w, hh) => drawPlane(c, w, hh, grid, TRUTH.xor, { step: true }));
  }
  /** XOR learned by a 2-2-1 sigmoid network: trained in small chunks, the region redrawn each frame. */
  learnSection() {
    const t = this.t, sec = this.secs.learn, q = this.p.learn;
    const reset = () => { this.stopTraining(); this.newLearner(); this.drawLearner(); };
    const fields = h('div', { class: 'controls inline' },
      selField({ label: t('f.actH'), key: 'learn.act', value: q.act, options: ['sigmoid', 'tanh', 'relu'].map(a => [a, t(`act.${a}`)]), onChange: v => { q.act = v; reset(); } }),
      selField({ label: t('f.loss'), key: 'learn.loss', value: q.loss, options: [['bce', 'BCE'], ['half_sse', '½ Σ (y − t)²']], onChange: v => { q.loss = v; reset(); } }),
      selField({ label: t('f.opt'), key: 'learn.opt', value: q.opt, options: [['adam', 'Adam'], ['sgd', 'SGD']], onChange: v => { q.opt = v; reset(); } }),
      numField({ label: '$\\eta$', title: t('f.lr'), value: q.lr, t, key: 'learn.lr', check: checks.lr(t), width: 5, onValid: v => { q.lr = v; reset(); } }),
      numField({ label: t('f.seed'), value: q.seed, t, key: 'learn.seed', check: checks.int(t, 0, 100000), width: 5, onValid: v => { q.seed = v; reset(); } }),
      numField({ label: t('f.n'), value: q.n, t, key: 'learn.n', check: checks.int(t, 1, 20000), width: 5, onValid: v => { q.n = v; } }),
      h('button', { type: 'button', class: 'btn primary', 'data-testid': 'train', onclick: () => this.train(q.n) }, t('btn.train')),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'stop', onclick: () => this.stopTraining() }, t('btn.stop')),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'learn-reset', onclick: reset }, t('btn.reset')));
    this.learnTable = h('div', {});
    this.learnIter = h('p', { class: 'iter-label', 'data-testid': 'learn-iter' });
    const plane = h('div', { class: 'planebox' }), lossBox = h('div', { class: 'plotbox' });
    sec.replaceChildren(h('h3', {}, t('pc.st.learn')), fields,
      h('div', { class: 'grid2' },
        h('div', {}, h('div', { class: 'frow' }, h('div', { class: 'f-line' }, tex(`h = ${actApply(q.act, 'W^{(1)} x + b^{(1)}')},\\quad y = \\sigma(W^{(2)} h + b^{(2)})`))),
          this.learnIter, this.learnTable, h('p', { class: 'f-note' }, t('pc.learnNote')),
          h('figure', { class: 'lossfig' }, h('figcaption', {}, t('plot.loss')), lossBox)),
        h('figure', { class: 'lossfig' }, h('figcaption', {}, rich(t('pc.planeLearn'))), plane)));
    if (this.lossPlot) this.lossPlot.destroy();
    this.lossPlot = new Chart(lossBox, plotSpec({ xLabel: t('plot.iter'), intX: true, yLabel: t('plot.lossAxis'), series: [{ label: 'L', color: '#c0392b' }] }), { height: 160 });
    this.learnCanvas = this.canvas('learn', plane, (c, w, hh) => { if (this.learnGrid) drawPlane(c, w, hh, this.learnGrid, TRUTH.xor, { step: false }); });
    if (!this.learn) this.newLearner();
    this.drawLearner();
  }
  newLearner() {
    const q = this.p.learn;
    if (this.learn) this.learn.net.free();
    const net = this.core.createNet({ sizes: [2, 2, 1], activations: [q.act, 'sigmoid'], loss: q.loss });
    net.init('xavier_normal', q.seed);
    net.setOptimizer({ name: q.opt, lr: q.lr });
    this.learn = { net, losses: [] };
  }
  train(total) {
    this.stopTraining();
    let left = total;
    const T = TRUTH.xor.map(v => [v]);
    const tick = () => {
      const k = Math.min(left, 10);
      try { for (let i = 0; i < k; i++) this.learn.losses.push(this.learn.net.step(X4, T)); } catch (e) {
        this.status.textContent = `${this.t('core.DIVERGED')} (${e.message})`; this.status.classList.add('bad'); left = 0;
      }
      left -= k;
      this.drawLearner();
      this.raf = left > 0 ? requestAnimationFrame(tick) : 0;
    };
    tick();
  }
  stopTraining() { if (this.raf) cancelAnimationFrame(this.raf); this.raf = 0; }
  drawLearner() {
    const t = this.t, L = this.learn;
    const y = L.net.predict(X4);
    this.learnGrid = L.net.predict(GRID);
    this.learnIter.textContent = t('iter.of', { k: L.net.stepCount });
    this.learnTable.replaceChildren(h('table', { class: 'tt' }, h('thead', {}, h('tr', {}, ['x₁', 'x₂', 'y', 'XOR', ''].map(c => h('th', {}, c)))),
      h('tbody', {}, X4.map((x, i) => {
        const ok = (y[i] > 0.5) === (TRUTH.xor[i] === 1);
        return h('tr', {}, h('td', {}, x[0]), h('td', {}, x[1]), h('td', {}, num(y[i], `learn.y.${i}`)), h('td', {}, TRUTH.xor[i]), h('td', { class: ok ? 'ok' : 'no' }, ok ? '✓' : '✗'));
      }))));
    this.lossPlot.setData([L.losses.map((_, i) => i + 1), L.losses]);
    this.learnCanvas.paint();
  }
  destroy() { for (const c of Object.values(this.canvases || {})) c.destroy(); this.stopTraining(); if (this.learn) this.learn.net.free(); this.lossPlot?.destroy(); }
}

/**
 * The plane [-0.5, 1.5]^2: the network's output on the grid as colour (blue 1, red 0 as on the
 * slides; sigmoid outputs shaded, the 0.5 level marked), the four inputs with their targets.
 */
function drawPlane(c, w, hh, grid, target, { step }) {
  const cell = w / G;
  for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
    const v = grid[r * G + k];
    if (step) c.fillStyle = v > 0.5 ? '#cfe0fb' : '#fbd5d0';
    else {
      const a = Math.max(0, Math.min(1, v));
      c.fillStyle = `rgb(${Math.round(251 - a * 44)}, ${Math.round(213 + a * 11)}, ${Math.round(208 + a * 43)})`;
    }
    c.fillRect(k * cell, r * cell, cell + 0.6, cell + 0.6);
  }
  // the boundary: where the output crosses 0.5 between neighbouring cells
  c.fillStyle = '#1b1f24';
  for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
    const v = grid[r * G + k] > 0.5;
    if (k + 1 < G && v !== grid[r * G + k + 1] > 0.5) c.fillRect((k + 1) * cell - 1, r * cell, 2, cell + 0.6);
    if (r + 1 < G && v !== grid[(r + 1) * G + k] > 0.5) c.fillRect(k * cell, (r + 1) * cell - 1, cell + 0.6, 2);
  }
  const px = x => (x - LO) / (HI - LO) * w, py = y => (HI - y) / (HI - LO) * hh;
  c.strokeStyle = '#8a96a3'; c.lineWidth = 1;
  c.beginPath(); c.moveTo(px(0), 0); c.lineTo(px(0), hh); c.moveTo(0, py(0)); c.lineTo(w, py(0)); c.stroke();
  c.font = '12px system-ui, sans-serif'; c.fillStyle = '#59636e';
  c.fillText('x₁', w - 18, py(0) - 6); c.fillText('x₂', px(0) + 6, 14);
  c.fillText('0', px(0) - 12, py(0) + 14); c.fillText('1', px(1) - 3, py(0) + 14); c.fillText('1', px(0) - 12, py(1) + 4);
  X4.forEach(([a, b], i) => {
    c.beginPath(); c.arc(px(a), py(b), 8, 0, 2 * Math.PI);
    c.fillStyle = target[i] ? '#1f5fbf' : '#fff'; c.fill();
    c.lineWidth = 2.5; c.strokeStyle = target[i] ? '#1f5fbf' : '#c0392b'; c.stroke();
  });
}
