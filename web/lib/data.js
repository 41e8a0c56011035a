// web/data.js — load the MNIST files that Backprop Lab ships (data/mnist-subset.bin,
// data/mnist-full.bin). One ES module for the browser and for Node >= 18, no
// dependencies, no build step. The file format is described in data/FORMAT.md.
//
// Decompression uses what the platform has: DecompressionStream('deflate')
// (browsers, and Node >= 18 where it is global), else Node's zlib. There is no
// hand-written inflate here.
//
// Every failure throws a MnistDataError whose `code` is stable (see ERROR_CODES
// below) so the page can show its own Russian or English message; `message`
// always names the file and says what is wrong. A function either returns the
// whole, verified data set or throws: nothing partially decoded is returned.

/** Format constants, shared with the writer (data/make-data.mjs). */
export const MNIST_FORMAT = Object.freeze({
  magic: 'BPLMNIST', // 8 ASCII bytes at offset 0
  version: 1, // the only version this loader reads
  headerBytes: 36, // the compressed payload starts here
  compression: 'deflate', // zlib stream (RFC 1950) as DecompressionStream names it
  numClasses: 10,
});

/** Every `code` a MnistDataError can carry, with what it means. */
export const ERROR_CODES = Object.freeze({
  NOT_FOUND: 'the file is not there (HTTP 404, ENOENT)',
  FETCH_FAILED: 'the file could not be read or downloaded (other HTTP status, network or disk error)',
  BAD_INPUT: 'the bytes given to the decoder are not an ArrayBuffer, typed array or DataView',
  TRUNCATED: 'the file is shorter than its header says',
  BAD_MAGIC: 'the file does not start with the BPLMNIST magic: it is not a Backprop Lab MNIST file',
  BAD_VERSION: 'the file uses a format version this loader does not read',
  BAD_HEADER: 'a header field has an impossible value (bits per pixel, image size, reserved byte)',
  COUNT_MISMATCH: 'image counts, declared sizes and the actual bytes do not agree',
  CORRUPT: 'the compressed payload does not decompress, or holds a label outside 0..9',
  BAD_CHECKSUM: 'the decompressed content does not match the CRC-32 stored in the header',
  BAD_OPTION: 'an option passed to the loader is invalid (scale, validation)',
});

/** The error every function of this module throws. */
export class MnistDataError extends Error {
  /**
   * @param {keyof ERROR_CODES} code stable machine-readable reason
   * @param {string} file file name or URL the error is about
   * @param {string} what human-readable description (English)
   * @param {object} [details] numbers behind the message, for translated messages
   * @param {unknown} [cause] underlying error, if any
   */
  constructor(code, file, what, details = {}, cause = undefined) {
    super(`${file}: ${what}`, cause === undefined ? undefined : { cause });
    this.name = 'MnistDataError';
    this.code = code;
    this.file = file;
    this.details = details;
  }
}

// ---------------------------------------------------------------------------
// CRC-32 (IEEE 802.3, the one of zip/gzip/PNG), table-driven, plain JS.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of `bytes`. Pass the previous result as `crc` to continue over several chunks.
 * @param {Uint8Array} bytes
 * @param {number} [crc=0]
 * @returns {number} unsigned 32-bit CRC
 */
export function crc32(bytes, crc = 0) {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---------------------------------------------------------------------------
// Header

/**
 * Bytes one image takes in the decompressed payload.
 * 8 bits: rows*cols, one byte per pixel, row-major.
 * 4 bits: rows/2*cols, one byte per two vertically adjacent pixels (see FORMAT.md).
 */
export function bytesPerImage(bitsPerPixel, rows, cols) {
  return bitsPerPixel === 8 ? rows * cols : (rows / 2) * cols;
}

/**
 * Read and check the 36-byte header. Does not decompress anything.
 * @param {ArrayBuffer|ArrayBufferView} buffer whole file
 * @param {{name?: string}} [opts]
 * @returns {{version:number, bitsPerPixel:number, rows:number, cols:number, nTrain:number,
 *   nTest:number, rawLength:number, compressedLength:number, checksum:number}}
 */
export function readMnistHeader(buffer, { name = 'MNIST data' } = {}) {
  const bytes = asBytes(buffer, name);
  const H = MNIST_FORMAT.headerBytes;
  if (bytes.length < H) {
    throw new MnistDataError('TRUNCATED', name,
      `file is truncated: ${bytes.length} bytes, shorter than the ${H}-byte header`,
      { size: bytes.length, expected: H });
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== MNIST_FORMAT.magic) {
    throw new MnistDataError('BAD_MAGIC', name,
      `not a Backprop Lab MNIST file: it starts with ${JSON.stringify(magic)}, expected "${MNIST_FORMAT.magic}"`,
      { magic });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = {
    version: dv.getUint16(8, true),
    bitsPerPixel: dv.getUint8(10),
    reserved: dv.getUint8(11),
    rows: dv.getUint16(12, true),
    cols: dv.getUint16(14, true),
    nTrain: dv.getUint32(16, true),
    nTest: dv.getUint32(20, true),
    rawLength: dv.getUint32(24, true),
    compressedLength: dv.getUint32(28, true),
    checksum: dv.getUint32(32, true),
  };
  if (h.version !== MNIST_FORMAT.version) {
    throw new MnistDataError('BAD_VERSION', name,
      `format version ${h.version} is not supported (this loader reads version ${MNIST_FORMAT.version}); rebuild the file with "make data"`,
      { version: h.version, expected: MNIST_FORMAT.version });
  }
  if (h.bitsPerPixel !== 4 && h.bitsPerPixel !== 8) {
    throw new MnistDataError('BAD_HEADER', name,
      `bad header: ${h.bitsPerPixel} bits per pixel (only 4 and 8 are defined)`, { bitsPerPixel: h.bitsPerPixel });
  }
  if (h.reserved !== 0) {
    throw new MnistDataError('BAD_HEADER', name, `bad header: reserved byte 11 is ${h.reserved}, must be 0`, { reserved: h.reserved });
  }
  if (h.rows === 0 || h.cols === 0 || (h.bitsPerPixel === 4 && h.rows % 2 !== 0)) {
    throw new MnistDataError('BAD_HEADER', name,
      `bad header: image size ${h.rows}x${h.cols} is not possible with ${h.bitsPerPixel} bits per pixel`,
      { rows: h.rows, cols: h.cols });
  }
  delete h.reserved;
  const n = h.nTrain + h.nTest;
  const expectedRaw = n * (1 + bytesPerImage(h.bitsPerPixel, h.rows, h.cols));
  if (expectedRaw !== h.rawLength) {
    throw new MnistDataError('COUNT_MISMATCH', name,
      `counts do not match the sizes: ${h.nTrain} train + ${h.nTest} test images of ${h.rows}x${h.cols} at ` +
      `${h.bitsPerPixel} bits need ${expectedRaw} decompressed bytes, the header says ${h.rawLength}`,
      { nTrain: h.nTrain, nTest: h.nTest, expected: expectedRaw, actual: h.rawLength });
  }
  const total = H + h.compressedLength;
  if (bytes.length < total) {
    throw new MnistDataError('TRUNCATED', name,
      `file is truncated: ${bytes.length} bytes, the header says ${total}`, { size: bytes.length, expected: total });
  }
  if (bytes.length > total) {
    throw new MnistDataError('COUNT_MISMATCH', name,
      `file has ${bytes.length - total} unexpected bytes after the payload (${bytes.length} bytes, the header says ${total})`,
      { size: bytes.length, expected: total });
  }
  // Deflate cannot expand more than ~1032:1; refuse a header that would make us
  // allocate far more memory than the payload could ever fill.
  if (h.rawLength > h.compressedLength * 1032 + 1024) {
    throw new MnistDataError('COUNT_MISMATCH', name,
      `counts do not match the bytes: a ${h.compressedLength}-byte payload cannot hold ${h.rawLength} bytes ` +
      `(${h.nTrain} train + ${h.nTest} test images)`,
      { nTrain: h.nTrain, nTest: h.nTest, expected: h.rawLength, actual: h.compressedLength });
  }
  return h;
}

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

function asBytes(buffer, name) {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new MnistDataError('BAD_INPUT', name, `expected an ArrayBuffer or typed array, got ${Object.prototype.toString.call(buffer)}`);
}

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
