/**
 * Record framing: where each record of a file starts and ends. A framer reads from a window of
 * the file (`buf` holds the bytes from absolute position `base`) and a state (the position of the
 * next record and, for VB, the end of the current block), so a reader can resume at any record
 * boundary from an offset alone.
 */
export type RecordFormat = 'F' | 'FB' | 'V' | 'VB' | 'D' | 'T';
export const RECORD_FORMATS: readonly RecordFormat[] = ['F', 'FB', 'V', 'VB', 'D', 'T'];

export interface FramerState {
  /** Absolute position of the next record (or block descriptor). */
  position: number;
  /** VB: absolute end of the current block, 0 when the next bytes are a block descriptor. */
  blockEnd: number;
}

export interface FramedRecord {
  /** Absolute position of the record (its RDW for V/VB). */
  offset: number;
  /** Payload bounds within `buf`. */
  start: number;
  end: number;
}

export class FramingError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at byte ${position})`);
    this.name = 'FramingError';
  }
}

export interface Framer {
  /**
   * The next record, advancing `state`; null when `buf` does not yet hold all of it. With `eof`
   * (no more bytes will come), a truncated last record is an error instead.
   */
  next(buf: Buffer, base: number, state: FramerState, eof: boolean): FramedRecord | null;
}

function truncated(what: string, state: FramerState, have: number, need: number): never {
  throw new FramingError(`file ends inside a ${what}: ${have} of ${need} bytes present`, state.position);
}

/** F / FB: records of one length; blocking is invisible in a transferred file. */
export function fixedLengthFramer(recordLength: number): Framer {
  if (!Number.isInteger(recordLength) || recordLength < 1)
    throw new Error(`record length must be a positive integer, got ${recordLength}`);
  return {
    next(buf, base, state, eof) {
      const at = state.position - base;
      const have = buf.length - at;
      if (have < recordLength) {
        if (eof && have > 0) truncated('fixed-length record', state, have, recordLength);
        return null;
      }
      const rec = { offset: state.position, start: at, end: at + recordLength };
      state.position += recordLength;
      return rec;
    },
  };
}

export interface RdwOptions {
  bigEndian: boolean;
  /** Added to the payload length the RDW gives (IBM: RDW length − 4). */
  adjustment: number;
}

/** Payload length from a 4-byte record descriptor word (IBM: LL includes the 4 RDW bytes). */
export function rdwPayloadLength(buf: Buffer, at: number, o: RdwOptions, position: number): number {
  const b0 = buf[at],
    b1 = buf[at + 1],
    b2 = buf[at + 2],
    b3 = buf[at + 3];
  // some transfers put the length in the second half-word; take it when the first is zero
  const second = b0 === 0 && b1 === 0 && (b2 !== 0 || b3 !== 0);
  const ll = o.bigEndian ? (second ? (b2 << 8) | b3 : (b0 << 8) | b1) : second ? b2 | (b3 << 8) : b0 | (b1 << 8);
  if (!second && (b2 !== 0 || b3 !== 0) && o.bigEndian) {
    throw new FramingError(
      `invalid RDW ${Buffer.from([b0, b1, b2, b3]).toString('hex')}: bytes 3-4 must be zero (spanned records are not supported)`,
      position,
    );
  }
  const len = ll - 4 + o.adjustment;
  if (len < 0 || ll === 0)
    throw new FramingError(
      `invalid RDW ${Buffer.from([b0, b1, b2, b3]).toString('hex')}: record length ${ll}`,
      position,
    );
  return len;
}

/** V: each record is preceded by its RDW. */
export function rdwFramer(o: RdwOptions): Framer {
  return {
    next(buf, base, state, eof) {
      const at = state.position - base;
      const have = buf.length - at;
      if (have < 4) {
        if (eof && have > 0) truncated('record descriptor word', state, have, 4);
        return null;
      }
      const len = rdwPayloadLength(buf, at, o, state.position);
      if (have < 4 + len) {
        if (eof) truncated('variable-length record', state, have, 4 + len);
        return null;
      }
      const rec = { offset: state.position, start: at + 4, end: at + 4 + len };
      state.position += 4 + len;
      return rec;
    },
  };
}

export interface BdwOptions {
  bigEndian: boolean;
  /** Added to the block length the BDW gives (IBM: the length includes the 4 BDW bytes). */
  adjustment: number;
}

/** Block length from a BDW, including the BDW itself; the extended format (high bit set) has 31 bits. */
export function bdwBlockLength(buf: Buffer, at: number, o: BdwOptions, position: number): number {
  const b = [buf[at], buf[at + 1], buf[at + 2], buf[at + 3]];
  let len: number;
  if (o.bigEndian) {
    if (b[0] & 0x80) len = (b[0] & 0x7f) * 16777216 + (b[1] << 16) + (b[2] << 8) + b[3];
    else {
      if (b[2] !== 0 || b[3] !== 0)
        throw new FramingError(`invalid BDW ${Buffer.from(b).toString('hex')}: bytes 3-4 must be zero`, position);
      len = (b[0] << 8) | b[1];
    }
  } else if (b[3] & 0x80) len = b[0] + (b[1] << 8) + (b[2] << 16) + (b[3] & 0x7f) * 16777216;
  else {
    if (b[0] !== 0 || b[1] !== 0)
      throw new FramingError(`invalid BDW ${Buffer.from(b).toString('hex')}: bytes 1-2 must be zero`, position);
    len = b[2] | (b[3] << 8);
  }
  len += o.adjustment;
  if (len < 8) throw new FramingError(`invalid BDW ${Buffer.from(b).toString('hex')}: block length ${len}`, position);
  return len;
}

/** VB: blocks (BDW) of records (RDW each). */
export function blockedRdwFramer(rdw: RdwOptions, bdw: BdwOptions): Framer {
  const records = rdwFramer(rdw);
  return {
    next(buf, base, state, eof) {
      for (;;) {
        if (state.blockEnd !== 0 && state.position >= state.blockEnd) {
          if (state.position > state.blockEnd)
            throw new FramingError(`record crosses the end of its block at ${state.blockEnd}`, state.position);
          state.blockEnd = 0;
        }
        if (state.blockEnd === 0) {
          const at = state.position - base;
          const have = buf.length - at;
          if (have < 4) {
            if (eof && have > 0) truncated('block descriptor word', state, have, 4);
            return null;
          }
          const blockLen = bdwBlockLength(buf, at, bdw, state.position);
          if (have < blockLen) {
            if (eof) truncated('block', state, have, blockLen);
            return null;
          }
          state.blockEnd = state.position + blockLen;
          state.position += 4;
          continue;
        }
        const rec = records.next(buf, base, state, eof);
        if (rec && state.position > state.blockEnd)
          throw new FramingError(`record crosses the end of its block at ${state.blockEnd}`, rec.offset);
        return rec;
      }
    },
  };
}

/** D / T: text records separated by LF or CRLF (a last line without LF ends at end of file). */
export function textLineFramer(): Framer {
  return {
    next(buf, base, state, eof) {
      const at = state.position - base;
      if (at >= buf.length) return null;
      const nl = buf.indexOf(0x0a, at);
      if (nl < 0) {
        if (!eof) return null;
        const rec = { offset: state.position, start: at, end: buf.length };
        state.position += buf.length - at;
        return rec;
      }
      const end = nl > at && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      const rec = { offset: state.position, start: at, end };
      state.position += nl + 1 - at;
      return rec;
    },
  };
}

/**
 * Record length from a field of the record (e.g. a length prefix defined in the copybook):
 * `lengthOf` reads it from the record's first bytes; `headerBytes` is how many are needed.
 */
export function lengthFieldFramer(
  headerBytes: number,
  lengthOf: (buf: Buffer, at: number) => number,
  adjustment: number,
): Framer {
  return {
    next(buf, base, state, eof) {
      const at = state.position - base;
      const have = buf.length - at;
      if (have < headerBytes) {
        if (eof && have > 0) truncated('record length field', state, have, headerBytes);
        return null;
      }
      const len = lengthOf(buf, at) + adjustment;
      if (!Number.isInteger(len) || len < headerBytes)
        throw new FramingError(
          `record length field gives ${len}, less than the ${headerBytes} bytes up to the end of the length field`,
          state.position,
        );
      if (have < len) {
        if (eof) truncated('record', state, have, len);
        return null;
      }
      const rec = { offset: state.position, start: at, end: at + len };
      state.position += len;
      return rec;
    },
  };
}

/**
 * F with variable-size OCCURS: records follow each other without descriptors, each as long as
 * its own ODO counts make it (`sizeOf` reads them from the record's bytes).
 */
export function variableSizeFramer(sizeOf: (buf: Buffer, at: number, end: number) => number): Framer {
  return {
    next(buf, base, state, eof) {
      const at = state.position - base;
      const have = buf.length - at;
      if (have <= 0) return null;
      const len = sizeOf(buf, at, buf.length);
      if (!Number.isInteger(len) || len < 1)
        throw new FramingError(`record size ${len} computed from the copybook is not positive`, state.position);
      if (have < len) {
        if (eof) truncated('record', state, have, len);
        return null;
      }
      const rec = { offset: state.position, start: at, end: at + len };
      state.position += len;
      return rec;
    },
  };
}

/** Frames a whole in-memory file. */
export function* frameAll(
  framer: Framer,
  buf: Buffer,
  state: FramerState = { position: 0, blockEnd: 0 },
): Generator<FramedRecord> {
  for (;;) {
    const r = framer.next(buf, 0, state, true);
    if (!r) return;
    yield r;
  }
}
