// Panel 1: one weight, y = f(w X), L = (Y - y)^2 (the lab report's example: X = 2, Y = 10, w = 3,
// lr = 0.01 -> dL/dw = -16, w = 3.16, y = 6.32). Every value is the core's (trace, predict).
import { NetPanel } from './netpanel.js';
import { h, fsec, numField, selField, checks, note, rich, Chart, plotSpec } from './ui.js';
import { n, np, actApply, dActSym, dActSub, alphaOf } from './tex.js';

const ACTS = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu'];

export default class OneWeight extends NetPanel {
  get id() { return 'one-weight'; }
  defaults() { return { X: 2, Y: 10, w: 3, lr: 0.01, act: 'identity' }; }
  spec() {
    const p = this.p;
    return { layers: [1, 1], activations: [p.act], loss: 'mse', weights: [[[p.w]]], biases: [null],
      input: [[p.X]], target: [[p.Y]], optimizer: { name: 'sgd', lr: p.lr } };
  }
  get stageNames() { const t = this.t; return [t('st.forward'), t('st.loss'), t('st.backward'), t('st.update')]; }
  controls() {
    const t = this.t, p = this.p;
    const f = (key, label, check, title) => numField({ label, value: p[key], check: check || checks.any, t, key, title,
      onValid: v => this.set(key, v) });
    return [
      f('X', '$X$', checks.abs(t, 1e6), t('f.input')),
      f('Y', '$Y$', checks.abs(t, 1e6), t('f.target')),
      f('w', '$w$', checks.abs(t, 1e6), t('f.weight0')),
      this.lrField(),
      selField({ label: t('f.act'), key: 'act', value: p.act, options: ACTS.map(a => [a, t(`act.${a}`)]), onChange: v => this.set('act', v) }),
    ];
  }
  /** The prediction with the updated weight, by the core (after the trace was read). */
  extra() { return { ynew: this.net.predict([[this.p.X]])[0] }; }
  sections(e) {
    const t = this.t, T = e.trace, L = T.layers[0], act = L.activation;
    const X = T.input[0][0], Y = T.target[0][0], w = L.W_prev[0][0], z = L.z[0][0], y = L.a[0][0];
    const lin = act === 'identity', eta = this.p.lr;
    const fwd = lin
      ? [{ sym: 'y = w\\,X', sub: `${n(w)} \\cdot ${np(X)}`, res: y, key: 'y' }]
      : [{ sym: 'z = w\\,X', sub: `${n(w)} \\cdot ${np(X)}`, res: z, key: 'z' },
        { sym: `y = ${actApply(act, 'z')}`, sub: actApply(act, n(z)), res: y, key: 'y' }];
    const dz = lin ? [] : [{
      sym: `\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial y}\\,f'(z) = -2\\,(Y - y)\\,${dActSym(act, 'z', 'y')}`,
      sub: `-2\\,(${n(Y)} - ${np(y)})\\,${dActSub(act, z, y, alphaOf(act))}`, res: L.delta[0][0], key: 'dLdz' }];
    const grad = lin
      ? [{ sym: '\\frac{\\partial L}{\\partial y} = -2\\,(Y - y)', sub: `-2\\,(${n(Y)} - ${np(y)})`, res: L.delta[0][0], key: 'dLdy' },
        { sym: '\\frac{\\partial L}{\\partial w} = \\frac{\\partial L}{\\partial y}\\,\\frac{\\partial y}{\\partial w} = \\frac{\\partial L}{\\partial y}\\,X',
          sub: `${n(L.delta[0][0])} \\cdot ${np(X)}`, res: L.dW[0][0], key: 'dLdw' },
        { label: t('ow.courseForm'), sym: '\\frac{\\partial L}{\\partial w} = 2\\,(Y - y)\\,(-X)', sub: `2\\,(${n(Y)} - ${np(y)})\\,(-${np(X)})`,
          res: L.dW[0][0], key: 'dLdw.course' }]
      : [...dz, { sym: '\\frac{\\partial L}{\\partial w} = \\frac{\\partial L}{\\partial z}\\,X', sub: `${n(L.delta[0][0])} \\cdot ${np(X)}`, res: L.dW[0][0], key: 'dLdw' }];
    const upd = [
      { sym: 'w \\leftarrow w - \\eta\\,\\frac{\\partial L}{\\partial w}', sub: `${n(w)} - ${n(eta)} \\cdot ${np(L.dW[0][0])}`, res: L.W[0][0], key: 'w.new' },
      { sym: lin ? 'y_{\\text{new}} = w_{\\text{new}}\\,X' : `y_{\\text{new}} = ${actApply(act, 'w_{\\text{new}}\\,X')}`,
        sub: lin ? `${n(L.W[0][0])} \\cdot ${np(X)}` : actApply(act, `${n(L.W[0][0])} \\cdot ${np(X)}`), res: e.extra.ynew, key: 'y.new',
        note: t('ow.closer') },
    ];
    const st = (s, rows) => rows.map(r => ({ ...r, stage: s }));
    return [
      fsec(0, t('st.forward'), st(0, fwd)),
      fsec(1, t('st.loss'), st(1, [{ sym: 'L = (Y - y)^2', sub: `(${n(Y)} - ${np(y)})^2`, res: T.loss, key: 'L' }])),
      fsec(2, t('st.backward'), st(2, grad)),
      fsec(3, t('st.update'), st(3, upd)),
    ];
  }
  /** y before each update (the core's forward output) next to the target Y. */
  track() { return this.net.view('a', 0).data[0]; }
  sideFigure(side) {
    const t = this.t, box = h('div', { class: 'plotbox' });
    side.append(h('figure', { class: 'lossfig' }, h('figcaption', {}, rich(t('ow.yplot'))), box));
    if (this.yplot) this.yplot.destroy();
    this.yplot = new Chart(box, plotSpec({ xLabel: t('plot.iter'), intX: true, yLabel: 'y',
      series: [{ label: 'y', color: '#1f5fbf' }, { label: 'Y', color: '#555', dash: [6, 4], width: 1 }] }), { height: 160 });
  }
  updateFigure() {
    const xs = this.tracked.map((_, i) => i + 1);
    this.yplot.setData([xs, this.tracked, this.tracked.map(() => this.s.target[0][0])]);
  }
  destroy() { super.destroy(); if (this.yplot) this.yplot.destroy(); }
  notes() {
    const t = this.t;
    return [note('fix', t('note.course'), rich(t('ow.slip'))), note('note', t('note.mse'), rich(t('ow.mse')))];
  }
}
