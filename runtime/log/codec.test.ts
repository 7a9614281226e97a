import { describe, expect, it } from 'vitest';
import { CHUNK_HEADER_BYTES, V3_HEADER_BYTES, MAX_CHUNK_BYTES, MAX_CHUNK_RECORDS } from './chunk-format.ts';
import { ChunkPool, encodeChunks, recordSize } from './chunk-encoder.ts';
import { CorruptChunkError, verifyChunk, chunkCount, decodeChunkInto, findTimestampInChunk } from './chunk-decoder.ts';
import { encodeCompactedChunk } from './compacted-chunk.ts';
import { joinKey, keyOffset, keyPid, offsetKey, prefixEnd, timeKey } from './store-keys.ts';
import type { AppendRecord, LogRecord } from './types.ts';

describe('codec', () => {
  it("version-3 batches (written by the cleaner) keep each record's offset, with gaps", () => {
    const kept = [
      {
        offset: 102,
        timestamp: 7,
        key: Buffer.from('a'),
        value: Buffer.from('1'),
        headers: [{ key: 'h', value: null }],
      },
      { offset: 105, timestamp: 9, key: Buffer.from('b'), value: null, headers: [] },
    ];
    const buf = encodeCompactedChunk(100, 8, kept, 123_456, 0);
    expect(buf[1]).toBe(3);
    expect(buf.length).toBe(V3_HEADER_BYTES + kept.reduce((n, r) => n + 4 + recordSize(r), 0));
    expect(verifyChunk(buf)).toMatchObject({
      version: 3,
      count: 2,
      span: 8,
      maxTimestamp: 9,
      deleteHorizonMs: 123_456,
    });
    const all: LogRecord[] = [];
    decodeChunkInto(buf, 100, 0, Infinity, 't', 0, all, { records: Infinity, bytes: Infinity });
    expect(all.map((r) => [r.offset, r.key?.toString(), r.value?.toString() ?? null])).toEqual([
      [102, 'a', '1'],
      [105, 'b', null],
    ]);
    expect(all[0].headers).toEqual([{ key: 'h', value: null }]);
    // fetch by offset inside the batch: the first record at or after it
    const from103: LogRecord[] = [];
    decodeChunkInto(buf, 100, 103, Infinity, 't', 0, from103, { records: Infinity, bytes: Infinity });
    expect(from103.map((r) => r.offset)).toEqual([105]);
    const until105: LogRecord[] = [];
    decodeChunkInto(buf, 100, 0, 105, 't', 0, until105, { records: Infinity, bytes: Infinity });
    expect(until105.map((r) => r.offset)).toEqual([102]);
    expect(findTimestampInChunk(buf, 100, 0, Infinity, 8)).toBe(105);
    // an empty batch still covers its offsets
    expect(verifyChunk(encodeCompactedChunk(100, 8, [], -1, 55))).toMatchObject({
      count: 0,
      span: 8,
      maxTimestamp: 55,
    });
    // offsets out of order or outside the span are refused when writing, and detected when reading
    expect(() => encodeCompactedChunk(100, 5, kept, -1, 0)).toThrow(RangeError);
    const bad = Buffer.from(buf);
    bad.writeUInt32BE(9, V3_HEADER_BYTES); // first delta beyond the span (the crc is then wrong too)
    expect(() => verifyChunk(bad)).toThrow(CorruptChunkError);
  });

  it('round-trips records through a chunk', () => {
    const records: AppendRecord[] = [
      { key: null, value: null, timestamp: -5 },
      { key: Buffer.alloc(0), value: Buffer.from('v'), timestamp: 1.5 },
      {
        key: Buffer.from('k'),
        value: Buffer.alloc(3, 9),
        headers: [
          { key: 'h€', value: null },
          { key: '', value: Buffer.from('x') },
        ],
      },
    ];
    const [chunk, ...rest] = encodeChunks(records, 42);
    expect(rest).toEqual([]);
    expect(chunk).toMatchObject({ first: 0, count: 3, maxTimestamp: 42 });
    expect(chunk.buf.length).toBe(CHUNK_HEADER_BYTES + records.reduce((n, r) => n + recordSize(r), 0));
    expect(chunkCount(chunk.buf)).toBe(3);
    const out: LogRecord[] = [];
    expect(decodeChunkInto(chunk.buf, 10, 10, 13, 't', 2, out, { records: Infinity, bytes: Infinity })).toBe(true);
    expect(out).toEqual([
      { topic: 't', partition: 2, offset: 10, timestamp: -5, key: null, value: null, headers: [] },
      {
        topic: 't',
        partition: 2,
        offset: 11,
        timestamp: 1.5,
        key: Buffer.alloc(0),
        value: Buffer.from('v'),
        headers: [],
      },
      {
        topic: 't',
        partition: 2,
        offset: 12,
        timestamp: 42,
        key: Buffer.from('k'),
        value: Buffer.alloc(3, 9),
        headers: [
          { key: 'h€', value: null },
          { key: '', value: Buffer.from('x') },
        ],
      },
    ]);
    const partial: LogRecord[] = [];
    expect(decodeChunkInto(chunk.buf, 10, 11, 12, 't', 2, partial, { records: Infinity, bytes: Infinity })).toBe(true);
    expect(partial.map((r) => r.offset)).toEqual([11]);
    const limited: LogRecord[] = [];
    expect(decodeChunkInto(chunk.buf, 10, 10, 13, 't', 2, limited, { records: 2, bytes: Infinity })).toBe(false);
    expect(limited).toHaveLength(2);
    expect(findTimestampInChunk(chunk.buf, 10, 10, 13, 0)).toBe(11);
    expect(findTimestampInChunk(chunk.buf, 10, 12, 13, -100)).toBe(12);
    expect(findTimestampInChunk(chunk.buf, 10, 10, 13, 43)).toBeNull();
  });

  it('splits batches by size and record count', () => {
    const many = Array.from({ length: MAX_CHUNK_RECORDS + 1 }, () => ({ key: null, value: null }));
    expect(encodeChunks(many, 0).map((c) => [c.first, c.count])).toEqual([
      [0, MAX_CHUNK_RECORDS],
      [MAX_CHUNK_RECORDS, 1],
    ]);
    const big = Buffer.alloc(MAX_CHUNK_BYTES);
    const chunks = encodeChunks(
      [
        { key: null, value: Buffer.from('a') },
        { key: null, value: big },
        { key: null, value: Buffer.from('b') },
      ],
      0,
    );
    expect(chunks.map((c) => [c.first, c.count])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(encodeChunks([], 0)).toEqual([]);
  });

  it('writes records sharing one headers array byte for byte as records with headers of their own', () => {
    const shared = [
      { key: '__debezium.context.connectorLogicalName', value: Buffer.from('bench') },
      { key: 'ключ', value: null },
      { key: '', value: Buffer.alloc(0) },
    ];
    const other = [{ key: 'h', value: Buffer.from('x') }];
    const big = Buffer.alloc(MAX_CHUNK_BYTES / 3, 1); // three of these span chunks: the copy must not cross them
    const values = [Buffer.from('a'), big, null, big, Buffer.from('b'), big, Buffer.from('c')];
    const headersOf = [shared, shared, undefined, shared, other, shared, []];
    const sharing: AppendRecord[] = values.map((value, i) => ({ key: null, value, headers: headersOf[i] }));
    const own: AppendRecord[] = sharing.map((r) => ({ ...r, headers: r.headers?.map((h) => ({ ...h })) }));
    const a = encodeChunks(sharing, 7);
    const b = encodeChunks(own, 7);
    expect(a.length).toBeGreaterThan(1);
    expect(a.map((c) => [c.first, c.count])).toEqual(b.map((c) => [c.first, c.count]));
    for (let i = 0; i < a.length; i++) expect(a[i].buf.equals(b[i].buf)).toBe(true);
    const out: LogRecord[] = [];
    for (const c of a)
      decodeChunkInto(c.buf, c.first, 0, Infinity, 't', 0, out, { records: Infinity, bytes: Infinity });
    expect(out.map((r) => r.headers)).toEqual(
      headersOf.map((hs) => (hs ?? []).map((h) => ({ key: h.key, value: h.value }))),
    );
    // a malformed header is found in a shared array too (validated once per array)
    const bad = [{ key: 1 as unknown as string, value: null }];
    expect(() =>
      encodeChunks(
        [
          { key: null, value: null, headers: shared },
          { key: null, value: null, headers: bad },
        ],
        0,
      ),
    ).toThrow(/header keys/);
  });

  it('rejects malformed records before encoding anything', () => {
    expect(() => encodeChunks([{ key: null, value: 'x' as unknown as Buffer }], 0)).toThrow(/value must be a Buffer/);
    expect(() => encodeChunks([{ key: null, value: null, timestamp: NaN }], 0)).toThrow(/timestamp/);
    expect(() =>
      encodeChunks([{ key: null, value: null, headers: [{ key: 1 as unknown as string, value: null }] }], 0),
    ).toThrow(/header keys/);
  });

  it('recycles pooled chunk buffers', () => {
    const pool = new ChunkPool(1);
    const taken: Buffer[] = [];
    const a = pool.alloc(100, taken);
    expect(a.length).toBe(100);
    const huge = pool.alloc(MAX_CHUNK_BYTES + 1, taken);
    expect(huge.length).toBe(MAX_CHUNK_BYTES + 1);
    expect(taken).toHaveLength(1);
    pool.release(taken);
    expect(taken).toHaveLength(0);
    const b = pool.alloc(10, taken);
    expect(b.buffer).toBe(a.buffer);
  });

  it('orders keys by partition id then offset', () => {
    const keys = [offsetKey(2, 0), offsetKey(1, 2 ** 40), offsetKey(1, 5), offsetKey(1, 2 ** 32)];
    const sorted = [...keys].sort(Buffer.compare);
    expect(sorted.map((k) => [keyPid(k), keyOffset(k)])).toEqual([
      [1, 5],
      [1, 2 ** 32],
      [1, 2 ** 40],
      [2, 0],
    ]);
    expect(keyOffset(timeKey(1, -3))).toBe(0);
    expect(keyOffset(timeKey(1, 1234.9))).toBe(1234);
  });

  it('computes prefix ranges', () => {
    expect(prefixEnd(Buffer.from([1, 2]))).toEqual(Buffer.from([1, 3]));
    expect(prefixEnd(Buffer.from([1, 0xff]))).toEqual(Buffer.from([2]));
    expect(prefixEnd(Buffer.from([0xff]))).toBeUndefined();
    expect(joinKey(['a', 'b'])).toEqual(Buffer.from('a\u0000b'));
    expect(joinKey(['g', 't'], Buffer.from([0, 0, 0, 1]))).toEqual(
      Buffer.from('g\u0000t\u0000\u0000\u0000\u0000\u0001'),
    );
  });
});
