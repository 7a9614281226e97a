/**
 * The embedded log against damaged and misplaced files: checksums on read, verify and recover,
 * stores from before checksums, and files refused before LMDB maps them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptRecordBatchError, EmbeddedLog } from './embedded-log.ts';
import { StoreRefusedError, freePages } from './store-guard.ts';
import type { EmbeddedLogOptions } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const logs: EmbeddedLog[] = [];
const children: ChildProcess[] = [];

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dur-'));
  dirs.push(d);
  return d;
}

async function openLog(dir: string, opts: Partial<EmbeddedLogOptions> = {}): Promise<EmbeddedLog> {
  const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0, ...opts });
  logs.push(log);
  return log;
}

async function closeAll(): Promise<void> {
  for (const l of logs.splice(0)) await l.close();
}

afterEach(async () => {
  await closeAll();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const tp = { topic: 'orders', partition: 0 };

/**
 * A store with `batches` appends of `perBatch` records `v-<n>-<padding>` to orders-0. `padding`
 * is `pad` x's, or with `random` `pad` random bytes (which the store's LZ4 compression leaves
 * as literals: `randomMarker(n)`, the first 12 of record n's, can be found in the file).
 */
async function writeStore(dir: string, batches: number, perBatch: number, pad = 0, random = false): Promise<void> {
  const log = await openLog(dir);
  for (let b = 0; b < batches; b++) {
    await log.append([
      {
        topic: 'orders',
        partition: 0,
        records: Array.from({ length: perBatch }, (_, i) => ({
          key: null,
          value: random
            ? Buffer.concat([Buffer.from(`v-${b * perBatch + i}-`), randomPadding(b * perBatch + i, pad)])
            : Buffer.from(`v-${b * perBatch + i}-${'x'.repeat(pad)}`),
        })),
      },
    ]);
  }
  await log.commitOffsets('connect-sink', [{ topic: 'orders', partition: 0, offset: batches * perBatch }]);
  await closeAll();
}

/** Deterministic incompressible bytes per record. */
function randomPadding(n: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 32) createHash('sha256').update(`${n}:${i}`).digest().copy(out, i);
  return out;
}
const randomMarker = (n: number): Buffer => randomPadding(n, 32).subarray(0, 12);

/** Patches every copy of `needle` in the file (LMDB copies pages on write: stale copies stay in free pages). */
function patchFile(file: string, needle: string | Buffer, patch: (buf: Buffer, at: number) => void): void {
  const buf = fs.readFileSync(file);
  const found: number[] = [];
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) found.push(at);
  expect(found.length, `${needle} in ${file}`).toBeGreaterThan(0);
  for (const at of found) patch(buf, at);
  fs.writeFileSync(file, buf);
}

describe('record batch checksums', () => {
  it('a byte flipped inside a stored record fails the read naming file, topic, partition and offset; verify finds it; recover truncates there', async () => {
    const dir = tmpDir();
    await writeStore(dir, 3, 4);
    patchFile(path.join(dir, 'data.mdb'), 'v-5-', (buf, at) => {
      buf[at + 2] ^= 0x01; // v-5- -> v-4- : a plausible value, only the checksum can tell
    });
    const log = await openLog(dir);
    expect(log.read(tp, 0, { maxRecords: 4 })).toHaveLength(4); // the first batch is intact
    let err: unknown;
    try {
      log.read(tp, 4);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptRecordBatchError);
    const c = err as CorruptRecordBatchError;
    expect(c).toMatchObject({
      topic: 'orders',
      partition: 0,
      offset: 4,
      code: 'TRIB_ERR_LOG_CORRUPT',
      retriable: false,
    });
    expect(c.message).toContain(path.join(fs.realpathSync(dir), 'data.mdb'));
    expect(c.message).toMatch(/topic orders partition 0 offset 4: CRC32C mismatch/);
    expect(log.corruptBatchesDetected).toBe(1);

    const report = log.verify({ topic: 'orders' });
    expect(report).toEqual([
      {
        topic: 'orders',
        partition: 0,
        startOffset: 0,
        endOffset: 12,
        batches: 1,
        records: 4,
        unverifiedBatches: 0,
        compactedBatches: 0,
        corrupt: { offset: 4, reason: expect.stringMatching(/^CRC32C mismatch/) },
      },
    ]);

    const result = await log.recoverPartition(tp);
    expect(result).toEqual({
      topic: 'orders',
      partition: 0,
      truncatedTo: 4,
      previousEndOffset: 12,
      removedRecords: 8,
      groupsRewound: ['connect-sink'],
    });
    expect(log.endOffset(tp)).toBe(4);
    expect(log.committedOffsets('connect-sink')).toEqual([{ topic: 'orders', partition: 0, offset: 4 }]);
    expect(log.verify()[0].corrupt).toBeNull();
    expect(
      await log.append([{ topic: 'orders', partition: 0, records: [{ key: null, value: Buffer.from('after') }] }]),
    ).toEqual([4]);
    await closeAll();
    const reopened = await openLog(dir);
    expect(reopened.read(tp, 0).map((r) => r.value!.toString().split('-').slice(0, 2).join('-'))).toEqual([
      'v-0',
      'v-1',
      'v-2',
      'v-3',
      'after',
    ]);
  });

  it('a byte flipped inside an LZ4-compressed batch fails the read as a CRC32C mismatch at that batch', async () => {
    const dir = tmpDir();
    await writeStore(dir, 2, 50, 2000, true); // two ~100 KB batches, stored compressed
    patchFile(path.join(dir, 'data.mdb'), randomMarker(60), (buf, at) => {
      buf[at + 5] ^= 0x01;
    });
    const log = await openLog(dir);
    expect(log.read(tp, 0, { maxRecords: 50 })).toHaveLength(50);
    let err: unknown;
    try {
      log.read(tp, 50);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptRecordBatchError);
    expect((err as CorruptRecordBatchError).offset).toBe(50);
    expect((err as Error).message).toMatch(/CRC32C mismatch/);
    expect(log.verify()[0].corrupt).toMatchObject({ offset: 50 });
  });

  it('64 KB of garbage over stored records surfaces as a corrupt batch naming data.mdb, not a RangeError', async () => {
    const dir = tmpDir();
    // ~1.6 MB of incompressible records in 256 KB batches (LZ4-compressed by the store: LMDB overflow pages)
    await writeStore(dir, 8, 200, 1000, true);
    patchFile(path.join(dir, 'data.mdb'), randomMarker(700), (buf, at) => {
      const garbage = Buffer.alloc(64 * 1024);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
      garbage.copy(buf, at);
    });
    const log = await openLog(dir);
    let err: Error | undefined;
    let read = 0;
    try {
      for (let pos = 0; pos < log.endOffset(tp);) {
        const rs = log.read(tp, pos, { maxRecords: 100 });
        read += rs.length;
        pos = rs[rs.length - 1].offset + 1;
      }
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(CorruptRecordBatchError);
    expect(err!.message).toContain('data.mdb');
    expect(err!.message).not.toMatch(/RangeError|decodeChunkInto/);
    expect((err as CorruptRecordBatchError).offset).toBeLessThanOrEqual(700);
    expect(read).toBeLessThanOrEqual(700);
    expect(log.verify()[0].corrupt).not.toBeNull();
  });

  it('opens a store written before checksums (version-1 batches): reads them, reports them as unverified, appends version 2', async () => {
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'data.mdb'),
      zlib.gunzipSync(fs.readFileSync(path.join(here, 'fixtures/v1-store/data.mdb.gz'))),
    );
    const log = await openLog(dir);
    const p0 = log.read(tp, 0);
    expect(p0.map((r) => r.value!.toString())).toEqual(Array.from({ length: 15 }, (_, i) => `order-${i}`));
    expect(p0[3]).toMatchObject({
      key: Buffer.from('k3'),
      timestamp: 1700000000003,
      headers: [{ key: 'h', value: Buffer.from('v') }],
    });
    expect(log.read({ topic: 'orders', partition: 1 }, 0).map((r) => r.value!.toString())).toEqual([
      'p1-0',
      'p1-1',
      'p1-2',
    ]);
    expect(log.kvGet('source-offsets', 'src')).toBe('{"n":2}');
    expect(log.committedOffsets('connect-sink')).toEqual([{ topic: 'orders', partition: 0, offset: 7 }]);
    expect(log.verify().map((v) => [v.partition, v.batches, v.unverifiedBatches, v.corrupt])).toEqual([
      [0, 3, 3, null],
      [1, 3, 3, null],
    ]);
    await log.append([{ topic: 'orders', partition: 0, records: [{ key: null, value: Buffer.from('new') }] }]);
    expect(log.read(tp, 15).map((r) => r.value!.toString())).toEqual(['new']);
    expect(log.verify({ topic: 'orders' })[0]).toMatchObject({ batches: 4, unverifiedBatches: 3, corrupt: null });
  });
});

describe('files validated before they are mapped', () => {
  async function storeWithData(): Promise<string> {
    const dir = tmpDir();
    await writeStore(dir, 20, 50, 300);
    return dir;
  }

  it('refuses a truncated data.mdb naming the file (instead of SIGBUS)', async () => {
    const dir = await storeWithData();
    const file = path.join(dir, 'data.mdb');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);
    const err = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    expect((err as Error).message).toMatch(
      /data\.mdb is truncated: \d+ bytes, but its newest meta page .* uses pages up to \d+/,
    );
    // nothing was left locked: after restoring a good file it opens
  });

  it('accepts a file that ends before its last page when the missing pages are free (LMDB does not write those), refuses one more page', async () => {
    const dir = tmpDir();
    const log = await openLog(dir);
    await log.append([{ topic: 'keep', partition: 0, records: [{ key: null, value: Buffer.from('k1') }] }]);
    await log.append([{ topic: 'big', partition: 0, records: [{ key: null, value: Buffer.alloc(200_000, 1) }] }]);
    await log.deleteTopic('big');
    await log.append([{ topic: 'keep', partition: 0, records: [{ key: null, value: Buffer.from('k2') }] }]);
    await closeAll();
    const file = path.join(dir, 'data.mdb');
    const psize = 4096;
    const pages = BigInt(fs.statSync(file).size / psize);
    const head = Buffer.alloc(2 * psize);
    const fd = fs.openSync(file, 'r');
    let trailingFree = 0n;
    try {
      fs.readSync(fd, head, 0, head.length, 0);
      const meta = (at: number) => ({
        txn: head.readBigUInt64LE(at + 0x98),
        freeRoot: head.readBigUInt64LE(at + 0x58),
      });
      const newest = meta(psize).txn > meta(0).txn ? meta(psize) : meta(0);
      const free = freePages(fd, psize, pages, newest.freeRoot)!;
      while (free.has(pages - 1n - trailingFree)) trailingFree++;
    } finally {
      fs.closeSync(fd);
    }
    expect(trailingFree).toBeGreaterThan(0n); // the deleted topic's pages, at the end of the file
    const backup = fs.readFileSync(file);
    fs.truncateSync(file, Number(pages - trailingFree) * psize);
    const reopened = await openLog(dir);
    expect(reopened.read({ topic: 'keep', partition: 0 }, 0).map((r) => r.value!.toString())).toEqual(['k1', 'k2']);
    await reopened.append([{ topic: 'keep', partition: 0, records: [{ key: null, value: Buffer.alloc(100_000, 3) }] }]);
    expect(reopened.verify()[0].corrupt).toBeNull();
    await closeAll();
    fs.writeFileSync(file, backup.subarray(0, Number(pages - trailingFree - 1n) * psize));
    await expect(EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 })).rejects.toThrow(/data\.mdb is truncated/);
  });

  it('refuses zeroed meta pages naming the file (instead of a segfault)', async () => {
    for (const page of [0, 1]) {
      const dir = await storeWithData();
      const file = path.join(dir, 'data.mdb');
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(4096), 0, 4096, page * 4096);
      fs.closeSync(fd);
      const err = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreRefusedError);
      expect((err as Error).message).toContain(`data.mdb is damaged: meta page ${page} is not an LMDB meta page`);
    }
  });

  it('refuses a store emptied to 0 bytes or deleted where the marker says data lives, unless told to start new', async () => {
    const dir = await storeWithData();
    const file = path.join(dir, 'data.mdb');
    const marker = JSON.parse(fs.readFileSync(path.join(dir, 'tributary-store.json'), 'utf8')) as { storeId: string };
    fs.truncateSync(file, 0);
    const err = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    expect((err as Error).message).toContain(
      `data.mdb is empty (0 bytes), but ${path.join(fs.realpathSync(dir), 'tributary-store.json')} says store ${marker.storeId}`,
    );
    expect((err as Error).message).toContain('tributary.data.allow.reinit=true');
    fs.rmSync(file);
    await expect(EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 })).rejects.toThrow(/data\.mdb is missing/);
    const fresh = await openLog(dir, { allowReinit: true });
    expect(fresh.listTopics()).toEqual([]);
    await closeAll();
    const again = JSON.parse(fs.readFileSync(path.join(dir, 'tributary-store.json'), 'utf8')) as { storeId: string };
    expect(again.storeId).not.toBe(marker.storeId);
    await expect(openLog(dir)).resolves.toBeDefined(); // the new store is the marked one now
  });

  it('refuses a data.mdb that belongs to another store', async () => {
    const a = await storeWithData();
    const b = tmpDir();
    await writeStore(b, 1, 1);
    fs.copyFileSync(path.join(a, 'data.mdb'), path.join(b, 'data.mdb'));
    await expect(EmbeddedLog.open({ dir: b, retentionCheckIntervalMs: 0 })).rejects.toThrow(
      /the data file was replaced/,
    );
  });
});

describe('exclusive lock on the data directory', () => {
  /** A child process that opens the log in `dir` and keeps it open. */
  function holdInChild(dir: string): Promise<ChildProcess> {
    const script = `import { EmbeddedLog } from ${JSON.stringify(path.join(here, 'embedded-log.ts'))};\nawait EmbeddedLog.open({ dir: ${JSON.stringify(dir)}, retentionCheckIntervalMs: 0 });\nconsole.log('OPEN');\nsetInterval(() => {}, 1000);\n`;
    const file = path.join(dir, '..', `${path.basename(dir)}-holder.mts`);
    fs.writeFileSync(file, script);
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: path.resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('OPEN')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
    });
  }

  it("a second process on the same directory is refused, naming the holder's PID; a dead holder's lock is taken over", async () => {
    const dir = tmpDir();
    const holder = await holdInChild(dir);
    const err = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    expect((err as Error).message).toContain(`is in use by another worker (PID ${holder.pid} on ${os.hostname()}`);
    await new Promise<void>((resolve) => {
      holder.once('exit', () => resolve());
      holder.kill('SIGKILL');
    });
    expect(fs.existsSync(path.join(dir, 'tributary.lock'))).toBe(true); // left behind by the killed holder
    const log = await openLog(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tributary.lock'), 'utf8')).pid).toBe(process.pid);
    await closeAll();
    expect(fs.existsSync(path.join(dir, 'tributary.lock'))).toBe(false);
    expect(log).toBeDefined();
  });
});

describe('a lock held by a process killed but not yet reaped', () => {
  it('is taken over: a zombie does not hold the directory', async () => {
    const dir = tmpDir();
    // the background sleep exits at once and stays a zombie: its parent (exec'd into sleep 5) never reaps it
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    // the background sleep may take a while to run and exit on a busy machine
    const stateOf = (st: string) => st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3);
    let stat = fs.readFileSync(`/proc/${zombie}/stat`, 'utf8');
    for (let i = 0; i < 200 && stateOf(stat) !== 'Z'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stat = fs.readFileSync(`/proc/${zombie}/stat`, 'utf8');
    }
    expect(stateOf(stat)).toBe('Z');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    fs.writeFileSync(path.join(dir, 'tributary.lock'), JSON.stringify({ pid: zombie, host: os.hostname(), started }));
    const log = await openLog(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tributary.lock'), 'utf8')).pid).toBe(process.pid);
    expect(log.listTopics()).toEqual([]);
  });
});
