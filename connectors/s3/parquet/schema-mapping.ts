/**
 * Connect schema → Parquet schema, as Confluent's ParquetFormat gets it: Connect → Avro (AvroData)
 * → parquet-avro's AvroSchemaConverter. So:
 * - int8/int16/int32 → INT32 (Avro int, no annotation), int64 → INT64, float32 → FLOAT,
 *   float64 → DOUBLE, boolean → BOOLEAN, string → BYTE_ARRAY (STRING), bytes → BYTE_ARRAY.
 * - Connect's logical types: Decimal → BYTE_ARRAY DECIMAL(precision, scale), precision from the
 *   `connect.decimal.precision` parameter (AvroData's default 64); Date → INT32 DATE;
 *   Time → INT32 TIME(MILLIS, UTC); Timestamp → INT64 TIMESTAMP(MILLIS, UTC).
 * - Every other named type (Debezium's MicroTimestamp, NanoTime, io.debezium.time.Date, Json,
 *   ZonedTimestamp…) is its underlying type: AvroData keeps only a connect.name property, which
 *   parquet-avro ignores.
 * - Optional → OPTIONAL (an Avro union with null), required → REQUIRED; structs → groups.
 * - Arrays: the three-level `group (LIST) { repeated group list { <elem> element } }`, which
 *   parquet-avro writes with parquet.avro.write-old-list-structure=false (Confluent sets it when
 *   any array of the schema has optional items). Confluent's default otherwise is the legacy
 *   two-level `repeated <elem> array`, which hyparquet-writer cannot encode (no repeated leaves);
 *   readers (Spark, Hive, Athena, pyarrow, DuckDB) give the same list column for both.
 * - Maps with string keys → `group (MAP) { repeated group key_value { required binary key (STRING); value } }`;
 *   other keys → a list of `{key, value}` groups (AvroData's MapEntry array).
 */
import type { SchemaElement } from 'hyparquet-writer';
import { DataException } from '../../../sdk/errors.ts';
import {
  type Schema,
  mapEntries,
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  EpochMillis,
  type EpochValue,
  Struct,
} from '../../../sdk/data.ts';
import {
  CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
  CONNECT_AVRO_DECIMAL_PRECISION_PROP,
  DEFAULT_SCHEMA_FULL_NAME,
} from '../../../sdk/internal/avro.ts';

/** Turns a Connect value of one column into what the Parquet writer takes; adds its size estimate to `size.bytes`. */
export type ValueConverter = (value: unknown, size: SizeCounter) => unknown;

export interface SizeCounter {
  bytes: number;
}

export interface ParquetColumn {
  readonly name: string;
  readonly convert: ValueConverter;
}

export interface ParquetLayout {
  /** Flattened schema, root first (hyparquet-writer's SchemaElement list). */
  readonly elements: SchemaElement[];
  /** One per top-level field of the value struct, in order. */
  readonly columns: ParquetColumn[];
}

const MILLIS_PER_DAY = 86_400_000;
const VALUE_SLOT_BYTES = 8;

interface Node {
  elements: SchemaElement[];
  convert: ValueConverter;
}

/** The Parquet layout of a struct value schema; throws DataException for schemas Parquet cannot hold. */
export function parquetLayout(schema: Schema): ParquetLayout {
  if (schema.type !== 'struct') {
    throw new DataException(
      `ParquetFormat needs a struct value schema (parquet-avro writes records only), got ${schema.type.toUpperCase()}${schema.name ? ` "${schema.name}"` : ''}. Wrap the value in a struct (e.g. HoistField$Value) or use JsonFormat/AvroFormat.`,
    );
  }
  if (schema.fields.length === 0)
    throw new DataException(
      `ParquetFormat cannot write the empty struct "${schema.name ?? 'value'}": Parquet has no empty groups.`,
    );
  const elements: SchemaElement[] = [
    { name: schema.name ?? DEFAULT_SCHEMA_FULL_NAME, num_children: schema.fields.length },
  ];
  const columns: ParquetColumn[] = [];
  for (const field of schema.fields) {
    const node = nodeFor(field.name, field.schema, field.name);
    elements.push(...node.elements);
    columns.push({ name: field.name, convert: node.convert });
  }
  return { elements, columns };
}

function repetition(schema: Schema): 'OPTIONAL' | 'REQUIRED' {
  return schema.optional ? 'OPTIONAL' : 'REQUIRED';
}

function nodeFor(name: string, schema: Schema, path: string): Node {
  const rep = repetition(schema);
  const leaf = (element: Omit<SchemaElement, 'name' | 'repetition_type'>, convert: ValueConverter): Node => ({
    elements: [{ name, repetition_type: rep, ...element } as SchemaElement],
    convert: nullable(convert),
  });
  switch (schema.name) {
    case Decimal.LOGICAL_NAME: {
      const scale = Decimal.scaleOf(schema);
      const precisionText = schema.parameters?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP];
      const precision = precisionText === undefined ? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT : Number(precisionText);
      if (!Number.isInteger(precision) || precision < 1)
        throw new DataException(
          `Decimal field "${path}" has an invalid ${CONNECT_AVRO_DECIMAL_PRECISION_PROP} parameter "${precisionText}"`,
        );
      return leaf(
        {
          type: 'BYTE_ARRAY',
          converted_type: 'DECIMAL',
          precision,
          scale,
          logical_type: { type: 'DECIMAL', precision, scale },
        },
        (v, size) => {
          if (!(v instanceof BigDecimal))
            throw new DataException(`Decimal field "${path}": expected a BigDecimal, got ${typeof v}`);
          if (v.scale !== scale)
            throw new DataException(`Decimal field "${path}" has scale ${v.scale} but its schema says ${scale}`);
          size.bytes += 8;
          return v.unscaled;
        },
      );
    }
    case ConnectDate.LOGICAL_NAME:
      return leaf({ type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }, (v, size) => {
        size.bytes += 4;
        return v instanceof Date || v instanceof EpochMillis ? dateDays(v, path) : v;
      });
    case ConnectTime.LOGICAL_NAME:
      return leaf(
        {
          type: 'INT32',
          converted_type: 'TIME_MILLIS',
          logical_type: { type: 'TIME', isAdjustedToUTC: true, unit: 'MILLIS' },
        },
        (v, size) => {
          size.bytes += 4;
          return v instanceof Date ? ConnectTime.fromLogical(v) : v;
        },
      );
    case ConnectTimestamp.LOGICAL_NAME:
      return leaf(
        {
          type: 'INT64',
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        },
        (v, size) => {
          size.bytes += 8;
          // Beyond a JS Date (EpochMillis), the int64 millis as-is, as AvroData's Timestamp.fromLogical gives them.
          if (v instanceof EpochMillis) return v.millis;
          return v instanceof Date ? BigInt(v.getTime()) : BigInt(v as number);
        },
      );
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return leaf({ type: 'INT32' }, (v, size) => {
        size.bytes += 4;
        return v;
      });
    case 'int64':
      return leaf({ type: 'INT64' }, (v, size) => {
        size.bytes += 8;
        return typeof v === 'bigint' ? v : BigInt(v as number);
      });
    case 'float32':
      return leaf({ type: 'FLOAT' }, (v, size) => {
        size.bytes += 4;
        return v;
      });
    case 'float64':
      return leaf({ type: 'DOUBLE' }, (v, size) => {
        size.bytes += 8;
        return v;
      });
    case 'boolean':
      return leaf({ type: 'BOOLEAN' }, (v, size) => {
        size.bytes += 1;
        return v;
      });
    case 'string':
      return leaf({ type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }, (v, size) => {
        size.bytes += (v as string).length + 4;
        return v;
      });
    case 'bytes':
      return leaf({ type: 'BYTE_ARRAY' }, (v, size) => {
        size.bytes += (v as Uint8Array).length + 4;
        return v;
      });
    case 'struct':
      return structNode(name, schema, path, rep);
    case 'array':
      return arrayNode(name, schema, path, rep);
    case 'map':
      return mapNode(name, schema, path, rep);
  }
}

/** Also counts a slot per value, null or not: the columns hold one JS value each (the estimate bounds heap, not file size). */
function nullable(convert: ValueConverter): ValueConverter {
  return (v, size) => {
    size.bytes += VALUE_SLOT_BYTES;
    return v === null || v === undefined ? null : convert(v, size);
  };
}

/** Kafka's Date.fromLogical: whole days (an EpochMillis beyond a JS Date too, int32-cast as Java's (int)). */
function dateDays(v: EpochValue, path: string): number {
  try {
    return ConnectDate.fromLogical(v);
  } catch (e) {
    const got =
      v instanceof Date
        ? `${v.toISOString()}, ${v.getTime() % MILLIS_PER_DAY} ms past midnight`
        : `${v.millis} epoch ms, ${v.millis % BigInt(MILLIS_PER_DAY)} ms past midnight`;
    throw new DataException(`Date field "${path}": ${(e as Error).message} (got ${got})`);
  }
}

function structNode(name: string, schema: Schema, path: string, rep: SchemaElement['repetition_type']): Node {
  if (schema.fields.length === 0)
    throw new DataException(
      `ParquetFormat cannot write the empty struct field "${path}": Parquet has no empty groups.`,
    );
  const children = schema.fields.map((f) => nodeFor(f.name, f.schema, `${path}.${f.name}`));
  const names = schema.fields.map((f) => f.name);
  const fields = schema.fields;
  return {
    elements: [{ name, repetition_type: rep, num_children: children.length }, ...children.flatMap((c) => c.elements)],
    convert: nullable((v, size) => {
      if (!(v instanceof Struct)) throw new DataException(`Struct field "${path}": expected a Struct, got ${typeof v}`);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < children.length; i++) out[names[i]] = children[i].convert(v.get(fields[i]), size);
      return out;
    }),
  };
}

function arrayNode(name: string, schema: Schema, path: string, rep: SchemaElement['repetition_type']): Node {
  const element = nodeFor('element', schema.valueSchema!, `${path}[]`);
  return {
    elements: [
      { name, repetition_type: rep, num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      ...element.elements,
    ],
    convert: nullable((v, size) => (v as unknown[]).map((x) => element.convert(x, size))),
  };
}

function mapNode(name: string, schema: Schema, path: string, rep: SchemaElement['repetition_type']): Node {
  const keySchema = schema.keySchema!;
  const value = nodeFor('value', schema.valueSchema!, `${path}.value`);
  if (keySchema.type === 'string' && !keySchema.name) {
    return {
      elements: [
        { name, repetition_type: rep, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        {
          name: 'key',
          repetition_type: 'REQUIRED',
          type: 'BYTE_ARRAY',
          converted_type: 'UTF8',
          logical_type: { type: 'STRING' },
        },
        ...value.elements,
      ],
      convert: nullable((v, size) => {
        const entries = mapEntries(v);
        if (!entries) throw new DataException(`Map field "${path}": expected a Map or object`);
        return entries.map(([k, x]) => {
          size.bytes += String(k).length + 4;
          return { key: k, value: value.convert(x, size) };
        });
      }),
    };
  }
  // AvroData writes maps with non-string keys as an array of MapEntry records {key, value}.
  const key = nodeFor('key', keySchema, `${path}.key`);
  return {
    elements: [
      { name, repetition_type: rep, num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
      ...key.elements,
      ...value.elements,
    ],
    convert: nullable((v, size) => {
      const entries = mapEntries(v);
      if (!entries) throw new DataException(`Map field "${path}": expected a Map or object`);
      return entries.map(([k, x]) => ({ key: key.convert(k, size), value: value.convert(x, size) }));
    }),
  };
}
