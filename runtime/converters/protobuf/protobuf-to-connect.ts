/**
 * Protobuf types and messages to Connect schemas and values, as Confluent's ProtobufData.toConnectSchema
 * and toConnectData (see protobuf-data.ts for the mapping both directions share).
 */
import type protobuf from 'protobufjs';
import { DataException } from '../../errors.ts';
import { type Schema, SchemaBuilder } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  twosComplementToBigint,
} from '../../data/logical.ts';
import {
  PROTOBUF_TYPE_ENUM,
  PROTOBUF_TYPE_UNION_PREFIX,
  PROTOBUF_TYPE_TAG,
  CONNECT_TYPE_PROP,
  CONNECT_PRECISION_PROP,
  META_NAME,
  META_VERSION,
  META_DEFAULT,
  META_OPTIONAL,
  META_ARRAY,
  RESERVED_META,
  DECIMAL_TYPE,
  DATE_TYPE,
  TIME_TYPE,
  TIMESTAMP_TYPE,
  WRAPPERS,
} from './protobuf-names.ts';
import {
  type ParsedMeta,
  readMeta,
  isSyntheticOneof,
  isMapEntry,
  scalarConnectType,
  zeroValue,
  zeroOfWrapper,
  longValue,
  has,
  defaultFromJson,
} from './protobuf-data-helpers.ts';
import type { ProtobufDataOptions } from './protobuf-data.ts';

export class ProtobufToConnect {
  constructor(private readonly opts: ProtobufDataOptions) {}
  // ---- protobufjs type -> Connect schema ----------------------------------------------------

  toConnectSchema(type: protobuf.Type, version?: number): Schema {
    const s = this.structSchema(type, new Set());
    if (version === undefined || s.version !== undefined) return s;
    const b = SchemaBuilder.from(s).version(version);
    for (const f of s.fields) b.field(f.name, f.schema);
    return b.build();
  }

  private structSchema(type: protobuf.Type, visiting: Set<protobuf.Type>): Schema {
    if (visiting.has(type))
      throw new DataException(`Recursive Protobuf message ${type.fullName} cannot be converted to a Connect schema`);
    visiting.add(type);
    const b = SchemaBuilder.struct();
    const meta = readMeta(type.parsedOptions, '(confluent.message_meta)');
    const metaName = meta.params.get(META_NAME);
    const defaultName = /^ConnectDefault\d+$/.test(type.name);
    if (metaName !== undefined) b.name(metaName);
    else if (!defaultName) b.name(this.opts.enhancedSchemaSupport ? type.fullName.slice(1) : type.name);
    const version = meta.params.get(META_VERSION);
    if (version !== undefined) b.version(Number(version));
    if (meta.doc !== undefined) b.doc(meta.doc);
    const params = [...meta.params].filter(([k]) => !RESERVED_META.has(k));
    if (params.length) b.parameters(Object.fromEntries(params));
    const realOneofs = type.oneofsArray.filter((o) => !isSyntheticOneof(o));
    realOneofs.forEach((o) => {
      const ob = SchemaBuilder.struct().name(`${PROTOBUF_TYPE_UNION_PREFIX}${o.name}`);
      for (const f of o.fieldsArray) ob.field(f.name, this.fieldSchema(f, visiting, true, undefined));
      b.field(`${o.name}_${type.oneofsArray.indexOf(o)}`, ob.optional().build());
    });
    let expectedTag = 1;
    for (const f of type.fieldsArray) {
      if (f.partOf && !isSyntheticOneof(f.partOf)) continue;
      b.field(f.name, this.fieldSchema(f, visiting, false, f.id === expectedTag ? undefined : f.id));
      expectedTag = f.id === expectedTag ? expectedTag + 1 : expectedTag;
    }
    visiting.delete(type);
    return b.build();
  }

  private fieldSchema(
    field: protobuf.Field,
    visiting: Set<protobuf.Type>,
    inOneof: boolean,
    tag: number | undefined,
  ): Schema {
    field.resolve();
    const meta = readMeta(field.parsedOptions, '(confluent.field_meta)');
    const resolved = field.resolvedType;
    let b: SchemaBuilder;
    let presence = inOneof || field.options?.proto3_optional === true;
    let isMessage = false;
    if (resolved && 'fieldsArray' in resolved) {
      const t = resolved as protobuf.Type;
      const full = t.fullName.slice(1);
      isMessage = true;
      if (full === DECIMAL_TYPE) {
        b = Decimal.builder(Number(meta.params.get('scale') ?? 0));
        const precision = meta.params.get('precision');
        if (precision !== undefined) b.parameter(CONNECT_PRECISION_PROP, precision);
      } else if (full === DATE_TYPE) b = ConnectDate.builder();
      else if (full === TIME_TYPE) b = ConnectTime.builder();
      else if (full === TIMESTAMP_TYPE) b = ConnectTimestamp.builder();
      else if (WRAPPERS[full] !== undefined && this.opts.wrapperForNullables) {
        const connectType = meta.params.get(CONNECT_TYPE_PROP);
        b = new SchemaBuilder(
          WRAPPERS[full] === 'int32' && (connectType === 'int8' || connectType === 'int16')
            ? connectType
            : WRAPPERS[full],
        );
        presence = true;
      } else if (isMapEntry(t)) {
        const m = SchemaBuilder.map(
          this.fieldSchema(t.fields.key, visiting, false, undefined),
          this.fieldSchema(t.fields.value, visiting, false, undefined),
        );
        return this.finishMap(m, meta, tag);
      } else {
        const struct = this.structSchema(t, visiting);
        b = SchemaBuilder.from(struct);
        for (const f of struct.fields) b.field(f.name, f.schema);
      }
    } else if (resolved) {
      const e = resolved as protobuf.Enum;
      b = SchemaBuilder.string().name(e.name).parameter(PROTOBUF_TYPE_ENUM, e.name);
      for (const [name, num] of Object.entries(e.values)) b.parameter(`${PROTOBUF_TYPE_ENUM}.${name}`, String(num));
      isMessage = true;
    } else {
      b = new SchemaBuilder(scalarConnectType(field.type, meta.params.get(CONNECT_TYPE_PROP)));
    }
    if (field.repeated) {
      const elemOptional =
        meta.params.get(META_OPTIONAL) !== undefined ? meta.params.get(META_OPTIONAL) === 'true' : true;
      const elem = this.applyMeta(b, meta, elemOptional);
      const arr = SchemaBuilder.array(elem);
      const arrayMeta =
        meta.params.get(META_ARRAY) !== undefined
          ? (JSON.parse(meta.params.get(META_ARRAY)!) as {
              optional?: boolean;
              name?: string;
              version?: number;
              doc?: string;
              parameters?: Record<string, string>;
            })
          : {};
      if (arrayMeta.optional !== false) arr.optional();
      if (arrayMeta.name !== undefined) arr.name(arrayMeta.name);
      if (arrayMeta.version !== undefined) arr.version(arrayMeta.version);
      if (arrayMeta.doc !== undefined) arr.doc(arrayMeta.doc);
      if (arrayMeta.parameters) arr.parameters(arrayMeta.parameters);
      if (tag !== undefined) arr.parameter(PROTOBUF_TYPE_TAG, String(tag));
      return arr.build();
    }
    const inferred = presence || isMessage || !this.opts.wrapperForNullables;
    const optional =
      meta.params.get(META_OPTIONAL) !== undefined ? meta.params.get(META_OPTIONAL) === 'true' : inferred;
    const s = this.applyMeta(b, meta, optional);
    if (tag === undefined) return s;
    const t = SchemaBuilder.from(s).parameter(PROTOBUF_TYPE_TAG, String(tag));
    for (const f of s.fields) t.field(f.name, f.schema);
    return t.build();
  }

  /** A map field: the map schema's own metadata is on the field that holds the entries. */
  private finishMap(b: SchemaBuilder, meta: ParsedMeta, tag: number | undefined): Schema {
    const optionalMeta = meta.params.get(META_OPTIONAL);
    if (optionalMeta === undefined || optionalMeta === 'true') b.optional();
    const name = meta.params.get(META_NAME);
    if (name !== undefined) b.name(name);
    const version = meta.params.get(META_VERSION);
    if (version !== undefined) b.version(Number(version));
    if (meta.doc !== undefined) b.doc(meta.doc);
    for (const [k, v] of meta.params) if (!RESERVED_META.has(k)) b.parameter(k, v);
    if (tag !== undefined) b.parameter(PROTOBUF_TYPE_TAG, String(tag));
    return b.build();
  }

  /** Applies field metadata (name, version, doc, parameters, default) to a non-map field's schema. */
  private applyMeta(b: SchemaBuilder, meta: ParsedMeta, optional: boolean): Schema {
    if (optional) b.optional();
    const isStruct = b.type === 'struct';
    if (!isStruct) {
      const name = meta.params.get(META_NAME);
      if (name !== undefined) b.name(name);
      const version = meta.params.get(META_VERSION);
      if (version !== undefined) b.version(Number(version));
      if (meta.doc !== undefined) b.doc(meta.doc);
      const isDecimal = b.build().name === Decimal.LOGICAL_NAME;
      for (const [k, v] of meta.params) {
        if (RESERVED_META.has(k)) continue;
        if (isDecimal && (k === 'precision' || k === 'scale')) continue;
        b.parameter(k, v);
      }
      const def = meta.params.get(META_DEFAULT);
      if (def !== undefined) b.defaultValue(defaultFromJson(b.build(), JSON.parse(def)));
    }
    return b.build();
  }

  // ---- protobufjs message -> Connect value --------------------------------------------------

  toConnectData(schema: Schema, type: protobuf.Type, message: protobuf.Message | Record<string, unknown>): Struct {
    const msg = message as Record<string, unknown>;
    const s = new Struct(schema);
    for (const f of schema.fields) {
      if (f.schema.type === 'struct' && f.schema.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
        const set = f.schema.fields.find((m) => has(msg, m.name));
        if (set)
          s.put(
            f,
            new Struct(f.schema).put(set, this.readField(set.schema, type.fields[set.name], msg[set.name], true)),
          );
        continue;
      }
      const pf = type.fields[f.name];
      if (!pf) continue;
      const present = has(msg, f.name);
      s.put(f, this.readField(f.schema, pf, present ? msg[f.name] : undefined, present));
    }
    return s;
  }

  private readField(schema: Schema, field: protobuf.Field, raw: unknown, present: boolean): unknown {
    field.resolve();
    if (field.repeated) {
      const list = (present ? raw : []) as unknown[];
      if (schema.type === 'map') {
        const entry = field.resolvedType as protobuf.Type;
        const m = new Map<unknown, unknown>();
        for (const e of list as Array<Record<string, unknown>>) {
          m.set(
            this.readField(schema.keySchema!, entry.fields.key, e.key, has(e, 'key')),
            this.readField(schema.valueSchema!, entry.fields.value, e.value, has(e, 'value')),
          );
        }
        return m;
      }
      return list.map((e) => this.readSingle(schema.valueSchema!, field, e));
    }
    const resolved = field.resolvedType;
    const isMessageField = resolved !== null && 'fieldsArray' in resolved;
    const hasPresence =
      isMessageField ||
      field.options?.proto3_optional === true ||
      (field.partOf !== null && field.partOf !== undefined);
    if (!present) {
      if (hasPresence) return null;
      // proto3 scalars without presence read as their zero value, as in Confluent's converter.
      return this.readSingle(schema, field, zeroValue(field));
    }
    return this.readSingle(schema, field, raw);
  }

  private readSingle(schema: Schema, field: protobuf.Field, raw: unknown): unknown {
    if (raw === null || raw === undefined) return null;
    const resolved = field.resolvedType;
    const full = resolved?.fullName.slice(1);
    const m = raw as Record<string, unknown>;
    switch (full) {
      case DECIMAL_TYPE: {
        const scale = Number(m.scale ?? 0);
        const d = new BigDecimal(twosComplementToBigint((m.value as Uint8Array) ?? new Uint8Array()), scale);
        return d.setScale(Decimal.scaleOf(schema));
      }
      case DATE_TYPE:
        return new Date(Date.UTC(Number(m.year ?? 0), Number(m.month ?? 1) - 1, Number(m.day ?? 1)));
      case TIME_TYPE:
        return new Date(
          ((Number(m.hours ?? 0) * 60 + Number(m.minutes ?? 0)) * 60 + Number(m.seconds ?? 0)) * 1000 +
            Math.floor(Number(m.nanos ?? 0) / 1_000_000),
        );
      case TIMESTAMP_TYPE:
        return new Date(Number(longValue(m.seconds ?? 0)) * 1000 + Math.floor(Number(m.nanos ?? 0) / 1_000_000));
    }
    if (full !== undefined && WRAPPERS[full] !== undefined && schema.type !== 'struct') {
      return this.scalar(schema, has(m, 'value') ? m.value : zeroOfWrapper(WRAPPERS[full]));
    }
    if (resolved && 'fieldsArray' in resolved) return this.toConnectData(schema, resolved as protobuf.Type, m);
    if (resolved) {
      const e = resolved as protobuf.Enum;
      return typeof raw === 'number' ? (e.valuesById[raw] ?? String(raw)) : String(raw);
    }
    return this.scalar(schema, raw);
  }

  private scalar(schema: Schema, raw: unknown): unknown {
    switch (schema.type) {
      case 'int64':
        return longValue(raw);
      case 'bytes':
        return Buffer.from(raw as Uint8Array);
      case 'int8':
      case 'int16':
      case 'int32':
      case 'float32':
      case 'float64':
        return Number(raw);
      default:
        return raw;
    }
  }
}
