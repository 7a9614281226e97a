/**
 * The log's record batches are stored LZ4-compressed by lmdb-js (in its write thread, values over
 * 1,000 bytes): every size round-trips byte for byte, across a reopen, compressible or not; the
 * stored bytes of JsonConverter-style records (a schema repeated in every value) shrink several
 * times. Stores written before compression (batches starting with the chunk magic, not LZ4's
 * status byte) stay readable: durability.test.ts opens such a store. Corruption inside a
 * compressed batch is caught there too.
 */
import { createHash } from 'node:crypto';
import { open } from 'lmdb';
import { describe, expect, it } from 'vitest';
import { openLog, tmpDir, tp0 } from './fixtures/test-log.ts';

function incompressible(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 32) createHash('sha256').update(`${seed}:${i}`).digest().copy(out, i);
  return out;
}

/** A value like JsonConverter's with schemas on: ~3.3 KB of schema, then a small payload. */
const SCHEMA = JSON.stringify({
  type: 'struct',
  fields: Array.from({ length: 40 }, (_x, i) => ({
    type: i % 2 ? 'string' : 'int64',
    optional: true,
    field: `column_${i}`,
  })),
  optional: false,
  name: 'server.public.table.Envelope',
});
const jsonValue = (i: number) =>
  Buffer.from(`{"schema":${SCHEMA},"payload":{"id":${i},"name":"row ${i}","ts_ms":${1700000000000 + i}}}`);

describe('embedded log compression', () => {
  it('round-trips values of every size, compressible or not, across a reopen', async () => {
    const dir = tmpDir();
    const sizes = [0, 10, 999, 1000, 1001, 4096, 300 * 1024, 5 * 1024 * 1024, 17 * 1024 * 1024];
    const written: Buffer[] = [];
    for (const n of sizes) {
      written.push(Buffer.alloc(n, n % 251));
      written.push(incompressible(n, String(n)));
    }
    let log = await openLog({ dir });
    for (const v of written) await log.append([{ ...tp0, records: [{ key: null, value: v }] }]);
    // and many small records in one batch (a 256 KB chunk of them)
    await log.append([
      { ...tp0, records: Array.from({ length: 500 }, (_x, i) => ({ key: null, value: jsonValue(i) })) },
    ]);
    const check = (l: typeof log) => {
      const got: Buffer[] = [];
      for (let pos = 0; pos < l.endOffset(tp0);) {
        const rs = l.read(tp0, pos, { maxBytes: 1 });
        for (const r of rs) got.push(r.value!);
        pos = rs[rs.length - 1].offset + 1;
      }
      expect(got.length).toBe(written.length + 500);
      for (let i = 0; i < written.length; i++)
        expect(got[i].equals(written[i]), `record ${i} (${written[i].length} bytes)`).toBe(true);
      for (let i = 0; i < 500; i++) expect(got[written.length + i].equals(jsonValue(i))).toBe(true);
      expect(l.verify()[0]).toMatchObject({ corrupt: null, unverifiedBatches: 0 });
    };
    check(log);
    await log.close();
    log = await openLog({ dir });
    check(log);
  });

  it('stores records carrying a repeated schema in a fraction of their size', async () => {
    const dir = tmpDir();
    const log = await openLog({ dir });
    let raw = 0;
    for (let b = 0; b < 20; b++) {
      const records = Array.from({ length: 500 }, (_x, i) => ({ key: null, value: jsonValue(b * 500 + i) }));
      raw += records.reduce((n, r) => n + r.value.length, 0);
      await log.append([{ ...tp0, records }]);
    }
    expect(raw).toBeGreaterThan(20 * 1024 * 1024);
    await log.close();
    // the pages the batches take in LMDB (the file also holds free and reserved space)
    const env = open({ path: dir, readOnly: true, maxDbs: 16, noSubdir: false });
    try {
      const s = env.openDB({ name: 'records', encoding: 'binary' }).getStats() as {
        pageSize: number;
        treeLeafPageCount: number;
        treeBranchPageCount: number;
        overflowPages: number;
      };
      const used = (s.treeLeafPageCount + s.treeBranchPageCount + s.overflowPages) * s.pageSize;
      expect(used).toBeGreaterThan(0);
      expect(used).toBeLessThan(raw / 4);
    } finally {
      await env.close();
    }
  });
});
