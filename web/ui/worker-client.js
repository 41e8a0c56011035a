// client.js - the page's side of the worker protocol: request(type, payload) -> Promise of the
// answer's result (rejected with the answer's error {code, message, field}), and events by type.

import { moduleWorker } from './spawn.js';

export class WorkerClient {
  constructor(url) {
    this.worker = moduleWorker(url);
    this.next = 1;
    this.pending = new Map();
    this.handlers = {};
    this.worker.onmessage = ev => this._receive(ev.data);
    this.worker.onerror = ev => {
      ev.preventDefault();
      const error = { code: 'WORKER', message: ev.message || 'the worker failed to start' };
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      if (this.handlers.error) this.handlers.error(error);
    };
  }
  on(type, fn) { this.handlers[type] = fn; return this; }
  request(type, payload = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, payload });
    });
  }
  _receive(msg) {
    if (msg && msg.id != null && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p.reject(msg.error); else p.resolve(msg.result);
      return;
    }
    const fn = msg && this.handlers[msg.type];
    if (fn) fn(msg);
  }
}
