/**
 * WRITE/UPDATE/DELETE_ROWS v1 and v2, PARTIAL_UPDATE_ROWS and MariaDB's compressed v1 variants.
 * Parsing keeps the row data raw; `decodeRows` turns it into images with column specs from the
 * caller (TABLE_MAP metadata or the tracked schema), so filtered-out tables cost nothing.
 */
import { BinlogFormatError, ByteReader } from '../byte-reader.ts';
import { ColumnType } from '../column-types.ts';
import { EventType } from '../event-types.ts';
import { type JsonNode, jsonToText } from '../json-binary.ts';
import { applyJsonDiffs, parseJsonDiffs } from '../json-diff.ts';
import { decompressMariadb } from '../mariadb-compression.ts';
import { type ColumnDecodeSpec, decodeValue, Json, type RowValue } from '../row-values.ts';

export type RowsOperation = 'insert' | 'update' | 'delete';

export interface RowsEvent {
  kind: 'rows';
  operation: RowsOperation;
  tableId: number;
  flags: number;
  columnCount: number;
  /** Columns present in the before image (DELETE/UPDATE) or the after image (WRITE). */
  present1: boolean[];
  /** After-image columns of UPDATE / PARTIAL_UPDATE. */
  present2: boolean[] | null;
  partial: boolean;
  /** Row data (decompressed for MariaDB compressed events). */
  data: Buffer;
}

export const ROWS_FLAG_STMT_END = 0x0001;

export function rowsOperation(type: number): RowsOperation | null {
  switch (type) {
    case EventType.WRITE_ROWS_V1:
    case EventType.WRITE_ROWS_V2:
    case EventType.MARIADB_WRITE_ROWS_COMPRESSED_V1:
    case EventType.MARIADB_WRITE_ROWS_COMPRESSED:
      return 'insert';
    case EventType.UPDATE_ROWS_V1:
    case EventType.UPDATE_ROWS_V2:
    case EventType.PARTIAL_UPDATE_ROWS:
    case EventType.MARIADB_UPDATE_ROWS_COMPRESSED_V1:
    case EventType.MARIADB_UPDATE_ROWS_COMPRESSED:
      return 'update';
    case EventType.DELETE_ROWS_V1:
    case EventType.DELETE_ROWS_V2:
    case EventType.MARIADB_DELETE_ROWS_COMPRESSED_V1:
    case EventType.MARIADB_DELETE_ROWS_COMPRESSED:
      return 'delete';
    default:
      return null;
  }
}

const V2_TYPES = new Set<number>([
  EventType.WRITE_ROWS_V2,
  EventType.UPDATE_ROWS_V2,
  EventType.DELETE_ROWS_V2,
  EventType.PARTIAL_UPDATE_ROWS,
  EventType.MARIADB_WRITE_ROWS_COMPRESSED,
  EventType.MARIADB_UPDATE_ROWS_COMPRESSED,
  EventType.MARIADB_DELETE_ROWS_COMPRESSED,
]);
const COMPRESSED = new Set<number>([166, 167, 168, 169, 170, 171]);

export function parseRows(r: ByteReader, type: number, tableIdSize: number): RowsEvent {
  const operation = rowsOperation(type);
  if (!operation) throw new BinlogFormatError(`event type ${type} is not a rows event`);
  const tableId = r.uintLE(tableIdSize);
  const flags = r.u16();
  if (V2_TYPES.has(type)) {
    const extraLen = r.u16();
    r.skip(extraLen - 2);
  }
  const columnCount = r.packed();
  const present1 = r.bitmap(columnCount);
  const present2 = operation === 'update' ? r.bitmap(columnCount) : null;
  let data = r.rest();
  if (COMPRESSED.has(type)) data = decompressMariadb(data);
  return {
    kind: 'rows',
    operation,
    tableId,
    flags,
    columnCount,
    present1,
    present2,
    partial: type === EventType.PARTIAL_UPDATE_ROWS,
    data: Buffer.from(data),
  };
}

/** One decoded row image: values by column index; `undefined` marks a column absent from the image (MINIMAL/NOBLOB). */
export type RowImage = Array<RowValue | undefined>;

export interface RowChange {
  before: RowImage | null;
  after: RowImage | null;
}

const PARTIAL_JSON_UPDATES = 1;

export function decodeRows(ev: RowsEvent, specs: ColumnDecodeSpec[]): RowChange[] {
  if (specs.length !== ev.columnCount) {
    throw new BinlogFormatError(
      `rows event for table id ${ev.tableId} has ${ev.columnCount} columns but the table map/schema has ${specs.length}`,
    );
  }
  const out: RowChange[] = [];
  const st = { pos: 0 };
  const buf = ev.data;
  const jsonColumns = specs.map((s, i) => (s.realType === ColumnType.JSON ? i : -1)).filter((i) => i >= 0);
  while (st.pos < buf.length) {
    const rowStart = st.pos;
    const row = out.length;
    try {
      decodeRow(ev, specs, buf, st, jsonColumns, out);
    } catch (err) {
      if (!(err instanceof BinlogFormatError || err instanceof RangeError)) throw err;
      // RangeError: a Buffer read past the end (a length or size field larger than the data)
      throw new BinlogFormatError(
        `rows event for table id ${ev.tableId}: row ${row} starting at byte ${rowStart} of ${buf.length}: ${err.message}`,
      );
    }
    // a row image of no columns reads nothing: the rest of the data would repeat it without end
    if (st.pos === rowStart)
      throw new BinlogFormatError(
        `rows event for table id ${ev.tableId}: row ${row} at byte ${rowStart} of ${buf.length} has no columns, yet data follows`,
      );
  }
  return out;
}

function decodeRow(
  ev: RowsEvent,
  specs: ColumnDecodeSpec[],
  buf: Buffer,
  st: { pos: number },
  jsonColumns: number[],
  out: RowChange[],
): void {
  if (ev.operation === 'insert') out.push({ before: null, after: readImage(buf, st, specs, ev.present1, null, false) });
  else if (ev.operation === 'delete')
    out.push({ before: readImage(buf, st, specs, ev.present1, null, false), after: null });
  else {
    const before = readImage(buf, st, specs, ev.present1, null, ev.partial);
    let partialBits: boolean[] | null = null;
    if (ev.partial) {
      const r = new ByteReader(buf, st.pos);
      const options = r.packed();
      if (options & PARTIAL_JSON_UPDATES) {
        const bits = r.bitmap(jsonColumns.length);
        partialBits = specs.map(() => false);
        jsonColumns.forEach((col, i) => {
          partialBits![col] = bits[i];
        });
      }
      st.pos = r.pos;
    }
    const after = readImage(buf, st, specs, ev.present2!, partialBits, ev.partial, before);
    if (ev.partial) {
      for (let i = 0; i < before.length; i++)
        if (isTree(before[i])) before[i] = new Json(jsonToText(before[i] as JsonNode));
    }
    out.push({ before, after });
  }
}

function isTree(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 't' in v && !(v instanceof Buffer);
}

function readImage(
  buf: Buffer,
  st: { pos: number },
  specs: ColumnDecodeSpec[],
  present: boolean[],
  partialBits: boolean[] | null,
  jsonAsTree: boolean,
  before?: RowImage,
): RowImage {
  let presentCount = 0;
  for (const p of present) if (p) presentCount++;
  const nullBytes = (presentCount + 7) >> 3;
  const nullStart = st.pos;
  let pos = st.pos + nullBytes;
  if (pos > buf.length) throw new BinlogFormatError(`row image truncated in its null bitmap at byte ${nullStart}`);
  const image: RowImage = new Array(specs.length);
  let k = 0;
  for (let i = 0; i < specs.length; i++) {
    if (!present[i]) {
      image[i] = undefined;
      continue;
    }
    const isNull = (buf[nullStart + (k >> 3)] & (1 << (k & 7))) !== 0;
    k++;
    if (isNull) {
      image[i] = null;
      continue;
    }
    if (partialBits && partialBits[i]) {
      if (pos + 4 > buf.length)
        throw new BinlogFormatError(`row image truncated in the JSON diff length of column ${i} at byte ${pos}`);
      const len = buf.readUInt32LE(pos);
      if (pos + 4 + len > buf.length)
        throw new BinlogFormatError(
          `JSON diff of column ${i} at byte ${pos} is ${len} bytes, ${buf.length - pos - 4} left`,
        );
      const diffs = parseJsonDiffs(buf.subarray(pos + 4, pos + 4 + len));
      pos += 4 + len;
      const base = before?.[i];
      if (!isTree(base)) throw new BinlogFormatError(`partial JSON update of column ${i} without a JSON before image`);
      image[i] = new Json(jsonToText(applyJsonDiffs(base as JsonNode, diffs)));
      continue;
    }
    let d;
    try {
      d = decodeValue(buf, pos, specs[i], jsonAsTree);
    } catch (err) {
      if (!(err instanceof BinlogFormatError || err instanceof RangeError)) throw err;
      throw new BinlogFormatError(`column ${i} (type ${specs[i].realType}) at byte ${pos}: ${err.message}`);
    }
    if (pos + d.size > buf.length)
      throw new BinlogFormatError(
        `row image truncated in column ${i}: ${d.size} bytes at byte ${pos}, ${buf.length - pos} left`,
      );
    image[i] =
      jsonAsTree && !before && isTree(d.value)
        ? d.value
        : isTree(d.value)
          ? new Json(jsonToText(d.value as JsonNode))
          : d.value;
    pos += d.size;
  }
  st.pos = pos;
  return image;
}
