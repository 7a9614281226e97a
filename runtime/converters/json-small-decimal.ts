/**
 * A Decimal written as the general path writes it with decimal.format=BASE64 (base64 of Java's
 * BigInteger.toByteArray of the unscaled value), without a Buffer or string, for the common case:
 * a BigDecimal of the schema's scale whose unscaled value is within ±2^47 (a double holds it exactly
 * in 6 bytes of two's complement).
 */
import { BigDecimal } from '../data/logical.ts';
import { base64Room, writeBase64String } from './json-byte-writers.ts';

const SMALL_DECIMAL_LIMIT = 140737488355328; // 2^47
const decimalBytes = new Uint8Array(6);

/** Room of a small decimal: 6 bytes in base64 and the quotes. */
export const SMALL_DECIMAL_ROOM = base64Room(6);

/**
 * Writes x at p and returns the position after it; -1 (nothing written) when x is not a BigDecimal
 * of this scale within ±2^47, for the general path and its errors.
 */
export function writeSmallDecimal(buf: Uint8Array, p: number, x: unknown, scale: number): number {
  if (!(x instanceof BigDecimal) || x.scale !== scale) return -1;
  // Exact within ±2^53, and beyond it rounded monotonically, so the range test on the double is exact.
  const n = Number(x.unscaled);
  if (n < -SMALL_DECIMAL_LIMIT || n >= SMALL_DECIMAL_LIMIT) return -1;
  // BigInteger.toByteArray: the fewest two's complement bytes that hold the value with its sign.
  if (n >= -0x80000000 && n < 0x80000000) {
    const i = n | 0;
    const width = i >= -0x80 && i < 0x80 ? 1 : i >= -0x8000 && i < 0x8000 ? 2 : i >= -0x800000 && i < 0x800000 ? 3 : 4;
    for (let k = width - 1, shift = 0; k >= 0; k--, shift += 8) decimalBytes[k] = (i >> shift) & 0xff;
    return writeBase64String(buf, p, decimalBytes, width);
  }
  const width = n >= -(2 ** 39) && n < 2 ** 39 ? 5 : 6;
  let u = n < 0 ? n + 2 ** (width * 8) : n;
  for (let k = width - 1; k >= 0; k--) {
    decimalBytes[k] = u % 256;
    u = Math.floor(u / 256);
  }
  return writeBase64String(buf, p, decimalBytes, width);
}
