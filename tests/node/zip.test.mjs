// zip.test.mjs - the store-only zip writer (web/lib/zip.js) against known CRC-32 values and against
// Python's zipfile, which checks every header and CRC when it reads (testzip) and returns the bytes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, zipStore } from '../../web/lib/zip.js';

test('CRC-32: the standard check value of "123456789" is 0xCBF43926, of nothing 0', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('Python\'s zipfile reads the archive back: names (UTF-8 too), sizes, CRCs and every byte', () => {
  const big = new Uint8Array(300000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 255;
  const files = [{ name: 'train.py', data: 'print("привет")\n' }, { name: 'данные/x.npy', data: big }, { name: 'empty.txt', data: '' }];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-zip-')), file = path.join(dir, 'a.zip');
  fs.writeFileSync(file, zipStore(files));
  const py = `import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist():
    print(i.filename, i.file_size, i.compress_type, hashlib.sha256(z.read(i)).hexdigest())`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const sha = async d => (await import('node:crypto')).createHash('sha256').update(typeof d === 'string' ? Buffer.from(d, 'utf8') : d).digest('hex');
  return Promise.all(files.map(f => sha(f.data))).then(hashes => {
    const want = files.map((f, i) => `${f.name} ${typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length} 0 ${hashes[i]}`);
    assert.deepEqual(r.stdout.trim().split('\n'), want);
  });
});

test('the same files give the same bytes (a fixed date); a wrong data type is refused', () => {
  const a = zipStore([{ name: 'x', data: 'abc' }]), b = zipStore([{ name: 'x', data: 'abc' }]);
  assert.deepEqual(a, b);
  assert.equal(a.length, 30 + 1 + 3 + 46 + 1 + 22);
  assert.throws(() => zipStore([{ name: 'x', data: [1, 2] }]), TypeError);
});
