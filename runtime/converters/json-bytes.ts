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

  /** A number written as String(v) writes it: safe integers digit by digit (no string), others through String. */
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
    // Powers of ten are exact doubles up to 1e22, so the count is exact for every safe integer.
    let end = p + 1;
    for (let t = 10; t <= v; t *= 10) end++;
    this.pos = end;
    do {
      const q = Math.floor(v / 10);
      buf[--end] = 0x30 + (v - q * 10);
      v = q;
    } while (v !== 0);
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
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
        this.utf8(jacksonQuote(s));
        return;
      }
    }
    this.ensure(n * 3 + 2);
    const buf = this.slab;
    buf[this.pos++] = 0x22;
    this.pos += n < 32 && isAsciiOnly(s) ? writeAscii(buf, this.pos, s) : buf.write(s, this.pos, 'utf8');
    buf[this.pos++] = 0x22;
  }
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

function isAsciiOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function writeAscii(buf: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[p + i] = s.charCodeAt(i);
  return s.length;
}
