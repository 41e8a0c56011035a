// zip.js - a .zip archive of a few files, stored without compression (APPNOTE 6.3.x: local headers,
// the data, a central directory, its end record; CRC-32 of each file). Enough for "Open in PyTorch"
// to hand over a script with its model and .npy data in one download; Python's zipfile, unzip and
// every desktop reads it. No DOM: the pages, workers and Node tests use it.

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

/** The CRC-32 (ISO 3309, zip's and PNG's) of bytes. */
export function crc32(u8) {
  let c = 0xffffffff;
  for (let i = 0; i < u8.length; i++) c = CRC_TABLE[(c ^ u8[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const utf8 = s => new TextEncoder().encode(s);

/**
 * A zip of files [{name, data}] (data: a string, written as UTF-8, or a Uint8Array), stored, dated
 * 1980-01-01 (the same bytes for the same files). Returns a Uint8Array. Names are UTF-8 (flag bit 11).
 */
export function zipStore(files) {
  if (files.length > 0xffff) throw new RangeError('zip: more than 65535 files');
  const parts = [], central = [];
  let offset = 0;
  for (const f of files) {
    const name = utf8(f.name), data = typeof f.data === 'string' ? utf8(f.data) : f.data;
    if (!(data instanceof Uint8Array)) throw new TypeError(`zip: ${f.name}: data must be a string or a Uint8Array`);
    if (data.length >= 0xffffffff || offset >= 0xffffffff) throw new RangeError('zip: a file or the archive is 4 GB or more (zip64 is not written)');
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);     // local file header
    local.setUint16(4, 20, true);             // version needed: 2.0
    local.setUint16(6, 0x0800, true);         // UTF-8 names
    local.setUint16(8, 0, true);              // stored
    local.setUint16(10, 0, true);             // 00:00
    local.setUint16(12, 0x21, true);          // 1980-01-01
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);        // central directory header
    cd.setUint16(4, 20, true);                // made by: 2.0
    for (let i = 6; i < 30; i++) cd.setUint8(i, local.getUint8(i - 2));   // version needed .. name length
    cd.setUint32(38, 0o100644 * 65536, true); // external attributes: a regular file, rw-r--r-- (hi word)
    cd.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, data);
    central.push(new Uint8Array(cd.buffer), name);
    offset += 30 + name.length + data.length;
  }
  const cdSize = central.reduce((a, p) => a + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of all) { out.set(p, o); o += p.length; }
  return out;
}
