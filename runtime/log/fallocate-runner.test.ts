/** fallocate through the long-lived shell: blocks allocated with the size kept, answers in order, failures reported, the process not held open. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fallocateInBackground } from './fallocate-runner.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-fallocate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const allocate = (file: string, length: number): Promise<boolean> =>
  new Promise((resolve) => fallocateInBackground(file, length, resolve));

function fileWith(name: string, bytes: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.alloc(bytes, 7));
  return file;
}

describe('fallocateInBackground', () => {
  it('allocates the blocks and keeps the size', async () => {
    const file = fileWith('data.mdb', 100);
    expect(await allocate(file, 8 * 1024 * 1024)).toBe(true);
    const st = fs.statSync(file);
    expect(st.size).toBe(100);
    expect(st.blocks * 512).toBeGreaterThanOrEqual(8 * 1024 * 1024);
  });

  it('answers concurrent calls in order, failures as false', async () => {
    const a = fileWith('a', 10);
    const b = fileWith('b', 10);
    const missing = path.join(dir, 'no-such-dir', 'x');
    const answers = await Promise.all([
      allocate(a, 1024 * 1024),
      allocate(missing, 1024 * 1024),
      allocate(b, 2 * 1024 * 1024),
      allocate(a, 3 * 1024 * 1024),
    ]);
    expect(answers).toEqual([true, false, true, true]);
    expect(fs.statSync(a).blocks * 512).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(fs.statSync(b).blocks * 512).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('handles a path the line protocol cannot carry (a newline) with a child process of its own', async () => {
    const file = fileWith('new\nline', 10);
    expect(await allocate(file, 1024 * 1024)).toBe(true);
    expect(fs.statSync(file).blocks * 512).toBeGreaterThanOrEqual(1024 * 1024);
  });

  it("is started before a log opens, so that it holds none of LMDB's descriptors (they are not close-on-exec)", () => {
    const logDir = path.join(dir, 'log');
    const embeddedLog = path.join(path.dirname(fileURLToPath(import.meta.url)), 'embedded-log.ts');
    // A process of its own: the shell must be started by the log, not by an earlier test of this file.
    const script = `
      const { EmbeddedLog } = await import(${JSON.stringify(embeddedLog)});
      const { execFileSync } = await import('node:child_process');
      const fs = await import('node:fs');
      const log = await EmbeddedLog.open({ dir: ${JSON.stringify(logDir)}, sync: 'os', retentionCheckIntervalMs: 0 });
      const value = Buffer.alloc(4000, 1);
      for (let i = 0; i < 20; i++)
        await log.append([{ topic: 't', partition: 0, records: Array.from({ length: 500 }, () => ({ key: null, value })) }]);
      let listed = '';
      try { listed = execFileSync('pgrep', ['-P', String(process.pid), '-x', 'sh'], { encoding: 'utf8' }); } catch {}
      const shells = listed.trim().split('\\n').filter(Boolean);
      const held = shells.flatMap((pid) => fs.readdirSync('/proc/' + pid + '/fd').map((fd) => { try { return fs.readlinkSync('/proc/' + pid + '/fd/' + fd); } catch { return ''; } }));
      await log.close();
      console.log(JSON.stringify({ shells: shells.length, held }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const { shells, held } = JSON.parse(out.trim()) as { shells: number; held: string[] };
    expect(shells).toBe(1);
    expect(held.filter((f) => f.startsWith(logDir))).toEqual([]);
  }, 180_000);

  it('does not keep the process alive once the calls are answered', () => {
    const file = fileWith('exit', 10);
    const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fallocate-runner.ts');
    const script = `import(${JSON.stringify(runner)}).then((m) => m.fallocateInBackground(${JSON.stringify(file)}, 1048576, (ok) => console.log('answered', ok)));`;
    // execFileSync returns only once the child exits: a shell pipe left referenced would hang it until the timeout.
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(out.trim()).toBe('answered true');
  }, 180_000);
});
