#!/usr/bin/env node
// data/export-npy.mjs — helper for data/measure-reduction.py: writes the default
// subset as raw uint8 files (no header) into OUTDIR (default /tmp/backprop-lab-mnist):
//   {train,test}_y.u8    labels, n bytes
//   {train,test}_x8.u8   original 8-bit pixels from the MNIST idx files, n*784 bytes
//   {train,test}_x4.u8   pixels decoded from data/mnist-subset.bin by web/lib/data.js
//                        (4-bit levels q turned back into q*17), n*784 bytes
// Both pixel versions hold the same images in the same (stored) order.
//   usage: node data/export-npy.mjs [OUTDIR] [--bin data/mnist-subset.bin]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMnistIdx, selectImages } from './make-data.mjs';
import { loadMnistRaw } from '../web/lib/data.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let bin = path.join(HERE, 'mnist-subset.bin');
const bi = args.indexOf('--bin');
if (bi >= 0) { bin = args[bi + 1]; args.splice(bi, 2); }
const out = args[0] ?? '/tmp/backprop-lab-mnist';

const mnist = readMnistIdx();
const sel = selectImages(mnist);
const shipped = await loadMnistRaw(bin);
fs.mkdirSync(out, { recursive: true });

for (const part of ['train', 'test']) {
  const set = mnist[part];
  const idx = sel[`${part}Idx`];
  const ppi = set.rows * set.cols;
  const x8 = new Uint8Array(idx.length * ppi);
  const y = new Uint8Array(idx.length);
  idx.forEach((i, k) => {
    x8.set(set.pixels.subarray(i * ppi, (i + 1) * ppi), k * ppi);
    y[k] = set.labels[i];
  });
  const s = shipped[part];
  if (s.n !== idx.length || s.labels.some((v, k) => v !== y[k])) {
    throw new Error(`${bin}: ${part} labels differ from the selection rule; rebuild with "make data"`);
  }
  fs.writeFileSync(path.join(out, `${part}_y.u8`), y);
  fs.writeFileSync(path.join(out, `${part}_x8.u8`), x8);
  fs.writeFileSync(path.join(out, `${part}_x4.u8`), s.pixels);
}
console.log(`export-npy: wrote ${sel.trainIdx.length} train + ${sel.testIdx.length} test images to ${out}`);
