/**
 * A cursor over a binlog buffer: little-endian integers of every width the protocol uses,
 * MySQL packed (length-encoded) integers, and byte/string slices. Reading past the end throws
 * a BinlogFormatError so a truncated event never yields garbage values.
 */
export class BinlogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BinlogFormatError';
  }
}

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    // a sub-reader over a length read from the data: that length must not run past the data
    if (end > buf.length || start > end)
      throw new BinlogFormatError(
        `a field of ${end - start} bytes at offset ${start} runs past the end of the data (${buf.length} bytes)`,
      );
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end)
      throw new BinlogFormatError(`truncated data: need ${n} bytes at offset ${this.pos}, have ${this.end - this.pos}`);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  i8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const v = this.buf.readUIntLE(this.pos, 3);
    this.pos += 3;
    return v;
  }
  i24(): number {
    this.need(3);
    const v = this.buf.readIntLE(this.pos, 3);
    this.pos += 3;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  /** Unsigned LE integer of 1..6 bytes as a number. */
  uintLE(n: number): number {
    this.need(n);
    const v = this.buf.readUIntLE(this.pos, n);
    this.pos += n;
    return v;
  }
  /** Unsigned BE integer of 1..6 bytes as a number. */
  uintBE(n: number): number {
    this.need(n);
    const v = this.buf.readUIntBE(this.pos, n);
    this.pos += n;
    return v;
  }
  u48(): number {
    return this.uintLE(6);
  }
  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  /** u64 that must fit a JS number (positions, sizes). */
  u64n(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new BinlogFormatError(`64-bit value ${v} does not fit a safe integer`);
    return Number(v);
  }
  f32(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** MySQL length-encoded integer (0..250 inline, 0xFC u16, 0xFD u24, 0xFE u64). */
  packed(): number {
    const b = this.u8();
    if (b < 0xfb) return b;
    if (b === 0xfc) return this.u16();
    if (b === 0xfd) return this.u24();
    if (b === 0xfe) return this.u64n();
    throw new BinlogFormatError(`invalid packed integer prefix 0x${b.toString(16)} at offset ${this.pos - 1}`);
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  rest(): Buffer {
    const v = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }
  string(n: number, encoding: BufferEncoding = 'utf8'): string {
    return this.bytes(n).toString(encoding);
  }
  restString(encoding: BufferEncoding = 'utf8'): string {
    return this.rest().toString(encoding);
  }
  /** Bytes up to (not including) a NUL, consuming the NUL. */
  nulString(): string {
    const i = this.buf.indexOf(0, this.pos);
    if (i < 0 || i >= this.end) throw new BinlogFormatError(`unterminated string at offset ${this.pos}`);
    const s = this.buf.toString('utf8', this.pos, i);
    this.pos = i + 1;
    return s;
  }
  packedBytes(): Buffer {
    return this.bytes(this.packed());
  }
  packedString(): string {
    return this.packedBytes().toString('utf8');
  }
  /** A bitmap of `bits` bits, LSB-first within each byte, as booleans. */
  bitmap(bits: number): boolean[] {
    // checked before allocating: `bits` comes from the data (a column count), and >> would wrap past 2^31
    if (Math.ceil(bits / 8) > this.remaining)
      throw new BinlogFormatError(
        `bitmap of ${bits} bits at offset ${this.pos} runs past the end (${this.remaining} bytes left)`,
      );
    const b = this.bytes(Math.ceil(bits / 8));
    const out = new Array<boolean>(bits);
    for (let i = 0; i < bits; i++) out[i] = (b[i >> 3] & (1 << (i & 7))) !== 0;
    return out;
  }
}

/** Appends MySQL packed integers and fixed-width LE integers; used to build commands and test vectors. */
export class ByteWriter {
  private chunks: Buffer[] = [];
  u8(v: number): this {
    this.chunks.push(Buffer.from([v & 0xff]));
    return this;
  }
  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    this.chunks.push(b);
    return this;
  }
  u24(v: number): this {
    const b = Buffer.alloc(3);
    b.writeUIntLE(v, 0, 3);
    this.chunks.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.chunks.push(b);
    return this;
  }
  uintLE(v: number, n: number): this {
    const b = Buffer.alloc(n);
    b.writeUIntLE(v, 0, n);
    this.chunks.push(b);
    return this;
  }
  u64(v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.chunks.push(b);
    return this;
  }
  i64(v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    this.chunks.push(b);
    return this;
  }
  packed(v: number): this {
    if (v < 0xfb) return this.u8(v);
    if (v <= 0xffff) return this.u8(0xfc).u16(v);
    if (v <= 0xffffff) return this.u8(0xfd).u24(v);
    return this.u8(0xfe).u64(v);
  }
  bytes(b: Uint8Array | string): this {
    this.chunks.push(typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b));
    return this;
  }
  packedBytes(b: Uint8Array | string): this {
    const buf = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
    return this.packed(buf.length).bytes(buf);
  }
  build(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
