// backprop-lab.js - <backprop-lab>, the custom element for authors who write HTML (Jupyter Book,
// Quarto, MkDocs): one module script from the lab's site, then
//   <backprop-lab view="panels" panel="chain" stage="2" lang="ru" hide="plot"></backprop-lab>
// Attributes mirror the URL keys (view: training | panels | experiments | bench; panel is ?p=; every
// other attribute is passed as it is: lang, stage, hide, lock, optimizer, lr, ...; compact="0" shows
// the page's header; sandbox="" makes the frame sandboxed). The element is an iframe of the page in
// its shadow root, as tall as its content (the host API's resize event); the host API's events
// arrive as DOM events of the same names (ready, resize, state, progress, done, error; detail: the
// message), and its commands are methods that return a promise of the reply's result: getState(),
// setState(state), start(), pause(), step(), reset().

import { message, PROTOCOL, VERSION, SANDBOX } from '../lib/embed.js';

const PAGES = { training: './', panels: 'panels.html', experiments: 'experiments.html', bench: 'bench.html' };
const OWN = new Set(['view', 'panel', 'compact', 'sandbox', 'width', 'height', 'title', 'class', 'style', 'id']);
const ROOT = new URL('../', import.meta.url);

export class BackpropLab extends HTMLElement {
  constructor() {
    super();
    this.pending = new Map();
    this.seq = 0;
    this.frame = document.createElement('iframe');
    this.frame.setAttribute('loading', 'lazy');
    this.frame.setAttribute('allow', 'fullscreen');
    this.frame.style.cssText = 'border: 0; width: 100%; display: block;';
    const style = document.createElement('style');
    style.textContent = ':host { display: block; } iframe { height: var(--backprop-lab-height, 480px); }';
    this.attachShadow({ mode: 'open' }).append(style, this.frame);
    this.onMessage = e => this.receive(e);
  }
  static get observedAttributes() { return ['view', 'panel', 'lang', 'stage', 'hide', 'lock', 'compact', 'sandbox']; }
  connectedCallback() { window.addEventListener('message', this.onMessage); this.load(); }
  disconnectedCallback() { window.removeEventListener('message', this.onMessage); }
  attributeChangedCallback() { if (this.isConnected) this.load(); }

  /** The page's address from the attributes. */
  get src() {
    const view = this.getAttribute('view') || 'training';
    const u = new URL(PAGES[view] || PAGES.training, ROOT);
    if (this.hasAttribute('panel')) u.searchParams.set('p', this.getAttribute('panel'));
    for (const a of this.getAttributeNames()) if (!OWN.has(a) && !a.startsWith('on') && !a.startsWith('data-') && !a.startsWith('aria-')) u.searchParams.set(a, this.getAttribute(a));
    if (this.getAttribute('compact') !== '0') u.searchParams.set('embed', '1');
    return u.href.replace(/%2C/g, ',');
  }
  load() {
    const src = this.src;
    if (this.frame.getAttribute('src') === src) return;
    if (this.hasAttribute('sandbox')) this.frame.setAttribute('sandbox', this.getAttribute('sandbox') || SANDBOX);
    else this.frame.removeAttribute('sandbox');
    this.frame.title = this.getAttribute('title') || `Backprop Lab: ${this.getAttribute('panel') || this.getAttribute('view') || 'training'}`;
    this.frame.src = src;
  }
  receive(e) {
    const d = e.data;
    if (e.source !== this.frame.contentWindow || !d || d.protocol !== PROTOCOL || d.version !== VERSION || typeof d.type !== 'string') return;
    if (d.type === 'reply') {
      const p = this.pending.get(d.id);
      if (!p) return;
      this.pending.delete(d.id);
      if (d.ok) p.resolve(d.result); else p.reject(Object.assign(new Error(d.error && d.error.message), d.error));
      return;
    }
    if (d.type === 'resize' && Number.isFinite(d.height)) this.frame.style.height = `${d.height}px`;
    this.dispatchEvent(new CustomEvent(d.type, { detail: d }));
  }
  command(type, state) {
    const id = `c${++this.seq}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.frame.contentWindow.postMessage(message(type, { id, ...(state ? { state } : {}) }), '*');
    });
  }
  getState() { return this.command('getState'); }
  setState(state) { return this.command('setState', state); }
  start() { return this.command('start'); }
  pause() { return this.command('pause'); }
  step() { return this.command('step'); }
  reset() { return this.command('reset'); }
}

if (!customElements.get('backprop-lab')) customElements.define('backprop-lab', BackpropLab);
