/**
 * A small tmpfs of the test's own, to fill a disk for real (ENOSPC / EIO from LMDB). Mounting
 * needs root (CAP_SYS_ADMIN), as the test-server provisioning does; without it the test fails
 * saying so rather than skipping.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallFs {
  dir: string;
  /** Writes a filler file of `bytes` (as much as fits). */
  fill(bytes: number): void;
  /** Removes the filler: the space is back. */
  free(): void;
  unmount(): void;
}

export function mountSmallFs(sizeBytes: number): SmallFs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-smallfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `The disk-full test mounts a ${sizeBytes}-byte tmpfs and needs root (CAP_SYS_ADMIN): ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? (err as Error).message}`,
    );
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill(bytes) {
      const fd = fs.openSync(filler, 'a');
      try {
        const chunk = Buffer.alloc(64 * 1024, 0x5a);
        for (let left = bytes; left > 0; left -= chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, left));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    unmount() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
