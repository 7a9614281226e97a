/** Text-protocol values of a snapshot SELECT turned into the same decoded values the binlog yields. */
import { BigDecimal } from '../../sdk/data.ts';
import { Bits, Geometry, Json, TimestampValue, YearValue, type RowValue } from './binlog/row-values.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';
import { parseDate, parseDateTime, parseTime, utcMillis } from './type-mapping.ts';

const BINARY = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);

export function snapshotValue(c: ColumnDefinition, b: Buffer | null): RowValue {
  if (b === null) return null;
  const t = c.dataType;
  switch (t) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
      return Number(b.toString('latin1'));
    case 'bigint':
      return BigInt(b.toString('latin1'));
    case 'float':
    case 'double':
    case 'real':
      return Number(b.toString('latin1'));
    case 'decimal':
    case 'numeric':
      return BigDecimal.parse(b.toString('latin1'));
    case 'year':
      return new YearValue(Number(b.toString('latin1')));
    case 'date':
      return parseDate(b.toString('latin1')) ?? null;
    case 'time':
      return parseTime(b.toString('latin1')) ?? null;
    case 'datetime':
      return parseDateTime(b.toString('latin1')) ?? null;
    case 'timestamp': {
      const d = parseDateTime(b.toString('latin1'));
      if (!d) return null;
      const x = d.dt;
      if (x.year === 0) return new TimestampValue({ seconds: 0, micros: 0 }, true);
      return new TimestampValue(
        { seconds: Math.floor(utcMillis(x.year, x.month, x.day, x.hour, x.minute, x.second) / 1000), micros: x.micros },
        true,
      );
    }
    case 'bit':
      return new Bits(Buffer.from(b), c.length ?? 1);
    case 'json':
      return new Json(b.toString('utf8'));
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
    case 'geomcollection':
      return new Geometry(b.readUInt32LE(0), Buffer.from(b.subarray(4)));
    default:
      if (BINARY.has(t) || c.charset === 'binary') return Buffer.from(b);
      return b.toString('utf8');
  }
}
