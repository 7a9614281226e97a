/**
 * A captured table's Debezium schemas and converters: topic, key/value/envelope schemas and the
 * functions that turn a decoded row image into key and value structs. Rebuilt whenever the table's
 * structure changes.
 */
import type { Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { DataException } from '../../runtime/errors.ts';
import { dataChangeTopic, envelopeSchema, keySchema, rowSchema } from '../shared/debezium/index.ts';
import type { RowImage } from './binlog/events/rows.ts';
import type { RowValue } from './binlog/row-values.ts';
import type { Filters } from './filters.ts';
import { sourceSchemaFor, type Flavor } from './source-info.ts';
import type { TableDefinition } from './schema/table-definition.ts';
import { mapColumn, type TypeModes, type ValueConverter } from './type-mapping.ts';

interface IncludedColumn { index: number; name: string; convert: ValueConverter }

export class CapturedTable {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
  private readonly valueColumns: IncludedColumn[];
  private readonly keyColumns: IncludedColumn[];

  constructor(readonly definition: TableDefinition, opts: { prefix: string; delimiter: string; flavor: Flavor; modes: TypeModes; filters: Filters }) {
    const t = definition;
    this.topic = dataChangeTopic(opts.prefix, [t.database, t.name], opts.delimiter);
    const mapped = t.columns.map((c, index) => {
      try {
        return { index, name: c.name, ...mapColumn(c, opts.modes) };
      } catch (err) {
        throw new DataException(`Table ${t.database}.${t.name}: ${(err as Error).message}`, { cause: err });
      }
    });
    const included = mapped.filter((m) => opts.filters.columnIncluded(t.database, t.name, m.name) || t.primaryKey.includes(m.name));
    const keyed = t.primaryKey.map((k) => mapped.find((m) => m.name === k)!).filter(Boolean);
    this.valueColumns = included.map((m) => ({ index: m.index, name: m.name, convert: m.convert }));
    this.keyColumns = keyed.map((m) => ({ index: m.index, name: m.name, convert: m.convert }));
    this.valueSchema = rowSchema(this.topic, included.map((m) => ({ name: m.name, schema: m.schema })));
    // Key fields are required even when the column is nullable in the value (a PK column is NOT NULL).
    this.keySchema = keySchema(this.topic, keyed.map((m) => ({ name: m.name, schema: m.schema })));
    this.envelopeSchema = envelopeSchema(this.topic, this.valueSchema, sourceSchemaFor(opts.flavor));
  }

  get columnCount(): number { return this.definition.columns.length; }

  value(image: RowImage): Struct {
    const s = new Struct(this.valueSchema);
    const fields = this.valueSchema.fields;
    for (let i = 0; i < this.valueColumns.length; i++) {
      const c = this.valueColumns[i];
      const raw = image[c.index];
      s.put(fields[i], raw === null || raw === undefined ? null : this.convert(c, raw));
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
      throw new DataException(`Cannot convert column ${this.definition.database}.${this.definition.name}.${c.name}: ${(err as Error).message}`, { cause: err });
    }
  }
}
