import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedLog } from '../../runtime/log/embedded-log.ts';
import { main } from '../main.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await main(args, { stdout, stderr });
  return { code, out, err };
}

describe('tributary log verify / recover', () => {
  it('reports a flipped byte with topic, partition and offset, and truncates only with --yes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cli-log-'));
    dirs.push(dir);
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    for (let b = 0; b < 3; b++)
      await log.append([{ topic: 'events', partition: 0, records: [{ key: null, value: Buffer.from(`event-${b}`) }] }]);
    await log.append([{ topic: 'other', partition: 0, records: [{ key: null, value: Buffer.from('fine') }] }]);
    await log.close();
    const file = path.join(dir, 'data.mdb');
    const buf = fs.readFileSync(file);
    for (let at = buf.indexOf('event-1'); at >= 0; at = buf.indexOf('event-1', at + 1)) buf[at + 6] = 0x39; // event-1 -> event-9
    fs.writeFileSync(file, buf);

    const v = await run(['log', 'verify', '--data-dir', dir]);
    expect(v.code).toBe(1);
    expect(v.out).toContain('events-0: offsets 0..3, 1 batches, 1 records: CORRUPT at offset 1: CRC32C mismatch');
    expect(v.out).toContain('other-0: offsets 0..1, 1 batches, 1 records: ok');
    expect((await run(['log', 'verify', '--data-dir', dir, '--topic', 'other'])).code).toBe(0);

    const dry = await run(['log', 'recover', '--data-dir', dir, '--topic', 'events', '--partition', '0']);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain('Recovery truncates the partition to offset 1, deleting 2 records');
    expect(dry.out).toContain('Nothing was changed');
    expect((await run(['log', 'verify', '--data-dir', dir, '--topic', 'events'])).code).toBe(1);

    const done = await run(['log', 'recover', '--data-dir', dir, '--topic', 'events', '--partition', '0', '--yes']);
    expect(done.code).toBe(0);
    expect(done.out).toContain('Truncated events-0 to offset 1 (2 records removed)');
    expect((await run(['log', 'verify', '--data-dir', dir])).code).toBe(0);
  });

  it('verifies compacted batches (version 3) and finds a flipped byte in one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cli-log-'));
    dirs.push(dir);
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    await log.createTopic({ name: 'users', partitions: 1, cleanupPolicy: 'compact' });
    const put = (key: string, value: string) =>
      log.append([{ topic: 'users', partition: 0, records: [{ key: Buffer.from(key), value: Buffer.from(value) }] }]);
    await put('u1', 'first-value');
    await put('u1', 'second-value');
    await put('u2', 'active-value');
    expect((await log.compact()).removedRecords).toBe(1);
    await log.close();

    const ok = await run(['log', 'verify', '--data-dir', dir]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('users-0: offsets 0..3, 2 batches (1 compacted), 2 records: ok');

    const file = path.join(dir, 'data.mdb');
    const buf = fs.readFileSync(file);
    for (let at = buf.indexOf('second-value'); at >= 0; at = buf.indexOf('second-value', at + 1)) buf[at] = 0x53; // s -> S
    fs.writeFileSync(file, buf);
    const bad = await run(['log', 'verify', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('users-0: offsets 0..3, 0 batches, 0 records: CORRUPT at offset 0: CRC32C mismatch');
  });

  it('refuses while another process holds the store, naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cli-log-'));
    dirs.push(dir);
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    try {
      const r = await run(['log', 'verify', '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/already open in this process/);
    } finally {
      await log.close();
    }
  });
});
