/** Kafka's broker-level retention defaults (log.retention.ms / log.retention.bytes) against per-topic overrides. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedLog } from './embedded-log.ts';

const dirs: string[] = [];
const logs: EmbeddedLog[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function openLog(
  dir: string,
  retention: { retentionMs?: number; retentionBytes?: number },
): Promise<EmbeddedLog> {
  const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0, ...retention });
  logs.push(log);
  return log;
}

const batch = (topic: string, n: number) => [
  { topic, partition: 0, records: Array.from({ length: n }, () => ({ key: null, value: Buffer.alloc(1000, 7) })) },
];

describe('retention defaults', () => {
  it('bounds topics without their own settings by log.retention.bytes; topics with their own keep them; a changed default applies on reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ret-'));
    dirs.push(dir);
    let log = await openLog(dir, { retentionMs: -1, retentionBytes: 5000 });
    await log.createTopic({ name: 'own', partitions: 1, retentionBytes: -1 });
    for (let i = 0; i < 10; i++) await log.append([...batch('auto', 1), ...batch('own', 1)]);
    expect(log.describeTopic('auto')).toMatchObject({ retentionBytes: 5000, retentionMs: -1 });
    expect(log.describeTopic('own')).toMatchObject({ retentionBytes: -1 });
    await log.enforceRetention();
    expect(log.stats({ topic: 'auto', partition: 0 }).bytes).toBeLessThanOrEqual(5000);
    expect(log.startOffset({ topic: 'auto', partition: 0 })).toBeGreaterThan(0);
    expect(log.startOffset({ topic: 'own', partition: 0 })).toBe(0);
    await log.close();
    logs.length = 0;
    log = await openLog(dir, { retentionMs: -1, retentionBytes: 2500 });
    expect(log.describeTopic('auto')).toMatchObject({ retentionBytes: 2500 });
    await log.enforceRetention();
    expect(log.stats({ topic: 'auto', partition: 0 }).bytes).toBeLessThanOrEqual(2500);
    expect(log.startOffset({ topic: 'own', partition: 0 })).toBe(0);
    expect(log.diskUsageBytes()).toBeGreaterThan(10_000);
  });

  it('deletes by the default log.retention.ms', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ret-'));
    dirs.push(dir);
    const log = await openLog(dir, { retentionMs: 60_000 });
    await log.append([
      {
        topic: 't',
        partition: 0,
        records: [{ key: null, value: Buffer.from('old'), timestamp: Date.now() - 120_000 }],
      },
    ]);
    await log.append([{ topic: 't', partition: 0, records: [{ key: null, value: Buffer.from('new') }] }]);
    expect(await log.enforceRetention()).toBe(1);
    expect(log.read({ topic: 't', partition: 0 }, 0).map((r) => r.value!.toString())).toEqual(['new']);
  });
});

describe('topic creation racing', () => {
  it('a createTopic that finds the topic queued by another call returns once readers see it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-race-'));
    dirs.push(dir);
    const log = await openLog(dir, {});
    const results = await Promise.all([
      log
        .createTopic({ name: 'raced', partitions: 2 })
        .then((created) => ({ created, seen: log.describeTopic('raced') })),
      log
        .createTopic({ name: 'raced', partitions: 2 })
        .then((created) => ({ created, seen: log.describeTopic('raced') })),
      log
        .append([{ topic: 'auto', partition: 0, records: [{ key: null, value: Buffer.from('x') }] }])
        .then(() => ({ created: null, seen: log.describeTopic('auto') })),
      log
        .createTopic({ name: 'auto', partitions: 1 })
        .then((created) => ({ created, seen: log.describeTopic('auto') })),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, false, null, false]);
    for (const r of results) expect(r.seen).toBeDefined();
  });
});
