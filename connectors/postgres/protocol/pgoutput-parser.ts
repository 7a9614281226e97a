/**
 * Decoder for pgoutput messages: one function per message type, dispatched on the tag byte.
 * Inside a Stream Start … Stream Stop block (streaming=on) data messages carry a leading xid;
 * the caller says whether it is inside such a block.
 */
import { ByteReader, latin1Slice, PgOutputParseError, utf8Slice } from './byte-reader.ts';
import { pgTimestampToUnixMicros } from './lsn.ts';
import * as M from './pgoutput-messages.ts';

export { PgOutputParseError };

const ts = (r: ByteReader): bigint => pgTimestampToUnixMicros(r.int64());

export function parseTupleData(r: ByteReader): M.TupleValue[] {
  const at = r.offset;
  const n = r.int16();
  if (n < 0) throw new PgOutputParseError(`Negative TupleData column count ${n} at offset ${at}`);
  const out: M.TupleValue[] = new Array<M.TupleValue>(n);
  // The hot path of streaming: bounds checked once per column, no object per column. When the rest
  // of the message is ASCII it is decoded by one call and each text is a substring of it (one native
  // call per change instead of one per column); otherwise each text is decoded on its own.
  const buf = r.buf;
  const size = buf.length;
  let o = r.offset;
  const base = o;
  const ascii = isAscii(buf, o, size) ? latin1Slice(buf, o, size) : null;
  for (let i = 0; i < n; i++) {
    if (o >= size) truncated(o, size, 1, 'Int8');
    const kind = buf[o++];
    if (kind === 0x74 /* t */ || kind === 0x62 /* b */) {
      if (o + 4 > size) truncated(o, size, 4, 'Int32');
      const len = buf.readInt32BE(o);
      o += 4;
      if (len < 0) throw new PgOutputParseError(`Negative length ${len} for ${len} bytes at offset ${o}`);
      if (o + len > size) truncated(o, size, len, `${len} bytes`);
      if (kind === 0x62) out[i] = Buffer.from(buf.subarray(o, o + len));
      else out[i] = ascii !== null ? ascii.substring(o - base, o - base + len) : utf8Slice(buf, o, o + len);
      o += len;
    } else if (kind === 0x6e /* n */) {
      out[i] = null;
    } else if (kind === 0x75 /* u */) {
      out[i] = M.UNCHANGED_TOAST;
    } else {
      throw new PgOutputParseError(
        `Unknown TupleData column kind 0x${kind.toString(16)} at column ${i}, offset ${o - 1}`,
      );
    }
  }
  r.offset = o;
  return out;
}

function isAscii(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] > 0x7f) return false;
  return true;
}

function truncated(at: number, size: number, n: number, what: string): never {
  throw new PgOutputParseError(`Truncated message: need ${n} byte(s) for ${what} at offset ${at}, have ${size - at}`);
}

export function parseBegin(r: ByteReader): M.BeginMessage {
  return { tag: 'begin', finalLsn: r.uint64(), commitTimeMicros: ts(r), xid: r.uint32() };
}

export function parseCommit(r: ByteReader): M.CommitMessage {
  return { tag: 'commit', flags: r.uint8(), commitLsn: r.uint64(), endLsn: r.uint64(), commitTimeMicros: ts(r) };
}

export function parseOrigin(r: ByteReader): M.OriginMessage {
  return { tag: 'origin', originLsn: r.uint64(), name: r.cstring() };
}

export function parseRelation(r: ByteReader, xid: number | undefined): M.RelationMessage {
  const relationOid = r.uint32();
  const namespace = r.cstring() || 'pg_catalog';
  const name = r.cstring();
  const replicaIdentity = String.fromCharCode(r.uint8()) as M.ReplicaIdentity;
  const n = r.int16();
  const columns: M.RelationColumn[] = [];
  for (let i = 0; i < n; i++) {
    const flags = r.uint8();
    columns.push({ isKey: (flags & 1) === 1, name: r.cstring(), typeOid: r.uint32(), typeModifier: r.int32() });
  }
  return { tag: 'relation', xid, relationOid, namespace, name, replicaIdentity, columns };
}

export function parseType(r: ByteReader, xid: number | undefined): M.TypeMessage {
  return { tag: 'type', xid, typeOid: r.uint32(), namespace: r.cstring() || 'pg_catalog', name: r.cstring() };
}

function expectByte(r: ByteReader, expected: string, what: string): void {
  const b = r.uint8();
  if (b !== expected.charCodeAt(0))
    throw new PgOutputParseError(
      `Expected '${expected}' before ${what}, got 0x${b.toString(16)} at offset ${r.offset - 1}`,
    );
}

export function parseInsert(r: ByteReader, xid: number | undefined): M.InsertMessage {
  const relationOid = r.uint32();
  expectByte(r, 'N', 'the new tuple of an Insert');
  return { tag: 'insert', xid, relationOid, newTuple: parseTupleData(r) };
}

export function parseUpdate(r: ByteReader, xid: number | undefined): M.UpdateMessage {
  const relationOid = r.uint32();
  const msg: M.UpdateMessage = { tag: 'update', xid, relationOid, newTuple: [] };
  let kind = String.fromCharCode(r.uint8());
  if (kind === 'K') {
    msg.keyTuple = parseTupleData(r);
    kind = String.fromCharCode(r.uint8());
  } else if (kind === 'O') {
    msg.oldTuple = parseTupleData(r);
    kind = String.fromCharCode(r.uint8());
  }
  if (kind !== 'N') throw new PgOutputParseError(`Expected 'N' in an Update, got '${kind}' at offset ${r.offset - 1}`);
  msg.newTuple = parseTupleData(r);
  return msg;
}

export function parseDelete(r: ByteReader, xid: number | undefined): M.DeleteMessage {
  const relationOid = r.uint32();
  const kind = String.fromCharCode(r.uint8());
  if (kind === 'K') return { tag: 'delete', xid, relationOid, keyTuple: parseTupleData(r) };
  if (kind === 'O') return { tag: 'delete', xid, relationOid, oldTuple: parseTupleData(r) };
  throw new PgOutputParseError(`Expected 'K' or 'O' in a Delete, got '${kind}' at offset ${r.offset - 1}`);
}

export function parseTruncate(r: ByteReader, xid: number | undefined): M.TruncateMessage {
  const n = r.int32();
  const options = r.uint8();
  const relationOids: number[] = [];
  for (let i = 0; i < n; i++) relationOids.push(r.uint32());
  return { tag: 'truncate', xid, cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0, relationOids };
}

export function parseMessage(r: ByteReader, xid: number | undefined): M.LogicalMessage {
  const flags = r.uint8();
  const lsn = r.uint64();
  const prefix = r.cstring();
  const len = r.int32();
  return { tag: 'message', xid, transactional: (flags & 1) === 1, lsn, prefix, content: Buffer.from(r.bytes(len)) };
}

export function parseStreamStart(r: ByteReader): M.StreamStartMessage {
  return { tag: 'stream_start', xid: r.uint32(), firstSegment: r.uint8() === 1 };
}

export function parseStreamCommit(r: ByteReader): M.StreamCommitMessage {
  return {
    tag: 'stream_commit',
    xid: r.uint32(),
    flags: r.uint8(),
    commitLsn: r.uint64(),
    endLsn: r.uint64(),
    commitTimeMicros: ts(r),
  };
}

export function parseStreamAbort(r: ByteReader): M.StreamAbortMessage {
  const msg: M.StreamAbortMessage = { tag: 'stream_abort', xid: r.uint32(), subXid: r.uint32() };
  if (r.remaining >= 16) {
    msg.abortLsn = r.uint64();
    msg.abortTimeMicros = ts(r);
  }
  return msg;
}

export function parseBeginPrepare(r: ByteReader): M.BeginPrepareMessage {
  return {
    tag: 'begin_prepare',
    prepareLsn: r.uint64(),
    endLsn: r.uint64(),
    prepareTimeMicros: ts(r),
    xid: r.uint32(),
    gid: r.cstring(),
  };
}

export function parsePrepare(r: ByteReader, tag: 'prepare' | 'stream_prepare'): M.PrepareMessage {
  return {
    tag,
    flags: r.uint8(),
    prepareLsn: r.uint64(),
    endLsn: r.uint64(),
    prepareTimeMicros: ts(r),
    xid: r.uint32(),
    gid: r.cstring(),
  };
}

export function parseCommitPrepared(r: ByteReader): M.CommitPreparedMessage {
  return {
    tag: 'commit_prepared',
    flags: r.uint8(),
    commitLsn: r.uint64(),
    endLsn: r.uint64(),
    commitTimeMicros: ts(r),
    xid: r.uint32(),
    gid: r.cstring(),
  };
}

export function parseRollbackPrepared(r: ByteReader): M.RollbackPreparedMessage {
  return {
    tag: 'rollback_prepared',
    flags: r.uint8(),
    prepareEndLsn: r.uint64(),
    rollbackEndLsn: r.uint64(),
    prepareTimeMicros: ts(r),
    rollbackTimeMicros: ts(r),
    xid: r.uint32(),
    gid: r.cstring(),
  };
}

/** Decodes one pgoutput message. `inStreamBlock`: between Stream Start and Stream Stop (data messages carry an xid). */
export function parsePgOutputMessage(buf: Buffer, inStreamBlock = false): M.PgOutputMessage {
  if (buf.length === 0) throw new PgOutputParseError('Empty pgoutput message at offset 0');
  const r = new ByteReader(buf);
  const tag = r.uint8();
  // Row changes outside stream blocks first: the hot path, without the xid closure below.
  if (!inStreamBlock) {
    if (tag === 0x49) return parseInsert(r, undefined); // I
    if (tag === 0x55) return parseUpdate(r, undefined); // U
    if (tag === 0x44) return parseDelete(r, undefined); // D
  }
  // Data messages (R Y I U D T M) carry a leading xid inside a stream block.
  const xid = (): number | undefined => (inStreamBlock ? r.uint32() : undefined);
  switch (tag) {
    case 0x42:
      return parseBegin(r); // B
    case 0x43:
      return parseCommit(r); // C
    case 0x4f:
      return parseOrigin(r); // O
    case 0x52:
      return parseRelation(r, xid()); // R
    case 0x59:
      return parseType(r, xid()); // Y
    case 0x49:
      return parseInsert(r, xid()); // I
    case 0x55:
      return parseUpdate(r, xid()); // U
    case 0x44:
      return parseDelete(r, xid()); // D
    case 0x54:
      return parseTruncate(r, xid()); // T
    case 0x4d:
      return parseMessage(r, xid()); // M
    case 0x53:
      return parseStreamStart(r); // S
    case 0x45:
      return { tag: 'stream_stop' }; // E
    case 0x63:
      return parseStreamCommit(r); // c
    case 0x41:
      return parseStreamAbort(r); // A
    case 0x62:
      return parseBeginPrepare(r); // b
    case 0x50:
      return parsePrepare(r, 'prepare'); // P
    case 0x70:
      return parsePrepare(r, 'stream_prepare'); // p
    case 0x4b:
      return parseCommitPrepared(r); // K
    case 0x72:
      return parseRollbackPrepared(r); // r
    default:
      throw new PgOutputParseError(
        `Unknown pgoutput message tag 0x${tag.toString(16)} ('${String.fromCharCode(tag)}') at offset 0`,
      );
  }
}
