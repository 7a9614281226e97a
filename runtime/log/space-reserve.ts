/**
 * Disk space for the embedded log, reserved ahead of LMDB.
 *
 * lmdb-js does not survive a commit whose page writes fail with ENOSPC: after "Write error: No space
 * left on device" the transaction is aborted and the environment reopened, and within a few such
 * failures the process aborts with a corrupted heap ("malloc(): invalid size", SIGABRT; issue 14).
 * So LMDB must never be the one to find the disk full:
 * - data.mdb's blocks are allocated ahead of its end with `fallocate --keep-size` (the file's size
 *   does not change, LMDB sees nothing; a write into allocated blocks needs no new space, whoever
 *   fills the device meanwhile);
 * - every write transaction first claims an upper bound of what it can grow the file by; a claim the
 *   reservation cannot cover, even after trying to extend it, is refused before anything is queued,
 *   worded "no space left on device at <dir>", and the caller retries later.
 * Filesystems without fallocate (or a system without the command) fall back to a free-space check
 * before each write, which cannot stop another process from taking the last blocks in between.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Logger } from '../logging.ts';
import { fallocateInBackground, startFallocateRunner } from './fallocate-runner.ts';

const PAGE = 4096;
/**
 * Reserved beyond the data file's end after an extension: a quarter of the file, within these bounds,
 * and never more than half the free space. A synchronous extension is a fallocate child process
 * forked from the worker (~10–40 ms of CPU), so a growing log extends in few large steps, ahead of
 * need and in the background (fallocate-runner.ts: no fork of the worker).
 */
const MIN_HEADROOM = 4 * 1024 * 1024;
const MAX_HEADROOM = 128 * 1024 * 1024;
/** Free space below which the device counts as full (a warning while the reservation still covers the writes). */
const FULL_DEVICE_BYTES = 1024 * 1024;
/** Overhead of one write transaction beyond its ops: freelist records, meta page, a split reaching the root. */
const TXN_OVERHEAD = 64 * 1024;
/** What one put or delete can cost beyond its value's pages: a copy of each page on its path in a B-tree of depth ≤ 4. */
const OP_OVERHEAD = 4 * PAGE;
/** Per chunk removed or rewritten by a range operation (retention, compaction, topic deletion, recovery): its share of the leaf and branch pages copied in the three indexes at LMDB's minimum fill (a quarter page). */
const RANGE_ENTRY_BYTES = 1024;

export interface SpaceClaim {
  readonly bytes: number;
}

/** Upper bound of the file growth of one transaction of plain puts/deletes with values of these sizes. */
export function opsGrowth(valueBytes: Iterable<number>): number {
  let total = TXN_OVERHEAD;
  for (const v of valueBytes) total += Math.ceil((v + 64) / PAGE) * PAGE + OP_OVERHEAD;
  return total;
}

/** Upper bound of the file growth of a transaction removing/rewriting `chunks` chunks, writing `writtenBytes` of new batches and freeing `freedBytes`. */
export function rangeGrowth(chunks: number, writtenBytes: number, freedBytes: number): number {
  // freed pages are listed in the freelist (8 bytes each, twice: old and new freelist records)
  return (
    TXN_OVERHEAD +
    chunks * RANGE_ENTRY_BYTES +
    Math.ceil(writtenBytes / PAGE) * PAGE +
    (Math.ceil(freedBytes / PAGE) + chunks * 2) * 16
  );
}

export class SpaceReserve {
  /** data.mdb's blocks allocated from offset 0 up to here (fallocate), as far as this process knows. */
  private reservedTo = 0;
  /** Claims of writes queued and not settled yet. */
  private pending = 0;
  private fallocate = true;

  /** Made before the log's LMDB environment is opened: starts the fallocate shell while no data.mdb is open to inherit. */
  constructor(
    private readonly file: string,
    private readonly dir: string,
    private readonly logger?: Logger,
  ) {
    startFallocateRunner();
  }

  /** Reserves headroom at open; a full disk is no reason to refuse opening (writes are refused instead). */
  start(): void {
    const size = this.fileSize();
    this.extend(size, size + this.headroom(size));
  }

  /**
   * Claims `bytes` of growth for a write about to be queued: returns the claim (release it once the
   * write settled), or the reason it is refused ("no space left on device at …").
   */
  claim(bytes: number): SpaceClaim | string {
    const size = this.fileSize();
    const need = size + this.pending + bytes;
    if (need > this.reservedTo && !this.extend(need, need + this.headroom(size))) return this.refusal(bytes, size);
    if (!this.fallocate) {
      const free = freeBytes(this.dir);
      if (free !== null && free < this.pending + bytes + FULL_DEVICE_BYTES) return this.refusal(bytes, size);
    }
    this.pending += bytes;
    const left = this.reservedTo - need;
    if (this.fallocate && !this.extending && left < MAX_HEADROOM) {
      // A step covers at least two claims of this size, so that the next claim does not catch up with it.
      const step = Math.max(this.headroom(size), 2 * bytes);
      if (left < step) this.extendAhead(need, step);
    }
    return { bytes };
  }

  /** A child process extending the reservation in the background, so that claims rarely wait for fallocate. */
  private extending = false;

  /**
   * Extends the reservation before a claim needs it, without blocking the caller (a synchronous
   * fallocate per extension held up the append path ~7% of a streaming run; forking the worker for a
   * background one still cost ~4.6%). Any failure is left
   * to the synchronous path of the claim that actually runs short: it tells ENOSPC from no fallocate.
   * Only where space is plenty: on a nearly full device the log reserves no more than it needs
   * next, so that space another process frees is not taken ahead of time.
   */
  private extendAhead(need: number, step: number): void {
    // Started with less than one step left (early enough that claims rarely catch up with it), adds one.
    const len = Math.ceil((need + 2 * step) / (64 * 1024)) * 64 * 1024;
    const free = freeBytes(this.dir);
    if (free === null || free < 16 * step) return;
    this.extending = true;
    fallocateInBackground(this.file, len, (ok) => {
      this.extending = false;
      if (ok) this.reservedTo = Math.max(this.reservedTo, len);
    });
  }

  release(claim: SpaceClaim): void {
    this.pending = Math.max(0, this.pending - claim.bytes);
  }

  /** Set while the device is full although writes still go into the reserved space: why the worker is degraded. */
  warning(): string | null {
    const free = freeBytes(this.dir);
    if (free === null || free >= FULL_DEVICE_BYTES) return null;
    const left = Math.max(0, this.reservedTo - this.fileSize() - this.pending);
    return `no space left on device at ${this.dir} (${free} bytes free); the embedded log writes into the ${left} bytes it reserved ahead, then refuses writes until space is freed`;
  }

  /** Bytes reserved beyond what data.mdb holds (for tests and messages). */
  get reservedAhead(): number {
    return Math.max(0, this.reservedTo - this.fileSize());
  }

  private refusal(bytes: number, size: number): string {
    const free = freeBytes(this.dir);
    const left = Math.max(0, this.reservedTo - size - this.pending);
    return `no space left on device at ${this.dir} (${free ?? 'unknown'} bytes free; a write needs up to ${bytes} bytes${this.fallocate ? `, ${left} are reserved` : ''}; nothing was queued, so LMDB never hits the full disk)`;
  }

  private headroom(size: number): number {
    const free = freeBytes(this.dir) ?? MAX_HEADROOM * 2;
    return Math.min(Math.max(MIN_HEADROOM, Math.floor(size / 4)), MAX_HEADROOM, Math.floor(free / 2));
  }

  /** Allocates up to `wanted` (at least `needed`); false if not even `needed` could be. */
  private extend(needed: number, wanted: number): boolean {
    if (!this.fallocate) return true;
    for (const target of wanted > needed ? [wanted, needed] : [needed]) {
      const len = Math.ceil(target / (64 * 1024)) * 64 * 1024;
      if (len <= this.reservedTo) return true;
      const free = freeBytes(this.dir);
      if (free !== null && free < len - this.allocatedBelow(len)) continue; // cannot fit: no process spawned
      try {
        execFileSync('fallocate', ['--keep-size', '--offset', '0', '--length', String(len), this.file], {
          stdio: 'pipe',
        });
        this.reservedTo = Math.max(this.reservedTo, len);
        return true;
      } catch (err) {
        const text = `${(err as { stderr?: Buffer }).stderr?.toString() ?? ''} ${(err as Error).message}`;
        if (/No space left on device|ENOSPC|Disk quota exceeded/i.test(text)) continue;
        this.fallocate = false;
        this.logger?.warn(
          { file: this.file, err: text.trim() },
          'Cannot reserve disk space ahead of the embedded log (fallocate); writes are checked against the free space instead, which cannot stop another process from filling the disk in between',
        );
        return true;
      }
    }
    return false;
  }

  /** Bytes of the file already allocated (its pages and the earlier reservation), at most `len`. */
  private allocatedBelow(len: number): number {
    try {
      return Math.min(fs.statSync(this.file).blocks * 512, len);
    } catch {
      return 0;
    }
  }

  private fileSize(): number {
    try {
      return fs.statSync(this.file).size;
    } catch {
      return 0;
    }
  }
}

export function freeBytes(dir: string): number | null {
  try {
    const st = fs.statfsSync(dir);
    return st.bavail * st.bsize;
  } catch {
    return null;
  }
}
