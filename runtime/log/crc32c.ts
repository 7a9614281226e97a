/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka's record batches.
 * Slicing-by-8 tables: eight bytes per step. Written here rather than taken from npm: the
 * well-kept package (@aws-crypto/crc32c) brings three dependencies and is byte-at-a-time.
 */
const POLY = 0x82f63b78;

const TABLES: Uint32Array[] = (() => {
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 8; s++) t[s][n] = ((t[s - 1][n] >>> 8) ^ t[0][t[s - 1][n] & 0xff]) >>> 0;
  }
  return t;
})();

/** CRC32C of buf[start, end), continuing from `crc` (0 to start). */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  const fast = end - 8;
  while (i <= fast) {
    const lo = (c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
    c =
      t7[lo & 0xff] ^
      t6[(lo >>> 8) & 0xff] ^
      t5[(lo >>> 16) & 0xff] ^
      t4[lo >>> 24] ^
      t3[buf[i + 4]] ^
      t2[buf[i + 5]] ^
      t1[buf[i + 6]] ^
      t0[buf[i + 7]];
    i += 8;
  }
  while (i < end) c = t0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
