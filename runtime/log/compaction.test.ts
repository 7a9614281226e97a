/**
 * Log compaction of the embedded log (cleanup.policy=compact), as Kafka's log cleaner: the latest
 * record per key survives at its original offset, tombstones go delete.retention.ms after they were
 * first cleaned, the newest batch is never touched, reads and consumer positions skip the gaps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.ts';
import { EmbeddedLog } from './embedded-log.ts';
import type { AppendRecord, EmbeddedLogOptions, LogRecord, TopicSpec } from './types.ts';

const dirs: string[] = [];
const logs: EmbeddedLog[] = [];

async function openLog(opts: Partial<EmbeddedLogOptions> = {}): Promise<EmbeddedLog> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'trib-compact-'));
  if (!opts.dir) dirs.push(dir);
  const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0, ...opts });
  logs.push(log);
  return log;
}

afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const kv = (key: string, value: string | null, timestamp?: number): AppendRecord => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  timestamp,
  headers: [{ key: 'h', value: Buffer.from(key) }],
});
const tp = { topic: 'c', partition: 0 };
const shape = (rs: LogRecord[]) => rs.map((r) => `${r.offset}:${r.key?.toString()}=${r.value?.toString() ?? 'null'}`);

async function compactedTopic(log: EmbeddedLog, extra: Partial<TopicSpec> = {}): Promise<void> {
  await log.createTopic({ name: 'c', partitions: 1, cleanupPolicy: 'compact', ...extra });
}

/** Appends each inner array as its own append call (its own batch). */
async function appendBatches(log: EmbeddedLog, batches: AppendRecord[][]): Promise<void> {
  for (const records of batches) await log.append([{ topic: 'c', partition: 0, records }]);
}

describe('embedded log compaction', () => {
  it('keeps the latest record per key at its original offset; the active batch is never cleaned', async () => {
    const log = await openLog();
    await compactedTopic(log);
    await appendBatches(log, [
      [kv('k1', 'a0'), kv('k2', 'b0'), kv('k1', 'a1')], // 0..2
      [kv('k2', 'b1'), kv('k3', 'c0')], // 3..4
      [kv('k1', 'a2')], // 5: active batch
    ]);
    const bytesBefore = log.stats(tp).bytes;
    const first = await log.compact();
    expect(first.removedRecords).toBe(2);
    // k1@2 stays: its successor k1@5 is in the active batch, which the cleaner does not read
    expect(shape(log.read(tp, 0))).toEqual(['2:k1=a1', '3:k2=b1', '4:k3=c0', '5:k1=a2']);
    expect(log.read(tp, 0)[0].headers).toEqual([{ key: 'h', value: Buffer.from('k1') }]);
    expect(log.startOffset(tp)).toBe(0);
    expect(log.endOffset(tp)).toBe(6);
    expect(log.stats(tp).bytes).toBeLessThan(bytesBefore);
    expect((await log.compact()).removedRecords).toBe(0); // nothing dirty

    await appendBatches(log, [[kv('k4', 'd0')]]); // 6: the batch of offset 5 is no longer active
    expect((await log.compact()).removedRecords).toBe(1);
    expect(shape(log.read(tp, 0))).toEqual(['3:k2=b1', '4:k3=c0', '5:k1=a2', '6:k4=d0']);
    expect(log.startOffset(tp)).toBe(0);
    expect(log.endOffset(tp)).toBe(7);
    const [report] = log.verify({ topic: 'c' });
    expect(report.corrupt).toBeNull();
    expect(report.records).toBe(4);

    // appends go on at the end offset, and all of it survives a reopen
    await appendBatches(log, [[kv('k2', 'b2')]]);
    const dir = (log as unknown as { opts: { dir: string } }).opts.dir;
    await log.close();
    const again = await openLog({ dir });
    expect(shape(again.read(tp, 0))).toEqual(['3:k2=b1', '4:k3=c0', '5:k1=a2', '6:k4=d0', '7:k2=b2']);
    expect(again.verify()[0].corrupt).toBeNull();
  });

  it('reads across gaps: an offset that was removed continues at the next surviving record', async () => {
    const log = await openLog();
    await compactedTopic(log);
    await appendBatches(log, [
      [kv('a', '1'), kv('a', '2'), kv('a', '3'), kv('b', '1')],
      [kv('c', '1')],
      [kv('z', 'active')],
    ]);
    await log.compact();
    expect(shape(log.read(tp, 0))).toEqual(['2:a=3', '3:b=1', '4:c=1', '5:z=active']);
    expect(shape(log.read(tp, 1))).toEqual(['2:a=3', '3:b=1', '4:c=1', '5:z=active']);
    expect(shape(log.read(tp, 3, { maxRecords: 1 }))).toEqual(['3:b=1']);
    expect(shape(log.read(tp, 0, { maxRecords: 2 }))).toEqual(['2:a=3', '3:b=1']);
    expect(log.read(tp, 6)).toEqual([]);
    // a consumer group committed inside the removed range resumes at the next surviving record
    await log.commitOffsets('sink', [{ ...tp, offset: 1 }]);
    const [committed] = log.committedOffsets('sink');
    expect(shape(log.read(tp, committed.offset, { maxRecords: 1 }))).toEqual(['2:a=3']);
    // timestamp lookups skip removed records too
    expect(log.offsetForTimestamp(tp, 0)).toBe(2);
  });

  it('removes a tombstone delete.retention.ms after it was first cleaned, not before', async () => {
    const log = await openLog();
    await compactedTopic(log, { deleteRetentionMs: 10_000 });
    expect(log.describeTopic('c')).toMatchObject({
      cleanupPolicy: 'compact',
      deleteRetentionMs: 10_000,
      minCompactionLagMs: 0,
    });
    const t0 = Date.now();
    await appendBatches(log, [[kv('gone', 'v1'), kv('kept', 'v1'), kv('gone', null)], [kv('active', 'x')]]);
    const first = await log.compact(t0);
    expect(first).toMatchObject({ removedRecords: 1, removedTombstones: 0 });
    expect(shape(log.read(tp, 0))).toEqual(['1:kept=v1', '2:gone=null', '3:active=x']);
    expect((await log.compact(t0 + 9_999)).removedTombstones).toBe(0);
    expect(shape(log.read(tp, 0))).toContain('2:gone=null');
    const late = await log.compact(t0 + 10_001);
    expect(late).toMatchObject({ removedRecords: 1, removedTombstones: 1 });
    expect(shape(log.read(tp, 0))).toEqual(['1:kept=v1', '3:active=x']);
    expect(log.endOffset(tp)).toBe(4);
    expect(log.verify()[0].corrupt).toBeNull();
  });

  it('honours min.compaction.lag.ms', async () => {
    const log = await openLog();
    await compactedTopic(log, { minCompactionLagMs: 60_000 });
    const now = Date.now();
    await appendBatches(log, [[kv('k', '1', now), kv('k', '2', now)], [kv('x', 'active', now)]]);
    expect((await log.compact(now + 30_000)).removedRecords).toBe(0);
    expect(log.read(tp, 0)).toHaveLength(3);
    expect((await log.compact(now + 60_001)).removedRecords).toBe(1);
    expect(shape(log.read(tp, 0))).toEqual(['1:k=2', '2:x=active']);
  });

  it('merges the small batches it rewrites, keeping the offsets and the batch sequence', async () => {
    const log = await openLog();
    await compactedTopic(log);
    const batches = Array.from({ length: 50 }, (_, i) => [kv(`k${i % 5}`, `v${i}`)]);
    await appendBatches(log, batches);
    expect(log.verify()[0].batches).toBe(50);
    await log.compact();
    const after = log.verify()[0];
    expect(after.corrupt).toBeNull();
    expect(after.batches).toBeLessThan(5);
    // the newest per key among offsets 0..48 survive (49 is the active batch)
    expect(shape(log.read(tp, 0))).toEqual([
      '44:k4=v44',
      '45:k0=v45',
      '46:k1=v46',
      '47:k2=v47',
      '48:k3=v48',
      '49:k4=v49',
    ]);
    expect(log.endOffset(tp)).toBe(50);
  });

  it('bounds the dirty bytes read per pass and finishes over several passes', async () => {
    const log = await openLog();
    await compactedTopic(log);
    await appendBatches(log, [[kv('k', '1')], [kv('k', '2')], [kv('k', '3')], [kv('k', '4')], [kv('z', 'active')]]);
    let passes = 0;
    while ((await log.compact(Date.now(), 1)).partitions > 0) passes++;
    expect(passes).toBe(4); // one batch per pass with a 1-byte budget
    expect(shape(log.read(tp, 0))).toEqual(['3:k=4', '4:z=active']);
    expect(log.verify()[0].corrupt).toBeNull();
  });

  it("cleanup.policy 'compact,delete' compacts and deletes by retention; plain 'compact' is never deleted by retention", async () => {
    const log = await openLog();
    await log.createTopic({ name: 'c', partitions: 1, cleanupPolicy: 'compact,delete', retentionMs: 60_000 });
    const old = Date.now() - 120_000;
    await appendBatches(log, [[kv('a', '1', old)], [kv('b', '1'), kv('b', '2')], [kv('z', 'active')]]);
    expect(await log.enforceRetention()).toBe(1);
    expect(log.startOffset(tp)).toBe(1);
    expect((await log.compact()).removedRecords).toBe(1);
    expect(shape(log.read(tp, 0))).toEqual(['2:b=2', '3:z=active']);
    expect(log.verify()[0].corrupt).toBeNull();
  });

  it('refuses records without a key on compacted topics, as Kafka brokers do', async () => {
    const log = await openLog();
    await compactedTopic(log);
    await expect(
      log.append([{ topic: 'c', partition: 0, records: [kv('k', 'v'), { key: null, value: Buffer.from('x') }] }]),
    ).rejects.toThrow(/Topic c has cleanup.policy=compact: record 1 for partition 0 has no key.*cleanup.policy=delete/);
    expect(log.endOffset(tp)).toBe(0);
  });

  it('a corrupt batch stops the pass before anything is rewritten', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-compact-'));
    dirs.push(dir);
    const log = await openLog({ dir });
    await compactedTopic(log);
    await appendBatches(log, [[kv('k1', 'first-value')], [kv('k1', 'second-value')], [kv('k2', 'active')]]);
    await log.close();
    const file = path.join(dir, 'data.mdb');
    const buf = fs.readFileSync(file);
    for (let at = buf.indexOf('second-value'); at >= 0; at = buf.indexOf('second-value', at + 1)) buf[at] = 0x53;
    fs.writeFileSync(file, buf);
    const again = await openLog({ dir });
    await expect(again.compact()).rejects.toThrow(
      /Corrupt record batch in the embedded log .*: topic c partition 0 offset 1: CRC32C mismatch/,
    );
    expect(shape(again.read(tp, 0, { maxRecords: 1 }))).toEqual(['0:k1=first-value']);
  });

  it('runs in the background on the retention schedule', async () => {
    const log = await openLog({ retentionCheckIntervalMs: 20 });
    await compactedTopic(log);
    await appendBatches(log, [[kv('k', '1'), kv('k', '2')], [kv('z', 'active')]]);
    await waitFor(() => log.read(tp, 0).length === 2, { timeoutMs: 10_000, what: 'background compaction' });
    expect(shape(log.read(tp, 0))).toEqual(['1:k=2', '2:z=active']);
  });
});
