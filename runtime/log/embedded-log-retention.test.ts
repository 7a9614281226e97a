import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_MS, EmbeddedLog } from './embedded-log.ts';
import { openLog, rec, tmpDir, tp0, values } from './fixtures/test-log.ts';

describe('EmbeddedLog retention', () => {
  it('deletes old batches by time: the log start offset moves, the end offset stays', async () => {
    const log = await openLog();
    await log.createTopic({ name: 't', partitions: 1, retentionMs: 1000 });
    await log.append([
      { topic: 't', partition: 0, records: [rec('a', { timestamp: 1000 }), rec('b', { timestamp: 1500 })] },
    ]);
    await log.append([{ topic: 't', partition: 0, records: [rec('c', { timestamp: 3000 })] }]);
    await log.append([{ topic: 't', partition: 0, records: [rec('d', { timestamp: 5000 })] }]);
    expect(await log.enforceRetention(2400)).toBe(0);
    expect(await log.enforceRetention(2600)).toBe(2);
    expect(log.startOffset(tp0)).toBe(2);
    expect(log.endOffset(tp0)).toBe(4);
    expect(log.stats(tp0).records).toBe(2);
    expect(values(log.read(tp0, 0))).toEqual(['c', 'd']); // reading below the start continues from the start
    expect(log.offsetForTimestamp(tp0, 0)).toBe(2);
    expect(await log.enforceRetention(100_000)).toBe(2);
    expect(log.startOffset(tp0)).toBe(4);
    expect(log.endOffset(tp0)).toBe(4);
    expect(log.stats(tp0)).toEqual({ records: 0, bytes: 0 });
    expect(log.read(tp0, 0)).toEqual([]);
    expect(log.offsetForTimestamp(tp0, 0)).toBeNull();
    expect(await log.append([{ topic: 't', partition: 0, records: [rec('e', { timestamp: 200_000 })] }])).toEqual([4]);
    expect(log.offsetForTimestamp(tp0, 0)).toBe(4);
  });

  it('keeps the log start offset across a reopen when the partition is empty', async () => {
    const dir = tmpDir();
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    await log.createTopic({ name: 't', partitions: 1, retentionMs: 10 });
    await log.append([{ topic: 't', partition: 0, records: [rec('a', { timestamp: 1 }), rec('b', { timestamp: 2 })] }]);
    expect(await log.enforceRetention(1000)).toBe(2);
    await log.close();
    const again = await openLog({ dir });
    expect(again.startOffset(tp0)).toBe(2);
    expect(again.endOffset(tp0)).toBe(2);
    expect(await again.append([{ topic: 't', partition: 0, records: [rec('c')] }])).toEqual([2]);
  });

  it('deletes the oldest batches while a partition exceeds retentionBytes', async () => {
    const log = await openLog();
    await log.createTopic({ name: 't', partitions: 1, retentionMs: -1, retentionBytes: 2500 });
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 5; i++) await log.append([{ topic: 't', partition: 0, records: [rec(payload)] }]);
    const perBatch = log.stats(tp0).bytes / 5;
    expect(perBatch).toBeGreaterThan(1000);
    expect(await log.enforceRetention()).toBe(3);
    expect(log.startOffset(tp0)).toBe(3);
    expect(log.endOffset(tp0)).toBe(5);
    expect(log.stats(tp0)).toEqual({ records: 2, bytes: perBatch * 2 });
    expect(log.read(tp0, 0).map((r) => r.offset)).toEqual([3, 4]);
    expect(await log.enforceRetention()).toBe(0);
  });

  it('skips compacted topics and topics kept forever', async () => {
    const log = await openLog();
    await log.createTopic({ name: 'forever', partitions: 1, retentionMs: -1 });
    await log.createTopic({
      name: 'compacted',
      partitions: 1,
      retentionMs: 1,
      retentionBytes: 1,
      cleanupPolicy: 'compact',
    });
    await log.append([
      { topic: 'forever', partition: 0, records: [rec('a', { timestamp: 1 })] },
      { topic: 'compacted', partition: 0, records: [rec('b', { key: Buffer.from('k'), timestamp: 1 })] },
    ]);
    expect(await log.enforceRetention(Date.now() + 365 * 86_400_000)).toBe(0);
    expect(
      log.endOffset({ topic: 'forever', partition: 0 }) - log.startOffset({ topic: 'forever', partition: 0 }),
    ).toBe(1);
  });

  it('applies the default 7-day retention and runs periodically', async () => {
    const log = await openLog({ retentionCheckIntervalMs: 20 });
    await log.append([
      {
        topic: 't',
        partition: 0,
        records: [
          rec('old', { timestamp: Date.now() - DEFAULT_RETENTION_MS - 60_000 }),
          rec('older', { timestamp: 5 }),
        ],
      },
    ]);
    await log.append([{ topic: 't', partition: 0, records: [rec('new')] }]);
    const deadline = Date.now() + 5000;
    while (log.startOffset(tp0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(log.startOffset(tp0)).toBe(2);
    expect(values(log.read(tp0, 0))).toEqual(['new']);
  });
});
