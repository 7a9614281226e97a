/**
 * A growable UTF-8 byte sink for JSON serialization that writes straight into large shared slabs:
 * no intermediate JavaScript strings for the document, and no ArrayBuffer per record (serialized
 * records are a few KiB, above what Node's own 8 KiB buffer pool serves). `finish()` hands out the
 * written bytes as a view of the slab; the slab is released once every view of it is gone, or
 * reused after `recycle()`, which the caller may call once no view handed out is referenced any
 * more (the worker does when the producer has copied a batch's records into its own buffers: the
 * slabs then never become garbage that waits for V8's old-generation collection).
 * The generated struct writers (json-struct-compiler.ts) write into `slab` at `pos` themselves,
 * calling `ensure` for room, and store their position back into `pos`.
 */
import {
  NUMBER_ROOM,
  base64Room,
  stringRoom,
  writeAscii,
  writeBase64String,
  writeNumber,
  writeString,
} from './json-byte-writers.ts';

export { jacksonQuote } from './json-byte-writers.ts';

const SLAB_BYTES = 1 << 20;
/** Spare slabs kept for reuse between recycle() calls: a poll batch's worth (2,048 records of ~2 KiB need 4). */
const MAX_SPARE_SLABS = 8;
/**
 * Full slabs remembered for release: two poll batches of 2,048 records of ~4 KiB (the one being
 * written while the one before it is in flight). Older ones are left to the garbage collector.
 */
const MAX_FILLED_SLABS = 16;

export class JsonBytes {
  /** The current slab (replaced by `ensure` when full). */
  slab: Buffer = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private start = 0;
  /** Where the next byte goes. */
  pos = 0;
  /**
   * Full slabs handed out since the last recycle(), oldest first, each with the generation current
   * when it filled up (it holds documents of that generation and earlier ones): views of them may
   * still be in use.
   */
  private filled: Array<{ slab: Buffer; generation: number }> = [];
  /** The generation documents written now belong to (see mark()). */
  private generation = 0;
  /** Slabs free for reuse (recycled). */
  private readonly spare: Buffer[] = [];

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

  /** Room for n more bytes at `pos`: a new slab (the document so far copied to its start) when full. */
  ensure(n: number): void {
    if (this.pos + n <= this.slab.length) return;
    const used = this.pos - this.start;
    const size = Math.max(SLAB_BYTES, (used + n) * 2);
    const next = size === SLAB_BYTES && this.spare.length > 0 ? this.spare.pop()! : Buffer.allocUnsafeSlow(size);
    this.slab.copy(next, 0, this.start, this.pos);
    if (this.slab.length === SLAB_BYTES) {
      // Bounded: a caller that never recycles must not keep every slab alive.
      if (this.filled.length === MAX_FILLED_SLABS) this.filled.shift();
      this.filled.push({ slab: this.slab, generation: this.generation });
    }
    this.slab = next;
    this.start = 0;
    this.pos = used;
  }

  /** Slabs this writer keeps besides the current one (awaiting recycle() or release(), or spare): at most MAX_FILLED_SLABS + MAX_SPARE_SLABS. */
  get heldSlabs(): number {
    return this.filled.length + this.spare.length;
  }

  /**
   * Makes every slab written so far reusable. Only when no view returned by finish() is referenced
   * any more: the next documents overwrite their bytes. Not between begin() and finish().
   */
  recycle(): void {
    for (const f of this.filled) if (this.spare.length < MAX_SPARE_SLABS) this.spare.push(f.slab);
    this.filled = [];
    this.start = 0;
    this.pos = 0;
  }

  /**
   * Ends a generation: the documents finished so far belong to the returned one, later ones to
   * the next. Not between begin() and finish().
   */
  mark(): number {
    return this.generation++;
  }

  /**
   * Makes reusable the full slabs that hold only documents of generation `mark` and earlier:
   * the caller no longer references any view of those. The current slab stays (it may hold
   * later documents); slabs filled after the mark stay until their own generation is released.
   */
  release(mark: number): void {
    let n = 0;
    while (n < this.filled.length && this.filled[n].generation <= mark) {
      if (this.spare.length < MAX_SPARE_SLABS) this.spare.push(this.filled[n].slab);
      n++;
    }
    if (n > 0) this.filled.splice(0, n);
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
    this.ensure(s.length);
    this.pos = writeAscii(this.slab, this.pos, s);
  }

  /** Arbitrary text already in JSON form (e.g. from JSON.stringify). */
  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.slab.write(s, this.pos, 'utf8');
  }

  /** A number as String(v) writes it: safe integers as digits straight into the bytes, others through String. */
  integer(v: number): void {
    this.ensure(NUMBER_ROOM);
    this.pos = writeNumber(this.slab, this.pos, v);
  }

  /** Bytes as a quoted base64 JSON string (standard alphabet, padded), as Jackson writes byte[]. */
  base64String(b: Uint8Array, length: number): void {
    this.ensure(base64Room(length));
    this.pos = writeBase64String(this.slab, this.pos, b, length);
  }

  /** A JSON string literal, escaped as Jackson escapes it (see jacksonQuote). */
  string(s: string): void {
    this.ensure(stringRoom(s));
    this.pos = writeString(this.slab, this.pos, s);
  }
}
