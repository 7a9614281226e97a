/**
 * The embedded log's LMDB environment and everything that writes to it: the named databases, the
 * fenced append blocks, batches and transaction callbacks, the disk space each write claims first
 * (space-reserve.ts), and the storage faults: a failed commit worded with its cause and path,
 * followed by a reopen of the environment and a reload of the caches; a data file deleted or
 * replaced under the running process. See embedded-log.ts for the write model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import { ConnectException, RetriableException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { DATA_FILE, StoreRefusedError, describeStorageError, storageCondition } from './store-guard.ts';
import { SpaceReserve, freeBytes, opsGrowth, type SpaceClaim } from './space-reserve.ts';
import { FENCE_KEY, FENCE_VALUE, valueSize, type BinDb, type Op, type OpDb } from './log-model.ts';

export class LogStorage {
  // the LMDB environment and its databases: replaced when the environment is reopened after a storage fault
  root!: RootDatabase;
  recordsDb!: BinDb;
  chunksDb!: BinDb;
  timeDb!: BinDb;
  headsDb!: BinDb;
  tailsDb!: BinDb;
  metaDb!: Database<any, string>;
  groupsDb!: BinDb;
  kvDb!: Database<string, Buffer>;
  fenceDb!: BinDb;
  /** Set while the environment is being reopened (reads answer as if nothing was there yet). */
  reopening = false;
  /** The storage failure of the last failed commit, until a commit succeeds again. */
  fault: { reason: string; since: number } | null = null;
  /** Set once data.mdb was deleted or replaced under the open environment (not cleared). */
  lostFile: { reason: string; since: number } | null = null;
  dataIno = 0;
  fileCheckTimer: ReturnType<typeof setInterval> | undefined;
  /** The wording of a failed commit while its cause is being read. */
  noting: Promise<string> | undefined;
  /** Disk space reserved ahead of LMDB; every write claims its growth first (see space-reserve.ts). */
  readonly space: SpaceReserve;
  /** Version the fence entry will have when everything queued so far has committed. */
  fence = 0;
  /** Set while the write view is being reloaded after a failed commit. */
  recovering: Promise<void> | undefined;
  readonly inflight = new Set<Promise<unknown>>();
  closed = false;
  /** Reloads the caches from the database (set by the log): after a failed commit, once the environment is reopened. */
  reload: () => void = () => undefined;

  constructor(
    private readonly lmdbOptions: Parameters<typeof open>[0],
    readonly realDir: string,
    private readonly logger: Logger | undefined,
  ) {
    // Before the environment opens: the reserve starts a long-lived shell, which must not inherit LMDB's descriptors.
    this.space = new SpaceReserve(path.join(realDir, DATA_FILE), realDir, logger);
    this.bindEnv();
  }

  /** Bytes the data directory takes on disk (allocated blocks of its files, the space reserved ahead included): the worker's data-dir size metric. */
  diskUsageBytes(): number {
    let total = 0;
    for (const name of fs.readdirSync(this.realDir)) {
      try {
        const st = fs.statSync(path.join(this.realDir, name));
        if (st.isFile()) total += st.blocks * 512;
      } catch {
        // removed meanwhile
      }
    }
    return total;
  }

  /** Opens the environment and its named databases. */
  bindEnv(): void {
    const root = open(this.lmdbOptions);
    this.dataIno = fs.statSync(path.join(this.realDir, DATA_FILE)).ino;
    const bin = (name: string, extra: { useVersions?: boolean; compression?: boolean } = {}) =>
      root.openDB<Buffer, Buffer>({ name, encoding: 'binary', keyEncoding: 'binary', ...extra });
    this.root = root;
    this.recordsDb = bin('records', { compression: true });
    this.chunksDb = bin('chunks');
    this.timeDb = bin('timeindex');
    this.headsDb = bin('heads');
    this.tailsDb = bin('tails');
    this.metaDb = root.openDB<any, string>({ name: 'meta', encoding: 'json' });
    this.groupsDb = bin('groups');
    this.kvDb = root.openDB<string, Buffer>({ name: 'kv', encoding: 'string', keyEncoding: 'binary' });
    this.fenceDb = bin('fence', { useVersions: true });
  }

  /** A write while opening: a failure (e.g. a full disk) refuses the open, worded, with lmdb-js's commitError handled. */
  async openWrite(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      throw new StoreRefusedError(
        `Cannot initialise the embedded log in ${this.realDir}: ${await this.noteWriteFailure(err)}`,
      );
    }
  }

  ensureOpen(): void {
    if (this.closed) throw new ConnectException('The embedded log is closed', { code: 'TRIB_ERR_LOG_CLOSED' });
  }

  /** Writes only: not into a data file that was deleted or replaced. */
  ensureWritable(): void {
    this.ensureOpen();
    if (this.lostFile || !this.checkDataFileStillThere())
      throw new RetriableException(`Embedded log write refused; nothing was written: ${this.lostFile!.reason}`);
  }

  /** For direct reads of the environment (key-value, groups): not while it is being reopened. */
  ensureReadable(): void {
    this.ensureOpen();
    if (this.reopening)
      throw new RetriableException(
        `The embedded log in ${this.realDir} is being reopened after a failed write${this.fault ? ` (${this.fault.reason})` : ''}; retry`,
      );
  }

  /** Waits until the write view is usable (not being reloaded after a failed commit). */
  async writable(): Promise<void> {
    while (this.recovering) await this.recovering;
    this.ensureOpen();
    if (this.reopening) {
      try {
        this.bindEnv();
        this.reopening = false;
        this.reload();
      } catch (err) {
        throw new RetriableException(
          `The embedded log cannot be reopened: ${describeWriteFailure(err, this.realDir)}`,
          { cause: err },
        );
      }
    }
  }

  track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const untrack = () => {
      this.inflight.delete(p);
    };
    p.then(untrack, untrack);
    return p;
  }

  applyOps(ops: Op[]): void {
    const dbs: Record<OpDb, Database<any, any>> = {
      records: this.recordsDb,
      chunks: this.chunksDb,
      timeindex: this.timeDb,
      heads: this.headsDb,
      meta: this.metaDb,
      groups: this.groupsDb,
      kv: this.kvDb,
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const db = dbs[op.db];
      if (op.value === undefined) db.remove(op.key);
      else if (op.version === undefined) db.put(op.key, op.value);
      else db.put(op.key, op.value, op.version);
    }
  }

  /**
   * Queues `ops` as one conditional block on the fence (see the header comment); resolves once
   * committed. Must be called synchronously after the write view was updated for these ops.
   */
  async fenced(ops: Op[]): Promise<void> {
    const expected = this.fence++;
    let p: Promise<boolean>;
    try {
      // The fence bump comes last: should a put throw halfway (it cannot with validated input), the
      // partial block would not bump the fence, every later block would fail, and recovery reloads.
      p = this.track(
        this.fenceDb.ifVersion(FENCE_KEY, expected, () => {
          this.applyOps(ops);
          this.fenceDb.put(FENCE_KEY, FENCE_VALUE, expected + 1);
        }),
      );
    } catch (err) {
      this.recover();
      // part of the block may be queued: let it settle before the caller recycles its buffers
      await this.recovering;
      throw err;
    }
    let ok: boolean;
    try {
      ok = await p;
    } catch (err) {
      const reason = await this.noteWriteFailure(err);
      this.recover();
      throw new RetriableException(`Embedded log write failed to commit; nothing was written: ${reason}`, {
        cause: err,
      });
    }
    if (!ok) {
      this.recover();
      const reason = this.fault?.reason ?? (this.noting ? await this.noting : undefined);
      throw new RetriableException(
        `Embedded log write was not committed because an earlier commit failed; nothing was written${reason ? `: ${reason}` : ''}`,
      );
    }
    this.fault = null;
  }

  /** Unconditional atomic block of plain writes (key-value, groups). */
  async batch(ops: Op[]): Promise<void> {
    if (ops.length === 0) return;
    if (this.recovering || this.reopening) await this.writable();
    const claim = this.claimSpace(opsGrowth(ops.map(valueSize)));
    try {
      await this.committing(this.track(this.root.batch(() => this.applyOps(ops))));
    } finally {
      this.space.release(claim);
    }
  }

  /**
   * Runs `fn` inside the write transaction, after everything queued before it. `fn` must not throw
   * after writing. `claim`: the space it may grow the file by, claimed synchronously before this call
   * (after `writable()`); released once the transaction settled.
   */
  async transaction<T>(claim: SpaceClaim, fn: () => T): Promise<T> {
    try {
      if (this.recovering || this.reopening) await this.writable();
      return await this.committing(this.track(this.root.transaction(fn)));
    } finally {
      this.space.release(claim);
    }
  }

  /** Claims disk space for a write about to be queued; refused (nothing queued) when the disk cannot hold it. */
  claimSpace(bytes: number): SpaceClaim {
    const claim = this.space.claim(bytes);
    if (typeof claim !== 'string') return claim;
    if (!this.fault)
      this.logger?.error(
        { dir: this.realDir, reason: claim },
        'Embedded log write refused; writes fail (retriably) until space is freed',
      );
    this.fault = { reason: claim, since: this.fault?.since ?? Date.now() };
    throw new RetriableException(`Embedded log write refused; nothing was written: ${claim}`);
  }

  /** Awaits a write; a failed commit is worded with its storage cause and starts recovery. */
  async committing<T>(p: Promise<T>): Promise<T> {
    try {
      const r = await p;
      this.fault = null;
      return r;
    } catch (err) {
      if (err instanceof TypeError || err instanceof RangeError) throw err; // invalid input, not storage
      const reason = await this.noteWriteFailure(err);
      this.recover();
      throw new RetriableException(`Embedded log write failed to commit; nothing was written: ${reason}`, {
        cause: err,
      });
    }
  }

  /**
   * lmdb-js rejects every write of a failed transaction with "Commit failed (see commitError for
   * details)" and the real error in a separate promise (`commitError`): handle that one (left
   * alone it is an unhandled rejection, which ends the process) and word its cause with the path.
   */
  noteWriteFailure(err: unknown): Promise<string> {
    const noting = this.describeWriteFailure(err);
    this.noting = noting;
    void noting.finally(() => {
      if (this.noting === noting) this.noting = undefined;
    });
    return noting;
  }

  async describeWriteFailure(err: unknown): Promise<string> {
    let cause: unknown = err;
    const commitError = (err as { commitError?: Promise<unknown> } | null)?.commitError;
    if (commitError && typeof commitError.then === 'function') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      cause = await Promise.race([
        commitError.then(
          () => err,
          (e: unknown) => e,
        ),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(err), 200);
        }),
      ]);
      clearTimeout(timer);
    }
    const reason = describeWriteFailure(cause, this.realDir);
    if (!this.fault)
      this.logger?.error(
        { dir: this.realDir, reason },
        'Embedded log write failed; writes fail (retriably) until the cause is gone',
      );
    this.fault = { reason, since: this.fault?.since ?? Date.now() };
    return reason;
  }

  /** Set while the device is full but writes still go into the space reserved ahead (see space-reserve.ts): the worker is degraded. */
  get spaceWarning(): string | null {
    return this.closed ? null : this.space.warning();
  }

  /** The storage failure of the last failed commit (null once a commit succeeded again): the worker's health. */
  get storageFault(): { reason: string; since: number } | null {
    return this.lostFile ?? this.fault;
  }

  /**
   * data.mdb deleted or replaced under the running worker: LMDB would go on writing into a file
   * nobody can open again (lost at the next restart). Writes are refused from then on, so nothing
   * is acknowledged that would vanish; the message says how to save what the process still holds.
   */
  checkDataFileStillThere(): boolean {
    if (this.closed || this.lostFile || this.reopening) return this.lostFile === null;
    const file = path.join(this.realDir, DATA_FILE);
    let ino: number | null = null;
    try {
      ino = fs.statSync(file).ino;
    } catch {
      // missing
    }
    if (ino === this.dataIno) return true;
    const fd = openDescriptorOf(file);
    const reason =
      `${file} was ${ino === null ? 'deleted' : 'replaced'} while the worker runs: writes are refused (they would be lost at the next restart). ` +
      `The data lives on only in this process${fd ? ` (${fd}): copy it back to ${file} before stopping the worker` : ''}`;
    this.lostFile = { reason, since: Date.now() };
    this.logger?.error({ file }, reason);
    return false;
  }

  /**
   * After a failed commit: wait for everything in flight, reopen the environment (after a failed
   * transaction lmdb-js's writer can stall the next write; a fresh environment cannot), then reload
   * the write view from the database.
   */
  recover(): void {
    if (this.recovering) return;
    this.recovering = (async () => {
      try {
        while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
        if (this.closed) return;
        await this.reopenEnv();
        this.reload();
      } catch (err) {
        this.logger?.error(
          { dir: this.realDir, err: (err as Error).message },
          'Embedded log could not recover after a failed commit; the next write retries',
        );
      } finally {
        this.recovering = undefined;
      }
    })();
  }

  async reopenEnv(): Promise<void> {
    this.reopening = true;
    try {
      await this.root.close();
    } catch (err) {
      this.logger?.warn(
        { err: (err as Error).message },
        'Closing the embedded log environment after a failed commit failed',
      );
    }
    this.bindEnv(); // throws if the files cannot be opened: `reopening` stays set and the next write retries
    this.reopening = false;
  }
}

/** A failed write's cause with the path; disk-full conditions LMDB reports as EIO are named as such. */
function describeWriteFailure(err: unknown, dir: string): string {
  const cond = storageCondition(err);
  if (cond === 'EIO' || cond === 'ENOSPC' || cond === 'MDB_MAP_FULL' || cond === undefined) {
    const free = freeBytes(dir);
    if (free !== null && free < LOW_SPACE_BYTES) {
      return `no space left on device at ${dir} (${free} bytes free; ${cond ?? 'the write'} ${cond ? 'reported by LMDB' : `failed: ${(err as Error)?.message ?? String(err)}`})`;
    }
  }
  return describeStorageError(err, dir);
}

/** How often an open log checks that its data.mdb is still the file it mapped. */
export const FILE_CHECK_MS = 5000;

/** /proc/self/fd/<n> of the open (deleted) file, where its bytes can still be copied from (Linux). */
function openDescriptorOf(file: string): string | null {
  try {
    for (const fd of fs.readdirSync('/proc/self/fd')) {
      const link = `/proc/self/fd/${fd}`;
      try {
        if (fs.readlinkSync(link).replace(/ \(deleted\)$/, '') === file) return `/proc/${process.pid}/fd/${fd}`;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return null;
}

/** Below this much free space a failed write is reported as a full disk (LMDB often says EIO). */
const LOW_SPACE_BYTES = 16 * 1024 * 1024;
