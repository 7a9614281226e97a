/**
 * What Debezium's column mappers (ColumnMappers.mapperFor: the first matching rule only) do to a
 * column: TruncateColumn adds `truncateLength=<N>` and cuts strings and bytes longer than N when
 * the column may hold longer values; MaskStrings (fixed mask or hash) marks the column
 * `masked=true` and replaces the values of character columns (JDBC CHAR/VARCHAR/LONGVARCHAR/…),
 * NULL included for a fixed mask (MaskingValueConverter returns the mask for any input).
 */
import { SchemaBuilder, type Schema } from '../../sdk/data.ts';
import { truncateString, type ColumnMapperRule } from './column-mappers.ts';

/** The column as the mapper sees it. */
export interface MappableColumn {
  /** The Connect schema the connector built for the column. */
  readonly schema: Schema;
  /** Debezium's Column.length(): the declared length, -1 when the type has none. */
  readonly length: number;
  /** Whether Debezium's JDBC type of the column is a character type (masks change only those values). */
  readonly character: boolean;
}

export interface MappedColumnShape {
  readonly schema: Schema;
  /** Applied to each converted, non-NULL value; null: values unchanged. */
  readonly map: ((value: unknown) => unknown) | null;
  /** What a NULL becomes; undefined: it stays NULL. */
  readonly nullValue?: unknown;
}

/** The schema and value mapping a rule gives a column (unchanged when the rule does not apply to it). */
export function mapColumnWith(rule: ColumnMapperRule, c: MappableColumn): MappedColumnShape {
  const unchanged: MappedColumnShape = { schema: c.schema, map: null };
  if (rule.kind === 'truncate') {
    const n = rule.maxLength;
    const possible = c.length < 0 || c.length > n;
    if ((c.schema.type !== 'string' && c.schema.type !== 'bytes') || !possible) return unchanged;
    return {
      schema: SchemaBuilder.from(c.schema).parameter('truncateLength', String(n)).build(),
      map: (v) => {
        if (typeof v === 'string') return truncateString(v, n);
        if (Buffer.isBuffer(v) && v.length > n) return v.subarray(0, n);
        return v;
      },
    };
  }
  // Struct-valued columns keep their schema: their values are bound to it.
  if (c.schema.type === 'struct') return unchanged;
  const schema = SchemaBuilder.from(c.schema).parameter('masked', 'true').build();
  if (!c.character || c.schema.type !== 'string') return { schema, map: null };
  const mapper = rule.stringMapper(c.length);
  return {
    schema,
    map: (v) => mapper(String(v)),
    nullValue: rule.kind === 'mask' ? mapper('') : undefined,
  };
}
