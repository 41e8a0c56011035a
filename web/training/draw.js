// draw.js - a drawing pad for one digit, and the MNIST preprocessing of what was drawn: the ink's
// bounding box is scaled (keeping its aspect ratio) to fit 20 x 20 with area averaging, then placed
// in 28 x 28 so that its centre of mass is at the centre, as LeCun et al. built MNIST.
// mnistPreprocess() is pure and runs in Node.

/**
 * ink: Float32Array(w*h) of values in [0, 1] (1 = ink). Returns Float32Array(784) in [0, 1], or
 * null when there is no ink.
 */
export function mnistPreprocess(ink, w, h, { box = 20, size = 28 } = {}) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (ink[y * w + x] > 0.01) { if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const s = box / Math.max(bw, bh);              // source pixels -> target pixels
  const tw = Math.max(1, Math.round(bw * s)), th = Math.max(1, Math.round(bh * s));
  // Area-averaging resample of the box to tw x th.
  const small = new Float32Array(tw * th);
  const sx = bw / tw, sy = bh / th;
  for (let ty = 0; ty < th; ty++) {
    const ya = y0 + ty * sy, yb = ya + sy;
    for (let tx = 0; tx < tw; tx++) {
      const xa = x0 + tx * sx, xb = xa + sx;
      let sum = 0, area = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        if (wy <= 0 || y >= h) continue;
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          if (wx <= 0 || x >= w) continue;
          sum += ink[y * w + x] * wx * wy;
          area += wx * wy;
        }
      }
      small[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  // Centre of mass of the resampled digit.
  let m = 0, cx = 0, cy = 0;
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) { const v = small[y * tw + x]; m += v; cx += v * x; cy += v * y; }
  if (m <= 0) return null;
  cx /= m; cy /= m;
  const c = (size - 1) / 2;
  const ox = Math.round(c - cx), oy = Math.round(c - cy);
  const out = new Float32Array(size * size);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) {
    const X = x + ox, Y = y + oy;
    if (X >= 0 && X < size && Y >= 0 && Y < size) out[Y * size + X] = Math.min(1, small[y * tw + x]);
  }
  return out;
}

/** Draws 784 values (0..1 floats or 0..255 bytes) on a 28 x 28 canvas, white ink on black. */
export function drawDigit(canvas, values) {
  canvas.width = 28; canvas.height = 28;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  const bytes = values instanceof Uint8Array;
  for (let i = 0; i < 784; i++) {
    const v = bytes ? values[i] : Math.round(Math.max(0, Math.min(1, values[i] || 0)) * 255);
    img.data[i * 4] = img.data[i * 4 + 1] = img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * The pad: a square canvas drawn with pointer events (mouse, pen, finger) or with the keyboard. onChange(x)
 * gets the preprocessed Float32Array(784), or null after clear(); called at most once per animation frame.
 *
 * Keyboard, while the canvas has focus: the arrow keys move a cursor (Shift: bigger steps; two arrows
 * held together: diagonally), Space or Enter puts the pen down or lifts it (moving with the pen down
 * draws with the pointer's brush), Delete or Backspace clears. The cursor is drawn only on the visible
 * canvas: the ink lives on a canvas of its own, which is what read() preprocesses.
 * opts.onPen(down) is told when the keyboard pen goes down or up.
 */
export class DrawPad {
  constructor(canvas, onChange, { onPen = null } = {}) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.onPen = onPen;
    this.size = 280;
    canvas.width = this.size; canvas.height = this.size;
    this.view = canvas.getContext('2d');
    const ink = document.createElement('canvas');
    ink.width = this.size; ink.height = this.size;
    this.ink = ink;
    this.ctx = ink.getContext('2d', { willReadFrequently: true });
    this.drawing = false;
    this.last = null;
    this.dirty = false;
    this.painting = false;
    this.hasInk = false;
    // keyboard
    this.step = this.size / 28;              // one pixel of the 28 x 28 digit
    this.bigStep = 4 * this.step;
    this.cursor = { x: this.size / 2, y: this.size / 2 };
    this.pen = false;
    this.keys = false;                       // the keyboard is in use: show the cursor
    this.held = new Set();                   // arrow keys held down
    if (!canvas.hasAttribute('tabindex')) canvas.tabIndex = 0;
    canvas.dataset.pen = 'up';
    this.clear(false);
    canvas.addEventListener('pointerdown', e => this._down(e));
    canvas.addEventListener('pointermove', e => this._move(e));
    for (const t of ['pointerup', 'pointercancel', 'lostpointercapture']) canvas.addEventListener(t, () => this._up());
    canvas.addEventListener('keydown', e => this._key(e));
    canvas.addEventListener('keyup', e => this.held.delete(e.key));
    canvas.addEventListener('focus', () => this._setKeys(canvas.matches(':focus-visible')));
    canvas.addEventListener('blur', () => { this.held.clear(); this._setPen(false); this._setKeys(false); });
  }
  _pos(e) {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * this.size, y: ((e.clientY - r.top) / r.height) * this.size };
  }
  _down(e) {
    e.preventDefault();
    this._setPen(false);
    this._setKeys(false);
    this.canvas.setPointerCapture(e.pointerId);
    this.drawing = true;
    this.last = this._pos(e);
    this._line(this.last, this.last);
  }
  _move(e) {
    if (!this.drawing) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ce of events.length ? events : [e]) {
      const p = this._pos(ce);
      this._line(this.last, p);
      this.last = p;
    }
  }
  _up() { if (this.drawing) { this.drawing = false; this._schedule(); } }
  _key(e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;      // the browser's shortcuts
    const k = e.key;
    if (k.startsWith('Arrow')) {
      this.held.add(k);
      const h = d => (this.held.has(`Arrow${d}`) ? 1 : 0);
      const s = e.shiftKey ? this.bigStep : this.step;
      this._moveCursor((h('Right') - h('Left')) * s, (h('Down') - h('Up')) * s);
    } else if (k === ' ' || k === 'Enter') {
      if (!e.repeat) this._setPen(!this.pen);
      if (this.pen) this._line(this.cursor, this.cursor);
    } else if (k === 'Delete' || k === 'Backspace') {
      this._setPen(false);
      this.clear();
    } else return;
    e.preventDefault();                      // no scrolling, no click, no history
    this._setKeys(true);
    this._paint();
  }
  /** Whether the keyboard is in use: the cursor and the focus ring show. */
  _setKeys(on) {
    if (this.keys === on) return;
    this.keys = on;
    this.canvas.classList.toggle('keys', on);
    this._paint();
  }
  _moveCursor(dx, dy) {
    const c = v => Math.max(0, Math.min(this.size, v));
    const from = this.cursor, to = { x: c(from.x + dx), y: c(from.y + dy) };
    this.cursor = to;
    if (this.pen) this._line(from, to);
  }
  _setPen(down) {
    if (this.pen === down) return;
    this.pen = down;
    this.canvas.dataset.pen = down ? 'down' : 'up';
    if (this.onPen) this.onPen(down);
  }
  _line(a, b) {
    const c = this.ctx;
    c.strokeStyle = '#fff'; c.fillStyle = '#fff';
    c.lineWidth = this.size / 12; c.lineCap = 'round'; c.lineJoin = 'round';
    c.beginPath(); c.moveTo(a.x, a.y); c.lineTo(b.x, b.y); c.stroke();
    this.hasInk = true;
    this._paint();
    this._schedule();
  }
  _schedule() {
    if (this.dirty) return;
    this.dirty = true;
    requestAnimationFrame(() => { this.dirty = false; this.onChange(this.read()); });
  }
  /** Copies the ink to the visible canvas at the next frame, with the cursor while the keys are in use. */
  _paint() {
    if (this.painting) return;
    this.painting = true;
    requestAnimationFrame(() => { this.painting = false; this._present(); });
  }
  _present() {
    const v = this.view;
    v.drawImage(this.ink, 0, 0);
    if (!this.keys || document.activeElement !== this.canvas) return;
    const { x, y } = this.cursor, r = this.size / 24;   // the brush's radius
    v.save();
    if (this.pen) {
      v.fillStyle = 'rgba(245, 158, 11, 0.55)';
      v.beginPath(); v.arc(x, y, r, 0, 2 * Math.PI); v.fill();
    }
    // a ring the size of the brush, amber on a dark edge so that it shows on ink and on black
    v.lineWidth = 5; v.strokeStyle = '#0f172a';
    v.beginPath(); v.arc(x, y, r + 1, 0, 2 * Math.PI); v.stroke();
    v.lineWidth = 2.5; v.strokeStyle = '#f59e0b';
    v.beginPath(); v.arc(x, y, r + 1, 0, 2 * Math.PI); v.stroke();
    if (!this.pen) {                         // a cross in the middle: where the pen will touch
      v.lineWidth = 2;
      v.beginPath(); v.moveTo(x - 5, y); v.lineTo(x + 5, y); v.moveTo(x, y - 5); v.lineTo(x, y + 5); v.stroke();
    }
    v.restore();
  }
  /** The preprocessed digit, or null when empty. */
  read() {
    if (!this.hasInk) return null;
    const { data } = this.ctx.getImageData(0, 0, this.size, this.size);
    const n = this.size * this.size;
    const ink = new Float32Array(n);
    for (let i = 0; i < n; i++) ink[i] = data[i * 4] / 255;
    return mnistPreprocess(ink, this.size, this.size);
  }
  clear(notify = true) {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.size, this.size);
    this.hasInk = false;
    this._paint();
    if (notify) this.onChange(null);
  }
  /** Shows a 28 x 28 image (0..255 bytes) scaled up on the pad. */
  showImage(pixels) {
    const tmp = document.createElement('canvas');
    drawDigit(tmp, pixels);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(tmp, 0, 0, this.size, this.size);
    this.hasInk = true;
    this._paint();
  }
}
