/**
 * A disk filled to the last byte by another process while the log writes (issue 14: the worker
 * aborted with SIGABRT after LMDB's "Write error: No space left on device"; lmdb-js corrupts its
 * heap on a commit that fails with ENOSPC). A child writes as a worker does; the test fills the
 * small filesystem under it several times and frees it again. The child must never exit by itself,
 * refuse writes worded "no space left on device at <dir>" while the disk is full, write again once
 * space is back, and every acknowledged record must be there, intact, after it is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mountSmallFs, type SmallFs } from '../../test/helpers/small-fs.ts';
import { EmbeddedLog } from './embedded-log.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let disk: SmallFs | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  disk?.unmount();
  disk = child = undefined;
});

describe('embedded log on a disk another process fills to the last byte', () => {
  it('never aborts: writes are refused while it is full and resume after, nothing acknowledged is lost', async () => {
    disk = mountSmallFs(32 * 1024 * 1024);
    const dir = path.join(disk.dir, 'data');
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'full-disk-writer.ts'), dir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child = proc;
    const acked = new Map<string, number>();
    const refusals: string[] = [];
    let acks = 0;
    let ready = false;
    let stderr = '';
    let pending = '';
    let exited: string | null = null;
    proc.on('exit', (code, signal) => {
      exited = `code ${code}, signal ${signal}`;
    });
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    proc.stdout!.on('data', (d: Buffer) => {
      const lines = (pending + d.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line === 'READY') ready = true;
        const ack = /^ACK (\S+) (\d+)$/.exec(line);
        if (ack) {
          acks++;
          acked.set(ack[1], Math.max(acked.get(ack[1]) ?? 0, Number(ack[2])));
        }
        if (line.startsWith('REFUSED ')) refusals.push(line.slice(8));
      }
    });
    const alive = () => {
      if (exited) throw new Error(`the writer exited by itself (${exited}):\n${stderr.slice(-3000)}`);
    };
    for (let i = 0; i < 200 && !(ready && acks > 0); i++) {
      alive();
      await sleep(50);
    }
    expect(acks).toBeGreaterThan(0);
    for (let cycle = 0; cycle < 4; cycle++) {
      disk.fill(1 << 30);
      await sleep(1200);
      alive();
      disk.free();
      const before = acks;
      for (let i = 0; i < 100 && acks < before + 20; i++) await sleep(50);
      alive();
      expect(acks, `writes resumed after cycle ${cycle + 1}`).toBeGreaterThanOrEqual(before + 20);
    }
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]).toMatch(
      new RegExp(
        `^Embedded log write refused; nothing was written: no space left on device at ${disk.dir.replace(/[/.]/g, '\\$&')}`,
      ),
    );
    expect(stderr).not.toMatch(/Write error|No space left on device/); // LMDB itself never met the full disk
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
    try {
      for (const [topic, end] of acked)
        expect(log.endOffset({ topic, partition: 0 }), topic).toBeGreaterThanOrEqual(end);
      expect(log.verify().filter((v) => v.corrupt !== null)).toEqual([]);
    } finally {
      await log.close();
    }
  }, 90_000);
});
