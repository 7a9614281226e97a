/**
 * JSON value encoders that write straight into a byte array at a position and return the position
 * after what they wrote: integers two digits at a time, ASCII text, Jackson-escaped strings, Java's
 * double text and base64. The caller guarantees the room (each says how much it may take); they are
 * shared by JsonBytes and the generated struct writers (json-struct-compiler.ts).
 */
import { java17DoubleToString } from './java17-floating-decimal.ts';
import { javaFloatToString } from './java-number-format.ts';

/** "0000" to "9999" as character codes, four per number (40 KB: one division by 10^4 per four digits). */
const FOUR_DIGITS = new Uint8Array(40000);
for (let i = 0; i < 10000; i++) {
  FOUR_DIGITS[4 * i] = 0x30 + Math.floor(i / 1000);
  FOUR_DIGITS[4 * i + 1] = 0x30 + (Math.floor(i / 100) % 10);
  FOUR_DIGITS[4 * i + 2] = 0x30 + (Math.floor(i / 10) % 10);
  FOUR_DIGITS[4 * i + 3] = 0x30 + (i % 10);
}

/** Bytes a number written by writeNumber or writeDouble/writeFloat may take (String(-Number.MIN_VALUE) is 7, quoted -Infinity 11, Java's longest 25). */
export const NUMBER_ROOM = 32;

/** Text known to be ASCII (numbers, literals); room: its length. */
export function writeAscii(buf: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
  return p;
}

/** A number as String(v) writes it: safe integers as digits straight into the bytes, others through String; room NUMBER_ROOM. */
export function writeNumber(buf: Uint8Array, p: number, v: number): number {
  if (!Number.isSafeInteger(v)) return writeAscii(buf, p, String(v));
  if (v < 0) {
    buf[p++] = 0x2d; // -
    v = -v;
  }
  if (v < 1e8) return writeDigits(buf, p, v);
  // Two parts below 1e8 each, so the digits come from int32 arithmetic (2^53 < 1e16).
  const high = Math.floor(v / 1e8);
  p = writeDigits(buf, p, high);
  return writeEightDigits(buf, p, v - high * 1e8);
}

/** The decimal digits of 0 ≤ v < 1e8 at p; returns the position after them. */
function writeDigits(buf: Uint8Array, p: number, v: number): number {
  if (v < 10000) return writeLeadingFour(buf, p, v);
  const high = (v / 10000) | 0;
  p = writeLeadingFour(buf, p, high);
  return writeFour(buf, p, v - high * 10000);
}

/** 0 ≤ v < 10^4 without leading zeros. */
function writeLeadingFour(buf: Uint8Array, p: number, v: number): number {
  const n = v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : 4;
  let i = 4 * v + 4 - n;
  const end = p + n;
  while (p < end) buf[p++] = FOUR_DIGITS[i++];
  return end;
}

/** 0 ≤ v < 10^4 as exactly four digits. */
function writeFour(buf: Uint8Array, p: number, v: number): number {
  const i = 4 * v;
  buf[p] = FOUR_DIGITS[i];
  buf[p + 1] = FOUR_DIGITS[i + 1];
  buf[p + 2] = FOUR_DIGITS[i + 2];
  buf[p + 3] = FOUR_DIGITS[i + 3];
  return p + 4;
}

/** 0 ≤ v < 1e8 as exactly eight digits (leading zeros) at p; returns p + 8. */
function writeEightDigits(buf: Uint8Array, p: number, v: number): number {
  const high = (v / 10000) | 0;
  writeFour(buf, p, high);
  return writeFour(buf, p + 4, v - high * 10000);
}

/**
 * A float64 as Jackson writes Java's Double.toString, NaN and ±Infinity quoted
 * (QUOTE_NON_NUMERIC_NUMBERS); room NUMBER_ROOM. Between 1e-3 and 1e7 JDK 17 prints JavaScript's
 * shortest digits (javaDoubleToString), with a ".0" when there is no fraction.
 */
export function writeDouble(buf: Uint8Array, p: number, d: number): number {
  const abs = d < 0 ? -d : d;
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    const n = s.length;
    let dot = false;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x2e) dot = true;
      buf[p++] = c;
    }
    if (!dot) {
      buf[p++] = 0x2e;
      buf[p++] = 0x30;
    }
    return p;
  }
  return writeJavaNumberText(buf, p, java17DoubleToString(d));
}

/** A float32 as Jackson writes Java's Float.toString, NaN and ±Infinity quoted; room NUMBER_ROOM. */
export function writeFloat(buf: Uint8Array, p: number, f: number): number {
  return writeJavaNumberText(buf, p, javaFloatToString(f));
}

/** Java's number text, quoted when it is NaN or ±Infinity (the text ends in N or y). */
function writeJavaNumberText(buf: Uint8Array, p: number, s: string): number {
  const last = s.charCodeAt(s.length - 1);
  if (last !== 0x4e /* N */ && last !== 0x79 /* y */) return writeAscii(buf, p, s);
  buf[p++] = 0x22;
  p = writeAscii(buf, p, s);
  buf[p++] = 0x22;
  return p;
}

/** The room of a string written by writeString: six bytes per UTF-16 unit (an escape) and the quotes. */
export function stringRoom(s: string): number {
  return 6 * s.length + 2;
}

/** A JSON string literal, escaped as Jackson escapes it (see jacksonQuote); room stringRoom(s). */
export function writeString(buf: Buffer, p: number, s: string): number {
  const n = s.length;
  const start = p;
  buf[p++] = 0x22;
  // One pass for ASCII text, escapes written in place; a non-ASCII character starts over below.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c < 0x80) {
      buf[p++] = c;
    } else if (c === 0x22 || c === 0x5c) {
      buf[p++] = 0x5c;
      buf[p++] = c;
    } else if (c < 0x20) {
      const short = SHORT_ESCAPE_BYTES[c];
      buf[p++] = 0x5c;
      if (short !== 0) {
        buf[p++] = short;
      } else {
        buf[p++] = 0x75; // u
        buf[p++] = 0x30;
        buf[p++] = 0x30;
        buf[p++] = UPPER_HEX[c >> 4];
        buf[p++] = UPPER_HEX[c & 15];
      }
    } else {
      return writeNonAsciiString(buf, start, s);
    }
  }
  buf[p++] = 0x22;
  return p;
}

function writeNonAsciiString(buf: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff))
      return p + buf.write(jacksonQuote(s), p, 'utf8');
  }
  buf[p++] = 0x22;
  p += buf.write(s, p, 'utf8');
  buf[p++] = 0x22;
  return p;
}

/** The room of writeBase64String for `length` bytes. */
export function base64Room(length: number): number {
  return Math.ceil(length / 3) * 4 + 2;
}

/** Bytes as a quoted base64 JSON string (standard alphabet, padded), as Jackson writes byte[]; room base64Room(length). */
export function writeBase64String(buf: Uint8Array, p: number, b: Uint8Array, length: number): number {
  buf[p++] = 0x22;
  let i = 0;
  for (; i + 3 <= length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    buf[p++] = BASE64[n >>> 18];
    buf[p++] = BASE64[(n >>> 12) & 63];
    buf[p++] = BASE64[(n >>> 6) & 63];
    buf[p++] = BASE64[n & 63];
  }
  const rest = length - i;
  if (rest > 0) {
    const n = (b[i] << 16) | (rest === 2 ? b[i + 1] << 8 : 0);
    buf[p++] = BASE64[n >>> 18];
    buf[p++] = BASE64[(n >>> 12) & 63];
    buf[p++] = rest === 2 ? BASE64[(n >>> 6) & 63] : 0x3d;
    buf[p++] = 0x3d; // =
  }
  buf[p++] = 0x22;
  return p;
}

/** The letter of a control character's short escape (\b \t \n \f \r), 0 for \u00XX. */
const SHORT_ESCAPE_BYTES = new Uint8Array(32);
SHORT_ESCAPE_BYTES[0x08] = 0x62; // b
SHORT_ESCAPE_BYTES[0x09] = 0x74; // t
SHORT_ESCAPE_BYTES[0x0a] = 0x6e; // n
SHORT_ESCAPE_BYTES[0x0c] = 0x66; // f
SHORT_ESCAPE_BYTES[0x0d] = 0x72; // r
const UPPER_HEX = Buffer.from('0123456789ABCDEF', 'ascii');

const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'ascii');

const SHORT_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/**
 * A JSON string literal as Jackson's UTF-8 generator (Kafka's JsonConverter) writes it: \\b \\t \\n
 * \\f \\r short escapes, other control characters as upper-case \\u00XX, and every UTF-16 surrogate
 * (so each non-BMP character) as an upper-case \\uXXXX escape; everything else is raw UTF-8.
 * JSON.stringify differs: lower-case hex and raw non-BMP characters.
 */
export function jacksonQuote(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) continue;
    out += s.slice(from, i) + (SHORT_ESCAPES[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`);
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}
