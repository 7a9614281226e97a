/**
 * SnapshotRowDecoder (converters chosen per table, text parsed without strings or regular
 * expressions for the common types) against the general path (snapshotValue per column, then
 * CapturedTable.key/value) on random column texts: the same structs, or a failure on both sides.
 */
import { describe, expect, it } from 'vitest';
import type { Struct } from '../../sdk/data.ts';
import { CapturedTable } from './captured-table.ts';
import { Filters } from './filters.ts';
import type { ColumnDefinition, TableDefinition } from './schema/table-definition.ts';
import { SnapshotRowDecoder } from './snapshot-decoder.ts';
import { snapshotValue } from './snapshot-values.ts';
import type { TypeModes } from './type-mapping.ts';
import { seededRandom as rng } from '../../test/helpers/seeded-random.ts';

type Gen = (r: () => number) => string;
const pick = <T>(r: () => number, xs: T[]): T => xs[(r() * xs.length) | 0];
const num = (r: () => number, digits: number): string =>
  `${r() < 0.3 ? '-' : ''}${Array.from({ length: 1 + ((r() * digits) | 0) }, () => (r() * 10) | 0).join('')}`;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const date: Gen = (r) =>
  r() < 0.1
    ? pick(r, ['0000-00-00', '2020-00-10', '2020-13-01', '0000-01-01', '2020-1-01', '99999-01-01'])
    : `${pad(1 + ((r() * 9999) | 0), 4)}-${pad(1 + ((r() * 12) | 0), 2)}-${pad(1 + ((r() * 31) | 0), 2)}`;
const datetime: Gen = (r) => {
  const time = `${pad((r() * 24) | 0, 2)}:${pad((r() * 60) | 0, 2)}:${pad((r() * 60) | 0, 2)}`;
  const frac = r() < 0.5 ? '' : `.${Array.from({ length: 1 + ((r() * 6) | 0) }, () => (r() * 10) | 0).join('')}`;
  if (r() < 0.1)
    return pick(r, ['0000-00-00 00:00:00', '2020-01-01 25:00:00', '2020-01-01 10:61:00', '2020-01-01T10:00:00']);
  return `${date(r)}${r() < 0.95 ? ' ' : 'T'}${time}${frac}`;
};

const COLUMNS: Array<{ def: Partial<ColumnDefinition> & { dataType: string; columnType: string }; gen: Gen }> = [
  { def: { dataType: 'int', columnType: 'int(11)', nullable: false }, gen: (r) => num(r, 9) },
  { def: { dataType: 'tinyint', columnType: 'tinyint(4)' }, gen: (r) => num(r, 3) },
  { def: { dataType: 'int', columnType: 'int(10) unsigned', unsigned: true }, gen: (r) => num(r, 10).replace('-', '') },
  { def: { dataType: 'bigint', columnType: 'bigint(20)' }, gen: (r) => (r() < 0.1 ? '-0' : num(r, 19)) },
  {
    def: { dataType: 'bigint', columnType: 'bigint(20) unsigned', unsigned: true },
    gen: (r) => num(r, 20).replace('-', ''),
  },
  { def: { dataType: 'double', columnType: 'double' }, gen: (r) => pick(r, ['1.5', '-0', '1e300', String(r() * 1e6)]) },
  {
    def: { dataType: 'decimal', columnType: 'decimal(12,2)', length: 12, scale: 2 },
    gen: (r) => `${num(r, 10)}.${pad((r() * 100) | 0, 2)}`,
  },
  {
    def: { dataType: 'varchar', columnType: 'varchar(40)', length: 40 },
    gen: (r) => pick(r, ['', 'abc', 'é€😀', String(r())]),
  },
  { def: { dataType: 'varbinary', columnType: 'varbinary(8)', length: 8, charset: 'binary' }, gen: () => 'xyz' },
  { def: { dataType: 'date', columnType: 'date' }, gen: date },
  { def: { dataType: 'date', columnType: 'date', nullable: false, defaultValue: '2020-02-02' }, gen: date },
  { def: { dataType: 'datetime', columnType: 'datetime', fsp: 0 }, gen: datetime },
  { def: { dataType: 'datetime', columnType: 'datetime(6)', fsp: 6 }, gen: datetime },
  { def: { dataType: 'datetime', columnType: 'datetime(3)', fsp: 3, nullable: false }, gen: datetime },
  { def: { dataType: 'timestamp', columnType: 'timestamp(3)', fsp: 3 }, gen: datetime },
  { def: { dataType: 'time', columnType: 'time' }, gen: () => '-12:30:00' },
];

const definition: TableDefinition = {
  database: 'db',
  name: 't',
  defaultCharset: 'utf8mb4',
  comment: null,
  primaryKey: ['c0'],
  columns: COLUMNS.map((c, i) => ({
    name: `c${i}`,
    position: i + 1,
    unsigned: false,
    nullable: true,
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

const filters = new Filters({
  databaseInclude: null,
  databaseExclude: null,
  tableInclude: null,
  tableExclude: null,
  columnInclude: null,
  columnExclude: [/^db\.t\.c1$/],
});

const MODES: TypeModes[] = [
  {
    decimalMode: 'precise',
    timePrecisionMode: 'adaptive_time_microseconds',
    bigintUnsignedMode: 'long',
    binaryMode: 'bytes',
  },
  { decimalMode: 'string', timePrecisionMode: 'connect', bigintUnsignedMode: 'precise', binaryMode: 'base64' },
];

const shown = (s: Struct | null): unknown =>
  s === null
    ? null
    : s.schema.fields.map((f) => {
        const v = s.valueAt(f.index);
        return [typeof v, Object.is(v, -0) ? '-0' : v instanceof Date ? v.getTime() : String(v)];
      });

const outcome = (f: () => unknown): unknown => {
  try {
    return f();
  } catch (err) {
    if (process.env.H56_DEBUG) console.log((err as Error).message.slice(0, 90));
    return 'failed';
  }
};

describe('SnapshotRowDecoder', () => {
  for (const [mi, modes] of MODES.entries()) {
    it(`gives the structs snapshotValue + CapturedTable give, modes ${mi}`, () => {
      const r = rng(50 + mi);
      for (const flavor of ['mysql', 'mariadb'] as const) {
        const table = new CapturedTable(definition, { prefix: 'p', delimiter: '.', flavor, modes, filters });
        const decoder = new SnapshotRowDecoder(table, modes);
        let failed = 0;
        for (let k = 0; k < 2000; k++) {
          const values = COLUMNS.map((c) =>
            c.def.nullable !== false && r() < 0.1 ? null : Buffer.from(c.gen(r), 'utf8'),
          );
          const image = definition.columns.map((c, i) => snapshotValue(c, values[i]));
          const expected = outcome(() => [shown(table.key(image)), shown(table.value(image))]);
          const actual = outcome(() => {
            const row = decoder.row(values);
            return [shown(table.convertedKey(row)), shown(table.convertedValue(row))];
          });
          expect(actual, values.map((v) => v?.toString()).join(' | ')).toEqual(expected);
          if (expected === 'failed') failed++;
        }
        expect(failed).toBeLessThan(600);
      }
    });
  }
});
