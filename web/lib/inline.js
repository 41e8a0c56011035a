// inline.js - the one-file offline copy (scripts/onefile.mjs, README "One-file offline copy"). Such a
// copy is one HTML file opened from file:// with no network: it cannot fetch its core, its data or its
// workers, so the build puts them into the file, as one object, globalThis.__BPL_INLINE__:
//   {wasm: {'web/build/bp-simd.wasm': base64, ...}, data: {'data/mnist-subset.bin': base64},
//    workers: {'web/training/worker.js': 'data:text/javascript,...'}}
// keyed by the file's path in the repository. In the copy every module's import.meta.url is
// 'bpl:/' + that path (the build says so), so a URL the code makes as usual from import.meta.url
// (engine/core.js's core, worker-runtime.js's data file, a page's worker) names its file by its pathname.
// Only the places that load files read it: the core's loader (engine/core.js), the data loader
// (data.js), the worker starter (ui/spawn.js) and the shell's "Save for offline use" link. Without the
// object (every served page, Node) everything here answers undefined and the code loads as it always did.
// A worker of the copy gets the object (without the workers) as its first message: spawn posts
// inlineMessage(), and the copy's worker bundles start with inline-worker.js, which takes it.

/** The one-file copies (make onefile writes them, the shell's "Save for offline use" link downloads
 * them): the page -> its file, in OFFLINE_DIR beside the pages; in a copy, its links to the others. */
export const OFFLINE_DIR = 'build/offline/';
export const OFFLINE_FILES = Object.freeze({
  training: 'backprop-lab-training.html', panels: 'backprop-lab-panels.html', experiments: 'backprop-lab-experiments.html',
});

/** The message key of the assets a one-file copy's page posts to a worker it starts. */
export const INLINE_MESSAGE = 'backprop-lab-inline';

/** The injected object (in a worker: a promise of it), or undefined when this is no one-file copy. */
export function inlineAssets() { return globalThis.__BPL_INLINE__; }

/** True in a one-file copy. */
export function isOneFileCopy() { return inlineAssets() !== undefined; }

/** The repository path a URL of the copy names ('bpl:/web/build/bp-simd.wasm' -> 'web/build/bp-simd.wasm'). */
export function inlineKey(url) {
  try { return decodeURIComponent(new URL(String(url)).pathname).replace(/^\/+/, ''); } catch { return String(url); }
}

function fromBase64(s) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The bytes of a file of the copy: undefined when this is no one-file copy (load it as usual), null
 * when the copy does not hold it (the caller says so in its own words), else a Uint8Array.
 * kind: 'wasm' or 'data'.
 */
export async function inlineFile(kind, url) {
  const assets = inlineAssets();
  if (assets === undefined) return undefined;
  const files = (await assets)[kind] || {};
  const k = inlineKey(url);
  return Object.prototype.hasOwnProperty.call(files, k) ? fromBase64(files[k]) : null;
}

/** The data: URL of a worker of the copy (undefined: no copy; null: not in it). */
export function inlineWorker(url) {
  const assets = inlineAssets();
  if (assets === undefined) return undefined;
  const k = inlineKey(url);
  return assets.workers && Object.prototype.hasOwnProperty.call(assets.workers, k) ? assets.workers[k] : null;
}

/** The first message to a worker of the copy: its core and data (the page's strings, cloned). */
export function inlineMessage() {
  const { wasm, data } = inlineAssets();
  return { [INLINE_MESSAGE]: { wasm, data } };
}
