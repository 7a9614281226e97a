/** The embedded log on a disk that fills up for real (a small tmpfs): writes fail retriably, worded, and resume once space is back. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mountSmallFs, type SmallFs } from '../../test/helpers/small-fs.ts';
import { RetriableException } from '../errors.ts';
import { EmbeddedLog } from './embedded-log.ts';

let disk: SmallFs | undefined;
const logs: EmbeddedLog[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close().catch(() => undefined);
  disk?.unmount();
  disk = undefined;
});

const tp = { topic: 't', partition: 0 };

describe('embedded log on a full disk', () => {
  it('fails appends with "no space left on device at <dir>", keeps every acknowledged record, and appends again once space is back', async () => {
    disk = mountSmallFs(6 * 1024 * 1024);
    const dir = path.join(disk.dir, 'data');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
      logs.push(log);
      disk.fill(2 * 1024 * 1024);
      let acked = 0;
      let failure: Error | undefined;
      for (let i = 0; i < 1000 && !failure; i++) {
        try {
          await log.append([
            // random bytes: the store compresses its batches, a constant fill would never fill the disk
            { topic: 't', partition: 0, records: [{ key: null, value: randomBytes(40_000) }] },
          ]);
          acked++;
        } catch (err) {
          failure = err as Error;
        }
      }
      expect(failure).toBeInstanceOf(RetriableException);
      expect(failure!.message).toMatch(
        new RegExp(`nothing was written: no space left on device at ${dir.replace(/[/.]/g, '\\$&')}`),
      );
      expect(log.storageFault?.reason).toMatch(/^no space left on device at /);
      expect(acked).toBeGreaterThan(10);
      // still full: further appends fail the same way, nothing hangs
      await expect(
        log.append([{ topic: 't', partition: 0, records: [{ key: null, value: randomBytes(40_000) }] }]),
      ).rejects.toThrow(/no space left on device/);
      expect(log.read(tp, 0)).toHaveLength(acked);

      disk.free();
      const [base] = await log.append([
        { topic: 't', partition: 0, records: [{ key: null, value: Buffer.from('after') }] },
      ]);
      expect(base).toBe(acked);
      expect(log.storageFault).toBeNull();
      expect(log.verify()[0]).toMatchObject({ records: acked + 1, corrupt: null });
      await log.close();
      logs.length = 0;
      const reopened = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
      logs.push(reopened);
      expect(reopened.endOffset(tp)).toBe(acked + 1);
      expect(reopened.read(tp, acked)[0].value!.toString()).toBe('after');
      await new Promise((r) => setTimeout(r, 300)); // lmdb-js rejects its commitError promise after the writes
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('data.mdb deleted under a running log', () => {
  it('refuses writes from then on (nothing acknowledged that the next restart would lose) and says where the data still is', async () => {
    const fsMod = await import('node:fs');
    const os = await import('node:os');
    const dir = fsMod.mkdtempSync(path.join(os.tmpdir(), 'trib-lost-'));
    try {
      const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
      logs.push(log);
      await log.append([{ topic: 't', partition: 0, records: [{ key: null, value: Buffer.from('before') }] }]);
      fsMod.rmSync(path.join(dir, 'data.mdb'));
      const err = await log
        .append([{ topic: 't', partition: 0, records: [{ key: null, value: Buffer.from('after') }] }])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetriableException);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^Embedded log write refused; nothing was written: ${fsMod.realpathSync(dir)}/data\\.mdb was deleted while the worker runs: .* \\(/proc/${process.pid}/fd/\\d+\\): copy it back`,
        ),
      );
      expect(log.storageFault?.reason).toContain('was deleted while the worker runs');
      await expect(log.kvPut([{ namespace: 'n', key: 'k', value: 'v' }])).rejects.toThrow(/was deleted/);
      expect(log.read(tp, 0).map((r) => r.value!.toString())).toEqual(['before']); // reads go on from the mapped file
    } finally {
      for (const l of logs.splice(0)) await l.close().catch(() => undefined);
      fsMod.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening a new store on a full disk', () => {
  it('is refused in one worded error, with no unhandled rejection', async () => {
    disk = mountSmallFs(1024 * 1024);
    const dir = path.join(disk.dir, 'data');
    disk.fill(1024 * 1024);
    const err = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/no space left on device/);
    expect((err as Error).message).toContain(dir);
    await new Promise((r) => setTimeout(r, 300)); // lmdb-js rejects its commitError promise after the write
  });
});
