/**
 * A growable UTF-8 byte sink for JSON serialization that writes straight into large shared slabs:
 * no intermediate JavaScript strings for the document, and no ArrayBuffer per record (serialized
 * records are a few KiB, above what Node's own 8 KiB buffer pool serves). `finish()` hands out the
 * written bytes as a view of the slab; the slab is released once every view of it is gone.
 */
const SLAB_BYTES = 1 << 20;

export class JsonBytes {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private start = 0;
  private pos = 0;

  /** Starts a new document (the previous one must have been finished). */
  begin(): void {
    this.start = this.pos;
  }

  /** The bytes written since begin(). */
  finish(): Buffer {
    const out = this.slab.subarray(this.start, this.pos);
    // Keep the next document 8-byte aligned.
    this.pos = Math.min((this.pos + 7) & ~7, this.slab.length);
    this.start = this.pos;
    return out;
  }

  /** Drops what was written since begin() (after a failed serialization). */
  abandon(): void {
    this.pos = this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.slab.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, (used + n) * 2));
    this.slab.copy(next, 0, this.start, this.pos);
    this.slab = next;
    this.start = 0;
    this.pos = used;
  }

  byte(b: number): void {
    this.ensure(1);
    this.slab[this.pos++] = b;
  }

  /** Pre-encoded bytes (field names, schema prefixes). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    if (n < 48) {
      // Field-name prefixes are short: a loop beats TypedArray.prototype.set's call overhead.
      const buf = this.slab;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = b[i];
      this.pos = p;
      return;
    }
    this.slab.set(b, this.pos);
    this.pos += n;
  }

  /** Text known to be ASCII (numbers, literals). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.slab;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Arbitrary text already in JSON form (e.g. from JSON.stringify). */
  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.slab.write(s, this.pos, 'utf8');
  }

  /** A number as String(v) writes it: safe integers as digits straight into the bytes, others through String. */
  integer(v: number): void {
    if (!Number.isSafeInteger(v)) {
      this.ascii(String(v));
      return;
    }
    this.ensure(17);
    const buf = this.slab;
    let p = this.pos;
    if (v < 0) {
      buf[p++] = 0x2d; // -
      v = -v;
    }
    if (v < 1e8) {
      this.pos = writeDigits(buf, p, v);
      return;
    }
    // Two parts below 1e8 each, so the digits come from int32 arithmetic (2^53 < 1e16).
    const high = Math.floor(v / 1e8);
    p = writeDigits(buf, p, high);
    this.pos = writeEightDigits(buf, p, v - high * 1e8);
  }

  /** Bytes as a quoted base64 JSON string (standard alphabet, padded), as Jackson writes byte[]. */
  base64String(b: Uint8Array, length: number): void {
    this.ensure(((length + 2) / 3) * 4 + 2);
    const buf = this.slab;
    let p = this.pos;
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
    this.pos = p;
  }

  /** A JSON string literal, escaped as Jackson escapes it (see jacksonQuote). */
  string(s: string): void {
    const n = s.length;
    this.ensure(n * 6 + 2);
    const buf = this.slab;
    let p = this.pos;
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
        this.nonAsciiString(s);
        return;
      }
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  private nonAsciiString(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
        this.utf8(jacksonQuote(s));
        return;
      }
    }
    const buf = this.slab;
    let p = this.pos;
    buf[p++] = 0x22;
    p += buf.write(s, p, 'utf8');
    buf[p++] = 0x22;
    this.pos = p;
  }
}

/** The letter of a control character's short escape (\b \t \n \f \r), 0 for \u00XX. */
const SHORT_ESCAPE_BYTES = new Uint8Array(32);
SHORT_ESCAPE_BYTES[0x08] = 0x62; // b
SHORT_ESCAPE_BYTES[0x09] = 0x74; // t
SHORT_ESCAPE_BYTES[0x0a] = 0x6e; // n
SHORT_ESCAPE_BYTES[0x0c] = 0x66; // f
SHORT_ESCAPE_BYTES[0x0d] = 0x72; // r
const UPPER_HEX = Buffer.from('0123456789ABCDEF', 'ascii');

/** "00" to "99" as character codes, two per number. */
const TWO_DIGITS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  TWO_DIGITS[2 * i] = 0x30 + Math.floor(i / 10);
  TWO_DIGITS[2 * i + 1] = 0x30 + (i % 10);
}

/** The decimal digits of 0 ≤ v < 1e8 at p; returns the position after them. */
function writeDigits(buf: Uint8Array, p: number, v: number): number {
  const end =
    p +
    (v < 100
      ? v < 10
        ? 1
        : 2
      : v < 10000
        ? v < 1000
          ? 3
          : 4
        : v < 1000000
          ? v < 100000
            ? 5
            : 6
          : v < 10000000
            ? 7
            : 8);
  let q = end;
  while (v >= 100) {
    const next = (v / 100) | 0;
    const r = (v - next * 100) << 1;
    buf[--q] = TWO_DIGITS[r + 1];
    buf[--q] = TWO_DIGITS[r];
    v = next;
  }
  if (v >= 10) {
    buf[--q] = TWO_DIGITS[(v << 1) + 1];
    buf[--q] = TWO_DIGITS[v << 1];
  } else {
    buf[--q] = 0x30 + v;
  }
  return end;
}

/** 0 ≤ v < 1e8 as exactly eight digits (leading zeros) at p; returns p + 8. */
function writeEightDigits(buf: Uint8Array, p: number, v: number): number {
  for (let q = p + 8; q > p;) {
    const next = (v / 100) | 0;
    const r = (v - next * 100) << 1;
    buf[--q] = TWO_DIGITS[r + 1];
    buf[--q] = TWO_DIGITS[r];
    v = next;
  }
  return p + 8;
}

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
