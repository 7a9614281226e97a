/**
 * MySQL binary JSON (sql-common/json_binary.h) decoded into a tree that keeps numbers exact
 * (their text), then printed as compact JSON text. Opaque values (DECIMAL, DATE, TIME, DATETIME,
 * other MySQL types) print as JSON strings, DECIMAL as a number.
 */
import { BinlogFormatError } from './byte-reader.ts';
import { ColumnType } from './column-types.ts';
import { decimalBinarySize, decodeDecimal } from './decimal.ts';
import { javaDoubleToString } from '../../../sdk/internal/java-format.ts';

export type JsonNode =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: string }
  | { t: 'str'; v: string }
  | { t: 'arr'; v: JsonNode[] }
  | { t: 'obj'; v: Map<string, JsonNode> };

const T = {
  SMALL_OBJ: 0x00,
  LARGE_OBJ: 0x01,
  SMALL_ARR: 0x02,
  LARGE_ARR: 0x03,
  LITERAL: 0x04,
  INT16: 0x05,
  UINT16: 0x06,
  INT32: 0x07,
  UINT32: 0x08,
  INT64: 0x09,
  UINT64: 0x0a,
  DOUBLE: 0x0b,
  STRING: 0x0c,
  OPAQUE: 0x0f,
} as const;

/** Nesting limit of MySQL's binary JSON (JSON_DOCUMENT_MAX_DEPTH). */
const MAX_DEPTH = 100;

/** Decoding state: every value of a well-formed document owns at least one byte, so more values than bytes means shared or cyclic offsets. */
interface Budget {
  values: number;
}

export function parseJsonBinary(buf: Buffer): JsonNode {
  if (buf.length === 0) return { t: 'null' };
  return readValue(buf, buf[0], 1, buf.length, 0, { values: buf.length });
}

function need(pos: number, n: number, end: number, what: string): void {
  if (pos + n > end)
    throw new BinlogFormatError(`JSON ${what} truncated at offset ${pos}: needs ${n} bytes, the value ends at ${end}`);
}

function readValue(buf: Buffer, type: number, pos: number, end: number, depth: number, budget: Budget): JsonNode {
  if (--budget.values < 0)
    throw new BinlogFormatError(`JSON document has more values than bytes (shared or cyclic offsets) at offset ${pos}`);
  switch (type) {
    case T.SMALL_OBJ:
      return readContainer(buf, pos, end, false, true, depth, budget);
    case T.LARGE_OBJ:
      return readContainer(buf, pos, end, true, true, depth, budget);
    case T.SMALL_ARR:
      return readContainer(buf, pos, end, false, false, depth, budget);
    case T.LARGE_ARR:
      return readContainer(buf, pos, end, true, false, depth, budget);
    case T.LITERAL: {
      need(pos, 1, end, 'literal');
      const b = buf[pos];
      if (b === 0) return { t: 'null' };
      if (b === 1) return { t: 'bool', v: true };
      if (b === 2) return { t: 'bool', v: false };
      throw new BinlogFormatError(`invalid JSON literal 0x${b.toString(16)} at offset ${pos}`);
    }
    case T.INT16:
      need(pos, 2, end, 'int16');
      return { t: 'num', v: String(buf.readInt16LE(pos)) };
    case T.UINT16:
      need(pos, 2, end, 'uint16');
      return { t: 'num', v: String(buf.readUInt16LE(pos)) };
    case T.INT32:
      need(pos, 4, end, 'int32');
      return { t: 'num', v: String(buf.readInt32LE(pos)) };
    case T.UINT32:
      need(pos, 4, end, 'uint32');
      return { t: 'num', v: String(buf.readUInt32LE(pos)) };
    case T.INT64:
      need(pos, 8, end, 'int64');
      return { t: 'num', v: String(buf.readBigInt64LE(pos)) };
    case T.UINT64:
      need(pos, 8, end, 'uint64');
      return { t: 'num', v: String(buf.readBigUInt64LE(pos)) };
    case T.DOUBLE:
      need(pos, 8, end, 'double');
      return { t: 'num', v: javaDoubleToString(buf.readDoubleLE(pos)) };
    case T.STRING: {
      const [len, n] = readVarLen(buf, pos, end);
      need(pos + n, len, end, 'string');
      return { t: 'str', v: buf.toString('utf8', pos + n, pos + n + len) };
    }
    case T.OPAQUE: {
      need(pos, 1, end, 'opaque value');
      const fieldType = buf[pos];
      const [len, n] = readVarLen(buf, pos + 1, end);
      need(pos + 1 + n, len, end, 'opaque value');
      return readOpaque(fieldType, buf.subarray(pos + 1 + n, pos + 1 + n + len), pos);
    }
    default:
      throw new BinlogFormatError(
        `invalid JSON value type ${type === undefined ? '(none)' : `0x${type.toString(16)}`} at offset ${pos}`,
      );
  }
}

function readVarLen(buf: Buffer, pos: number, end: number): [number, number] {
  let len = 0;
  for (let i = 0; i < 5; i++) {
    need(pos + i, 1, end, 'length');
    const b = buf[pos + i];
    len += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return [len, i + 1];
  }
  throw new BinlogFormatError(`invalid JSON variable-length size at offset ${pos}`);
}

function isInline(type: number, large: boolean): boolean {
  return (
    type === T.LITERAL || type === T.INT16 || type === T.UINT16 || (large && (type === T.INT32 || type === T.UINT32))
  );
}

function readContainer(
  buf: Buffer,
  base: number,
  end: number,
  large: boolean,
  object: boolean,
  depth: number,
  budget: Budget,
): JsonNode {
  if (depth >= MAX_DEPTH)
    throw new BinlogFormatError(`JSON document nested deeper than ${MAX_DEPTH} at offset ${base}`);
  const w = large ? 4 : 2;
  const rd = (p: number) => (large ? buf.readUInt32LE(p) : buf.readUInt16LE(p));
  need(base, 2 * w, end, 'container header');
  const count = rd(base);
  const size = rd(base + w);
  if (base + size > end)
    throw new BinlogFormatError(
      `JSON container at offset ${base} has size ${size}, exceeding the value (ends at ${end})`,
    );
  const headerSize = 2 * w + count * ((object ? w + 2 : 0) + 1 + w);
  if (headerSize > size)
    throw new BinlogFormatError(
      `JSON container at offset ${base} has ${count} entries, more than its size ${size} holds`,
    );
  let p = base + 2 * w;
  const keys: string[] = [];
  if (object) {
    for (let i = 0; i < count; i++) {
      const off = rd(p);
      const len = buf.readUInt16LE(p + w);
      if (off + len > size)
        throw new BinlogFormatError(
          `JSON object key ${i} at offset ${p} points outside its container (offset ${off}, length ${len}, size ${size})`,
        );
      keys.push(buf.toString('utf8', base + off, base + off + len));
      p += w + 2;
    }
  }
  const values: JsonNode[] = [];
  for (let i = 0; i < count; i++) {
    const type = buf[p];
    if (isInline(type, large)) values.push(readValue(buf, type, p + 1, base + size, depth + 1, budget));
    else {
      const off = rd(p + 1);
      if (off >= size)
        throw new BinlogFormatError(
          `JSON value ${i} at offset ${p} points outside its container (offset ${off}, size ${size})`,
        );
      values.push(readValue(buf, type, base + off, base + size, depth + 1, budget));
    }
    p += 1 + w;
  }
  if (!object) return { t: 'arr', v: values };
  return { t: 'obj', v: new Map(keys.map((k, i) => [k, values[i]])) };
}

function readOpaque(fieldType: number, data: Buffer, at: number): JsonNode {
  switch (fieldType) {
    case ColumnType.NEWDECIMAL: {
      if (data.length < 2) throw new BinlogFormatError(`JSON opaque DECIMAL at offset ${at} is ${data.length} bytes`);
      const precision = data[0];
      const scale = data[1];
      if (scale > precision || data.length < 2 + decimalBinarySize(precision, scale))
        throw new BinlogFormatError(
          `JSON opaque DECIMAL(${precision},${scale}) at offset ${at} does not fit its ${data.length} bytes`,
        );
      return { t: 'num', v: decodeDecimal(data, 2, precision, scale).toString() };
    }
    case ColumnType.DATE:
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
    case ColumnType.DATETIME2:
    case ColumnType.TIMESTAMP2: {
      if (data.length < 8)
        throw new BinlogFormatError(`JSON opaque temporal value at offset ${at} is ${data.length} bytes, needs 8`);
      const v = data.readBigInt64LE(0);
      const neg = v < 0n;
      const packed = neg ? -v : v;
      const intPart = packed >> 24n;
      const micros = Number(packed % (1n << 24n));
      const ymd = Number(intPart >> 17n);
      const hms = Number(intPart % (1n << 17n));
      const ym = ymd >> 5;
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      const date = `${p(Math.floor(ym / 13), 4)}-${p(ym % 13)}-${p(ymd % 32)}`;
      if (fieldType === ColumnType.DATE) return { t: 'str', v: date };
      return { t: 'str', v: `${date} ${p(hms >> 12)}:${p((hms >> 6) % 64)}:${p(hms % 64)}.${p(micros, 6)}` };
    }
    case ColumnType.TIME:
    case ColumnType.TIME2: {
      if (data.length < 8)
        throw new BinlogFormatError(`JSON opaque TIME at offset ${at} is ${data.length} bytes, needs 8`);
      const v = data.readBigInt64LE(0);
      const neg = v < 0n;
      const packed = neg ? -v : v;
      const hms = Number(packed >> 24n);
      const micros = Number(packed % (1n << 24n));
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return {
        t: 'str',
        v: `${neg ? '-' : ''}${p((hms >> 12) % 1024)}:${p((hms >> 6) % 64)}:${p(hms % 64)}.${p(micros, 6)}`,
      };
    }
    default:
      return { t: 'str', v: `base64:type${fieldType}:${data.toString('base64')}` };
  }
}

/** Compact JSON text of a tree. */
export function jsonToText(n: JsonNode): string {
  switch (n.t) {
    case 'null':
      return 'null';
    case 'bool':
      return n.v ? 'true' : 'false';
    case 'num':
      return n.v;
    case 'str':
      return JSON.stringify(n.v);
    case 'arr':
      return `[${n.v.map(jsonToText).join(',')}]`;
    case 'obj':
      return `{${[...n.v].map(([k, v]) => `${JSON.stringify(k)}:${jsonToText(v)}`).join(',')}}`;
  }
}

/** Orders object keys as MySQL stores them (by length, then bytes), e.g. after a partial update inserted keys. */
export function sortKeysMysql(map: Map<string, JsonNode>): Map<string, JsonNode> {
  const keys = [...map.keys()].sort((a, b) => {
    const ba = Buffer.from(a);
    const bb = Buffer.from(b);
    return ba.length - bb.length || Buffer.compare(ba, bb);
  });
  return new Map(keys.map((k) => [k, map.get(k)!]));
}
