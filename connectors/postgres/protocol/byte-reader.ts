/** A pgoutput message or replication frame that does not decode: names the offset in the message. */
export class PgOutputParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgOutputParseError';
  }
}

/** Buffer's own slice decoders (in Node since 0.x, absent from @types/node): no argument normalization. */
interface SliceDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** Bytes [start, end) as Latin-1 (= ASCII for bytes < 0x80). */
export const latin1Slice = (buf: Buffer, start: number, end: number): string =>
  (buf as unknown as SliceDecoders).latin1Slice(start, end);

/** Bytes [start, end) as UTF-8. */
export const utf8Slice = (buf: Buffer, start: number, end: number): string =>
  (buf as unknown as SliceDecoders).utf8Slice(start, end);

/** A cursor over a message buffer with PostgreSQL's big-endian integer and NUL-terminated string reads. */
export class ByteReader {
  offset = 0;

  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number, what: string): void {
    if (n < 0) throw new PgOutputParseError(`Negative length ${n} for ${what} at offset ${this.offset}`);
    if (this.offset + n > this.buf.length)
      throw new PgOutputParseError(
        `Truncated message: need ${n} byte(s) for ${what} at offset ${this.offset}, have ${this.remaining}`,
      );
  }

  uint8(): number {
    this.need(1, 'Int8');
    return this.buf[this.offset++];
  }
  int16(): number {
    this.need(2, 'Int16');
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4, 'Int32');
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    this.need(4, 'UInt32');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  /** Int64 as bigint (LSNs, timestamps). */
  int64(): bigint {
    this.need(8, 'Int64');
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  uint64(): bigint {
    this.need(8, 'UInt64');
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw new PgOutputParseError(`Truncated message: unterminated string at offset ${this.offset}`);
    const s = this.buf.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    this.need(n, `${n} bytes`);
    const b = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }
  rest(): Buffer {
    const b = this.buf.subarray(this.offset);
    this.offset = this.buf.length;
    return b;
  }
}
