/**
 * Debezium's column mappers on MySQL columns (MaskStrings, TruncateColumn): which columns a
 * `column.mask.*` / `column.truncate.*` rule changes, the value it then emits, and the schema
 * parameter it adds (`masked=true`, `truncateLength=<N>`). The schema type is unchanged.
 */
import { SchemaBuilder } from '../../runtime/data/schema.ts';
import type { ColumnMapperRule } from '../shared/column-mappers.ts';
import { truncateString } from '../shared/column-mappers.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';
import type { ColumnMapping } from './type-mapping.ts';

/** Types whose JDBC type is CHAR/VARCHAR/LONGVARCHAR in Debezium's MySQL type resolver: the ones masks apply to. */
const CHARACTER_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
/** Types with a declared length (precision for DECIMAL, bits for BIT); the others have Debezium column length -1. */
const DECLARED_LENGTH_TYPES = new Set(['char', 'varchar', 'binary', 'varbinary', 'decimal', 'numeric', 'bit']);

export interface MappedColumn extends ColumnMapping {
  /** What a NULL becomes (a fixed mask replaces NULL too, as Debezium's MaskingValueConverter); undefined: stays NULL. */
  nullValue?: unknown;
}

/** The column length Debezium's DDL parser records: the declared length, -1 when the type has none. */
export function declaredLength(c: ColumnDefinition): number {
  return DECLARED_LENGTH_TYPES.has(c.dataType) && c.length !== null ? c.length : -1;
}

export function applyColumnMapper(rule: ColumnMapperRule, c: ColumnDefinition, mapping: ColumnMapping): MappedColumn {
  const length = declaredLength(c);
  if (rule.kind === 'truncate') {
    const type = mapping.schema.type;
    if ((type !== 'string' && type !== 'bytes') || !(length < 0 || length > rule.maxLength)) return mapping;
    const n = rule.maxLength;
    return {
      schema: SchemaBuilder.from(mapping.schema).parameter('truncateLength', String(n)).build(),
      convert: (v) => {
        const out = mapping.convert(v);
        if (typeof out === 'string') return truncateString(out, n);
        if (Buffer.isBuffer(out) && out.length > n) return out.subarray(0, n);
        return out;
      },
    };
  }
  // MaskStrings marks every column it is configured for, and changes the values of character columns only.
  // (Struct-valued columns keep their schema: their values are bound to it.)
  if (mapping.schema.type === 'struct') return mapping;
  const schema = SchemaBuilder.from(mapping.schema).parameter('masked', 'true').build();
  if (!CHARACTER_TYPES.has(c.dataType) || c.json || mapping.schema.type !== 'string')
    return { schema, convert: mapping.convert };
  const map = rule.stringMapper(length);
  return {
    schema,
    convert: (v) => map(String(mapping.convert(v))),
    nullValue: rule.kind === 'mask' ? map('') : undefined,
  };
}
