/**
 * Debezium change events as a Kafka Connect worker writes them with JsonConverter (schemas on):
 * key and value bytes built from column specs, so the JDBC sink differential feeds both sinks the
 * very bytes a Debezium PostgreSQL source would have produced (int64 beyond 2^53 written exactly).
 */
import { bigintToTwosComplement } from '../../runtime/data/logical.ts';

/** A Connect schema in JsonConverter's JSON form (without `field`). */
export interface JsonSchema {
  type: string;
  optional: boolean;
  name?: string;
  version?: number;
  parameters?: Record<string, string>;
  default?: unknown;
  items?: JsonSchema;
  fields?: Array<JsonSchema & { field: string }>;
}

export interface Column {
  name: string;
  schema: JsonSchema;
}

export type Row = Record<string, unknown>;

const opt = (type: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type, optional: true, ...extra });
const req = (type: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type, optional: false, ...extra });
const named = (type: string, name: string, extra: Partial<JsonSchema> = {}): JsonSchema =>
  opt(type, { name, version: 1, ...extra });

/** Schemas of the types a Debezium PostgreSQL source emits, by option set. */
export const S = {
  opt,
  req,
  int16: opt('int16'),
  int32: opt('int32'),
  int64: opt('int64'),
  float32: opt('float'),
  float64: opt('double'),
  boolean: opt('boolean'),
  string: opt('string'),
  bytes: opt('bytes'),
  decimal: (scale: number, precision?: number): JsonSchema => ({
    type: 'bytes',
    optional: true,
    name: 'org.apache.kafka.connect.data.Decimal',
    version: 1,
    parameters: {
      scale: String(scale),
      ...(precision === undefined ? {} : { 'connect.decimal.precision': String(precision) }),
    },
  }),
  variableDecimal: opt('struct', {
    name: 'io.debezium.data.VariableScaleDecimal',
    version: 1,
    fields: [
      { type: 'int32', optional: false, field: 'scale' },
      { type: 'bytes', optional: false, field: 'value' },
    ],
  }),
  date: named('int32', 'io.debezium.time.Date'),
  time: named('int32', 'io.debezium.time.Time'),
  microTime: named('int64', 'io.debezium.time.MicroTime'),
  timestamp: named('int64', 'io.debezium.time.Timestamp'),
  microTimestamp: named('int64', 'io.debezium.time.MicroTimestamp'),
  nanoTimestamp: named('int64', 'io.debezium.time.NanoTimestamp'),
  zonedTimestamp: named('string', 'io.debezium.time.ZonedTimestamp'),
  zonedTime: named('string', 'io.debezium.time.ZonedTime'),
  microDuration: named('int64', 'io.debezium.time.MicroDuration'),
  json: named('string', 'io.debezium.data.Json'),
  uuid: named('string', 'io.debezium.data.Uuid'),
  xml: named('string', 'io.debezium.data.Xml'),
  enumOf: (allowed: string): JsonSchema => named('string', 'io.debezium.data.Enum', { parameters: { allowed } }),
  bits: (length: number): JsonSchema =>
    named('bytes', 'io.debezium.data.Bits', { parameters: { length: String(length) } }),
  connectDate: named('int32', 'org.apache.kafka.connect.data.Date'),
  connectTime: named('int32', 'org.apache.kafka.connect.data.Time'),
  connectTimestamp: named('int64', 'org.apache.kafka.connect.data.Timestamp'),
  arrayOf: (items: JsonSchema): JsonSchema => opt('array', { items }),
};

/** JSON value encodings (JsonConverter, decimal.format=BASE64). */
export const V = {
  bytes: (hex: string) => Buffer.from(hex, 'hex').toString('base64'),
  decimal: (unscaled: bigint) => bigintToTwosComplement(unscaled).toString('base64'),
  variableDecimal: (unscaled: bigint, scale: number) => ({
    scale,
    value: bigintToTwosComplement(unscaled).toString('base64'),
  }),
  /** Days since the epoch of an ISO date. */
  days: (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000,
  /** Epoch micros of an ISO UTC timestamp with up to 6 fraction digits. */
  micros: (iso: string): bigint => {
    const m = /^(.*?)(?:\.(\d{1,6}))?Z$/.exec(iso)!;
    return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
  },
};

const BIG = '__tributary_bigint__:';

/** JSON text with bigint values written as exact integer literals. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${BIG}${v}` : v)).replace(
    new RegExp(`"${BIG}(-?\\d+)"`, 'g'),
    '$1',
  );
}

export interface Table {
  /** Topic of the table's events (`<server>.public.<table>`, as Debezium's PostgreSQL connector names them). */
  topic: string;
  keyColumns: Column[];
  columns: Column[];
}

export interface Message {
  key: string | null;
  value: string | null;
}

const structSchema = (name: string, columns: Column[], optional: boolean): JsonSchema => ({
  type: 'struct',
  fields: columns.map((c) => ({ ...c.schema, field: c.name })),
  optional,
  name,
});

const SOURCE_SCHEMA: JsonSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.postgresql.Source',
  fields: [
    { type: 'string', optional: false, field: 'version' },
    { type: 'string', optional: false, field: 'connector' },
    { type: 'string', optional: false, field: 'name' },
    { type: 'int64', optional: false, field: 'ts_ms' },
    { type: 'string', optional: false, field: 'db' },
    { type: 'string', optional: false, field: 'schema' },
    { type: 'string', optional: false, field: 'table' },
  ],
};

/** Builds the events of one table; the key columns are also the first columns of the row. */
export class TableEvents {
  readonly messages: Message[] = [];
  private ts = 1_700_000_000_000;

  constructor(
    readonly table: Table,
    private columns: Column[] = table.columns,
  ) {}

  /** Later events carry this column list (schema change at the source). */
  alter(columns: Column[]): this {
    this.columns = columns;
    return this;
  }

  private get prefix(): string {
    return this.table.topic;
  }

  private keyOf(row: Row): string | null {
    if (!this.table.keyColumns.length) return null;
    const schema = structSchema(`${this.prefix}.Key`, this.table.keyColumns, false);
    const payload = Object.fromEntries(this.table.keyColumns.map((c) => [c.name, row[c.name] ?? null]));
    return stringify({ schema, payload });
  }

  private envelope(op: string, before: Row | null, after: Row | null): string {
    const all = [...this.table.keyColumns, ...this.columns];
    const rowSchema = structSchema(`${this.prefix}.Value`, all, true);
    const [server, schemaName, tableName] = this.prefix.split('.');
    const schema: JsonSchema = {
      type: 'struct',
      optional: false,
      name: `${this.prefix}.Envelope`,
      version: 2,
      fields: [
        { ...rowSchema, field: 'before' },
        { ...rowSchema, field: 'after' },
        { ...SOURCE_SCHEMA, field: 'source' },
        { type: 'string', optional: false, field: 'op' },
        { type: 'int64', optional: true, field: 'ts_ms' },
      ],
    };
    const ts = (this.ts += 1000);
    const full = (r: Row | null) => (r ? Object.fromEntries(all.map((c) => [c.name, r[c.name] ?? null])) : null);
    const payload = {
      before: full(before),
      after: full(after),
      source: {
        version: '3.6.1.Final',
        connector: 'postgresql',
        name: server,
        ts_ms: ts,
        db: 'inventory',
        schema: schemaName,
        table: tableName,
      },
      op,
      ts_ms: ts + 5,
    };
    return stringify({ schema, payload });
  }

  snapshot(row: Row): this {
    this.messages.push({ key: this.keyOf(row), value: this.envelope('r', null, row) });
    return this;
  }
  insert(row: Row): this {
    this.messages.push({ key: this.keyOf(row), value: this.envelope('c', null, row) });
    return this;
  }
  update(before: Row | null, after: Row): this {
    this.messages.push({ key: this.keyOf(after), value: this.envelope('u', before, after) });
    return this;
  }
  /** A delete and, as Debezium writes by default, the tombstone after it. */
  delete(before: Row, tombstone = true): this {
    this.messages.push({ key: this.keyOf(before), value: this.envelope('d', before, null) });
    if (tombstone) this.messages.push({ key: this.keyOf(before), value: null });
    return this;
  }
  /** A primary key change as Debezium's PostgreSQL connector emits it: delete, tombstone, create. */
  changeKey(before: Row, after: Row): this {
    return this.delete(before).insert(after);
  }
  truncate(): this {
    this.messages.push({ key: null, value: this.envelope('t', null, null) });
    return this;
  }
}
