/**
 * Snapshot rows (the text protocol's column bytes) decoded straight into Connect values by
 * converters chosen once per table: no switch on the column type per value and, for the common
 * types (integers, doubles, text, DATE, DATETIME), no intermediate string, regular expression or
 * wrapper object. Anything else, and any value the fast parsers do not take, goes through
 * `snapshotValue` and the column's converter, as before. A row whose conversion fails is redone
 * through `CapturedTable.key/value`, so the failure is the one that path gives.
 */
import type { RowImage } from './binlog/events/rows.ts';
import { type CapturedTable, SQL_NULL } from './captured-table.ts';
import { daysFromCivil } from './row-decoder.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';
import { snapshotValue } from './snapshot-values.ts';
import type { TypeModes, ValueConverter } from './type-mapping.ts';

type SnapshotConverter = (b: Buffer | null) => unknown;

const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const INT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer']);
const DAY_MS = 86_400_000;
/** java.sql.Types.BOOLEAN */
const JDBC_BOOLEAN = 16;
/** A value the fast parsers do not take. */
const NOT_PARSED = -0x7fffffff;

export class SnapshotRowDecoder {
  private readonly converters: SnapshotConverter[];

  constructor(
    readonly table: CapturedTable,
    modes: TypeModes,
  ) {
    const cols = table.definition.columns;
    this.converters = cols.map((c, i) => {
      if (!table.usedColumns[i])
        return (b) => {
          snapshotValue(c, b); // as the general path, which decodes every column
          return undefined;
        };
      const convert = table.baseConverters[i];
      const generic: SnapshotConverter = (b) => {
        const raw = snapshotValue(c, b);
        return raw === null ? SQL_NULL : convert(raw);
      };
      return fusedConverter(c, modes, convert, generic) ?? generic;
    });
  }

  /** The converted values of a row (column bytes as the snapshot connection's typeCast gives them). */
  row(values: ReadonlyArray<Buffer | null>): unknown[] {
    const n = this.converters.length;
    const out = new Array<unknown>(n);
    try {
      for (let i = 0; i < n; i++) out[i] = this.converters[i](values[i] ?? null);
    } catch (err) {
      const cols = this.table.definition.columns;
      const image: RowImage = cols.map((c, i) => snapshotValue(c, values[i] ?? null));
      this.table.key(image);
      this.table.value(image);
      throw err;
    }
    return out;
  }
}

function fusedConverter(
  c: ColumnDefinition,
  modes: TypeModes,
  convert: ValueConverter,
  generic: SnapshotConverter,
): SnapshotConverter | null {
  const t = c.dataType;
  if (INT_TYPES.has(t) && !(t === 'tinyint' && c.debezium?.jdbcType === JDBC_BOOLEAN))
    return (b) => {
      if (b === null) return SQL_NULL;
      const v = parseInteger(b);
      return v === NOT_PARSED ? generic(b) : v;
    };
  // int64 of a value that is a safe integer (at most 15 digits): the number itself (-0 is 0n's 0)
  if (t === 'bigint' && !(c.unsigned && modes.bigintUnsignedMode === 'precise'))
    return (b) => {
      if (b === null) return SQL_NULL;
      const v = parseInteger(b);
      return v === NOT_PARSED ? generic(b) : v === 0 ? 0 : v;
    };
  if (t === 'double' || t === 'real') return (b) => (b === null ? SQL_NULL : Number(b.toString('latin1')));
  if (TEXT_TYPES.has(t) && !c.json && c.charset !== 'binary')
    return (b) => (b === null ? SQL_NULL : b.toString('utf8'));
  if (modes.timePrecisionMode === 'connect') return null;
  if (t === 'date')
    return (b) => {
      if (b === null) return SQL_NULL;
      if (b.length !== 10 || b[4] !== 0x2d || b[7] !== 0x2d) return generic(b);
      const year = digits(b, 0, 4);
      const month = digits(b, 5, 2);
      const day = digits(b, 8, 2);
      if (year <= 0 || month <= 0 || month > 12 || day <= 0) return generic(b);
      return daysFromCivil(year, month, day);
    };
  if (t === 'datetime') {
    const micro = c.fsp > 3;
    return (b) => {
      if (b === null) return SQL_NULL;
      const ms = dateTimeMillis(b);
      if (ms === NOT_PARSED) return generic(b);
      const micros = b.length > 20 ? fraction(b) : 0;
      if (micros < 0) return generic(b);
      if (!micro) return ms + Math.floor(micros / 1000);
      if (ms > 9e12 || ms < -9e12) return generic(b);
      return ms * 1000 + micros;
    };
  }
  return null;
}

/** An optionally signed decimal integer of 1–15 digits, else NOT_PARSED. */
function parseInteger(b: Buffer): number {
  const neg = b[0] === 0x2d;
  let i = neg ? 1 : 0;
  const n = b.length;
  if (n === i || n - i > 15) return NOT_PARSED;
  let v = 0;
  for (; i < n; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return NOT_PARSED;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** `count` ASCII digits at `at`, or -1. */
function digits(b: Buffer, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Epoch millis of `YYYY-MM-DD HH:MM:SS[.f…]` with the fields in range (no zero date), else NOT_PARSED. */
function dateTimeMillis(b: Buffer): number {
  const n = b.length;
  if (n !== 19 && (n < 21 || n > 26 || b[19] !== 0x2e)) return NOT_PARSED;
  if (b[4] !== 0x2d || b[7] !== 0x2d || (b[10] !== 0x20 && b[10] !== 0x54) || b[13] !== 0x3a || b[16] !== 0x3a)
    return NOT_PARSED;
  const year = digits(b, 0, 4);
  const month = digits(b, 5, 2);
  const day = digits(b, 8, 2);
  const hour = digits(b, 11, 2);
  const minute = digits(b, 14, 2);
  const second = digits(b, 17, 2);
  if (year <= 0 || month <= 0 || month > 12 || day <= 0 || hour < 0 || hour > 23) return NOT_PARSED;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return NOT_PARSED;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** Microseconds of the fraction after byte 19 (1–6 digits, padded on the right), or -1. */
function fraction(b: Buffer): number {
  const count = b.length - 20;
  const v = digits(b, 20, count);
  return v < 0 ? -1 : v * 10 ** (6 - count);
}
