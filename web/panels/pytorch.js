// pytorch.js - "Open in PyTorch" for the panels: each panel's current example (its p, as edited) as
// the script of lib/pytorch-script.js / lib/pytorch-panels.js that prints the values the panel shows,
// in the shared code dialog (ui/code-dialog.js). The panels' header (netpanel.js) has the button and
// loads this module when it is first pressed.
import { OPTIMIZER_DEFAULTS } from '../lib/engine.js';
import { buildNet } from '../lib/spec.js';
import { toyScript } from '../lib/pytorch-script.js';
import { surfaceScript, lossesScript, perceptronScript } from '../lib/pytorch-panels.js';
import { openCodeDialog } from '../ui/code-dialog.js';

/** The rows of a flat row-major matrix. */
const rows = (flat, cols) => Array.from({ length: flat.length / cols }, (_, r) => Array.from(flat.subarray(r * cols, (r + 1) * cols)));

/** The initial [{W, b}] of a net (W as rows). */
function paramsOf(net) {
  return Array.from({ length: net.layers }, (_, l) => {
    const b = net.view('b', l);
    return { W: rows(net.view('W', l).data, net.sizes[l]), b: b && Array.from(b.data) };
  });
}

/** The panel's script: {script, file}. Throws ExportError for what PyTorch export does not cover. */
export function panelScript(panel, lang) {
  const core = panel.core, file = `${panel.id}.py`;
  const opts = { lang, defaults: OPTIMIZER_DEFAULTS, version: core.version, file };
  if (panel.id === 'optimizers')
    return { file, script: surfaceScript({ surface: panel.surface, start: panel.p.start, n: panel.p.n, optimizers: panel.p.o }, opts) };
  if (panel.id === 'losses') return { file, script: lossesScript(panel.p, opts) };
  if (panel.id === 'perceptron') {
    const q = panel.p.learn;      // the learner's initial weights, drawn as the panel's newLearner() does
    const net = core.createNet({ sizes: [2, 2, 1], activations: [q.act, 'sigmoid'], loss: q.loss });
    let init;
    try { net.init('xavier_normal', q.seed); init = paramsOf(net); } finally { net.free(); }
    return { file, script: perceptronScript(panel.p, init, opts) };
  }
  const spec = panel.spec();
  let params = null;
  if (!spec.weights) {                            // weights the core draws from init and seed
    const { net } = buildNet(core, spec);
    try { params = paramsOf(net); } finally { net.free(); }
  }
  return { file, script: toyScript(spec, { ...opts, params, gradcheck: panel.id === 'gradcheck' ? panel.p.d : null }) };
}

/** Opens the dialog with the panel's script in the page's language. */
export function openPanelScript(panel) {
  const lang = panel.ctx.lang;
  return openCodeDialog({ lang, file: `${panel.id}.py`, make: () => panelScript(panel, lang) });
}
