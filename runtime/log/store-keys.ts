/**
 * LMDB keys of the embedded log's databases: (partition id, offset) and (partition id, timestamp)
 * big-endian so LMDB orders them, NUL-separated string keys, and prefix bounds for range scans.
 */
const TWO_32 = 4294967296;

/** records / chunk-index key: u32 partition id + u64 offset, big-endian so LMDB orders by (partition, offset). */
export function offsetKey(pid: number, offset: number): Buffer {
  const k = Buffer.allocUnsafe(12);
  k.writeUInt32BE(pid, 0);
  k.writeUInt32BE(Math.floor(offset / TWO_32), 4);
  k.writeUInt32BE(offset >>> 0, 8);
  return k;
}

export function keyPid(k: Buffer): number {
  return k.readUInt32BE(0);
}

export function keyOffset(k: Buffer): number {
  return k.readUInt32BE(4) * TWO_32 + k.readUInt32BE(8);
}

/** time-index key: u32 partition id + u64 timestamp (clamped to [0, 2^53)). */
export function timeKey(pid: number, ts: number): Buffer {
  const t = ts <= 0 ? 0 : Math.min(Math.floor(ts), Number.MAX_SAFE_INTEGER);
  return offsetKey(pid, t);
}

export function pidKey(pid: number): Buffer {
  const k = Buffer.allocUnsafe(4);
  k.writeUInt32BE(pid, 0);
  return k;
}

export function u64(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeDoubleBE(n, 0);
  return b;
}

/** Key made of NUL-separated UTF-8 parts (parts must not contain NUL). */
export function joinKey(parts: string[], tail?: Buffer): Buffer {
  const bufs: Buffer[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) bufs.push(SEP);
    bufs.push(Buffer.from(parts[i], 'utf8'));
  }
  if (tail) bufs.push(SEP, tail);
  return Buffer.concat(bufs);
}
const SEP = Buffer.from([0]);

/** The smallest key greater than every key that starts with `prefix` (undefined: no upper bound). */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const out = Buffer.from(prefix.subarray(0, i + 1));
      out[i]++;
      return out;
    }
  }
  return undefined;
}
