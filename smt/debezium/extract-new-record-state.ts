/**
 * io.debezium.transforms.ExtractNewRecordState (event flattening, "unwrap"): replaces a Debezium
 * envelope with its `after` row, handling deletes and tombstones by `delete.tombstone.handling.mode`
 * and copying envelope / source / transaction fields into the row (`add.fields`) or headers
 * (`add.headers`). Records whose value schema is not a `*.Envelope` pass through unchanged.
 */
import { ConfigDef, ParsedConfig, Validators } from '../../runtime/config/config-def.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { SchemaBuilder, Schemas, type Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../../runtime/spi/transformation.ts';
import { copySchemaBasics } from '../util/schema-util.ts';

/** The last one only arises from the legacy keys (delete.handling.mode=drop, drop.tombstones=false). */
type DeleteMode = 'drop' | 'tombstone' | 'rewrite' | 'rewrite-with-tombstone' | 'delete-to-tombstone' | 'drop-deletes-keep-tombstones';

export const EXTRACT_NEW_RECORD_STATE_CONFIG = new ConfigDef()
  .define({ name: 'delete.tombstone.handling.mode', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'How delete events and tombstones are emitted: tombstone (default: a delete becomes a tombstone), drop (both removed), rewrite (a delete becomes the before row with __deleted=true; tombstones removed), rewrite-with-tombstone (rewrite, and tombstones kept), delete-to-tombstone.', validator: Validators.in('drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone') })
  .define({ name: 'drop.tombstones', type: 'BOOLEAN', defaultValue: null, importance: 'LOW', documentation: 'Legacy (Debezium < 3.2): drop tombstone records. Use delete.tombstone.handling.mode.' })
  .define({ name: 'delete.handling.mode', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'Legacy (Debezium < 3.2): drop, none or rewrite. Use delete.tombstone.handling.mode.', validator: Validators.in('drop', 'none', 'rewrite') })
  .define({ name: 'add.fields', type: 'LIST', defaultValue: '', importance: 'LOW', documentation: 'Envelope, source or transaction fields to add to the row, e.g. op,table,lsn,source.ts_ms,transaction.id; field:newName renames.' })
  .define({ name: 'add.fields.prefix', type: 'STRING', defaultValue: '__', importance: 'LOW', documentation: 'Prefix of added field names.' })
  .define({ name: 'add.headers', type: 'LIST', defaultValue: '', importance: 'LOW', documentation: 'Envelope, source or transaction fields to add as headers; field:newName renames.' })
  .define({ name: 'add.headers.prefix', type: 'STRING', defaultValue: '__', importance: 'LOW', documentation: 'Prefix of added header names.' })
  .define({ name: 'route.by.field', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Route each record to the topic named by this row field (after, or before for deletes).' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

interface FieldReference {
  /** Struct to read from: the envelope itself, `source` or `transaction`. */
  struct: 'envelope' | 'source' | 'transaction';
  field: string;
  newName: string;
}

const DELETED = '__deleted';

function parseReferences(list: string[], prefix: string, envelopeFields = ['op', 'ts_ms', 'ts_us', 'ts_ns']): FieldReference[] {
  return list.map((spec) => {
    const [path, rename] = spec.split(':').map((s) => s.trim());
    const dot = path.indexOf('.');
    let struct: FieldReference['struct'];
    let field: string;
    if (dot > 0) {
      const head = path.slice(0, dot);
      if (head !== 'source' && head !== 'transaction') throw new ConfigException(`add.fields/add.headers entry "${spec}": only source.<field> and transaction.<field> paths are supported`, { key: 'add.fields' });
      struct = head;
      field = path.slice(dot + 1);
    } else {
      struct = envelopeFields.includes(path) ? 'envelope' : 'source';
      field = path;
    }
    return { struct, field, newName: prefix + (rename ?? path.replace(/\./g, '_')) };
  });
}

export class ExtractNewRecordState implements Transformation {
  private mode: DeleteMode = 'tombstone';
  private fields: FieldReference[] = [];
  private headers: FieldReference[] = [];
  private routeByField = '';
  private readonly schemaCache = new WeakMap<Schema, Map<string, Schema>>();

  config(): ConfigDef { return EXTRACT_NEW_RECORD_STATE_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    for (const unsupported of ['drop.fields.header.name', 'drop.fields.from.key', 'drop.fields.keep.schema.compatible']) {
      if (props[unsupported] !== undefined) throw new ConfigException(`ExtractNewRecordState: ${unsupported} is not supported yet; remove it`, { key: unsupported });
    }
    const c = new ParsedConfig(EXTRACT_NEW_RECORD_STATE_CONFIG, props);
    const mode = c.getOptionalString('delete.tombstone.handling.mode');
    if (mode) this.mode = mode as DeleteMode;
    else {
      // Legacy keys (removed in Debezium 3.2) mapped onto the new mode.
      const legacy = c.getOptionalString('delete.handling.mode') ?? 'drop';
      const dropTombstones = (c.values['drop.tombstones'] as boolean | null) ?? true;
      if (props['delete.handling.mode'] === undefined && props['drop.tombstones'] === undefined) this.mode = 'tombstone';
      else if (legacy === 'rewrite') this.mode = dropTombstones ? 'rewrite' : 'rewrite-with-tombstone';
      else if (legacy === 'none') this.mode = dropTombstones ? 'tombstone' : 'delete-to-tombstone';
      else this.mode = dropTombstones ? 'drop' : 'drop-deletes-keep-tombstones';
    }
    this.fields = parseReferences(c.getList('add.fields'), c.getString('add.fields.prefix'));
    this.headers = parseReferences(c.getList('add.headers'), c.getString('add.headers.prefix'));
    this.routeByField = c.getString('route.by.field');
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) {
      // An incoming tombstone: kept only where deletes are not already turned into tombstones.
      return this.mode === 'rewrite-with-tombstone' || this.mode === 'delete-to-tombstone' || this.mode === 'drop-deletes-keep-tombstones' ? record : null;
    }
    const schema = record.valueSchema;
    if (!schema || !schema.name || !schema.name.endsWith('.Envelope') || !(record.value instanceof Struct)) return record;
    const envelope = record.value;
    const op = envelope.getString('op');
    if (op === 't' || op === 'm') return null;
    const isDelete = op === 'd';
    if (isDelete && (this.mode === 'drop' || this.mode === 'drop-deletes-keep-tombstones')) return null;
    const headers = record.headers.duplicate();
    for (const ref of this.headers) {
      const { value, schema: s } = this.read(envelope, ref);
      headers.add(ref.newName, value, s);
    }
    if (isDelete && (this.mode === 'tombstone' || this.mode === 'delete-to-tombstone')) {
      return record.newRecord({ valueSchema: null, value: null, headers }) as R;
    }
    const rowField = isDelete ? 'before' : 'after';
    const row = envelope.getWithoutDefault(rowField) as Struct | null;
    const rowSchema = schema.field(rowField)!.schema;
    const rewrite = this.mode === 'rewrite' || this.mode === 'rewrite-with-tombstone';
    if (row === null) return record.newRecord({ valueSchema: rowSchema, value: null, headers }) as R;
    const outSchema = this.outputSchema(envelope, row.schema, rewrite);
    const out = new Struct(outSchema);
    // The row's fields come first, in order, in the output schema: copy by position.
    const outFields = outSchema.fields;
    for (let i = 0; i < row.schema.fields.length; i++) out.put(outFields[i], row.valueAt(i));
    for (const ref of this.fields) out.put(ref.newName, this.read(envelope, ref).value);
    if (rewrite) out.put(DELETED, isDelete ? 'true' : 'false');
    let topic = record.topic;
    if (this.routeByField) {
      const target = row.schema.field(this.routeByField) ? row.getWithoutDefault(this.routeByField) : null;
      if (typeof target === 'string' && target !== '') topic = target;
    }
    return record.newRecord({ topic, valueSchema: outSchema, value: out, headers }) as R;
  }

  private read(envelope: Struct, ref: FieldReference): { value: unknown; schema: Schema | null } {
    const holder = ref.struct === 'envelope' ? envelope : (envelope.schema.field(ref.struct) ? (envelope.getWithoutDefault(ref.struct) as Struct | null) : null);
    const holderSchema = ref.struct === 'envelope' ? envelope.schema : envelope.schema.field(ref.struct)?.schema;
    const field = holderSchema?.field(ref.field);
    if (!field) return { value: null, schema: Schemas.OPTIONAL_STRING };
    return { value: holder ? holder.getWithoutDefault(ref.field) : null, schema: field.schema };
  }

  private outputSchema(envelope: Struct, rowSchema: Schema, rewrite: boolean): Schema {
    let perRow = this.schemaCache.get(rowSchema);
    if (!perRow) this.schemaCache.set(rowSchema, (perRow = new Map()));
    const key = `${envelope.schema.name}\u0000${rewrite}`;
    const cached = perRow.get(key);
    if (cached) return cached;
    const b = copySchemaBasics(rowSchema, SchemaBuilder.struct());
    for (const f of rowSchema.fields) b.field(f.name, f.schema);
    for (const ref of this.fields) {
      const { schema } = this.read(envelope, ref);
      b.field(ref.newName, optionalCopy(schema ?? Schemas.OPTIONAL_STRING));
    }
    if (rewrite) b.field(DELETED, Schemas.OPTIONAL_STRING);
    const built = b.build();
    perRow.set(key, built);
    return built;
  }
}

function optionalCopy(schema: Schema): Schema {
  if (schema.optional) return schema;
  const b = copySchemaBasics(schema, schema.type === 'struct' ? SchemaBuilder.struct() : schema.type === 'array' ? SchemaBuilder.array(schema.valueSchema!) : schema.type === 'map' ? SchemaBuilder.map(schema.keySchema!, schema.valueSchema!) : new SchemaBuilder(schema.type));
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.optional().build();
}
