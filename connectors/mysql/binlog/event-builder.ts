/**
 * Builds binlog events byte by byte from the documented layouts (header, body, CRC32) and encodes
 * MySQL binary JSON: used for test vectors of formats no local server writes (MySQL 8 v2 rows,
 * GTID events, TRANSACTION_PAYLOAD, PARTIAL_UPDATE_ROWS, JSON binary).
 */
import zlib from 'node:zlib';
import { ByteWriter } from './byte-reader.ts';
import { HEADER_LENGTH } from './event-types.ts';

export function buildEvent(
  type: number,
  body: Buffer,
  o: { timestamp?: number; serverId?: number; nextPosition?: number; flags?: number; checksum?: boolean } = {},
): Buffer {
  const crc = o.checksum ?? true;
  const len = HEADER_LENGTH + body.length + (crc ? 4 : 0);
  const h = Buffer.alloc(HEADER_LENGTH);
  h.writeUInt32LE(o.timestamp ?? 1_700_000_000, 0);
  h[4] = type;
  h.writeUInt32LE(o.serverId ?? 1, 5);
  h.writeUInt32LE(len, 9);
  h.writeUInt32LE(o.nextPosition ?? 0, 13);
  h.writeUInt16LE(o.flags ?? 0, 17);
  const ev = Buffer.concat([h, body]);
  if (!crc) return ev;
  const c = Buffer.alloc(4);
  c.writeUInt32LE(zlib.crc32(ev));
  return Buffer.concat([ev, c]);
}

/** A MySQL 8 FORMAT_DESCRIPTION body: v2 rows post-header 10, TABLE_MAP 8, checksum CRC32. */
export function mysql8FormatDescriptionBody(serverVersion = '8.0.36', checksumAlg = 1): Buffer {
  const lengths = Buffer.alloc(41, 0);
  const set = (type: number, n: number) => {
    lengths[type - 1] = n;
  };
  set(2, 13);
  set(4, 8);
  set(15, 98);
  set(16, 0);
  set(19, 8);
  for (const t of [23, 24, 25]) set(t, 8);
  for (const t of [30, 31, 32, 39]) set(t, 10);
  set(33, 42);
  set(34, 42);
  set(40, 0);
  const version = Buffer.alloc(50);
  version.write(serverVersion, 'latin1');
  return new ByteWriter().u16(4).bytes(version).u32(0).u8(19).bytes(lengths).u8(checksumAlg).build();
}

// ---- MySQL binary JSON encoder ---------------------------------------------------------------

export type JsonInput = null | boolean | number | bigint | string | JsonInput[] | { [k: string]: JsonInput };

function varLen(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** Encodes a JSON document as MySQL binary JSON (type byte + value); `large` forces the large container format. */
export function encodeJsonBinary(v: JsonInput, large = false): Buffer {
  const [type, body] = encodeValue(v, large);
  return Buffer.concat([Buffer.from([type]), body]);
}

function encodeScalar(v: JsonInput): [number, Buffer] | null {
  if (v === null) return [0x04, Buffer.from([0])];
  if (v === true) return [0x04, Buffer.from([1])];
  if (v === false) return [0x04, Buffer.from([2])];
  if (typeof v === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(v);
    return [0x09, b];
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -32768 && v <= 32767) {
      const b = Buffer.alloc(2);
      b.writeInt16LE(v);
      return [0x05, b];
    }
    if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      return [0x07, b];
    }
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return [0x0b, b];
  }
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return [0x0c, Buffer.concat([varLen(s.length), s])];
  }
  return null;
}

function encodeValue(v: JsonInput, large: boolean): [number, Buffer] {
  const scalar = encodeScalar(v);
  if (scalar) return scalar;
  const isArray = Array.isArray(v);
  const entries: Array<[string, JsonInput]> = isArray
    ? (v as JsonInput[]).map((x) => ['', x])
    : Object.entries(v as Record<string, JsonInput>).sort(
        ([a], [b]) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)),
      );
  const w = large ? 4 : 2;
  const count = entries.length;
  const keyEntriesSize = isArray ? 0 : count * (w + 2);
  const valueEntriesSize = count * (1 + w);
  const headerSize = 2 * w + keyEntriesSize + valueEntriesSize;
  const keys = entries.map(([k]) => Buffer.from(k, 'utf8'));
  let offset = headerSize + (isArray ? 0 : keys.reduce((n, k) => n + k.length, 0));
  const valueEntries: Buffer[] = [];
  const valueData: Buffer[] = [];
  for (const [, x] of entries) {
    const [t, body] = encodeValue(x, large);
    const inline = t === 0x04 || t === 0x05 || t === 0x06 || (large && (t === 0x07 || t === 0x08));
    const e = Buffer.alloc(1 + w);
    e[0] = t;
    if (inline) body.copy(e, 1, 0, Math.min(body.length, w));
    else {
      if (large) e.writeUInt32LE(offset, 1);
      else e.writeUInt16LE(offset, 1);
      valueData.push(body);
      offset += body.length;
    }
    valueEntries.push(e);
  }
  const keyEntries: Buffer[] = [];
  let keyOffset = headerSize;
  if (!isArray)
    for (const k of keys) {
      const e = Buffer.alloc(w + 2);
      if (large) e.writeUInt32LE(keyOffset, 0);
      else e.writeUInt16LE(keyOffset, 0);
      e.writeUInt16LE(k.length, w);
      keyEntries.push(e);
      keyOffset += k.length;
    }
  const head = Buffer.alloc(2 * w);
  if (large) {
    head.writeUInt32LE(count, 0);
    head.writeUInt32LE(offset, 4);
  } else {
    head.writeUInt16LE(count, 0);
    head.writeUInt16LE(offset, 2);
  }
  const type = isArray ? (large ? 0x03 : 0x02) : large ? 0x01 : 0x00;
  return [type, Buffer.concat([head, ...keyEntries, ...valueEntries, ...(isArray ? [] : keys), ...valueData])];
}

// ---- MySQL 8 event bodies used by the vectors -------------------------------------------------

export function datetime2Bytes(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  micros: number,
  fsp: number,
): Buffer {
  const ymd = (y * 13 + mo) * 32 + d;
  const hms = (h << 12) | (mi << 6) | s;
  const out = Buffer.alloc(5 + ((fsp + 1) >> 1));
  out.writeUIntBE(ymd * 2 ** 17 + hms + 0x8000000000, 0, 5);
  if (fsp >= 5) out.writeUIntBE(micros, 5, 3);
  else if (fsp >= 3) out.writeUInt16BE(Math.floor(micros / 100), 5);
  else if (fsp >= 1) out[5] = Math.floor(micros / 10000);
  return out;
}

/** TABLE_MAP of `db`.`t` (id INT, j JSON, d DATETIME(3), u BIGINT UNSIGNED, s VARCHAR(20) utf8mb4) with FULL optional metadata. */
export function mysqlTableMapBody(tableId: number): Buffer {
  const w = new ByteWriter().uintLE(tableId, 6).u16(0).packed(2).bytes('db').u8(0).packed(1).bytes('t').u8(0);
  w.packed(5).bytes(Buffer.from([3, 245, 18, 8, 15]));
  const meta = Buffer.from([4, 3, 80, 0]);
  w.packed(meta.length).bytes(meta);
  w.u8(0b11110); // nullable: all but id
  const tlv = (type: number, value: Buffer) => w.u8(type).packed(value.length).bytes(value);
  tlv(1, Buffer.from([0b01000000])); // SIGNEDNESS over the numeric columns id, u: u unsigned
  tlv(2, new ByteWriter().packed(255).build()); // DEFAULT_CHARSET utf8mb4_0900_ai_ci
  tlv(
    4,
    new ByteWriter().packedBytes('id').packedBytes('j').packedBytes('d').packedBytes('u').packedBytes('s').build(),
  );
  tlv(8, Buffer.from([0]));
  tlv(99, Buffer.from([1, 2, 3])); // an unknown TLV: skipped by length
  return w.build();
}

/** One row of that table as a v2 WRITE_ROWS body. */
export function mysqlWriteRowsBody(
  tableId: number,
  row: { id: number; json: Buffer | null; d: Buffer; u: bigint; s: string },
): Buffer {
  const w = new ByteWriter().uintLE(tableId, 6).u16(1).u16(5).u8(1).u16(7); // extra row info: PART, partition 7
  w.packed(5).u8(0x1f);
  w.u8(row.json ? 0 : 0b10);
  w.u32(row.id);
  if (row.json) w.u32(row.json.length).bytes(row.json);
  w.bytes(row.d).u64(row.u);
  const s = Buffer.from(row.s, 'utf8');
  w.u8(s.length).bytes(s);
  return w.build();
}
