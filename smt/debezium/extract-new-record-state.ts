/**
 * io.debezium.transforms.ExtractNewRecordState (event flattening, "unwrap"): replaces a Debezium
 * change-event envelope with its `after` row. Deletes and tombstones follow
 * `delete.tombstone.handling.mode` (`delete.handling.mode` and `drop.tombstones`, removed in
 * Debezium 3.x, are ignored with a warning, as Debezium 3.6 does);
 * `add.fields` / `add.headers` copy envelope, `source` and `transaction` fields into the row or
 * headers; `route.by.field` takes the topic from a row column; `drop.fields.header.name` removes the
 * fields a header lists. Records whose value is not an envelope (heartbeats, schema changes) pass
 * through unchanged; truncate events are dropped.
 *
 * The mode defaults to `tombstone`. As Debezium 3.6 (test/compat/transforms-cases-debezium.ts): the
 * unwrapped value schema is the row schema made required, `__deleted` follows the row's fields and
 * precedes the `add.fields`, and `ts_ms`/`ts_us`/`ts_ns` without a struct name the envelope's.
 */
import { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import { ConfigException, DataException } from '../../sdk/errors.ts';
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../sdk/data.ts';
import type { AnyRecord, Transformation } from '../../sdk/spi.ts';
import { copySchemaBasics, fieldValue, rebindStruct } from '../util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey, SmtValidators } from '../util/config.ts';
import { smtLogger } from '../util/log.ts';
import { ReplaceField } from '../replace-field.ts';
import { isEnvelopeSchema } from './envelope.ts';

type Mode = 'drop' | 'tombstone' | 'rewrite' | 'rewrite-with-tombstone' | 'delete-to-tombstone';

const DELETED_FIELD = '__deleted';
const MODES: Mode[] = ['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'];

export const EXTRACT_NEW_RECORD_STATE_CONFIG = new ConfigDef()
  .define({
    name: 'delete.tombstone.handling.mode',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    validator: SmtValidators.caseInsensitiveValidString(...MODES),
    documentation:
      'How to handle delete records. Options are: drop - Remove the delete event and tombstone from the stream. tombstone (default) - For each delete event, leave only a tombstone in the stream. rewrite - Remove tombstone from the record, and add a `__deleted` field with the value `true`. rewrite-with-tombstone - Retain tombstone in record and add a `__deleted` field with the value `true`. delete-to-tombstone - Convert delete events to tombstone events and drop tombstone events.',
  })
  .define({
    name: 'drop.tombstones',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Removed in Debezium 3.x: ignored with a warning, as Debezium 3.6 does; use delete.tombstone.handling.mode.',
  })
  .define({
    name: 'delete.handling.mode',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Removed in Debezium 3.x: ignored with a warning, as Debezium 3.6 does; use delete.tombstone.handling.mode.',
  })
  .define({
    name: 'route.by.field',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'The column which determines how the events will be routed, the value will replace the topic name.',
  })
  .define({
    name: 'add.fields.prefix',
    type: 'STRING',
    defaultValue: '__',
    importance: 'LOW',
    documentation: 'Adds this prefix to each field listed.',
  })
  .define({
    name: 'add.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      "Adds each field listed, prefixed with __ (or __<struct>_ if the struct is specified). Example: 'version,connector,source.ts_ms' would add __version, __connector and __source_ts_ms fields. Optionally one can also map new field name like version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.Please note that the new field name is case-sensitive.",
  })
  .define({
    name: 'add.headers.prefix',
    type: 'STRING',
    defaultValue: '__',
    importance: 'LOW',
    documentation: 'Adds this prefix listed to each header.',
  })
  .define({
    name: 'add.headers',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      "Adds each field listed to the header,  __ (or __<struct>_ if the struct is specified). Example: 'version,connector,source.ts_ms' would add __version, __connector and __source_ts_ms fields. Optionally one can also map new field name like version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.Please note that the new field name is case-sensitive.",
  })
  .define({
    name: 'drop.fields.header.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Specifies the name of a header that contains a list of fields to be removed from the event value.',
  })
  .define({
    name: 'drop.fields.from.key',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    documentation:
      'Specifies whether to apply the drop fields behavior to the event key as well as the value. Default behavior is to only remove fields from the event value, not the key.',
  })
  .define({
    name: 'drop.fields.keep.schema.compatible',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation:
      "Controls the output event's schema compatibility when using the drop fields feature. `true`: dropped fields are removed if the schema indicates its optional leaving the schemas unchanged, `false`: dropped fields are removed from the key/value schemas, regardless of optionality.",
  })
  .define({
    ...replaceNullWithDefaultKey(),
    importance: 'LOW',
    documentation:
      'When this option is enabled, null field values are replaced by source-defined defaults when rewriting the record.',
  });

/** A field of the envelope (or its source / transaction struct) to copy into the row or the headers. */
export class FieldReference {
  /** The struct hosting the field (`source`, `transaction`, `updateDescription`), or null for the envelope itself. */
  readonly struct: string | null;
  readonly field: string;
  /** The outgoing field / header name, e.g. `__op`, `__source_ts_ms`. */
  readonly newField: string;

  constructor(prefix: string, spec: string) {
    const parts = spec.split(':');
    const splits = parts[0].split('.');
    this.field = splits.length === 1 ? splits[0] : splits[1];
    this.struct = splits.length === 1 ? FieldReference.determineStruct(this.field) : splits[0];
    if (parts.length === 1)
      this.newField = prefix + (splits.length === 1 ? this.field : `${this.struct}_${this.field}`);
    else if (parts.length === 2) this.newField = prefix + parts[1];
    else throw new ConfigException(`Unexpected field name: ${spec}`);
  }

  private static determineStruct(name: string): string | null {
    switch (name) {
      case 'id':
      case 'total_order':
      case 'data_collection_order':
        return 'transaction';
      case 'op':
      case 'ts_ms':
      case 'ts_us':
      case 'ts_ns':
        return null;
      case 'updateDescription':
        return 'updateDescription';
      default:
        return 'source';
    }
  }

  static fromConfiguration(prefix: string, list: readonly string[]): FieldReference[] {
    return list
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => new FieldReference(prefix, s));
  }

  private parentSchema(envelope: Schema): Schema | undefined {
    return this.struct === null ? envelope : envelope.field(this.struct)?.schema;
  }

  /** The (optional) schema of the referenced field, or undefined when the envelope has no such field. */
  schemaIn(envelope: Schema): Schema | undefined {
    const f = this.parentSchema(envelope)?.field(this.field) ?? envelope.field(this.field);
    return f ? optionalCopy(f.schema) : undefined;
  }

  /** A reader of this field's value for envelopes of the given schema, by position (no name lookups per record). */
  accessor(envelope: Schema): (e: Struct) => unknown {
    const parent = this.struct === null ? undefined : envelope.field(this.struct);
    const inEnvelope = envelope.field(this.field);
    if (!parent) return inEnvelope ? (e) => e.valueAt(inEnvelope.index) : () => null;
    const inParent = parent.schema.field(this.field);
    const p = parent.index;
    if (inParent) return (e) => (e.valueAt(p) as Struct | null)?.valueAt(inParent.index) ?? null;
    return inEnvelope ? (e) => (e.valueAt(p) === null ? null : e.valueAt(inEnvelope.index)) : () => null;
  }
}

/** SchemaUtil.copySchemaBasics(schema).optional(): same type, name, version, doc and parameters (and fields), optional, no default. */
function optionalCopy(schema: Schema): Schema {
  const b = copySchemaBasics(schema);
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.optional().build();
}

interface RowShape {
  schema: Schema;
  rowFields: number;
}

/** The schema with the same basics and fields, required. */
function requiredCopy(schema: Schema): Schema {
  const b = copySchemaBasics(schema, SchemaBuilder.struct());
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.build();
}

/** What one envelope schema yields, computed once: the references it holds and their (optional) schemas. */
interface EnvelopeInfo {
  fields: Array<[FieldReference, Schema, (e: Struct) => unknown]>;
  fieldReaders: Array<(e: Struct) => unknown>;
  headers: Array<[FieldReference, Schema, (e: Struct) => unknown]>;
  shapes: Array<RowShape | undefined>;
  /** The `after` row schema made required (the plain unwrapped value's schema). */
  required?: Schema;
}

export class ExtractNewRecordState implements Transformation {
  private mode: Mode = 'tombstone';
  private additionalFields: FieldReference[] = [];
  private additionalHeaders: FieldReference[] = [];
  private routeByField: string | null = null;
  private dropFieldsHeaderName: string | null = null;
  private dropFieldsFromKey = false;
  private dropFieldsKeepSchemaCompatible = true;
  private replaceNullWithDefault = true;
  private envelopes = new WeakMap<Schema, EnvelopeInfo>();
  private rewrite = false;
  private readonly dropDelegates = new Map<string, ReplaceField>();

  config(): ConfigDef {
    return EXTRACT_NEW_RECORD_STATE_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(EXTRACT_NEW_RECORD_STATE_CONFIG, props);
    const mode = c.getOptionalString('delete.tombstone.handling.mode');
    if (c.getOptionalString('delete.handling.mode') !== null || c.getOptionalString('drop.tombstones') !== null) {
      smtLogger('io.debezium.transforms.ExtractNewRecordState').warn(
        'The deleted record handling configs "drop.tombstones" and "delete.handling.mode" were removed in Debezium 3.x and are ignored, as Debezium 3.6 ignores them: use "delete.tombstone.handling.mode" instead.',
      );
    }
    this.mode = mode !== null && mode.trim() !== '' ? (mode.trim().toLowerCase() as Mode) : 'tombstone';
    try {
      this.additionalFields = FieldReference.fromConfiguration(
        c.getString('add.fields.prefix'),
        c.getList('add.fields'),
      );
    } catch (err) {
      throw new ConfigException(
        `Invalid value ${c.getList('add.fields').join(',')} for configuration add.fields: ${(err as Error).message}`,
        { key: 'add.fields' },
      );
    }
    try {
      this.additionalHeaders = FieldReference.fromConfiguration(
        c.getString('add.headers.prefix'),
        c.getList('add.headers'),
      );
    } catch (err) {
      throw new ConfigException(
        `Invalid value ${c.getList('add.headers').join(',')} for configuration add.headers: ${(err as Error).message}`,
        { key: 'add.headers' },
      );
    }
    const route = c.getString('route.by.field');
    this.routeByField = route === '' ? null : route;
    const dropHeader = c.getOptionalString('drop.fields.header.name');
    this.dropFieldsHeaderName = dropHeader && dropHeader.trim() !== '' ? dropHeader : null;
    this.dropFieldsFromKey = c.getBoolean('drop.fields.from.key');
    this.dropFieldsKeepSchemaCompatible = c.getBoolean('drop.fields.keep.schema.compatible');
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    this.rewrite = this.mode === 'rewrite' || this.mode === 'rewrite-with-tombstone';
    this.envelopes = new WeakMap();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return this.handleTombstone(record);
    if (!isEnvelopeSchema(record.valueSchema) || !(record.value instanceof Struct)) return record;
    const envelope = record.value;
    const schema = envelope.schema;
    const afterField = schema.field('after');
    const beforeField = schema.field('before');
    if (!afterField || !beforeField) return record;
    const opField = schema.field('op');
    if (opField && envelope.valueAt(opField.index) === 't') return null;

    const info = this.info(schema);
    let headers = record.headers;
    if (info.headers.length > 0) {
      headers = headers.duplicate();
      for (const [ref, s, read] of info.headers) headers.add(ref.newField, read(envelope), s);
    }

    const after = envelope.valueAt(afterField.index) as Struct | null;
    const before = envelope.valueAt(beforeField.index) as Struct | null;
    if (after === null && before === null) return null;

    let valueSchema: Schema | null;
    let value: Struct | null;
    let row: Struct | null;
    if (after === null) {
      row = before;
      const mode = this.mode;
      if (mode === 'drop') return null;
      if (mode === 'tombstone') {
        // As Debezium: the value is null but keeps the `after` field's schema (sinks read it as a flattened delete).
        valueSchema = afterField.schema;
        value = null;
      } else if (mode === 'delete-to-tombstone') {
        valueSchema = null;
        value = null;
      } else {
        valueSchema = beforeField.schema;
        value = before;
        if (this.additionalFields.length > 0 || this.rewrite) {
          const shape = this.shape(info, beforeField.schema, 2);
          valueSchema = shape.schema;
          value = this.extended(shape, info, envelope, before!, 'true');
        }
      }
    } else {
      row = after;
      // Debezium 3.6 emits the row under a required copy of its schema.
      info.required ??= requiredCopy(afterField.schema);
      valueSchema = info.required;
      value = rebindStruct(after, info.required);
      if (this.additionalFields.length > 0 || this.rewrite) {
        const shape = this.shape(info, afterField.schema, this.rewrite ? 1 : 0);
        valueSchema = shape.schema;
        value = this.extended(shape, info, envelope, after, this.rewrite ? 'false' : null);
      }
    }
    const topic = this.routeTopic(row);
    const out = (
      topic === null
        ? record.newRecord({ valueSchema, value, headers })
        : record.newRecord({ topic, valueSchema, value, headers })
    ) as R;
    return this.dropFields(out);
  }

  private handleTombstone<R extends AnyRecord>(record: R): R | null {
    const keep = this.mode === 'rewrite-with-tombstone';
    if (!keep) return null;
    const opRefs = this.additionalHeaders.filter((r) => r.field === 'op');
    if (opRefs.length === 0) return record;
    const headers = record.headers.duplicate();
    for (const ref of opRefs) headers.add(ref.newField, 'd', Schemas.STRING);
    return record.newRecord({ headers }) as R;
  }

  /**
   * The row plus, in rewrite mode, `__deleted` and the `add.fields`: field order row, `__deleted`,
   * added fields; the row schema's name/version/doc kept, optionality dropped (as Kafka's
   * InsertField builds it). Without either, the row and its schema are emitted as they are.
   */
  private extended(shape: RowShape, info: EnvelopeInfo, envelope: Struct, row: Struct, deleted: string | null): Struct {
    const out = new Struct(shape.schema);
    const fields = shape.schema.fields;
    const useDefaults = deleted !== null && this.replaceNullWithDefault;
    const n = shape.rowFields;
    for (let i = 0; i < n; i++) out.put(fields[i], fieldValue(row, i, useDefaults));
    const first = deleted !== null ? n + 1 : n;
    if (deleted !== null) out.put(fields[n], deleted);
    const readers = info.fieldReaders;
    for (let j = 0; j < readers.length; j++) out.put(fields[first + j], readers[j](envelope));
    return out;
  }

  private info(envelopeSchema: Schema): EnvelopeInfo {
    let info = this.envelopes.get(envelopeSchema);
    if (!info) {
      const present = (refs: FieldReference[]) =>
        refs.flatMap((ref): Array<[FieldReference, Schema, (e: Struct) => unknown]> => {
          const s = ref.schemaIn(envelopeSchema);
          return s ? [[ref, s, ref.accessor(envelopeSchema)]] : [];
        });
      const fields = present(this.additionalFields);
      info = { fields, fieldReaders: fields.map((f) => f[2]), headers: present(this.additionalHeaders), shapes: [] };
      this.envelopes.set(envelopeSchema, info);
    }
    return info;
  }

  /** slot: 0 = after, 1 = after with __deleted, 2 = before with __deleted. */
  private shape(info: EnvelopeInfo, rowSchema: Schema, slot: 0 | 1 | 2): RowShape {
    let shape = info.shapes[slot];
    if (!shape) {
      const rewrite = slot !== 0;
      const b = copySchemaBasics(rowSchema, SchemaBuilder.struct());
      for (const f of rowSchema.fields) b.field(f.name, f.schema);
      if (rewrite) b.field(DELETED_FIELD, Schemas.OPTIONAL_STRING);
      for (const [ref, s] of info.fields) b.field(ref.newField, s);
      shape = { schema: b.build(), rowFields: rowSchema.fields.length };
      info.shapes[slot] = shape;
    }
    return shape;
  }

  /** The `route.by.field` topic for this row, or null to keep the topic. */
  private routeTopic(row: Struct | null): string | null {
    if (this.routeByField === null || row === null) return null;
    const f = row.schema.field(this.routeByField);
    if (!f)
      throw new DataException(
        `route.by.field: ${this.routeByField} is not a valid field name (row fields: ${row.schema.fields.map((x) => x.name).join(', ')})`,
      );
    const topic = row.valueAt(f.index);
    if (topic === null || topic === undefined) return null;
    if (typeof topic !== 'string')
      throw new DataException(
        `route.by.field: field ${this.routeByField} is not a string field (its type is ${f.schema.type.toUpperCase()})`,
      );
    return topic.trim() === '' ? null : topic;
  }

  private dropFields<R extends AnyRecord>(record: R): R {
    if (this.dropFieldsHeaderName === null) return record;
    let header;
    for (const h of record.headers)
      if (h.key === this.dropFieldsHeaderName) {
        header = h;
        break;
      }
    if (!header || !Array.isArray(header.value) || header.value.length === 0) return record;
    const names = (header.value as unknown[]).map(String);
    let out = record;
    if (this.dropFieldsFromKey && out.key !== null && out.keySchema) {
      const keyFields = this.fieldsToDrop(out.keySchema, names);
      if (keyFields.length > 0) out = this.dropDelegate('key', keyFields).apply(out);
    }
    if (out.valueSchema && out.value !== null) {
      const valueFields = this.fieldsToDrop(out.valueSchema, names);
      if (valueFields.length > 0) out = this.dropDelegate('value', valueFields).apply(out);
    }
    return out;
  }

  private fieldsToDrop(schema: Schema, names: string[]): string[] {
    if (!this.dropFieldsKeepSchemaCompatible) return names;
    return schema.fields.filter((f) => f.schema.optional && names.includes(f.name)).map((f) => f.name);
  }

  private dropDelegate(side: 'key' | 'value', fields: string[]): ReplaceField {
    const id = `${side}:${fields.join(',')}`;
    let d = this.dropDelegates.get(id);
    if (!d) {
      d = new ReplaceField(side);
      d.configure({ exclude: fields.join(',') });
      if (this.dropDelegates.size > 256) this.dropDelegates.clear();
      this.dropDelegates.set(id, d);
    }
    return d;
  }
}
