import { describe, expect, it } from 'vitest';
import { MAX_CHUNK_RECORDS } from './chunk-format.ts';
import { DEFAULT_RETENTION_MS, EmbeddedLog } from './embedded-log.ts';
import type { AppendRecord } from './types.ts';
import { openLog, rec, tmpDir, tp0, values } from './fixtures/test-log.ts';

describe('EmbeddedLog append/read', () => {
  it('appends and reads back records with dense offsets', async () => {
    const log = await openLog();
    expect(await log.append([{ topic: 't', partition: 0, records: [rec('a'), rec('b')] }])).toEqual([0]);
    expect(await log.append([{ topic: 't', partition: 0, records: [rec('c')] }])).toEqual([2]);
    expect(log.endOffset(tp0)).toBe(3);
    expect(log.startOffset(tp0)).toBe(0);
    const all = log.read(tp0, 0);
    expect(all.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(values(all)).toEqual(['a', 'b', 'c']);
    expect(all[0]).toMatchObject({ topic: 't', partition: 0, key: null, headers: [] });
    expect(values(log.read(tp0, 1))).toEqual(['b', 'c']);
    expect(values(log.read(tp0, 2))).toEqual(['c']);
    expect(log.read(tp0, 3)).toEqual([]);
    expect(log.read(tp0, 99)).toEqual([]);
    expect(log.stats(tp0)).toEqual({ records: 3, bytes: expect.any(Number) });
    expect(log.stats(tp0).bytes).toBeGreaterThan(3);
  });

  it('honours maxRecords and maxBytes, returning at least one record', async () => {
    const log = await openLog();
    await log.append([
      { topic: 't', partition: 0, records: Array.from({ length: 10 }, (_, i) => rec(`v${i}`.padEnd(100, '.'))) },
    ]);
    expect(log.read(tp0, 2, { maxRecords: 3 }).map((r) => r.offset)).toEqual([2, 3, 4]);
    const limited = log.read(tp0, 0, { maxBytes: 300 });
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited.length).toBeLessThan(10);
    expect(log.read(tp0, 0, { maxBytes: 1 }).map((r) => r.offset)).toEqual([0]);
    expect(log.read(tp0, 0, { maxRecords: 0 })).toEqual([]);
  });

  it('keeps timestamps, headers, null and empty keys and values', async () => {
    const log = await openLog();
    const records: AppendRecord[] = [
      { key: null, value: null, timestamp: 1000 },
      { key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: 1001 },
      {
        key: Buffer.from('k'),
        value: Buffer.from([0, 1, 2, 255]),
        timestamp: 1002,
        headers: [
          { key: 'content-type', value: Buffer.from('json') },
          { key: 'nothing', value: null },
          { key: 'ünïcødé ✓', value: Buffer.alloc(0) },
          { key: 'content-type', value: Buffer.from('dup') },
        ],
      },
    ];
    await log.append([{ topic: 't', partition: 0, records }]);
    const before = Date.now();
    await log.append([{ topic: 't', partition: 0, records: [rec('now')] }]);
    const out = log.read(tp0, 0);
    expect(out[0]).toEqual({
      topic: 't',
      partition: 0,
      offset: 0,
      timestamp: 1000,
      key: null,
      value: null,
      headers: [],
    });
    expect(out[1].key).toEqual(Buffer.alloc(0));
    expect(out[1].value).toEqual(Buffer.alloc(0));
    expect(out[2].key).toEqual(Buffer.from('k'));
    expect(out[2].value).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(out[2].headers).toEqual(records[2].headers);
    expect(out[3].timestamp).toBeGreaterThanOrEqual(before);
    expect(out[3].timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('handles several topics and partitions in one atomic call', async () => {
    const log = await openLog();
    await log.createTopic({ name: 'multi', partitions: 3 });
    const bases = await log.append([
      { topic: 'multi', partition: 0, records: [rec('m0a'), rec('m0b')] },
      { topic: 'multi', partition: 2, records: [rec('m2a')] },
      { topic: 'other', partition: 0, records: [rec('o')] },
      { topic: 'multi', partition: 0, records: [rec('m0c')] },
      { topic: 'multi', partition: 1, records: [] },
    ]);
    expect(bases).toEqual([0, 0, 0, 2, 0]);
    expect(values(log.read({ topic: 'multi', partition: 0 }, 0))).toEqual(['m0a', 'm0b', 'm0c']);
    expect(values(log.read({ topic: 'multi', partition: 2 }, 0))).toEqual(['m2a']);
    expect(log.endOffset({ topic: 'multi', partition: 1 })).toBe(0);
    expect(values(log.read({ topic: 'other', partition: 0 }, 0))).toEqual(['o']);
    expect(log.read({ topic: 'multi', partition: 1 }, 0)).toEqual([]);
  });

  it('splits large batches into several stored batches and reads across their boundaries', async () => {
    const log = await openLog();
    const n = MAX_CHUNK_RECORDS * 2 + 123;
    const records = Array.from({ length: n }, (_, i) => rec(String(i), { timestamp: 5000 + i }));
    expect(await log.append([{ topic: 't', partition: 0, records }])).toEqual([0]);
    expect(
      await log.append([{ topic: 't', partition: 0, records: [{ key: null, value: Buffer.alloc(300 * 1024, 7) }] }]),
    ).toEqual([n]);
    expect(log.endOffset(tp0)).toBe(n + 1);
    for (const from of [0, 1, MAX_CHUNK_RECORDS - 1, MAX_CHUNK_RECORDS, MAX_CHUNK_RECORDS + 1, n - 1]) {
      const out = log.read(tp0, from, { maxRecords: 50 });
      expect(out[0].offset).toBe(from);
      expect(out[0].value!.toString()).toBe(String(from));
      expect(out.map((r) => r.offset)).toEqual(Array.from({ length: out.length }, (_, i) => from + i));
    }
    let next = 0;
    let count = 0;
    while (next < n) {
      const out = log.read(tp0, next, { maxRecords: Math.min(1000, n - next) });
      for (const r of out) expect(r.value!.toString()).toBe(String(r.offset));
      next += out.length;
      count += out.length;
    }
    expect(count).toBe(n);
    const big = log.read(tp0, n, { maxBytes: 10 });
    expect(big).toHaveLength(1);
    expect(big[0].value!.length).toBe(300 * 1024);
    expect(log.offsetForTimestamp(tp0, 5000 + MAX_CHUNK_RECORDS + 7)).toBe(MAX_CHUNK_RECORDS + 7);
  });

  it('returns records that later appends do not disturb', async () => {
    const log = await openLog();
    await log.append([{ topic: 't', partition: 0, records: Array.from({ length: 100 }, (_, i) => rec(`first-${i}`)) }]);
    const firstRead = log.read(tp0, 0);
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 4 }, (_, a) =>
          log.append([
            { topic: 't', partition: 0, records: Array.from({ length: 100 }, (_, i) => rec(`r${round}-${a}-${i}`)) },
          ]),
        ),
      );
    }
    expect(values(firstRead)).toEqual(Array.from({ length: 100 }, (_, i) => `first-${i}`));
    const all = log.read(tp0, 0);
    expect(all).toHaveLength(100 + 20 * 4 * 100);
    const seen = new Set(values(all));
    for (let round = 0; round < 20; round++)
      for (let a = 0; a < 4; a++) for (let i = 0; i < 100; i += 33) expect(seen.has(`r${round}-${a}-${i}`)).toBe(true);
  });

  it('assigns non-overlapping dense offsets to concurrent appends', async () => {
    const log = await openLog();
    await log.createTopic({ name: 'c', partitions: 2 });
    const calls = Array.from({ length: 40 }, (_, i) =>
      log.append([
        { topic: 'c', partition: i % 2, records: Array.from({ length: 1 + (i % 7) }, (_, j) => rec(`${i}:${j}`)) },
      ]),
    );
    const bases = await Promise.all(calls);
    for (const partition of [0, 1]) {
      const out = log.read({ topic: 'c', partition }, 0);
      expect(out.map((r) => r.offset)).toEqual(Array.from({ length: out.length }, (_, k) => k));
      // each call's records sit contiguously at its base offset
      bases.forEach(([base], i) => {
        if (i % 2 !== partition) return;
        for (let j = 0; j < 1 + (i % 7); j++) expect(out[base + j].value!.toString()).toBe(`${i}:${j}`);
      });
    }
    expect(log.endOffset({ topic: 'c', partition: 0 }) + log.endOffset({ topic: 'c', partition: 1 })).toBe(
      Array.from({ length: 40 }, (_, i) => 1 + (i % 7)).reduce((a, b) => a + b, 0),
    );
  });

  it('keeps offsets, topics and data across a reopen', async () => {
    const dir = tmpDir();
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    await log.createTopic({
      name: 'keep',
      partitions: 2,
      retentionMs: -1,
      retentionBytes: 1000,
      cleanupPolicy: 'delete',
    });
    await log.append([{ topic: 'keep', partition: 1, records: [rec('x'), rec('y')] }]);
    await log.close();
    const again = await openLog({ dir });
    expect(again.describeTopic('keep')).toEqual({
      name: 'keep',
      partitions: 2,
      retentionMs: -1,
      retentionBytes: 1000,
      cleanupPolicy: 'delete',
    });
    expect(again.endOffset({ topic: 'keep', partition: 1 })).toBe(2);
    expect(await again.append([{ topic: 'keep', partition: 1, records: [rec('z')] }])).toEqual([2]);
    expect(values(again.read({ topic: 'keep', partition: 1 }, 0))).toEqual(['x', 'y', 'z']);
  });

  it('refuses a second instance on the same directory', async () => {
    const dir = tmpDir();
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    await expect(EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 })).rejects.toThrow(/already open/);
    await log.close();
    const again = await openLog({ dir });
    expect(again.listTopics()).toEqual([]);
  });

  it('works with sync=os', async () => {
    const dir = tmpDir();
    const log = await EmbeddedLog.open({ dir, sync: 'os', retentionCheckIntervalMs: 0 });
    await log.append([{ topic: 't', partition: 0, records: [rec('fast')] }]);
    await log.close();
    const again = await openLog({ dir });
    expect(values(again.read(tp0, 0))).toEqual(['fast']);
  });

  it('grows past the initial map size', async () => {
    const log = await openLog({ mapSizeBytes: 1024 * 1024 });
    const value = Buffer.alloc(1000, 1);
    for (let i = 0; i < 20; i++)
      await log.append([
        { topic: 't', partition: 0, records: Array.from({ length: 500 }, () => ({ key: null, value })) },
      ]);
    expect(log.endOffset(tp0)).toBe(10_000);
    expect(log.read(tp0, 9_999)[0].value).toEqual(value);
  });

  it('reads unknown topics and partitions as empty', async () => {
    const log = await openLog();
    expect(log.read({ topic: 'nope', partition: 0 }, 0)).toEqual([]);
    expect(log.endOffset({ topic: 'nope', partition: 0 })).toBe(0);
    expect(log.startOffset({ topic: 'nope', partition: 0 })).toBe(0);
    expect(log.offsetForTimestamp({ topic: 'nope', partition: 0 }, 0)).toBeNull();
    expect(log.stats({ topic: 'nope', partition: 0 })).toEqual({ records: 0, bytes: 0 });
  });
});

describe('EmbeddedLog topics', () => {
  it('creates, describes, lists and deletes topics', async () => {
    const log = await openLog();
    expect(await log.createTopic({ name: 'b', partitions: 2 })).toBe(true);
    expect(await log.createTopic({ name: 'a', partitions: 1, retentionMs: -1, cleanupPolicy: 'compact' })).toBe(true);
    expect(await log.createTopic({ name: 'b', partitions: 5 })).toBe(false);
    expect(log.describeTopic('b')).toEqual({
      name: 'b',
      partitions: 2,
      retentionMs: DEFAULT_RETENTION_MS,
      retentionBytes: -1,
      cleanupPolicy: 'delete',
    });
    expect(log.listTopics().map((t) => t.name)).toEqual(['a', 'b']);
    await log.append([{ topic: 'b', partition: 1, records: [rec('old'), rec('old2')] }]);
    await log.deleteTopic('b');
    expect(log.describeTopic('b')).toBeUndefined();
    expect(log.read({ topic: 'b', partition: 1 }, 0)).toEqual([]);
    await log.deleteTopic('b'); // no-op
    expect(await log.createTopic({ name: 'b', partitions: 2 })).toBe(true);
    expect(log.endOffset({ topic: 'b', partition: 1 })).toBe(0);
    expect(await log.append([{ topic: 'b', partition: 1, records: [rec('new')] }])).toEqual([0]);
    expect(values(log.read({ topic: 'b', partition: 1 }, 0))).toEqual(['new']);
  });

  it('applies appends, deletion and re-creation in call order', async () => {
    const log = await openLog();
    const a1 = log.append([{ topic: 'd', partition: 0, records: [rec('old1'), rec('old2')] }]);
    const del = log.deleteTopic('d');
    const a2 = log.append([{ topic: 'd', partition: 0, records: [rec('new')] }]);
    const created = log.createTopic({ name: 'd', partitions: 3 });
    expect(await a1).toEqual([0]);
    await del;
    expect(await a2).toEqual([0]);
    expect(await created).toBe(false);
    expect(values(log.read({ topic: 'd', partition: 0 }, 0))).toEqual(['new']);
    expect(log.describeTopic('d')?.partitions).toBe(1);
    expect(log.listTopics().map((t) => t.name)).toEqual(['d']);
  });

  it('auto-creates topics on append, or refuses when disabled', async () => {
    const log = await openLog({ defaultPartitions: 3 });
    await log.append([{ topic: 'auto', partition: 0, records: [rec('x')] }]);
    expect(log.describeTopic('auto')?.partitions).toBe(3);
    await log.append([{ topic: 'auto5', partition: 4, records: [rec('x')] }]);
    expect(log.describeTopic('auto5')?.partitions).toBe(5);
    await expect(log.append([{ topic: 'auto', partition: 3, records: [rec('x')] }])).rejects.toThrow(
      /Partition 3 does not exist/,
    );

    const strict = await openLog({ autoCreateTopics: false });
    await expect(strict.append([{ topic: 'missing', partition: 0, records: [rec('x')] }])).rejects.toThrow(
      /does not exist/,
    );
    expect(strict.listTopics()).toEqual([]);
  });

  it('validates topic names and arguments', async () => {
    const log = await openLog();
    await expect(log.createTopic({ name: 'bad name', partitions: 1 })).rejects.toThrow(/Invalid topic name/);
    await expect(log.createTopic({ name: '..', partitions: 1 })).rejects.toThrow(/Invalid topic name/);
    await expect(log.createTopic({ name: 'ok', partitions: 0 })).rejects.toThrow(/partitions/);
    await expect(log.append([{ topic: 't', partition: -1, records: [] }])).rejects.toThrow(/Invalid partition/);
    await expect(
      log.append([{ topic: 't', partition: 0, records: [{ key: 'str' as unknown as Buffer, value: null }] }]),
    ).rejects.toThrow(/key must be a Buffer/);
    expect(log.listTopics()).toEqual([]);
  });
});

describe('EmbeddedLog offsetForTimestamp', () => {
  it('returns the earliest offset whose timestamp is >= the target', async () => {
    const log = await openLog();
    // batch 1: 100, 300, 200; batch 2: 150 (below the max so far), 400; batch 3: 400, 500
    await log.append([
      { topic: 't', partition: 0, records: [100, 300, 200].map((ts) => rec(`${ts}`, { timestamp: ts })) },
    ]);
    await log.append([{ topic: 't', partition: 0, records: [150, 400].map((ts) => rec(`${ts}`, { timestamp: ts })) }]);
    await log.append([{ topic: 't', partition: 0, records: [400, 500].map((ts) => rec(`${ts}`, { timestamp: ts })) }]);
    const at = (ts: number) => log.offsetForTimestamp(tp0, ts);
    expect(at(0)).toBe(0);
    expect(at(100)).toBe(0);
    expect(at(101)).toBe(1);
    expect(at(150)).toBe(1);
    expect(at(250)).toBe(1);
    expect(at(300)).toBe(1);
    expect(at(301)).toBe(4);
    expect(at(400)).toBe(4);
    expect(at(401)).toBe(6);
    expect(at(500)).toBe(6);
    expect(at(501)).toBeNull();
  });

  it('finds offsets inside batches whose max timestamp is not indexed', async () => {
    const log = await openLog();
    await log.append([{ topic: 't', partition: 0, records: [rec('a', { timestamp: 1000 })] }]);
    await log.append([
      { topic: 't', partition: 0, records: [rec('b', { timestamp: 500 }), rec('c', { timestamp: 900 })] },
    ]);
    expect(log.offsetForTimestamp(tp0, 600)).toBe(0);
    // after the first batch is gone (size retention), the lookup must still find the second one,
    // although the second batch never made it into the time index (its max is below the first's)
    await log.createTopic({ name: 'r', partitions: 1, retentionMs: -1, retentionBytes: 120 });
    const tp = { topic: 'r', partition: 0 };
    await log.append([{ topic: 'r', partition: 0, records: [rec('a', { timestamp: 1000 })] }]);
    await log.append([
      { topic: 'r', partition: 0, records: [rec('b', { timestamp: 500 }), rec('c', { timestamp: 900 })] },
    ]);
    await log.append([{ topic: 'r', partition: 0, records: [rec('d', { timestamp: 20_000 })] }]);
    expect(log.stats(tp).bytes).toBe(45 + 70 + 45);
    expect(await log.enforceRetention(2000)).toBe(1); // (topic t keeps its 1970 records: now is 2 s after the epoch)
    expect(log.startOffset(tp)).toBe(1);
    expect(log.offsetForTimestamp(tp, 0)).toBe(1);
    expect(log.offsetForTimestamp(tp, 600)).toBe(2);
    expect(log.offsetForTimestamp(tp, 950)).toBe(3);
    expect(log.offsetForTimestamp(tp, 20_001)).toBeNull();
  });
});

describe('EmbeddedLog waitForAppend', () => {
  it('resolves true on append, false on timeout or abort', async () => {
    const log = await openLog();
    expect(await log.waitForAppend(tp0, -1, 10)).toBe(false); // topic does not exist yet
    const waiting = log.waitForAppend(tp0, -1, 5000); // waits for a record after offset -1, i.e. offset 0
    const t0 = Date.now();
    setTimeout(() => void log.append([{ topic: 't', partition: 0, records: [rec('a')] }]), 30);
    expect(await waiting).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await log.waitForAppend(tp0, -1, 5000)).toBe(true); // already there
    expect(await log.waitForAppend(tp0, 0, 30)).toBe(false); // no record after offset 0 yet

    const ac = new AbortController();
    const aborted = log.waitForAppend(tp0, 0, 5000, ac.signal);
    ac.abort();
    expect(await aborted).toBe(false);

    // a waiter for a later offset is not woken by an earlier record
    const later = log.waitForAppend(tp0, 1, 5000);
    await log.append([{ topic: 't', partition: 0, records: [rec('b')] }]);
    const state = await Promise.race([later, new Promise((r) => setTimeout(() => r('pending'), 50))]);
    expect(state).toBe('pending');
    await log.append([{ topic: 't', partition: 0, records: [rec('c')] }]);
    expect(await later).toBe(true);
  });

  it('resolves pending waits with false on close, and rejects calls after close', async () => {
    const log = await EmbeddedLog.open({ dir: tmpDir(), retentionCheckIntervalMs: 0 });
    const waiting = log.waitForAppend(tp0, -1, 60_000);
    const appending = log.append([{ topic: 'x', partition: 0, records: [rec('in flight')] }]);
    await log.close();
    expect(await waiting).toBe(false);
    expect(await appending).toEqual([0]); // close waits for in-flight writes
    expect(() => log.read(tp0, 0)).toThrow(/closed/);
    await expect(log.append([{ topic: 't', partition: 0, records: [rec('a')] }])).rejects.toThrow(/closed/);
    await log.close(); // idempotent
  });
});
