/**
 * A captured table's Debezium schemas and converters: topic, key/value/envelope schemas and the
 * functions that turn a decoded row image into key and value structs. Rebuilt whenever the table's
 * structure changes.
 */
import { type Schema, Struct } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import type { ColumnMappers } from '../shared/column-mappers.ts';
import { dataChangeTopic, envelopeSchema, keySchema, rowSchema } from '../shared/debezium/index.ts';
import type { MessageKeyColumns } from '../shared/message-key-columns.ts';
import type { RowImage } from './binlog/events/rows.ts';
import type { RowValue } from './binlog/row-values.ts';
import { applyColumnMapper } from './column-masking.ts';
import type { Filters } from './filters.ts';
import { sourceSchemaFor, type Flavor } from './source-info.ts';
import type { TableDefinition } from './schema/table-definition.ts';
import { mapColumn, type TypeModes, type ValueConverter } from './type-mapping.ts';

/** `unavailable`: what stands for the column when a NOBLOB row image leaves it out (BLOB/TEXT columns only). */
interface IncludedColumn {
  index: number;
  name: string;
  convert: ValueConverter;
  nullValue?: unknown;
  unavailable?: unknown;
}

/** BLOB and TEXT columns: the ones binlog_row_image=NOBLOB leaves out of row images when unchanged. */
const BLOB_OR_TEXT = new Set([
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
]);

export interface CapturedTableOptions {
  prefix: string;
  delimiter: string;
  flavor: Flavor;
  modes: TypeModes;
  filters: Filters;
  /** column.mask.* / column.truncate.* rules (value fields only; keys are never masked, as Debezium). */
  columnMappers?: ColumnMappers | null;
  /** message.key.columns: key columns instead of the primary key. */
  keyColumns?: MessageKeyColumns | null;
  /** unavailable.value.placeholder: BLOB/TEXT values a NOBLOB row image left out. */
  unavailablePlaceholder?: string;
}

export class CapturedTable {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
  private readonly valueColumns: IncludedColumn[];
  private readonly keyColumns: IncludedColumn[];

  constructor(
    readonly definition: TableDefinition,
    opts: CapturedTableOptions,
  ) {
    const t = definition;
    this.topic = dataChangeTopic(opts.prefix, [t.database, t.name], opts.delimiter);
    const mapped = t.columns.map((c, index) => {
      try {
        return { index, name: c.name, column: c, ...mapColumn(c, opts.modes, opts.flavor) };
      } catch (err) {
        throw new DataException(`Table ${t.database}.${t.name}: ${(err as Error).message}`, { cause: err });
      }
    });
    const included = mapped
      .filter((m) => opts.filters.columnIncluded(t.database, t.name, m.name) || t.primaryKey.includes(m.name))
      .map((m) => {
        const rule = opts.columnMappers?.ruleFor(t.database, t.name, m.name);
        return rule ? { ...m, ...applyColumnMapper(rule, m.column, m) } : m;
      });
    const keyNames =
      opts.keyColumns?.keyColumnsFor(
        `${t.database}.${t.name}`,
        t.columns.map((c) => c.name),
      ) ?? t.primaryKey;
    const keyed = keyNames.map((k) => mapped.find((m) => m.name === k)!).filter(Boolean);
    const placeholder = opts.unavailablePlaceholder ?? '__debezium_unavailable_value';
    this.valueColumns = included.map((m) => ({
      index: m.index,
      name: m.name,
      convert: m.convert,
      nullValue: 'nullValue' in m ? m.nullValue : undefined,
      unavailable: BLOB_OR_TEXT.has(m.column.dataType)
        ? m.schema.type === 'bytes'
          ? Buffer.from(placeholder, 'utf8')
          : placeholder
        : undefined,
    }));
    this.keyColumns = keyed.map((m) => ({ index: m.index, name: m.name, convert: m.convert }));
    this.valueSchema = rowSchema(
      this.topic,
      included.map((m) => ({ name: m.name, schema: m.schema })),
    );
    // Key fields take the column's own schema: a primary-key column is NOT NULL, a message.key.columns column may be nullable.
    this.keySchema = keySchema(
      this.topic,
      keyed.map((m) => ({ name: m.name, schema: m.schema })),
    );
    this.envelopeSchema = envelopeSchema(this.topic, this.valueSchema, sourceSchemaFor(opts.flavor));
  }

  get columnCount(): number {
    return this.definition.columns.length;
  }

  value(image: RowImage): Struct {
    const s = new Struct(this.valueSchema);
    const fields = this.valueSchema.fields;
    for (let i = 0; i < this.valueColumns.length; i++) {
      const c = this.valueColumns[i];
      const raw = image[c.index];
      // undefined: left out of the row image (NOBLOB); null: SQL NULL.
      s.put(
        fields[i],
        raw === undefined && c.unavailable !== undefined
          ? c.unavailable
          : raw === null || raw === undefined
            ? (c.nullValue ?? null)
            : this.convert(c, raw),
      );
    }
    return s;
  }

  key(image: RowImage): Struct | null {
    if (!this.keySchema) return null;
    const s = new Struct(this.keySchema);
    const fields = this.keySchema.fields;
    for (let i = 0; i < this.keyColumns.length; i++) {
      const c = this.keyColumns[i];
      const raw = image[c.index];
      s.put(fields[i], raw === null || raw === undefined ? null : this.convert(c, raw));
    }
    return s;
  }

  private convert(c: IncludedColumn, raw: RowValue): unknown {
    try {
      return c.convert(raw);
    } catch (err) {
      throw new DataException(
        `Cannot convert column ${this.definition.database}.${this.definition.name}.${c.name}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}
