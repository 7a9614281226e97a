/**
 * Compaction through the embedded transport: a topic created by a source connector's
 * topic.creation.* rules with cleanup.policy=compact is compacted by the log cleaner; a sink group
 * whose committed offset points into a removed range resumes at the next surviving record.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { EmbeddedLog } from '../log/embedded-log.ts';
import { TopicCreationRules } from '../worker/topic-creation.ts';
import { EmbeddedTransport } from './embedded-transport.ts';
import type { OutgoingRecord } from './types.ts';

const dirs: string[] = [];
const transports: EmbeddedTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const rec = (key: string | null, value: string | null): OutgoingRecord => ({
  topic: 'users',
  partition: null,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  timestamp: Date.now(),
  headers: [],
});
const listener = { revoked: async () => undefined, assigned: async () => undefined };

it('compacts a topic created with topic.creation.*.cleanup.policy=compact; a group inside a removed range continues at the next record', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-transport-compact-'));
  dirs.push(dir);
  const transport = new EmbeddedTransport(await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }));
  transports.push(transport);
  const rules = TopicCreationRules.fromConfig({
    'topic.creation.default.partitions': '1',
    'topic.creation.default.replication.factor': '-1',
    'topic.creation.default.cleanup.policy': 'compact',
    'topic.creation.default.delete.retention.ms': '1000',
  })!;
  const sender = transport.createSender('source', { topicCreation: (t) => rules.specFor(t) });
  await sender.send([rec('u1', 'alice'), rec('u2', 'bob'), rec('u1', 'alice2')]); // 0..2
  await sender.send([rec('u2', null)]); // 3: tombstone
  await sender.send([rec('u3', 'carol')]); // 4: active batch
  expect(transport.log.describeTopic('users')).toMatchObject({ cleanupPolicy: 'compact', deleteRetentionMs: 1000 });
  // as a Kafka broker: a record without a key is refused on a compacted topic
  await expect(sender.send([rec(null, 'x')])).rejects.toThrow(
    /cleanup.policy=compact: record 0 for partition 0 has no key/,
  );

  // the sink group has read offset 0 and committed 1 (the next offset), which compaction removes
  await transport.createReceiver('sink', 'c1').commit([{ topic: 'users', partition: 0, offset: 1 }]);
  const now = Date.now();
  await transport.log.compact(now);
  const receiver = transport.createReceiver('sink', 'c2');
  await receiver.subscribe({ topics: ['users'], regex: null }, listener);
  const first = await receiver.poll(100, 1000);
  expect(first.map((r) => `${r.offset}:${r.key?.toString()}=${r.value?.toString() ?? 'null'}`)).toEqual([
    '2:u1=alice2',
    '3:u2=null',
    '4:u3=carol',
  ]);
  expect(receiver.position({ topic: 'users', partition: 0 })).toBe(5);

  // after delete.retention.ms the tombstone goes too; start and end offsets stay
  await sender.send([rec('u4', 'dave')]);
  await transport.log.compact(now + 1001);
  const fresh = transport.createReceiver('replay', 'c3');
  await fresh.subscribe({ topics: ['users'], regex: null }, listener);
  expect((await fresh.poll(100, 1000)).map((r) => r.offset)).toEqual([2, 4, 5]);
  expect(await transport.admin.startOffset({ topic: 'users', partition: 0 })).toBe(0);
  expect(await transport.admin.endOffset({ topic: 'users', partition: 0 })).toBe(6);
});

it('refuses an unknown cleanup.policy, naming the key, the value and the fix', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-transport-compact-'));
  dirs.push(dir);
  const transport = new EmbeddedTransport(await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }));
  transports.push(transport);
  await expect(transport.admin.createTopic('t', 1, { 'cleanup.policy': 'compcat' })).rejects.toThrow(
    "Topic t: cleanup.policy 'compcat' is not valid; use delete, compact or compact,delete",
  );
  expect(await transport.admin.createTopic('t', 1, { 'cleanup.policy': 'delete,compact' })).toBe(true);
  expect(transport.log.describeTopic('t')?.cleanupPolicy).toBe('compact,delete');
});
