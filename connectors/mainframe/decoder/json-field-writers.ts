/**
 * Writers of one field's JSON text straight into an output byte buffer, for the common forms:
 * packed and zoned decimals (digits copied from the nibbles, every digit position checked),
 * 2/4-byte binaries and EBCDIC text through a per-byte table that holds the UTF-8 bytes and the
 * JSON escapes of each code point. Each returns the new output position, or -1 where the field is
 * not of that common form (empty, invalid, a sign the fast form does not take): the caller then
 * writes it with the exact decoder, so the bytes written are those of JSON.stringify(JsonView).
 */
import { PACKED_PAIR } from './fast-fields.ts';

const QUOTE = 0x22;
const MINUS = 0x2d;
const POINT = 0x2e;
const ZERO = 0x30;
/** "9007199254740991": beyond it an integer is written as a JSON string (JsonView's rule). */
const MAX_SAFE_DIGITS = Uint8Array.from('9007199254740991', (c) => c.charCodeAt(0));

/** Digits of the current field (ASCII), its count and sign, filled by the readers below. */
const digits = new Uint8Array(64);
let negative = false;

/** Reads a packed decimal's digits; false where the exact decoder must decide (empty, bad nibble or sign). */
function readPacked(buf: Buffer, at: number, len: number, signed: boolean): boolean {
  const first = buf[at];
  if (first === 0 || first === 0x40) {
    let i = at + 1;
    while (i < at + len && buf[i] === first) i++;
    if (i === at + len) return false;
  }
  const last = at + len - 1;
  let n = 0;
  for (let i = at; i < last; i++) {
    const b = buf[i];
    if (PACKED_PAIR[b] < 0) return false;
    digits[n++] = ZERO + (b >> 4);
    digits[n++] = ZERO + (b & 15);
  }
  const b = buf[last];
  const hi = b >> 4;
  const s = b & 15;
  if (hi > 9) return false;
  digits[n] = ZERO + hi;
  if (s === 0x0c || s === 0x0f) negative = false;
  else if (s === 0x0d && signed) negative = true;
  else return false;
  return true;
}

/** Reads an EBCDIC zoned decimal's digits (F0-F9, the sign in the last zone: F/C, D when signed); false otherwise. */
function readZoned(buf: Buffer, at: number, len: number, signed: boolean): boolean {
  const last = at + len - 1;
  let n = 0;
  for (let i = at; i < last; i++) {
    const b = buf[i];
    if (b < 0xf0 || b > 0xf9) return false;
    digits[n++] = b - 0xc0;
  }
  const b = buf[last];
  const zone = b >> 4;
  const d = b & 15;
  if (d > 9) return false;
  digits[n] = ZERO + d;
  if (zone === 0x0f || (zone === 0x0c && signed)) negative = false;
  else if (zone === 0x0d && signed) negative = true;
  else return false;
  return true;
}

/**
 * Writes `count` digits at `scale` as JsonView writes the value: scale 0 as a JSON number
 * (a string beyond ±(2^53−1)), scale > 0 as an exact decimal string ("-12.30", "0.05").
 */
function writeDigits(count: number, scale: number, out: Buffer, o: number): number {
  let first = 0;
  while (first < count && digits[first] === ZERO) first++;
  const significant = count - first;
  // -0 is 0
  const neg = negative && significant > 0;
  if (scale === 0) {
    if (significant === 0) {
      out[o] = ZERO;
      return o + 1;
    }
    let big = significant > 16;
    if (significant === 16) {
      for (let i = 0; i < 16; i++) {
        const d = digits[first + i];
        const m = MAX_SAFE_DIGITS[i];
        if (d !== m) {
          big = d > m;
          break;
        }
      }
    }
    if (big) out[o++] = QUOTE;
    if (neg) out[o++] = MINUS;
    for (let i = first; i < count; i++) out[o++] = digits[i];
    if (big) out[o++] = QUOTE;
    return o;
  }
  out[o++] = QUOTE;
  if (neg) out[o++] = MINUS;
  const intDigits = count - scale;
  if (intDigits <= 0 || first >= intDigits) out[o++] = ZERO;
  else for (let i = first; i < intDigits; i++) out[o++] = digits[i];
  out[o++] = POINT;
  // fraction: leading zeros where the scale exceeds the digits
  for (let i = intDigits; i < 0; i++) out[o++] = ZERO;
  for (let i = intDigits < 0 ? 0 : intDigits; i < count; i++) out[o++] = digits[i];
  out[o++] = QUOTE;
  return o;
}

export function writePacked(
  buf: Buffer,
  at: number,
  len: number,
  signed: boolean,
  scale: number,
  out: Buffer,
  o: number,
): number {
  return readPacked(buf, at, len, signed) ? writeDigits(len * 2 - 1, scale, out, o) : -1;
}

export function writeZoned(
  buf: Buffer,
  at: number,
  len: number,
  signed: boolean,
  scale: number,
  out: Buffer,
  o: number,
): number {
  return readZoned(buf, at, len, signed) ? writeDigits(len, scale, out, o) : -1;
}

/** "00" to "99": the ASCII digits of d at 2d and 2d + 1. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor(i / 20)));

/** Exactly `n` digits of the integer 0 <= x < 10^n <= 10^8 (leading zeros written), two at a time: int32 arithmetic, no division of doubles. */
function writeFixed(x: number, n: number, out: Buffer, o: number): number {
  const end = o + n;
  let e = end;
  while (n >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    out[--e] = PAIRS[r + 1];
    out[--e] = PAIRS[r];
    x = q;
    n -= 2;
  }
  if (n === 1) out[--e] = ZERO + x;
  return end;
}

/** The integer 0 <= x < 10^8 without leading zeros ("0" for 0). */
function writeSmall(x: number, out: Buffer, o: number): number {
  const n =
    x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : x < 100000 ? 5 : x < 1000000 ? 6 : x < 10000000 ? 7 : 8;
  return writeFixed(x, n, out, o);
}

/**
 * The integer 0 <= v < 10^16 without leading zeros: split at 10^8 (Math.floor(v / 1e8) is exact
 * there: v / 1e8 is below the next integer by at least 1e-8, far more than its rounding).
 */
function writeUnsigned(v: number, out: Buffer, o: number): number {
  if (v < 1e8) return writeSmall(v, out, o);
  const hi = Math.floor(v / 1e8);
  return writeFixed(v - hi * 1e8, 8, out, writeSmall(hi, out, o));
}

/** An integer below 10^15 in magnitude (every caller's: binaries of 2 and 4 bytes, numbers of up to 15 digits) in decimal ASCII. */
export function writeInteger(v: number, out: Buffer, o: number): number {
  if (v < 0) {
    out[o++] = MINUS;
    v = -v;
  }
  return writeUnsigned(v, out, o);
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * The number the generated record functions hand to writeIntegerOf/writeScaledOf: a double passed
 * as an argument to a call that is not inlined is boxed (a heap number per field); stored here it is not.
 */
export const NUMBER = new Float64Array(1);

export function writeIntegerOf(out: Buffer, o: number): number {
  return writeInteger(NUMBER[0], out, o);
}

export function writeScaledOf(scale: number, out: Buffer, o: number): number {
  return writeScaled(NUMBER[0], scale, out, o);
}

/**
 * A decimal of unscaled value `v` (an integer below 10^15 in magnitude) at `scale` 1..15 as
 * JsonView writes it: a JSON string, "-12.30", "0.05" (no "-" for 0). Math.floor(v / 10^scale)
 * is exact: the quotient is below the next integer by at least 10^-scale, its rounding below
 * 10^15 / 10^scale * 2^-53.
 */
export function writeScaled(v: number, scale: number, out: Buffer, o: number): number {
  out[o++] = QUOTE;
  if (v < 0) {
    out[o++] = MINUS;
    v = -v;
  }
  const p = POW10[scale];
  const whole = Math.floor(v / p);
  const fraction = v - whole * p;
  o = writeUnsigned(whole, out, o);
  out[o++] = POINT;
  if (scale <= 8) o = writeFixed(fraction, scale, out, o);
  else {
    const hi = Math.floor(fraction / 1e8);
    o = writeFixed(fraction - hi * 1e8, 8, out, writeFixed(hi, scale - 8, out, o));
  }
  out[o] = QUOTE;
  return o + 1;
}

export function writeBinary(buf: Buffer, at: number, size: number, signed: boolean, out: Buffer, o: number): number {
  let v: number;
  if (size === 2) v = signed ? ((buf[at] << 24) >> 16) | buf[at + 1] : (buf[at] << 8) | buf[at + 1];
  else {
    v = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
    if (!signed) v >>>= 0;
  }
  return writeInteger(v, out, o);
}

/**
 * A single-byte text encoding for JSON: per byte, its character's UTF-8 bytes with JSON.stringify's
 * escapes (\", \\, \b \f \n \r \t, \u00XX for other controls, \uDXXX for lone surrogates).
 */
export interface JsonTextTable {
  /** The output byte of a byte whose character is printable ASCII, 0 where `multi` holds it. */
  one: Uint8Array;
  /** Up to 6 output bytes per byte value (at b * 6), `multiLength[b]` of them. */
  multi: Uint8Array;
  multiLength: Uint8Array;
  /** 1 for bytes that trimming removes. */
  pad: Uint8Array;
}

export function jsonTextTable(charOf: (byte: number) => string, pad: Uint8Array): JsonTextTable | null {
  const one = new Uint8Array(256);
  const multi = new Uint8Array(256 * 6);
  const multiLength = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    const ch = charOf(b);
    if (ch.length !== 1) return null;
    const bytes = Buffer.from(JSON.stringify(ch).slice(1, -1), 'utf8');
    if (bytes.length === 1 && bytes[0] !== 0) one[b] = bytes[0];
    else {
      if (bytes.length > 6) return null;
      multi.set(bytes, b * 6);
      multiLength[b] = bytes.length;
    }
  }
  return { one, multi, multiLength, pad };
}

/** The text [at, at + len) trimmed by `left`/`right` as a JSON string, or -1 when it trims to nothing (blank: '' or null, the exact decoder says). */
export function writeText(
  buf: Buffer,
  at: number,
  len: number,
  left: boolean,
  right: boolean,
  t: JsonTextTable,
  out: Buffer,
  o: number,
): number {
  const pad = t.pad;
  let a = at;
  let b = at + len;
  if (right) while (b > a && pad[buf[b - 1]] === 1) b--;
  if (left) while (a < b && pad[buf[a]] === 1) a++;
  if (a === b) return -1;
  const one = t.one;
  out[o++] = QUOTE;
  for (let i = a; i < b; i++) {
    const x = buf[i];
    const c = one[x];
    if (c !== 0) out[o++] = c;
    else {
      const m = t.multi;
      const n = t.multiLength[x];
      for (let k = 0; k < n; k++) out[o++] = m[x * 6 + k];
    }
  }
  out[o++] = QUOTE;
  return o;
}
