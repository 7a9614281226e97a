/**
 * What the embedded log checks before LMDB maps its files, and how storage failures are worded.
 *
 * - An exclusive lock file (`tributary.lock`: PID and process start time): a second process on the
 *   same directory is refused, naming the holder; a lock left by a dead process is taken over.
 * - `data.mdb` is validated before it is mapped: LMDB trusts its file, and a truncated file kills
 *   the process with SIGBUS at the first access past the end, a zeroed or overwritten meta page
 *   with a segfault. Both meta pages (0 and 1) must carry the LMDB magic 0xBEEFC0DE and data
 *   version 2, and the file must hold every page up to the newest meta's last page (pages missing
 *   at the end are allowed only when the free list says they are free: LMDB does not write pages
 *   freed in the transaction that allocated them).
 * - A marker file (`tributary-store.json`, outside data.mdb) records the store's identity; a
 *   store that is missing or empty where the marker says data should be is refused instead of
 *   silently starting as new.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectException } from '../errors.ts';

export const DATA_FILE = 'data.mdb';
export const LOCK_FILE = 'tributary.lock';
export const MARKER_FILE = 'tributary-store.json';

const MDB_MAGIC = 0xbeefc0de;
const MDB_DATA_VERSION = 2;
const PAGE_HEADER = 24;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const P_META = 0x08;
const F_BIGDATA = 0x01;
const P_INVALID = 2n ** 64n - 1n;
/** Beyond this many pages missing at the end, the free-list check is not attempted. */
const MAX_MISSING_PAGES = 1 << 20;

/** The store cannot be opened as it is; the message names the file and what to do. */
export class StoreRefusedError extends ConnectException {
  constructor(message: string) {
    super(message, { code: 'TRIB_ERR_LOG_STORE_REFUSED' });
  }
}

// ---- lock ------------------------------------------------------------------------------------

export interface DirLock {
  readonly file: string;
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  /** /proc/<pid>/stat start time (Linux), to tell a live holder from a reused PID. */
  started: string | null;
}

function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 22, counted after the parenthesised command (which may contain spaces)
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

function isAlive(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return true; // another machine (shared storage): cannot tell, assume held
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (isZombie(info.pid)) return false; // killed, not yet reaped by its parent
  const started = processStartTime(info.pid);
  return info.started === null || started === null || started === info.started;
}

function readLock(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, host: String(parsed.host ?? ''), started: parsed.started ?? null }
      : null;
  } catch {
    return null;
  }
}

/** Takes the directory's lock or throws StoreRefusedError naming the holder. */
export function acquireDirLock(dir: string): DirLock {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), started: processStartTime(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw refusedDir(dir, err);
    }
    const holder = readLock(file);
    if (holder && holder.pid === process.pid && holder.host === mine.host) {
      throw new StoreRefusedError(`The data directory ${dir} is already open in this process (lock ${file})`);
    }
    if (holder && isAlive(holder)) {
      throw new StoreRefusedError(
        `The data directory ${dir} is in use by another worker (PID ${holder.pid} on ${holder.host}, lock ${file}); stop that worker or give this one another tributary.data.dir`,
      );
    }
    // Dead holder (or an unreadable lock file from a crash while writing it): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new StoreRefusedError(
    `Could not take the lock ${file} of the data directory ${dir}: another process keeps taking it`,
  );
}

function refusedDir(dir: string, err: unknown): StoreRefusedError {
  const e = err as NodeJS.ErrnoException;
  return new StoreRefusedError(`The data directory ${dir} is not usable: ${describeStorageError(e, dir)}`);
}

// ---- data file -------------------------------------------------------------------------------

export type DataFileState = 'missing' | 'empty' | 'present';

interface Meta {
  psize: number;
  freeRoot: bigint;
  lastPage: bigint;
  txnid: bigint;
}

function readMeta(page: Buffer, index: number, file: string): Meta {
  const flags = page.readUInt16LE(18);
  const magic = page.readUInt32LE(PAGE_HEADER);
  const version = page.readUInt32LE(PAGE_HEADER + 4) & 0xffff;
  if (!(flags & P_META) || magic !== MDB_MAGIC) {
    throw new StoreRefusedError(
      `${file} is damaged: meta page ${index} is not an LMDB meta page (magic 0x${magic.toString(16)}, expected 0x${MDB_MAGIC.toString(16)}; zeroed or overwritten). Restore the data directory from a backup; the worker will not open it as it is`,
    );
  }
  if (version !== MDB_DATA_VERSION)
    throw new StoreRefusedError(
      `${file}: meta page ${index} has LMDB data version ${version}, expected ${MDB_DATA_VERSION}`,
    );
  const dbs = PAGE_HEADER + 24; // after magic, version, mm_address, mm_mapsize
  return {
    psize: page.readUInt32LE(dbs),
    freeRoot: page.readBigUInt64LE(dbs + 40),
    lastPage: page.readBigUInt64LE(dbs + 96),
    txnid: page.readBigUInt64LE(dbs + 104),
  };
}

/**
 * Validates data.mdb in `dir` before LMDB maps it; throws StoreRefusedError naming the file when
 * mapping it would crash the process or read garbage. 64-bit little-endian LMDB 0.9 layout.
 */
export function checkDataFile(dir: string): DataFileState {
  const file = path.join(dir, DATA_FILE);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw refusedDir(dir, err);
  }
  if (size === 0) return 'empty';
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 2 * 65536));
    fs.readSync(fd, head, 0, head.length, 0);
    if (head.length < PAGE_HEADER + 160)
      throw new StoreRefusedError(`${file} is truncated: ${size} bytes, smaller than one LMDB meta page`);
    const m0 = readMeta(head, 0, file);
    const psize = m0.psize;
    if (psize < 512 || psize > 65536 || (psize & (psize - 1)) !== 0)
      throw new StoreRefusedError(`${file} is damaged: meta page 0 has page size ${psize}`);
    if (size < 2 * psize)
      throw new StoreRefusedError(`${file} is truncated: ${size} bytes, smaller than its two ${psize}-byte meta pages`);
    const m1 = readMeta(head.subarray(psize, 2 * psize), 1, file);
    const meta = m1.txnid > m0.txnid ? m1 : m0;
    const filePages = BigInt(Math.floor(size / psize));
    if (filePages > meta.lastPage) return 'present';
    const missing = meta.lastPage + 1n - filePages;
    const truncated = () =>
      new StoreRefusedError(
        `${file} is truncated: ${size} bytes, but its newest meta page (transaction ${meta.txnid}) uses pages up to ${meta.lastPage} (${(meta.lastPage + 1n) * BigInt(psize)} bytes). ` +
          'Mapping it would crash the worker (SIGBUS); restore the data directory from a backup',
      );
    if (missing > BigInt(MAX_MISSING_PAGES)) throw truncated();
    const free = freePages(fd, psize, filePages, meta.freeRoot);
    if (!free) throw truncated();
    for (let p = filePages; p <= meta.lastPage; p++) if (!free.has(p)) throw truncated();
    return 'present';
  } finally {
    fs.closeSync(fd);
  }
}

/** Page numbers on LMDB's free list, or null if the free-list tree itself is not inside the file. */
export function freePages(fd: number, psize: number, filePages: bigint, root: bigint): Set<bigint> | null {
  const out = new Set<bigint>();
  if (root === P_INVALID) return out;
  const readPage = (pgno: bigint, pages = 1): Buffer | null => {
    if (pgno + BigInt(pages) > filePages) return null;
    const b = Buffer.alloc(psize * pages);
    fs.readSync(fd, b, 0, b.length, Number(pgno) * psize);
    return b;
  };
  const addIdl = (data: Buffer): boolean => {
    if (data.length < 8) return false;
    const n = data.readBigUInt64LE(0);
    if (n * 8n + 8n > BigInt(data.length)) return false;
    for (let i = 1; i <= Number(n); i++) out.add(data.readBigUInt64LE(i * 8));
    return true;
  };
  const stack: bigint[] = [root];
  let visited = 0;
  while (stack.length > 0) {
    if (++visited > 1_000_000) return null;
    const page = readPage(stack.pop()!);
    if (!page) return null;
    const flags = page.readUInt16LE(18);
    const keys = page.readUInt16LE(20) >> 1;
    for (let i = 0; i < keys; i++) {
      const node = PAGE_HEADER + page.readUInt16LE(PAGE_HEADER + 2 * i);
      if (node + 8 > psize) return null;
      const lo = page.readUInt16LE(node);
      const hi = page.readUInt16LE(node + 2);
      const nflags = page.readUInt16LE(node + 4);
      const ksize = page.readUInt16LE(node + 6);
      if (flags & P_BRANCH) {
        stack.push(BigInt(lo) | (BigInt(hi) << 16n) | (BigInt(nflags) << 32n));
      } else if (flags & P_LEAF) {
        const dsize = lo | (hi << 16);
        const at = node + 8 + ksize;
        if (nflags & F_BIGDATA) {
          const first = readPage(page.readBigUInt64LE(at));
          if (!first || !(first.readUInt16LE(18) & P_OVERFLOW)) return null;
          const ovf = readPage(page.readBigUInt64LE(at), first.readUInt32LE(20));
          if (!ovf || !addIdl(ovf.subarray(PAGE_HEADER, PAGE_HEADER + dsize))) return null;
        } else if (at + dsize > psize || !addIdl(page.subarray(at, at + dsize))) return null;
      } else return null;
    }
  }
  return out;
}

// ---- marker ----------------------------------------------------------------------------------

export interface StoreMarker {
  storeId: string;
  createdAt: string;
}

export function readMarker(dir: string): StoreMarker | null {
  const file = path.join(dir, MARKER_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refusedDir(dir, err);
  }
  try {
    const m = JSON.parse(text) as Partial<StoreMarker>;
    if (typeof m.storeId === 'string') return { storeId: m.storeId, createdAt: String(m.createdAt ?? '') };
  } catch {
    // fall through
  }
  throw new StoreRefusedError(
    `The store marker ${file} is not valid JSON with a storeId; restore it from a backup, or delete it to accept the data.mdb next to it as it is`,
  );
}

/** Writes the marker atomically (temporary file, fsync, rename). */
export function writeMarker(dir: string, marker: StoreMarker): void {
  const file = path.join(dir, MARKER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const body =
    JSON.stringify(
      {
        ...marker,
        note: 'Identity of the embedded log in data.mdb; the worker refuses to start as new while this file says data should be here (tributary.data.allow.reinit=true overrides).',
      },
      null,
      2,
    ) + '\n';
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function newStoreId(): string {
  return crypto.randomUUID();
}

// ---- wording ---------------------------------------------------------------------------------

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error (the disk or filesystem failed)',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory',
  ENOMEM: 'out of memory',
};

/** The storage condition behind an error (errno code or LMDB's), or undefined if it is not one. */
export function storageCondition(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && ERRNO_TEXT[code]) return code;
  const msg = typeof e.message === 'string' ? e.message : '';
  if (/MDB_MAP_FULL/.test(msg)) return 'MDB_MAP_FULL';
  if (/No space left on device|ENOSPC/i.test(msg)) return 'ENOSPC';
  if (/Input\/output error|\bEIO\b/i.test(msg)) return 'EIO';
  if (/Read-only file system|EROFS/.test(msg)) return 'EROFS';
  if (/MDB_CORRUPTED|MDB_PAGE_NOTFOUND|MDB_INVALID/.test(msg)) return 'MDB_CORRUPTED';
  return undefined;
}

/** "no space left on device at /data/dir (ENOSPC)", or the error's own message. */
export function describeStorageError(err: unknown, where: string): string {
  const cond = storageCondition(err);
  const msg = (err as Error | null)?.message ?? String(err);
  switch (cond) {
    case undefined:
      return `${msg} (at ${where})`;
    case 'MDB_MAP_FULL':
      return `the embedded log's map is full at ${where} (MDB_MAP_FULL: the data file reached its reserved size and could not grow; check free disk space)`;
    case 'MDB_CORRUPTED':
      return `the embedded log's file is damaged at ${where} (${msg}); run \`tributary log verify\``;
    default:
      return `${ERRNO_TEXT[cond]} at ${where} (${cond})`;
  }
}
