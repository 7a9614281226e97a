/**
 * RowDecoder (readers chosen per TABLE_MAP, values converted while reading) against the general
 * path (decodeRows, then CapturedTable.key/value) on random row images: the same structs, or a
 * failure on both sides, for every column type it specialises, under each type-mapping mode.
 */
import { describe, expect, it } from 'vitest';
import { BigDecimal, type Struct } from '../../sdk/data.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';
import { ColumnType } from './binlog/column-types.ts';
import { encodeDecimal } from './binlog/decimal.ts';
import { decodeRows, type RowsEvent } from './binlog/events/rows.ts';
import type { ColumnDecodeSpec } from './binlog/row-values.ts';
import { CapturedTable } from './captured-table.ts';
import { Filters } from './filters.ts';
import { daysFromCivil, RowDecoder } from './row-decoder.ts';
import type { ColumnDefinition, TableDefinition } from './schema/table-definition.ts';
import type { TypeModes } from './type-mapping.ts';
import { seededRandom as rng } from '../../test/helpers/seeded-random.ts';

interface TestColumn {
  def: Partial<ColumnDefinition> & { dataType: string; columnType: string };
  spec: Partial<ColumnDecodeSpec> & { realType: number };
  bytes: (r: () => number) => Buffer;
}

const randomBytes = (n: number) => (r: () => number) => Buffer.from(Array.from({ length: n }, () => (r() * 256) | 0));
const prefixed = (prefix: number, body: Buffer): Buffer => {
  const len = Buffer.alloc(prefix);
  len.writeUIntLE(body.length, 0, prefix);
  return Buffer.concat([len, body]);
};
const text = (r: () => number): string =>
  Array.from({ length: (r() * 12) | 0 }, () => (r() < 0.8 ? String.fromCharCode(32 + ((r() * 90) | 0)) : 'é€😀')).join(
    '',
  );
/** Mostly valid calendar fields, sometimes zero or out of range. */
const field = (r: () => number, lo: number, hi: number, bits: number): number =>
  r() < 0.9 ? lo + ((r() * (hi - lo + 1)) | 0) : (r() * 2 ** bits) | 0;

function datetime2(r: () => number, fsp: number): Buffer {
  const ym = field(r, 0, 9999, 14) * 13 + field(r, 1, 12, 4);
  const ymd = ym * 32 + field(r, 1, 31, 5);
  const hms = field(r, 0, 23, 5) * 4096 + field(r, 0, 59, 6) * 64 + field(r, 0, 59, 6);
  const b = Buffer.alloc(5 + ((fsp + 1) >> 1));
  b.writeUIntBE(Math.min(ymd * 2 ** 17 + hms, 2 ** 39 - 1) + 0x8000000000, 0, 5);
  if (fsp > 0) b.writeUIntBE(Math.floor(r() * 10 ** (2 * ((fsp + 1) >> 1))), 5, (fsp + 1) >> 1);
  return b;
}

function decimal(r: () => number, precision: number, scale: number): Buffer {
  if (r() < 0.05) return randomBytes(encodeDecimal(new BigDecimal(0n, scale), precision, scale).length)(r);
  const digits = Array.from({ length: precision }, () => (r() * 10) | 0).join('');
  const unscaled = BigInt(digits) * (r() < 0.5 ? -1n : 1n);
  return encodeDecimal(new BigDecimal(unscaled, scale), precision, scale);
}

const COLUMNS: TestColumn[] = [
  { def: { dataType: 'int', columnType: 'int(11)' }, spec: { realType: ColumnType.LONG }, bytes: randomBytes(4) },
  {
    def: { dataType: 'int', columnType: 'int(10) unsigned', unsigned: true },
    spec: { realType: ColumnType.LONG, unsigned: true },
    bytes: randomBytes(4),
  },
  {
    def: { dataType: 'tinyint', columnType: 'tinyint(4)' },
    spec: { realType: ColumnType.TINY },
    bytes: randomBytes(1),
  },
  {
    def: { dataType: 'tinyint', columnType: 'tinyint(1)', debezium: { jdbcType: 16 } as ColumnDefinition['debezium'] },
    spec: { realType: ColumnType.TINY },
    bytes: randomBytes(1),
  },
  {
    def: { dataType: 'smallint', columnType: 'smallint(5) unsigned', unsigned: true },
    spec: { realType: ColumnType.SHORT, unsigned: true },
    bytes: randomBytes(2),
  },
  {
    def: { dataType: 'mediumint', columnType: 'mediumint(9)' },
    spec: { realType: ColumnType.INT24 },
    bytes: randomBytes(3),
  },
  {
    def: { dataType: 'bigint', columnType: 'bigint(20)' },
    spec: { realType: ColumnType.LONGLONG },
    bytes: (r) =>
      r() < 0.5 ? randomBytes(8)(r) : Buffer.from(new BigInt64Array([BigInt((r() - 0.5) * 2 ** 54)]).buffer),
  },
  {
    def: { dataType: 'bigint', columnType: 'bigint(20) unsigned', unsigned: true },
    spec: { realType: ColumnType.LONGLONG, unsigned: true },
    bytes: randomBytes(8),
  },
  { def: { dataType: 'double', columnType: 'double' }, spec: { realType: ColumnType.DOUBLE }, bytes: randomBytes(8) },
  { def: { dataType: 'float', columnType: 'float' }, spec: { realType: ColumnType.FLOAT }, bytes: randomBytes(4) },
  { def: { dataType: 'float', columnType: 'float(7,3)' }, spec: { realType: ColumnType.FLOAT }, bytes: randomBytes(4) },
  {
    def: { dataType: 'decimal', columnType: 'decimal(12,2)', length: 12, scale: 2 },
    spec: { realType: ColumnType.NEWDECIMAL, precision: 12, scale: 2 },
    bytes: (r) => decimal(r, 12, 2),
  },
  {
    def: { dataType: 'decimal', columnType: 'decimal(40,12)', length: 40, scale: 12 },
    spec: { realType: ColumnType.NEWDECIMAL, precision: 40, scale: 12 },
    bytes: (r) => decimal(r, 40, 12),
  },
  {
    def: { dataType: 'varchar', columnType: 'varchar(40)', length: 40 },
    spec: { realType: ColumnType.VARCHAR, maxLength: 160 },
    bytes: (r) => prefixed(1, Buffer.from(text(r), 'utf8')),
  },
  {
    def: { dataType: 'varchar', columnType: 'varchar(400)', length: 400, charset: 'latin1' },
    spec: { realType: ColumnType.VARCHAR, maxLength: 400, encoding: 'cp1252' },
    bytes: (r) => prefixed(2, randomBytes((r() * 6) | 0)(r)),
  },
  {
    def: { dataType: 'text', columnType: 'text' },
    spec: { realType: ColumnType.BLOB, packLength: 2 },
    bytes: (r) => prefixed(2, Buffer.from(text(r), 'utf8')),
  },
  {
    def: { dataType: 'varbinary', columnType: 'varbinary(20)', length: 20, charset: 'binary' },
    spec: { realType: ColumnType.VARCHAR, maxLength: 20, encoding: 'binary' },
    bytes: (r) => prefixed(1, randomBytes((r() * 6) | 0)(r)),
  },
  {
    def: { dataType: 'date', columnType: 'date' },
    spec: { realType: ColumnType.DATE },
    bytes: (r) => {
      const b = Buffer.alloc(3);
      b.writeUIntLE(field(r, 0, 9999, 14) * 512 + field(r, 1, 12, 4) * 32 + field(r, 1, 31, 5), 0, 3);
      return b;
    },
  },
  {
    def: { dataType: 'date', columnType: 'date', nullable: false, defaultValue: '2020-02-02' },
    spec: { realType: ColumnType.DATE },
    bytes: (r) => (r() < 0.2 ? Buffer.alloc(3) : randomBytes(3)(r)),
  },
  ...[0, 3, 6].map((fsp): TestColumn => ({
    def: { dataType: 'datetime', columnType: `datetime(${fsp})`, fsp },
    spec: { realType: ColumnType.DATETIME2, fsp },
    bytes: (r) => datetime2(r, fsp),
  })),
  {
    def: { dataType: 'timestamp', columnType: 'timestamp(3)', fsp: 3 },
    spec: { realType: ColumnType.TIMESTAMP2, fsp: 3 },
    bytes: randomBytes(6),
  },
  {
    def: { dataType: 'time', columnType: 'time(2)', fsp: 2 },
    spec: { realType: ColumnType.TIME2, fsp: 2 },
    bytes: randomBytes(4),
  },
  { def: { dataType: 'year', columnType: 'year(4)' }, spec: { realType: ColumnType.YEAR }, bytes: randomBytes(1) },
  {
    def: { dataType: 'enum', columnType: "enum('a','b')", enumValues: ['a', 'b'] },
    spec: { realType: ColumnType.ENUM, packLength: 1 },
    bytes: (r) => Buffer.from([(r() * 3) | 0]),
  },
];

const KEY = [0, 6, 13];

function definition(): TableDefinition {
  return {
    database: 'db',
    name: 't',
    defaultCharset: 'utf8mb4',
    comment: null,
    primaryKey: ['c0', 'c6', 'c13'],
    columns: COLUMNS.map((c, i) => ({
      name: `c${i}`,
      position: i + 1,
      unsigned: false,
      nullable: !['c0', 'c6', 'c13'].includes(`c${i}`),
      charset: 'utf8mb4',
      length: null,
      scale: null,
      fsp: 0,
      enumValues: [],
      autoIncrement: false,
      generated: false,
      defaultValue: null,
      comment: null,
      json: false,
      ...c.def,
    })),
  };
}

function specs(): ColumnDecodeSpec[] {
  return COLUMNS.map((c) => ({
    type: c.spec.realType,
    packLength: 0,
    maxLength: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    bits: 0,
    nullable: true,
    unsigned: false,
    encoding: 'utf8',
    ...c.spec,
  }));
}

/** A rows event of `rows` random rows (random NULLs; random column absence when `minimal`). */
function rowsEvent(r: () => number, operation: RowsEvent['operation'], rows: number, minimal: boolean): RowsEvent {
  const n = COLUMNS.length;
  const present = (): boolean[] => COLUMNS.map((_, i) => !minimal || KEY.includes(i) || r() < 0.7);
  const present1 = present();
  const present2 = operation === 'update' ? present() : null;
  const image = (p: boolean[]): Buffer => {
    const cols = COLUMNS.map((_, i) => i).filter((i) => p[i]);
    const nulls = Buffer.alloc((cols.length + 7) >> 3);
    const parts: Buffer[] = [nulls];
    cols.forEach((i, k) => {
      if (!KEY.includes(i) && r() < 0.15) nulls[k >> 3] |= 1 << (k & 7);
      else parts.push(COLUMNS[i].bytes(r));
    });
    return Buffer.concat(parts);
  };
  const data: Buffer[] = [];
  for (let k = 0; k < rows; k++) {
    if (operation !== 'insert') data.push(image(present1));
    data.push(image(operation === 'update' ? present2! : present1));
  }
  return {
    kind: 'rows',
    operation,
    tableId: 1,
    flags: 0,
    columnCount: n,
    present1,
    present2,
    partial: false,
    data: Buffer.concat(data),
  };
}

const filters = new Filters({
  databaseInclude: null,
  databaseExclude: null,
  tableInclude: null,
  tableExclude: null,
  columnInclude: null,
  columnExclude: [/^db\.t\.c21$/],
});

const MODES: TypeModes[] = [
  {
    decimalMode: 'precise',
    timePrecisionMode: 'adaptive_time_microseconds',
    bigintUnsignedMode: 'long',
    binaryMode: 'bytes',
  },
  { decimalMode: 'string', timePrecisionMode: 'connect', bigintUnsignedMode: 'precise', binaryMode: 'base64' },
  {
    decimalMode: 'double',
    timePrecisionMode: 'adaptive_time_microseconds',
    bigintUnsignedMode: 'precise',
    binaryMode: 'hex',
  },
];

type Outcome = { ok: true; structs: Array<Struct | null> } | { ok: false };
const outcome = (f: () => Array<Struct | null>): Outcome => {
  try {
    return { ok: true, structs: f() };
  } catch (err) {
    if (process.env.H56_DEBUG) console.log((err as Error).message);
    return { ok: false };
  }
};

/** Field values with their JavaScript types, so a number where a bigint was (or a -0) shows. */
const shown = (s: Struct | null): unknown =>
  s === null
    ? null
    : s.schema.fields.map((f) => {
        const v = s.valueAt(f.index);
        return [typeof v, Object.is(v, -0) ? '-0' : v instanceof Date ? v.getTime() : String(v)];
      });

describe('RowDecoder', () => {
  it('days from a civil date are those of Date.UTC', () => {
    const r = rng(7);
    for (let k = 0; k < 20_000; k++) {
      const [y, m, d] = [1 + ((r() * 9999) | 0), 1 + ((r() * 12) | 0), 1 + ((r() * 31) | 0)];
      const dt = new Date(0);
      dt.setUTCFullYear(y, m - 1, d);
      expect(daysFromCivil(y, m, d), `${y}-${m}-${d}`).toBe(Math.floor(dt.getTime() / 86_400_000));
    }
  });

  for (const [mi, modes] of MODES.entries()) {
    it(`gives the structs decodeRows + CapturedTable give, modes ${mi}`, () => {
      const r = rng(1000 + mi);
      const mappers = new ColumnMappers({
        'column.mask.with.4.chars': 'db.t.c13',
        'column.truncate.to.2.chars': 'db.t.c15',
      });
      const table = new CapturedTable(definition(), {
        prefix: 'p',
        delimiter: '.',
        flavor: 'mariadb',
        modes,
        filters,
        columnMappers: mappers,
      });
      const decoder = new RowDecoder(table, specs(), modes);
      let compared = 0;
      let failures = 0;
      for (let e = 0; e < 300; e++) {
        const op = (['insert', 'update', 'delete'] as const)[e % 3];
        const ev = rowsEvent(r, op, 1 + ((r() * 4) | 0), e % 5 === 4);
        const expected = outcome(() =>
          decodeRows(ev, specs()).flatMap((ch) => [
            ch.before && table.key(ch.before),
            ch.before && table.value(ch.before),
            ch.after && table.key(ch.after),
            ch.after && table.value(ch.after),
          ]),
        );
        const actual = outcome(() => {
          const out: Array<Struct | null> = [];
          expect(decoder.accepts(ev)).toBe(true);
          decoder.begin(ev);
          while (decoder.next()) {
            const [b, a] = [op === 'insert' ? null : decoder.before, op === 'delete' ? null : decoder.after];
            out.push(
              b && table.convertedKey(b),
              b && table.convertedValue(b),
              a && table.convertedKey(a),
              a && table.convertedValue(a),
            );
          }
          return out;
        });
        expect(actual.ok, `event ${e}`).toBe(expected.ok);
        if (!expected.ok || !actual.ok) {
          failures++;
          continue;
        }
        expect(actual.structs.map(shown), `event ${e}`).toEqual(expected.structs.map(shown));
        compared += actual.structs.length;
      }
      expect(compared).toBeGreaterThan(1000);
      expect(failures).toBeLessThan(100);
    });
  }

  it('leaves partial JSON updates and events of another column count to decodeRows', () => {
    const table = new CapturedTable(definition(), {
      prefix: 'p',
      delimiter: '.',
      flavor: 'mariadb',
      modes: MODES[0],
      filters,
    });
    const decoder = new RowDecoder(table, specs(), MODES[0]);
    const ev = rowsEvent(rng(1), 'update', 1, false);
    expect(decoder.accepts({ ...ev, partial: true })).toBe(false);
    expect(decoder.accepts({ ...ev, columnCount: COLUMNS.length - 1 })).toBe(false);
  });

  it('fails on a truncated image', () => {
    const table = new CapturedTable(definition(), {
      prefix: 'p',
      delimiter: '.',
      flavor: 'mariadb',
      modes: MODES[0],
      filters,
    });
    const decoder = new RowDecoder(table, specs(), MODES[0]);
    const ev = rowsEvent(rng(2), 'insert', 1, false);
    decoder.begin({ ...ev, data: ev.data.subarray(0, ev.data.length - 3) });
    expect(() => decoder.next()).toThrow();
    expect(() => decodeRows({ ...ev, data: ev.data.subarray(0, ev.data.length - 3) }, specs())).toThrow();
  });
});
