// web/lib/data.js — load the MNIST files that Backprop Lab ships (data/mnist-subset.bin,
// data/mnist-full.bin). One ES module for the browser and for Node >= 18, no
// dependencies, no build step. The file format is described in data/FORMAT.md.
//
// Decompression uses what the platform has: DecompressionStream('deflate')
// (browsers, and Node >= 18 where it is global), else Node's zlib. There is no
// hand-written inflate here.
//
// Every failure throws a MnistDataError (mnist-format.js) whose `code` is stable,
// and `message` names the file and says what is wrong. A function either returns the
// whole, verified data set or throws: nothing partially decoded is returned.
//
// The format itself (constants, error codes, CRC, header) is in mnist-format.js; it is re-exported
// here so that callers import one module.

import { MNIST_FORMAT, ERROR_CODES, MnistDataError, crc32, bytesPerImage, readMnistHeader, asBytes } from './mnist-format.js';
import { inlineFile } from './inline.js';
export { MNIST_FORMAT, ERROR_CODES, MnistDataError, crc32, bytesPerImage, readMnistHeader };

// ---------------------------------------------------------------------------
// Decoding

/**
 * Decode a file to raw 8-bit pixels (0..255), e.g. to draw digits.
 * For 4-bit files each stored level q (0..15) becomes q*17.
 *
 * @param {ArrayBuffer|ArrayBufferView} buffer whole file contents
 * @param {{name?: string, validation?: number}} [opts]
 *   name: used in error messages (file name or URL).
 *   validation: images held out from the END of the training part: an integer
 *     count (0 <= v < nTrain) or a fraction 0 < v < 1 of nTrain (rounded).
 * @returns {Promise<{train: RawPart, val: RawPart, test: RawPart, meta: Meta}>}
 *   RawPart = {pixels: Uint8Array(n*rows*cols), labels: Uint8Array(n), n: number}
 */
export async function decodeMnistRaw(buffer, { name = 'MNIST data', validation = 0 } = {}) {
  const bytes = asBytes(buffer, name);
  const h = readMnistHeader(bytes, { name });
  const nVal = validationCount(validation, h.nTrain, name);
  const payload = await inflate(
    bytes.subarray(MNIST_FORMAT.headerBytes, MNIST_FORMAT.headerBytes + h.compressedLength), h.rawLength, name);

  const sum = crc32(payload);
  if (sum !== h.checksum) {
    throw new MnistDataError('BAD_CHECKSUM', name,
      `checksum mismatch: decompressed content has CRC-32 ${hex(sum)}, the header says ${hex(h.checksum)} (file damaged or edited)`,
      { expected: hex(h.checksum), actual: hex(sum) });
  }

  const n = h.nTrain + h.nTest;
  const labels = payload.subarray(0, n);
  for (let i = 0; i < n; i++) {
    if (labels[i] >= MNIST_FORMAT.numClasses) {
      throw new MnistDataError('CORRUPT', name, `image ${i} has label ${labels[i]}, outside 0..9`, { index: i, label: labels[i] });
    }
  }
  const pixels = unpackPixels(payload.subarray(n), n, h.bitsPerPixel, h.rows, h.cols);
  const ppi = h.rows * h.cols;
  const part = (from, count) => ({
    pixels: pixels.subarray(from * ppi, (from + count) * ppi),
    labels: labels.slice(from, from + count),
    n: count,
  });
  const nFit = h.nTrain - nVal;
  const train = part(0, nFit);
  const val = part(nFit, nVal);
  const test = part(h.nTrain, h.nTest);
  return {
    train, val, test,
    meta: {
      name,
      version: h.version,
      bitsPerPixel: h.bitsPerPixel,
      rows: h.rows,
      cols: h.cols,
      pixelsPerImage: ppi,
      numClasses: MNIST_FORMAT.numClasses,
      nTrain: nFit, // training part after the validation split
      nVal,
      nTest: h.nTest,
      nTrainInFile: h.nTrain,
      classCounts: { train: classCounts(train.labels), val: classCounts(val.labels), test: classCounts(test.labels) },
      checksum: hex(h.checksum),
      fileBytes: bytes.length,
    },
  };
}

/**
 * Decode a file to Float32 inputs for training.
 *
 * @param {ArrayBuffer|ArrayBufferView} buffer whole file contents
 * @param {{name?: string, scale?: '01'|'pm05', validation?: number, keepPixels?: boolean}} [opts]
 *   scale: '01' -> v/255 in [0, 1] (default); 'pm05' -> v/255 - 0.5 in [-0.5, 0.5].
 *   validation: as in decodeMnistRaw.
 *   keepPixels: also keep each part's raw Uint8Array `pixels` (for drawing).
 * @returns {Promise<{train: Part, val: Part, test: Part, meta: Meta}>}
 *   Part = {x: Float32Array(n*rows*cols), y: Uint8Array(n), n: number, pixels?: Uint8Array}
 */
export async function decodeMnist(buffer, { name = 'MNIST data', scale = '01', validation = 0, keepPixels = false } = {}) {
  checkScale(scale, name);
  const raw = await decodeMnistRaw(buffer, { name, validation });
  const conv = (p) => {
    const out = { x: scalePixels(p.pixels, scale), y: p.labels, n: p.n };
    if (keepPixels) out.pixels = p.pixels;
    return out;
  };
  return { train: conv(raw.train), val: conv(raw.val), test: conv(raw.test), meta: { ...raw.meta, scale } };
}

/**
 * Map 8-bit pixels to Float32: '01' -> v/255, 'pm05' -> v/255 - 0.5.
 * @param {Uint8Array} pixels
 * @param {'01'|'pm05'} [scale='01']
 * @returns {Float32Array}
 */
export function scalePixels(pixels, scale = '01') {
  checkScale(scale, 'scalePixels');
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = scale === 'pm05' ? v / 255 - 0.5 : v / 255;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = lut[pixels[i]];
  return x;
}

// ---------------------------------------------------------------------------
// Loading

/**
 * Read a whole file: fetch() for http(s)/relative URLs in the browser; in Node a path
 * or file: URL is read with fs (imported only in Node), an http(s) URL with fetch().
 * @param {string|URL} url
 * @param {{name?: string}} [opts]
 * @returns {Promise<Uint8Array>}
 */
export async function fetchMnistBytes(url, { name = String(url) } = {}) {
  const href = String(url);
  const inline = await inlineFile('data', href);      // a one-file offline copy holds its data (lib/inline.js)
  if (inline === null) throw new MnistDataError('NOT_FOUND', name, 'this offline copy holds only the MNIST subset; open the lab online for this file');
  if (inline) return inline;
  const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node);
  const isHttp = /^https?:/i.test(href);
  if (isNode && !isHttp) {
    const fs = await import('node:fs/promises');
    const path = /^file:/i.test(href) ? new URL(href) : href;
    try {
      return new Uint8Array(await fs.readFile(path));
    } catch (e) {
      if (e && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) {
        throw new MnistDataError('NOT_FOUND', name, 'file not found (run "make data" to build it)', { errno: e.code }, e);
      }
      throw new MnistDataError('FETCH_FAILED', name, `cannot read the file: ${e && e.message}`, { errno: e && e.code }, e);
    }
  }
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new MnistDataError('FETCH_FAILED', name, `download failed: ${e && e.message}`, {}, e);
  }
  if (!res.ok) {
    const code = res.status === 404 ? 'NOT_FOUND' : 'FETCH_FAILED';
    throw new MnistDataError(code, name,
      res.status === 404 ? 'file not found (HTTP 404)' : `download failed: HTTP ${res.status} ${res.statusText}`,
      { status: res.status });
  }
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new MnistDataError('FETCH_FAILED', name, `download interrupted: ${e && e.message}`, {}, e);
  }
}

/**
 * fetchMnistBytes + decodeMnist. Options as decodeMnist; `name` defaults to the URL.
 * @param {string|URL} url e.g. 'data/mnist-subset.bin' (relative to the page) or a path in Node
 */
export async function loadMnist(url, opts = {}) {
  const name = opts.name ?? String(url);
  checkScale(opts.scale ?? '01', name); // fail before downloading
  return decodeMnist(await fetchMnistBytes(url, { name }), { ...opts, name });
}

/** fetchMnistBytes + decodeMnistRaw. Options as decodeMnistRaw; `name` defaults to the URL. */
export async function loadMnistRaw(url, opts = {}) {
  const name = opts.name ?? String(url);
  return decodeMnistRaw(await fetchMnistBytes(url, { name }), { ...opts, name });
}

// ---------------------------------------------------------------------------
// Internals


function checkScale(scale, name) {
  if (scale !== '01' && scale !== 'pm05') {
    throw new MnistDataError('BAD_OPTION', name, `unknown scale ${JSON.stringify(scale)} (use '01' or 'pm05')`, { scale });
  }
}

function validationCount(v, nTrain, name) {
  let n;
  if (typeof v === 'number' && v > 0 && v < 1) n = Math.round(v * nTrain);
  else if (Number.isInteger(v) && v >= 0) n = v;
  else n = NaN;
  if (!(n >= 0 && n < nTrain)) {
    throw new MnistDataError('BAD_OPTION', name,
      `validation ${JSON.stringify(v)} is invalid: give a count 0..${nTrain - 1} or a fraction between 0 and 1`,
      { validation: v, nTrain });
  }
  return n;
}

/** Unpack the pixel section of the payload to one byte (0..255) per pixel, row-major. */
function unpackPixels(src, n, bits, rows, cols) {
  const ppi = rows * cols;
  if (bits === 8) return src.slice(0, n * ppi);
  // 4 bits: for each image, for r = 0, 2, 4, ..., for c = 0..cols-1, one byte:
  // high nibble = level of pixel (r, c), low nibble = level of pixel (r+1, c).
  const out = new Uint8Array(n * ppi);
  let s = 0;
  for (let img = 0; img < n; img++) {
    const base = img * ppi;
    for (let r = 0; r < rows; r += 2) {
      const top = base + r * cols;
      const bottom = top + cols;
      for (let c = 0; c < cols; c++) {
        const b = src[s++];
        out[top + c] = (b >> 4) * 17;
        out[bottom + c] = (b & 15) * 17;
      }
    }
  }
  return out;
}

/** Decompress a zlib stream that must yield exactly `rawLength` bytes. */
async function inflate(compressed, rawLength, name) {
  const out = new Uint8Array(rawLength);
  let got = 0;
  const tooLong = () => new MnistDataError('COUNT_MISMATCH', name,
    `payload decompresses to more than the ${rawLength} bytes the header says`, { expected: rawLength });
  const tooShort = () => new MnistDataError('COUNT_MISMATCH', name,
    `payload decompresses to ${got} bytes, the header says ${rawLength}`, { expected: rawLength, actual: got });

  if (typeof DecompressionStream === 'function') {
    const ds = new DecompressionStream(MNIST_FORMAT.compression);
    const writer = ds.writable.getWriter();
    // Errors surface on the reader; silence the writer's copies of them.
    writer.write(compressed).catch(() => {});
    writer.close().catch(() => {});
    const reader = ds.readable.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (got + value.length > rawLength) throw tooLong();
        out.set(value, got);
        got += value.length;
      }
    } catch (e) {
      reader.cancel().catch(() => {});
      if (e instanceof MnistDataError) throw e;
      throw new MnistDataError('CORRUPT', name, `compressed payload is damaged and does not decompress (${e && e.message})`, {}, e);
    }
  } else {
    // Node without DecompressionStream (< 18): use zlib, imported only here.
    const zlib = await import('node:zlib');
    let buf;
    try {
      buf = zlib.inflateSync(compressed, { maxOutputLength: rawLength + 1 });
    } catch (e) {
      if (e && e.code === 'ERR_BUFFER_TOO_LARGE') throw tooLong();
      throw new MnistDataError('CORRUPT', name, `compressed payload is damaged and does not decompress (${e && e.message})`, {}, e);
    }
    if (buf.length > rawLength) throw tooLong();
    out.set(buf);
    got = buf.length;
  }
  if (got !== rawLength) throw tooShort();
  return out;
}

function classCounts(labels) {
  const c = new Array(MNIST_FORMAT.numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]]++;
  return c;
}

function hex(u32) {
  return (u32 >>> 0).toString(16).padStart(8, '0');
}
