// web/lib/mnist-format.js - the MNIST file format that Backprop Lab ships (data/FORMAT.md): its
// constants, its error codes, CRC-32 and the header reader. Shared by the loader (data.js) and the
// writer (data/make-data.mjs). No DOM, no dependencies.
//
// Every failure throws a MnistDataError whose `code` is stable (see ERROR_CODES) so the page can show
// its own Russian or English message; `message` always names the file and says what is wrong.

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
  if (h.nTrain === 0 || h.nTest === 0) {
    throw new MnistDataError('BAD_HEADER', name,
      `bad header: ${h.nTrain} training and ${h.nTest} test images; training needs at least one of each`,
      { nTrain: h.nTrain, nTest: h.nTest });
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

/** The bytes of an ArrayBuffer or typed array; anything else is refused. */
export function asBytes(buffer, name) {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new MnistDataError('BAD_INPUT', name, `expected an ArrayBuffer or typed array, got ${Object.prototype.toString.call(buffer)}`);
}
