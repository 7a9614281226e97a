/**
 * Offline decoding of a binlog file (the `tributary binlog decode <file>` tool): every event as a
 * JSON line with its position, like `mysqlbinlog -v`; rows decoded with column names when the
 * TABLE_MAP carries them (binlog_row_metadata=FULL) or when a schema is given.
 */
import fs from 'node:fs';
import { BigDecimal } from '../../../sdk/data.ts';
import { BinlogFormatError } from './byte-reader.ts';
import { encodingOfCharsetName, encodingOfCollation } from './charsets.ts';
import { BinlogEventParser, type BinlogEvent } from './event-parser.ts';
import { EVENT_TYPE_NAMES } from './event-types.ts';
import { decodeRows, type RowsEvent } from './events/rows.ts';
import type { TableMapEvent } from './events/table-map.ts';
import { CorruptBinlogEventError, PositionTracker } from './binlog-stream.ts';
import {
  Bits,
  DateTimeValue,
  DateValue,
  EnumIndex,
  Geometry,
  Json,
  SetBits,
  TimestampValue,
  TimeValue,
  YearValue,
  type ColumnDecodeSpec,
  type RowValue,
} from './row-values.ts';
import { formatDate, formatDatetime, formatTime } from './temporal.ts';

export const BINLOG_MAGIC = Buffer.from([0xfe, 0x62, 0x69, 0x6e]);

/** Optional column info per `db.table`: names, unsigned flags and charsets, for tables logged without FULL metadata. */
export type OfflineSchema = Record<string, Array<{ name: string; unsigned?: boolean; charset?: string }>>;

function plain(v: RowValue | undefined, c: { enumValues: string[] | null; setValues: string[] | null }): unknown {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return `base64:${v.toString('base64')}`;
  if (v instanceof BigDecimal) return v.toString();
  if (v instanceof Json) return v.text;
  if (v instanceof EnumIndex) return c.enumValues?.[v.index - 1] ?? v.index;
  if (v instanceof SetBits)
    return c.setValues ? c.setValues.filter((_, i) => (v.bits >> BigInt(i)) & 1n).join(',') : v.bits.toString();
  if (v instanceof Bits)
    return `b'${[...v.bytes]
      .map((b) => b.toString(2).padStart(8, '0'))
      .join('')
      .slice(-v.length)}'`;
  if (v instanceof TimeValue) return formatTime(v.micros);
  if (v instanceof DateValue) return formatDate(v.date);
  if (v instanceof DateTimeValue) return formatDatetime(v.dt);
  if (v instanceof TimestampValue)
    return new Date(v.ts.seconds * 1000).toISOString().replace(/\.000Z$/, `.${String(v.ts.micros).padStart(6, '0')}Z`);
  if (v instanceof YearValue) return v.year;
  if (v instanceof Geometry) return { srid: v.srid, wkb: v.wkb.toString('hex') };
  return v;
}

function specsFor(
  map: TableMapEvent,
  schema: OfflineSchema | undefined,
): { specs: ColumnDecodeSpec[]; names: string[] } {
  const given = schema?.[`${map.database}.${map.table}`];
  const specs = map.columns.map((c, i) => ({
    ...c,
    unsigned: c.unsigned ?? given?.[i]?.unsigned ?? false,
    encoding:
      c.collation !== null
        ? encodingOfCollation(c.collation)
        : given?.[i]?.charset
          ? encodingOfCharsetName(given[i].charset)
          : 'utf8',
  }));
  return { specs, names: map.columns.map((c, i) => c.name ?? given?.[i]?.name ?? `@${i + 1}`) };
}

function describeEvent(
  ev: BinlogEvent,
  maps: Map<number, TableMapEvent>,
  schema: OfflineSchema | undefined,
): Record<string, unknown> {
  const b = ev.body;
  const base = {
    type: EVENT_TYPE_NAMES[ev.header.type] ?? `TYPE_${ev.header.type}`,
    timestamp: ev.header.timestamp,
    serverId: ev.header.serverId,
  };
  switch (b.kind) {
    case 'rows': {
      const map = maps.get(b.tableId);
      if (!map) return { ...base, error: `no TABLE_MAP for table id ${b.tableId}` };
      const { specs, names } = specsFor(map, schema);
      const image = (img: Array<RowValue | undefined> | null) =>
        img &&
        Object.fromEntries(img.map((v, i) => [names[i], plain(v, map.columns[i])]).filter(([, v]) => v !== undefined));
      return {
        ...base,
        database: map.database,
        table: map.table,
        operation: b.operation,
        rows: decodeRows(b as RowsEvent, specs).map((r) => ({ before: image(r.before), after: image(r.after) })),
      };
    }
    case 'tableMap':
      return {
        ...base,
        tableId: b.tableId,
        database: b.database,
        table: b.table,
        columns: b.columns.map((c) => c.name ?? c.type),
      };
    case 'transactionPayload':
      return { ...base, events: b.events.map((e) => describeEvent(e, maps, schema)) };
    default: {
      const { kind: _k, ...rest } = b as unknown as Record<string, unknown>;
      return {
        ...base,
        ...JSON.parse(
          JSON.stringify(rest, (_key, v) =>
            typeof v === 'bigint'
              ? v.toString()
              : v instanceof Map
                ? Object.fromEntries(v)
                : v && typeof v === 'object' && 'sets' in v
                  ? String(v)
                  : v,
          ),
        ),
      };
    }
  }
}

/** Decodes every event of a binlog file; `emit` receives one JSON-ready object per event. */
export function decodeBinlogFile(
  file: string,
  emit: (line: Record<string, unknown>) => void,
  opts: { schema?: OfflineSchema } = {},
): { events: number; skipped: number } {
  const buf = fs.readFileSync(file);
  if (buf.length < 4 || !buf.subarray(0, 4).equals(BINLOG_MAGIC))
    throw new BinlogFormatError(`${file} is not a binlog file (no fe 62 69 6e magic)`);
  const parser = new BinlogEventParser(false);
  const name = file.split('/').pop()!;
  const tracker = new PositionTracker(name, 4);
  const maps = new Map<number, TableMapEvent>();
  let pos = 4;
  let count = 0;
  while (pos + 19 <= buf.length) {
    const len = buf.readUInt32LE(pos + 9);
    if (len < 19 || pos + len > buf.length)
      throw new CorruptBinlogEventError(
        name,
        pos,
        new BinlogFormatError(`event length ${len} runs past the end of the file`),
      );
    let ev: BinlogEvent;
    try {
      ev = parser.parse(buf.subarray(pos, pos + len));
    } catch (err) {
      throw new CorruptBinlogEventError(name, pos, err as Error);
    }
    if (ev.body.kind === 'tableMap') maps.set(ev.body.tableId, ev.body);
    const line = describeEvent(ev, maps, opts.schema);
    emit({ position: pos, nextPosition: pos + len, ...line });
    tracker.advance(ev.body, ev.header, pos + len);
    pos += len;
    count++;
  }
  return { events: count, skipped: parser.skippedTotal };
}
