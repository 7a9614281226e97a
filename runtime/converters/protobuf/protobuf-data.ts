/**
 * Connect schemas and values to Protobuf and back, following Confluent's ProtobufData
 * (io.confluent.connect.protobuf.ProtobufData):
 *
 * - the root struct is a proto3 message in the package of its name (`ConnectDefault1` unnamed);
 *   nested structs are nested messages, arrays are `repeated`, maps are repeated `<Name>Entry`
 *   messages with `key = 1` and `value = 2`, `io.confluent.connect.protobuf.Union.*` structs are
 *   `oneof`s and strings with `io.confluent.connect.protobuf.Enum` parameters are enums;
 * - fields are numbered in order unless the `io.confluent.connect.protobuf.Tag` parameter says;
 * - int8/int16 are int32 with a `connect.type` field_meta param; Decimal is `confluent.type.Decimal`
 *   (precision/scale params), Date `google.type.Date`, Time `google.type.TimeOfDay`, Timestamp
 *   `google.protobuf.Timestamp`;
 * - optional scalars are plain proto3 fields (null reads back as the zero value), wrappers
 *   (`google.protobuf.*Value`) with `wrapper.for.nullables`, or `optional` with
 *   `optional.for.nullables`.
 *
 * Beyond Confluent (which keeps little more than struct names), the Connect metadata protobuf has
 * no place for travels in `confluent.field_meta` / `confluent.message_meta` params — `connect.name`,
 * `connect.version`, `connect.default`, `connect.optional`, `connect.array`, the schema parameters and
 * the doc — so Debezium's named types, versions and parameters survive a round trip.
 */
import type protobuf from 'protobufjs';
import { DataException } from '../../errors.ts';
import { type Schema, SchemaBuilder, schemaEquals, mapEntries } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, bigintToTwosComplement, twosComplementToBigint } from '../../data/logical.ts';
import type { Meta, ProtoEnum, ProtoField, ProtoFile, ProtoMessage, ProtoOneof } from './proto-file.ts';

export const NAMESPACE = 'io.confluent.connect.protobuf';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const PROTOBUF_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const PROTOBUF_TYPE_UNION_PREFIX = `${NAMESPACE}.Union.`;
export const PROTOBUF_TYPE_TAG = `${NAMESPACE}.Tag`;
export const CONNECT_TYPE_PROP = 'connect.type';
export const CONNECT_PRECISION_PROP = 'connect.decimal.precision';
const META_NAME = 'connect.name';
const META_VERSION = 'connect.version';
const META_DEFAULT = 'connect.default';
const META_OPTIONAL = 'connect.optional';
const META_ARRAY = 'connect.array';
const RESERVED_META = new Set([CONNECT_TYPE_PROP, META_NAME, META_VERSION, META_DEFAULT, META_OPTIONAL, META_ARRAY]);

const DECIMAL_TYPE = 'confluent.type.Decimal';
const DATE_TYPE = 'google.type.Date';
const TIME_TYPE = 'google.type.TimeOfDay';
const TIMESTAMP_TYPE = 'google.protobuf.Timestamp';
const IMPORT_OF: Record<string, string> = {
  [DECIMAL_TYPE]: 'confluent/type/decimal.proto',
  [DATE_TYPE]: 'google/type/date.proto',
  [TIME_TYPE]: 'google/type/timeofday.proto',
  [TIMESTAMP_TYPE]: 'google/protobuf/timestamp.proto',
};
const WRAPPERS: Record<string, Schema['type']> = {
  'google.protobuf.DoubleValue': 'float64', 'google.protobuf.FloatValue': 'float32', 'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'int64', 'google.protobuf.Int32Value': 'int32', 'google.protobuf.UInt32Value': 'int64',
  'google.protobuf.BoolValue': 'boolean', 'google.protobuf.StringValue': 'string', 'google.protobuf.BytesValue': 'bytes',
};
const WRAPPER_FOR: Partial<Record<Schema['type'], string>> = {
  int8: 'google.protobuf.Int32Value', int16: 'google.protobuf.Int32Value', int32: 'google.protobuf.Int32Value', int64: 'google.protobuf.Int64Value',
  float32: 'google.protobuf.FloatValue', float64: 'google.protobuf.DoubleValue', boolean: 'google.protobuf.BoolValue',
  string: 'google.protobuf.StringValue', bytes: 'google.protobuf.BytesValue',
};
const SCALAR_FOR: Partial<Record<Schema['type'], string>> = {
  int8: 'int32', int16: 'int32', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double', boolean: 'bool', string: 'string', bytes: 'bytes',
};
const LOGICAL_NAMES = new Set([Decimal.LOGICAL_NAME, ConnectDate.LOGICAL_NAME, ConnectTime.LOGICAL_NAME, ConnectTimestamp.LOGICAL_NAME]);

export interface ProtobufDataOptions {
  wrapperForNullables: boolean;
  optionalForNullables: boolean;
  enhancedSchemaSupport: boolean;
}

export interface ProtoSchemaResult {
  file: ProtoFile;
  /** Full name of the root message (no leading dot). */
  messageName: string;
}

class FromConnectContext {
  readonly imports = new Set<string>();
  readonly structs: Array<{ schema: Schema; path: string }> = [];
  defaultNames = 0;
  usesMeta = false;

  nextDefaultName(): string {
    return `${DEFAULT_SCHEMA_NAME}${++this.defaultNames}`;
  }
}

export class ProtobufData {
  constructor(private readonly opts: ProtobufDataOptions = { wrapperForNullables: false, optionalForNullables: false, enhancedSchemaSupport: false }) {}

  // ---- Connect schema -> .proto ---------------------------------------------------------------

  fromConnectSchema(schema: Schema): ProtoSchemaResult {
    if (schema.type !== 'struct') throw new DataException(`Unsupported root schema of type ${schema.type}: the Protobuf converter writes structs (messages) only`);
    const ctx = new FromConnectContext();
    const fullName = schema.name ?? ctx.nextDefaultName();
    const [pkg, name] = splitName(fullName);
    const path = pkg ? `.${pkg}.${name}` : `.${name}`;
    const message = this.messageFrom(ctx, name, nonOptional(schema), path);
    if (ctx.usesMeta) ctx.imports.add('confluent/meta.proto');
    return { file: { package: pkg, imports: [...ctx.imports], messages: [message] }, messageName: path.slice(1) };
  }

  private messageFrom(ctx: FromConnectContext, name: string, schema: Schema, path: string): ProtoMessage {
    ctx.structs.push({ schema, path });
    const message: ProtoMessage = { kind: 'message', name, members: [], nested: [] };
    const meta: Meta = { params: [] };
    if (schema.name !== undefined) meta.params.push([META_NAME, schema.name]);
    if (schema.version !== undefined) meta.params.push([META_VERSION, String(schema.version)]);
    if (schema.doc !== undefined) meta.doc = schema.doc;
    for (const [k, v] of Object.entries(schema.parameters ?? {})) meta.params.push([k, v]);
    if (meta.params.length || meta.doc !== undefined) {
      message.meta = meta;
      ctx.usesMeta = true;
    }
    const counter = { next: 1 };
    for (const f of schema.fields) {
      if (f.schema.type === 'struct' && f.schema.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
        const oneof: ProtoOneof = { kind: 'oneof', name: shortName(f.schema.name.slice(PROTOBUF_TYPE_UNION_PREFIX.length)), fields: [] };
        for (const member of f.schema.fields) oneof.fields.push(this.fieldFrom(ctx, message, path, member.name, member.schema, this.tagOf(member.schema, counter), true));
        message.members.push(oneof);
        continue;
      }
      message.members.push(this.fieldFrom(ctx, message, path, f.name, f.schema, this.tagOf(f.schema, counter), false));
    }
    return message;
  }

  private tagOf(schema: Schema, counter: { next: number }): number {
    const tag = schema.parameters?.[PROTOBUF_TYPE_TAG];
    return tag !== undefined ? Number(tag) : counter.next++;
  }

  private fieldFrom(ctx: FromConnectContext, parent: ProtoMessage, parentPath: string, name: string, schema: Schema, tag: number, inOneof: boolean): ProtoField {
    const meta: Meta = { params: [] };
    let label: ProtoField['label'];
    let elem = schema;
    if (schema.type === 'array') {
      label = 'repeated';
      elem = schema.valueSchema!;
      if (elem.type === 'array' || elem.type === 'map') throw new DataException(`Array "${name}" of ${elem.type}s cannot be written as Protobuf: repeated fields cannot be nested`);
      const arrayMeta: Record<string, unknown> = {};
      if (!schema.optional) arrayMeta.optional = false;
      if (schema.name !== undefined) arrayMeta.name = schema.name;
      if (schema.version !== undefined) arrayMeta.version = schema.version;
      if (schema.doc !== undefined) arrayMeta.doc = schema.doc;
      if (schema.parameters && Object.keys(schema.parameters).length) arrayMeta.parameters = schema.parameters;
      if (Object.keys(arrayMeta).length) meta.params.push([META_ARRAY, JSON.stringify(arrayMeta)]);
    } else if (schema.type === 'map') {
      label = 'repeated';
    } else if (schema.optional && this.opts.optionalForNullables && !inOneof && SCALAR_FOR[schema.type] && !LOGICAL_NAMES.has(schema.name ?? '')) {
      label = 'optional';
    }
    const type = this.dataType(ctx, parent, parentPath, elem, name, meta, label === 'repeated' && schema.type === 'array');
    // Metadata of the field's (or array element's) own schema that the proto type does not imply.
    if (elem.type !== 'struct' && elem.type !== 'map') {
      if (elem.name !== undefined && !LOGICAL_NAMES.has(elem.name)) meta.params.push([META_NAME, elem.name]);
      if (elem.version !== undefined && !LOGICAL_NAMES.has(elem.name ?? '')) meta.params.push([META_VERSION, String(elem.version)]);
      if (elem.doc !== undefined) meta.doc = elem.doc;
      for (const [k, v] of Object.entries(elem.parameters ?? {})) {
        if (k === PROTOBUF_TYPE_TAG) continue;
        if (elem.name === Decimal.LOGICAL_NAME && (k === Decimal.SCALE_FIELD || k === CONNECT_PRECISION_PROP)) continue;
        if (elem.parameters?.[PROTOBUF_TYPE_ENUM] !== undefined && k.startsWith(PROTOBUF_TYPE_ENUM)) continue;
        meta.params.push([k, v]);
      }
      if (elem.defaultValue !== undefined && elem.defaultValue !== null) meta.params.push([META_DEFAULT, JSON.stringify(defaultToJson(elem, elem.defaultValue))]);
    }
    const inferred = this.inferOptional(type, label, inOneof, schema.type === 'array');
    if (elem.optional !== inferred) meta.params.push([META_OPTIONAL, String(elem.optional)]);
    if (meta.params.length || meta.doc !== undefined) ctx.usesMeta = true;
    return { kind: 'field', label, type, name, number: tag, meta: meta.params.length || meta.doc !== undefined ? meta : undefined };
  }

  /** Whether the reader infers "optional" for a field of this proto type (Confluent's rules). */
  private inferOptional(type: string, label: ProtoField['label'], inOneof: boolean, isArrayElement: boolean): boolean {
    // Array elements, oneof members, proto3 optionals and maps (repeated entries) read as optional.
    if (isArrayElement || inOneof || label === 'optional' || label === 'repeated') return true;
    const scalar = Object.values(SCALAR_FOR).includes(type) && !type.startsWith('.');
    if (!scalar) return true;
    return !this.opts.wrapperForNullables;
  }

  private dataType(ctx: FromConnectContext, parent: ProtoMessage, parentPath: string, schema: Schema, fieldName: string, meta: Meta, isElement: boolean): string {
    const logical = (full: string) => {
      ctx.imports.add(IMPORT_OF[full]);
      return `.${full}`;
    };
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const precision = schema.parameters?.[CONNECT_PRECISION_PROP];
        if (precision !== undefined) meta.params.push(['precision', precision]);
        const scale = schema.parameters?.[Decimal.SCALE_FIELD];
        if (scale !== undefined) meta.params.push(['scale', scale]);
        return logical(DECIMAL_TYPE);
      }
      case ConnectDate.LOGICAL_NAME: return logical(DATE_TYPE);
      case ConnectTime.LOGICAL_NAME: return logical(TIME_TYPE);
      case ConnectTimestamp.LOGICAL_NAME: return logical(TIMESTAMP_TYPE);
    }
    const wrapped = this.opts.wrapperForNullables && schema.optional && !isElement;
    switch (schema.type) {
      case 'int8': case 'int16':
        meta.params.push([CONNECT_TYPE_PROP, schema.type]);
        return wrapped ? this.wrapper(ctx, schema.type) : 'int32';
      case 'int32': case 'int64': case 'float32': case 'float64': case 'boolean': case 'bytes':
        return wrapped ? this.wrapper(ctx, schema.type) : SCALAR_FOR[schema.type]!;
      case 'string': {
        const enumName = schema.parameters?.[PROTOBUF_TYPE_ENUM];
        if (enumName !== undefined) {
          const short = shortName(enumName);
          if (!parent.nested.some((n) => n.name === short)) {
            const values: Array<[string, number]> = Object.entries(schema.parameters!)
              .filter(([k]) => k.startsWith(`${PROTOBUF_TYPE_ENUM}.`))
              .map(([k, v]) => [k.slice(PROTOBUF_TYPE_ENUM.length + 1), Number(v)]);
            const e: ProtoEnum = { kind: 'enum', name: short, values };
            parent.nested.push(e);
          }
          return `${parentPath}.${short}`;
        }
        return wrapped ? this.wrapper(ctx, 'string') : 'string';
      }
      case 'map': {
        const entryName = uniqueName(parent, `${schema.name !== undefined ? shortName(schema.name) : pascal(fieldName)}Entry`);
        const entry: ProtoMessage = { kind: 'message', name: entryName, members: [], nested: [] };
        parent.nested.push(entry);
        const entryPath = `${parentPath}.${entryName}`;
        entry.members.push(this.fieldFrom(ctx, entry, entryPath, 'key', schema.keySchema!, 1, false));
        entry.members.push(this.fieldFrom(ctx, entry, entryPath, 'value', schema.valueSchema!, 2, false));
        // The map schema's own metadata lives on the field that holds it.
        if (schema.name !== undefined) meta.params.push([META_NAME, schema.name]);
        if (schema.version !== undefined) meta.params.push([META_VERSION, String(schema.version)]);
        if (schema.doc !== undefined) meta.doc = schema.doc;
        for (const [k, v] of Object.entries(schema.parameters ?? {})) if (k !== PROTOBUF_TYPE_TAG) meta.params.push([k, v]);
        return entryPath;
      }
      case 'struct': {
        const required = nonOptional(schema);
        const known = ctx.structs.find((s) => schemaEquals(s.schema, required));
        if (known) return known.path;
        let name = schema.name !== undefined ? shortName(schema.name) : ctx.nextDefaultName();
        if (name === fieldName) name += 'Message';
        name = uniqueName(parent, name);
        const path = `${parentPath}.${name}`;
        parent.nested.push(this.messageFrom(ctx, name, required, path));
        return path;
      }
      case 'array':
        throw new DataException(`Array field "${fieldName}" cannot hold arrays in Protobuf`);
    }
    throw new DataException(`Unknown schema type: ${schema.type}`);
  }

  private wrapper(ctx: FromConnectContext, type: Schema['type']): string {
    ctx.imports.add('google/protobuf/wrappers.proto');
    return `.${WRAPPER_FOR[type]}`;
  }

  // ---- Connect value -> protobufjs object ---------------------------------------------------

  /** A plain object for `Type.fromObject`: the Connect struct as the message of `type`. */
  fromConnectData(schema: Schema, type: protobuf.Type, value: Struct, path = 'value'): Record<string, unknown> {
    if (!(value instanceof Struct)) throw new DataException(`Expected a Struct at "${path}" for Protobuf message ${type.fullName}`);
    const out: Record<string, unknown> = {};
    for (const f of schema.fields) {
      const v = value.get(f);
      if (v === null || v === undefined) {
        if (!f.schema.optional && (f.schema.defaultValue === undefined || f.schema.defaultValue === null)) {
          throw new DataException(`Found null value for non-optional schema at "${f.name}"`);
        }
        continue;
      }
      if (f.schema.type === 'struct' && f.schema.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
        const u = v as Struct;
        const member = f.schema.fields.find((m) => u.get(m) !== null && u.get(m) !== undefined);
        if (!member) continue;
        const pf = type.fields[member.name];
        if (!pf) throw new DataException(`Protobuf message ${type.fullName} has no field "${member.name}"`);
        out[member.name] = this.fieldValue(member.schema, pf, u.get(member), `${f.name}.${member.name}`);
        continue;
      }
      const pf = type.fields[f.name];
      if (!pf) throw new DataException(`Protobuf message ${type.fullName} has no field "${f.name}" (at "${path}")`);
      out[f.name] = this.fieldValue(f.schema, pf, v, f.name);
    }
    return out;
  }

  private fieldValue(schema: Schema, field: protobuf.Field, value: unknown, path: string): unknown {
    if (schema.type === 'array') {
      if (!Array.isArray(value)) throw new DataException(`Invalid type for ARRAY at "${path}"`);
      return value.map((e, i) => {
        if (e === null || e === undefined) throw new DataException(`Null element at "${path}[${i}]": Protobuf repeated fields cannot hold nulls`);
        return this.singleValue(schema.valueSchema!, field, e, `${path}[${i}]`);
      });
    }
    if (schema.type === 'map') {
      const entries = mapEntries(value);
      if (!entries) throw new DataException(`Invalid type for MAP at "${path}"`);
      const entryType = field.resolvedType as protobuf.Type;
      return entries.map(([k, v]) => {
        const e: Record<string, unknown> = {};
        if (k !== null && k !== undefined) e.key = this.singleValue(schema.keySchema!, entryType.fields.key, k, `${path}.<key>`);
        if (v !== null && v !== undefined) e.value = this.singleValue(schema.valueSchema!, entryType.fields.value, v, `${path}[${String(k)}]`);
        return e;
      });
    }
    return this.singleValue(schema, field, value, path);
  }

  private singleValue(schema: Schema, field: protobuf.Field, value: unknown, path: string): unknown {
    const typeName = field.resolvedType?.fullName.slice(1);
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        if (!(value instanceof BigDecimal)) throw new DataException(`Invalid type for Decimal at "${path}": expected BigDecimal`);
        const digits = (value.unscaled < 0n ? -value.unscaled : value.unscaled).toString().length;
        return { value: bigintToTwosComplement(value.unscaled), precision: digits, scale: value.scale };
      }
      case ConnectDate.LOGICAL_NAME: {
        const d = expectDate(value, path);
        ConnectDate.fromLogical(d);
        return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      }
      case ConnectTime.LOGICAL_NAME: {
        const ms = ConnectTime.fromLogical(expectDate(value, path));
        return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1_000_000 };
      }
      case ConnectTimestamp.LOGICAL_NAME: {
        const ms = expectDate(value, path).getTime();
        const seconds = Math.floor(ms / 1000);
        return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
      }
    }
    const wrapped = typeName !== undefined && WRAPPERS[typeName] !== undefined;
    let v: unknown;
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(schema, value, path);
        v = value;
        break;
      case 'int64':
        if (typeof value === 'bigint') v = value.toString();
        else if (typeof value === 'number' && Number.isInteger(value)) v = value;
        else throw typeError(schema, value, path);
        break;
      case 'float32': case 'float64':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        v = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(schema, value, path);
        v = value;
        break;
      case 'string':
        if (typeof value !== 'string') throw typeError(schema, value, path);
        v = value;
        break;
      case 'bytes':
        if (!(value instanceof Uint8Array)) throw typeError(schema, value, path);
        v = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        break;
      case 'struct':
        return this.fromConnectData(schema, field.resolvedType as protobuf.Type, value as Struct, path);
      default:
        throw new DataException(`Unsupported nested ${schema.type} at "${path}"`);
    }
    return wrapped ? { value: v } : v;
  }

  // ---- protobufjs type -> Connect schema ----------------------------------------------------

  toConnectSchema(type: protobuf.Type, version?: number): Schema {
    const s = this.structSchema(type, new Set());
    if (version === undefined || s.version !== undefined) return s;
    const b = SchemaBuilder.from(s).version(version);
    for (const f of s.fields) b.field(f.name, f.schema);
    return b.build();
  }

  private structSchema(type: protobuf.Type, visiting: Set<protobuf.Type>): Schema {
    if (visiting.has(type)) throw new DataException(`Recursive Protobuf message ${type.fullName} cannot be converted to a Connect schema`);
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

  private fieldSchema(field: protobuf.Field, visiting: Set<protobuf.Type>, inOneof: boolean, tag: number | undefined): Schema {
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
        b = new SchemaBuilder(WRAPPERS[full] === 'int32' && (connectType === 'int8' || connectType === 'int16') ? connectType : WRAPPERS[full]);
        presence = true;
      } else if (isMapEntry(t)) {
        const m = SchemaBuilder.map(this.fieldSchema(t.fields.key, visiting, false, undefined), this.fieldSchema(t.fields.value, visiting, false, undefined));
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
      const elemOptional = meta.params.get(META_OPTIONAL) !== undefined ? meta.params.get(META_OPTIONAL) === 'true' : true;
      const elem = this.applyMeta(b, meta, elemOptional);
      const arr = SchemaBuilder.array(elem);
      const arrayMeta = meta.params.get(META_ARRAY) !== undefined ? (JSON.parse(meta.params.get(META_ARRAY)!) as { optional?: boolean; name?: string; version?: number; doc?: string; parameters?: Record<string, string> }) : {};
      if (arrayMeta.optional !== false) arr.optional();
      if (arrayMeta.name !== undefined) arr.name(arrayMeta.name);
      if (arrayMeta.version !== undefined) arr.version(arrayMeta.version);
      if (arrayMeta.doc !== undefined) arr.doc(arrayMeta.doc);
      if (arrayMeta.parameters) arr.parameters(arrayMeta.parameters);
      if (tag !== undefined) arr.parameter(PROTOBUF_TYPE_TAG, String(tag));
      return arr.build();
    }
    const inferred = presence || isMessage || !this.opts.wrapperForNullables;
    const optional = meta.params.get(META_OPTIONAL) !== undefined ? meta.params.get(META_OPTIONAL) === 'true' : inferred;
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
        if (set) s.put(f, new Struct(f.schema).put(set, this.readField(set.schema, type.fields[set.name], msg[set.name], true)));
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
    const hasPresence = isMessageField || field.options?.proto3_optional === true || (field.partOf !== null && field.partOf !== undefined);
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
        return new Date(((Number(m.hours ?? 0) * 60 + Number(m.minutes ?? 0)) * 60 + Number(m.seconds ?? 0)) * 1000 + Math.floor(Number(m.nanos ?? 0) / 1_000_000));
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
      case 'int8': case 'int16': case 'int32': case 'float32': case 'float64':
        return Number(raw);
      default:
        return raw;
    }
  }
}

// ---- helpers ----------------------------------------------------------------------------------

interface ParsedMeta {
  doc?: string;
  params: Map<string, string>;
}

/** Reads a Meta option (doc, params) from protobufjs parsedOptions, however the text wrote it. */
function readMeta(parsedOptions: unknown, key: string): ParsedMeta {
  const meta: ParsedMeta = { params: new Map() };
  if (!Array.isArray(parsedOptions)) return meta;
  for (const opt of parsedOptions as Array<Record<string, unknown>>) {
    for (const [k, v] of Object.entries(opt)) {
      if (k === key && v && typeof v === 'object') {
        const m = v as { doc?: string; params?: unknown };
        if (typeof m.doc === 'string') meta.doc = m.doc;
        const params = Array.isArray(m.params) ? m.params : m.params ? [m.params] : [];
        for (const p of params as Array<{ key?: string; value?: string }>) if (p.key !== undefined) meta.params.set(String(p.key), String(p.value ?? ''));
      } else if (k.startsWith(`${key}.`)) {
        const sub = k.slice(key.length + 1);
        if (sub === 'doc') meta.doc = String(v);
      }
    }
  }
  return meta;
}

function isSyntheticOneof(o: protobuf.OneOf): boolean {
  return o.fieldsArray.length === 1 && o.fieldsArray[0].options?.proto3_optional === true;
}

function isMapEntry(t: protobuf.Type): boolean {
  return t.name.endsWith('Entry') && t.fieldsArray.length === 2 && t.fieldsArray[0].name === 'key' && t.fieldsArray[1].name === 'value';
}

function scalarConnectType(protoType: string, connectType: string | undefined): Schema['type'] {
  switch (protoType) {
    case 'int32': case 'sint32': case 'sfixed32':
      if (connectType === 'int8') return 'int8';
      if (connectType === 'int16') return 'int16';
      return 'int32';
    case 'uint32': case 'fixed32': case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return 'int64';
    case 'float': return 'float32';
    case 'double': return 'float64';
    case 'bool': return 'boolean';
    case 'string': return 'string';
    case 'bytes': return 'bytes';
  }
  throw new DataException(`Unknown Protobuf field type ${protoType}`);
}

function zeroValue(field: protobuf.Field): unknown {
  if (field.resolvedType && !('fieldsArray' in field.resolvedType)) return 0;
  switch (field.type) {
    case 'string': return '';
    case 'bytes': return Buffer.alloc(0);
    case 'bool': return false;
    default: return 0;
  }
}

function zeroOfWrapper(type: Schema['type']): unknown {
  return type === 'string' ? '' : type === 'bytes' ? Buffer.alloc(0) : type === 'boolean' ? false : 0;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** protobufjs longs (Long objects, numbers or strings) as a number when safe, else a bigint. */
function longValue(raw: unknown): number | bigint {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return raw;
  const text = typeof raw === 'string' ? raw : String((raw as { toString(): string }).toString());
  const big = BigInt(text);
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

function expectDate(value: unknown, path: string): Date {
  if (!(value instanceof Date)) throw new DataException(`Invalid value at "${path}": expected a Date`);
  return value;
}

function defaultToJson(schema: Schema, value: unknown): unknown {
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => defaultToJson(schema.valueSchema!, v));
  return value;
}

function defaultFromJson(schema: Schema, json: unknown): unknown {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME: return BigDecimal.parse(String(json)).setScale(Decimal.scaleOf(schema));
    case ConnectDate.LOGICAL_NAME: case ConnectTime.LOGICAL_NAME: case ConnectTimestamp.LOGICAL_NAME: return new Date(Number(json));
  }
  switch (schema.type) {
    case 'int64': return longValue(json);
    case 'bytes': return Buffer.from(String(json), 'base64');
    case 'array': return (json as unknown[]).map((v) => defaultFromJson(schema.valueSchema!, v));
    default: return json;
  }
}

function uniqueName(parent: ProtoMessage, name: string): string {
  let candidate = name;
  for (let i = 2; parent.nested.some((n) => n.name === candidate); i++) candidate = `${name}${i}`;
  return candidate;
}

function pascal(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

export function shortName(fullName: string): string {
  const i = fullName.lastIndexOf('.');
  return i >= 0 ? fullName.slice(i + 1) : fullName;
}

function splitName(fullName: string): [string | undefined, string] {
  const i = fullName.lastIndexOf('.');
  return i >= 0 ? [fullName.slice(0, i), fullName.slice(i + 1)] : [undefined, fullName];
}

function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema;
  const b = SchemaBuilder.from(schema).required();
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.build();
}

function typeError(schema: Schema, value: unknown, path: string): DataException {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof Uint8Array ? 'bytes' : typeof value;
  return new DataException(`Invalid type for ${schema.type.toUpperCase()} at "${path}": ${got}`);
}
