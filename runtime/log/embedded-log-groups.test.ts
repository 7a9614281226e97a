import { describe, expect, it } from 'vitest';
import { EmbeddedLog } from './embedded-log.ts';
import { openLog, rec, tmpDir, values } from './fixtures/test-log.ts';

describe('EmbeddedLog consumer groups', () => {
  it('commits, lists and deletes group offsets', async () => {
    const log = await openLog();
    expect(log.listGroups()).toEqual([]);
    await log.commitOffsets('g1', [
      { topic: 't', partition: 0, offset: 5 },
      { topic: 't', partition: 1, offset: 7 },
    ]);
    await log.commitOffsets('g2', [{ topic: 'u', partition: 3, offset: 1 }]);
    await log.commitOffsets('g1', [{ topic: 't', partition: 0, offset: 6 }]);
    await log.commitOffsets('g', [{ topic: 'x', partition: 0, offset: 0 }]); // prefix of other group ids
    expect(log.committedOffsets('g1')).toEqual([
      { topic: 't', partition: 0, offset: 6 },
      { topic: 't', partition: 1, offset: 7 },
    ]);
    expect(log.committedOffsets('g')).toEqual([{ topic: 'x', partition: 0, offset: 0 }]);
    expect(log.committedOffsets('none')).toEqual([]);
    expect(log.listGroups()).toEqual(['g', 'g1', 'g2']);
    await log.deleteGroup('g1');
    expect(log.committedOffsets('g1')).toEqual([]);
    expect(log.listGroups()).toEqual(['g', 'g2']);
    await expect(log.commitOffsets('g', [{ topic: 't', partition: 0, offset: -1 }])).rejects.toThrow(/Invalid offset/);
  });

  it('keeps group offsets across a reopen', async () => {
    const dir = tmpDir();
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    await log.commitOffsets('sink-group', [{ topic: 'a.b-c', partition: 2, offset: 42 }]);
    await log.close();
    const again = await openLog({ dir });
    expect(again.committedOffsets('sink-group')).toEqual([{ topic: 'a.b-c', partition: 2, offset: 42 }]);
  });
});

describe('EmbeddedLog key-value namespaces', () => {
  it('puts, gets, deletes and lists by prefix', async () => {
    const log = await openLog();
    const k1 = JSON.stringify(['my-connector', { filename: '/tmp/a' }]);
    const k2 = JSON.stringify(['my-connector', { filename: '/tmp/b' }]);
    const k3 = JSON.stringify(['other', { filename: '/tmp/a' }]);
    await log.kvPut([
      { namespace: 'connect-offsets', key: k1, value: '{"position":42}' },
      { namespace: 'connect-offsets', key: k2, value: '{"position":7}' },
      { namespace: 'connect-offsets', key: k3, value: '{"position":1}' },
      { namespace: 'connect-configs', key: 'connector-my-connector', value: '{}' },
    ]);
    expect(log.kvGet('connect-offsets', k1)).toBe('{"position":42}');
    expect(log.kvGet('connect-offsets', 'missing')).toBeUndefined();
    expect(log.kvGet('connect-configs', k1)).toBeUndefined();
    expect(log.kvEntries('connect-offsets', '["my-connector",')).toEqual([
      { key: k1, value: '{"position":42}' },
      { key: k2, value: '{"position":7}' },
    ]);
    expect(log.kvEntries('connect-offsets').map((e) => e.key)).toEqual([k1, k2, k3]);
    expect(log.kvEntries('connect-configs')).toEqual([{ key: 'connector-my-connector', value: '{}' }]);
    expect(log.kvEntries('connect')).toEqual([]);
    await log.kvPut([
      { namespace: 'connect-offsets', key: k1, value: null },
      { namespace: 'connect-offsets', key: k2, value: '{"position":8}' },
    ]);
    expect(log.kvGet('connect-offsets', k1)).toBeUndefined();
    expect(log.kvGet('connect-offsets', k2)).toBe('{"position":8}');
    await expect(log.kvPut([{ namespace: 'n', key: 'x'.repeat(3000), value: 'v' }])).rejects.toThrow(/Key too long/);
    await expect(log.kvPut([{ namespace: 'n\u0000', key: 'x', value: 'v' }])).rejects.toThrow(/NUL/);
  });

  it('commits records and key-value writes atomically', async () => {
    const log = await openLog();
    await log.append(
      [{ topic: 'src', partition: 0, records: [rec('r1')] }],
      [{ namespace: 'connect-offsets', key: 'k', value: '1' }],
    );
    expect(log.kvGet('connect-offsets', 'k')).toBe('1');
    expect(log.endOffset({ topic: 'src', partition: 0 })).toBe(1);

    // A refused call writes nothing, not even its valid batches.
    await log.createTopic({ name: 'one', partitions: 1 });
    await expect(
      log.append(
        [
          { topic: 'src', partition: 0, records: [rec('nope')] },
          { topic: 'one', partition: 3, records: [rec('bad')] },
        ],
        [{ namespace: 'connect-offsets', key: 'k', value: 'nope' }],
      ),
    ).rejects.toThrow(/Partition 3 does not exist/);
    expect(log.kvGet('connect-offsets', 'k')).toBe('1');
    expect(log.endOffset({ topic: 'src', partition: 0 })).toBe(1);
  });

  it('fails every write queued after a lost commit, without gaps, and recovers', async () => {
    const log = await openLog();
    await log.append(
      [{ topic: 'src', partition: 0, records: [rec('r0')] }],
      [{ namespace: 'offsets', key: 'k', value: '0' }],
    );
    // Simulate a commit that was lost after later writes were queued: the fence no longer has the
    // version the queued blocks expect, exactly as after a failed transaction.
    const fenceDb = (
      log as unknown as { storage: { fenceDb: { put(k: Buffer, v: Buffer, version: number): Promise<boolean> } } }
    ).storage.fenceDb;
    await fenceDb.put(Buffer.from('fence'), Buffer.alloc(0), 1000);
    const a = log.append(
      [{ topic: 'src', partition: 0, records: [rec('lost1')] }],
      [{ namespace: 'offsets', key: 'k', value: '1' }],
    );
    const b = log.append([
      { topic: 'src', partition: 0, records: [rec('lost2'), rec('lost3')] },
      { topic: 'new-topic', partition: 0, records: [rec('x')] },
    ]);
    await expect(a).rejects.toMatchObject({ retriable: true, message: expect.stringMatching(/nothing was written/) });
    await expect(b).rejects.toMatchObject({ retriable: true });
    // nothing of the failed calls is visible, and the next append continues without a gap
    expect(
      await log.append(
        [{ topic: 'src', partition: 0, records: [rec('r1')] }],
        [{ namespace: 'offsets', key: 'k', value: '2' }],
      ),
    ).toEqual([1]);
    expect(values(log.read({ topic: 'src', partition: 0 }, 0))).toEqual(['r0', 'r1']);
    expect(log.kvGet('offsets', 'k')).toBe('2');
    expect(log.describeTopic('new-topic')).toBeUndefined();
    expect(await log.append([{ topic: 'new-topic', partition: 0, records: [rec('y')] }])).toEqual([0]);
    expect(log.stats({ topic: 'src', partition: 0 }).records).toBe(2);
  });
});
