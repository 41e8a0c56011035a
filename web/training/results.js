// results.js - what a trained network shows: the confusion matrix, a grid of misclassified test
// digits (predicted and true label, predicted probability) and the first layer's weights as
// 28 x 28 images. Plain DOM and canvas; every text comes from the translator.


const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
};

/**
 * The confusion matrix (K x K counts, rows true, columns predicted) as a table. The table is built
 * once and its cells updated afterwards (cheap while training).
 */
export function renderConfusion(container, confusion, K, { t, num }) {
  let table = container.querySelector('table.confusion');
  if (!table || table.dataset.k !== String(K) || table.dataset.lang !== t('lang.name')) {
    table = el('table', { class: 'confusion' });
    table.dataset.k = String(K);
    table.dataset.lang = t('lang.name');
    table.append(el('caption', { text: t('confusion.caption') }));
    const head = el('tr', {}, el('th', { scope: 'col', class: 'corner' }, el('span', { class: 'c-true', text: t('confusion.true') }), ' \\ ', el('span', { class: 'c-pred', text: t('confusion.pred') })));
    for (let p = 0; p < K; p++) head.append(el('th', { scope: 'col', text: String(p) }));
    table.append(el('thead', {}, head));
    const body = el('tbody');
    for (let r = 0; r < K; r++) {
      const tr = el('tr', {}, el('th', { scope: 'row', text: String(r) }));
      for (let p = 0; p < K; p++) tr.append(el('td'));
      body.append(tr);
    }
    table.append(body);
    container.replaceChildren(table);
  }
  const rows = table.tBodies[0].rows;
  for (let r = 0; r < K; r++) {
    let rowSum = 0;
    for (let p = 0; p < K; p++) rowSum += confusion[r * K + p];
    for (let p = 0; p < K; p++) {
      const n = confusion[r * K + p];
      const td = rows[r].cells[p + 1];
      if (td.dataset.v === String(n)) continue;
      td.dataset.v = String(n);
      td.textContent = n ? num(n) : '';
      td.title = t('confusion.cell', { t: r, p, n });
      // green on the diagonal, red off it; strength by the share of the row, at most 0.6 so that the
      // dark digits keep at least 7:1 on every shade (white on a strong shade fell to 2.9:1)
      const share = rowSum ? n / rowSum : 0;
      const a = !n ? 0 : r === p ? 0.12 + 0.48 * share : Math.min(0.6, 0.12 + 2 * share);
      td.style.background = !n ? '' : r === p ? `rgba(22, 163, 74, ${a.toFixed(3)})` : `rgba(220, 38, 38, ${a.toFixed(3)})`;
    }
  }
}

/**
 * The grid of misclassified digits: info {n, total, items: [{index, label, pred, prob, pixels}]}.
 * All digits are drawn on one canvas that becomes one image; each item shows its part of it (a page
 * with dozens of live canvases is slow to paint while training). Items are reused between calls.
 */
export function renderMisclassified(container, info, { t, pct }) {
  const n = info.items.length;
  let grid = container.querySelector('ul.digits');
  let note = container.querySelector('p.note');
  if (!grid || grid.children.length !== n) {
    grid = el('ul', { class: 'digits' });
    for (let i = 0; i < n; i++) grid.append(el('li', {}, el('span', { class: 'digit-img', 'aria-hidden': 'true' }), el('span', { class: 'pred' }), el('span', { class: 'true' })));
    note = el('p', { class: 'note' });
    container.replaceChildren(note, grid);
  }
  note.textContent = info.n ? t('mis.count', { n: info.n, total: info.total }) : t('mis.none');
  if (!n) return;
  const sheet = document.createElement('canvas');
  sheet.width = 28 * n; sheet.height = 28;
  const ctx = sheet.getContext('2d');
  const img = ctx.createImageData(28 * n, 28);
  info.items.forEach((it, i) => {
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const v = it.pixels[y * 28 + x], o = (y * 28 * n + i * 28 + x) * 4;
      img.data[o] = img.data[o + 1] = img.data[o + 2] = v; img.data[o + 3] = 255;
    }
  });
  ctx.putImageData(img, 0, 0);
  sheet.toBlob(blob => {
    if (!blob) return;
    const old = grid.dataset.url;
    grid.dataset.url = URL.createObjectURL(blob);
    grid.style.setProperty('--sheet', `url(${grid.dataset.url})`);
    grid.style.setProperty('--sheet-size', `${n * 100}% 100%`);
    if (old) URL.revokeObjectURL(old);
  });
  info.items.forEach((it, i) => {
    const li = grid.children[i];
    const [pic, pred, tru] = li.children;
    pic.style.backgroundPosition = n > 1 ? `${(i / (n - 1)) * 100}% 0` : '0 0';
    const label = t('mis.item', { pred: String(it.pred), prob: pct(it.prob, 0), label: String(it.label) });
    li.title = label;
    li.setAttribute('aria-label', label);
    pred.replaceChildren(`${t('mis.pred')} `, el('b', { text: String(it.pred) }), ` ${pct(it.prob, 0)}`);
    tru.replaceChildren(`${t('mis.true')} `, el('b', { text: String(it.label) }));
  });
}

/**
 * First-layer weights w {units, total, inputs, data}: each unit's row of 784 weights as a 28 x 28
 * tile (blue negative, white zero, red positive; scaled by the unit's largest |w|), all tiles on one
 * canvas.
 */
export function renderWeights(container, w, { t }) {
  const side = Math.round(Math.sqrt(w.inputs));
  const cols = Math.min(16, w.units), rows = Math.ceil(w.units / cols);
  const gap = 2, W = cols * (side + gap) - gap, H = rows * (side + gap) - gap;
  let canvas = container.querySelector('canvas.weights');
  let note = container.querySelector('p.note');
  if (!canvas) {
    canvas = el('canvas', { class: 'weights', role: 'img' });
    note = el('p', { class: 'note' });
    container.replaceChildren(note, canvas);
  }
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  canvas.style.aspectRatio = `${W} / ${H}`;
  canvas.style.maxWidth = `${W * 2}px`;
  canvas.setAttribute('aria-label', t('weights.title'));
  note.textContent = `${t('weights.note')} ${w.units < w.total ? t('weights.shown', { n: w.units, total: w.total }) : ''}`;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(W, H);
  img.data.fill(255);
  for (let u = 0; u < w.units; u++) {
    const row = w.data.subarray(u * w.inputs, (u + 1) * w.inputs);
    let m = 1e-12;
    for (let i = 0; i < row.length; i++) m = Math.max(m, Math.abs(row[i]));
    const ox = (u % cols) * (side + gap), oy = Math.floor(u / cols) * (side + gap);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
      const v = Math.max(-1, Math.min(1, row[y * side + x] / m));
      const o = ((oy + y) * W + ox + x) * 4;
      // diverging map: blue (-1) - white (0) - red (+1)
      if (v >= 0) { img.data[o] = 255 - 40 * v; img.data[o + 1] = 255 * (1 - v) + 20 * v; img.data[o + 2] = 255 * (1 - v) + 30 * v; }
      else { const a = -v; img.data[o] = 255 * (1 - a) + 30 * a; img.data[o + 1] = 255 * (1 - a) + 90 * a; img.data[o + 2] = 255 - 40 * a; }
    }
  }
  ctx.putImageData(img, 0, 0);
}
