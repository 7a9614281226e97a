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
import { type Schema, schemaEquals, mapEntries } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  bigintToTwosComplement,
} from '../../data/logical.ts';
import type { Meta, ProtoEnum, ProtoField, ProtoFile, ProtoMessage, ProtoOneof } from './proto-file.ts';
import { ProtobufToConnect } from './protobuf-to-connect.ts';
import {
  DEFAULT_SCHEMA_NAME,
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
  DECIMAL_TYPE,
  DATE_TYPE,
  TIME_TYPE,
  TIMESTAMP_TYPE,
  IMPORT_OF,
  WRAPPERS,
  WRAPPER_FOR,
  SCALAR_FOR,
  LOGICAL_NAMES,
} from './protobuf-names.ts';
import { expectDate, defaultToJson, uniqueName, pascal } from './protobuf-data-helpers.ts';
import { shortName, splitName, nonOptional, typeError } from '../registry-data-helpers.ts';

export {
  NAMESPACE,
  DEFAULT_SCHEMA_NAME,
  PROTOBUF_TYPE_ENUM,
  PROTOBUF_TYPE_UNION_PREFIX,
  PROTOBUF_TYPE_TAG,
  CONNECT_TYPE_PROP,
  CONNECT_PRECISION_PROP,
} from './protobuf-names.ts';
export { shortName } from '../registry-data-helpers.ts';

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
  private readonly toConnect: ProtobufToConnect;

  constructor(
    private readonly opts: ProtobufDataOptions = {
      wrapperForNullables: false,
      optionalForNullables: false,
      enhancedSchemaSupport: false,
    },
  ) {
    this.toConnect = new ProtobufToConnect(opts);
  }

  // ---- Connect schema -> .proto ---------------------------------------------------------------

  fromConnectSchema(schema: Schema): ProtoSchemaResult {
    if (schema.type !== 'struct')
      throw new DataException(
        `Unsupported root schema of type ${schema.type}: the Protobuf converter writes structs (messages) only`,
      );
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
        const oneof: ProtoOneof = {
          kind: 'oneof',
          name: shortName(f.schema.name.slice(PROTOBUF_TYPE_UNION_PREFIX.length)),
          fields: [],
        };
        for (const member of f.schema.fields)
          oneof.fields.push(
            this.fieldFrom(ctx, message, path, member.name, member.schema, this.tagOf(member.schema, counter), true),
          );
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

  private fieldFrom(
    ctx: FromConnectContext,
    parent: ProtoMessage,
    parentPath: string,
    name: string,
    schema: Schema,
    tag: number,
    inOneof: boolean,
  ): ProtoField {
    const meta: Meta = { params: [] };
    let label: ProtoField['label'];
    let elem = schema;
    if (schema.type === 'array') {
      label = 'repeated';
      elem = schema.valueSchema!;
      if (elem.type === 'array' || elem.type === 'map')
        throw new DataException(
          `Array "${name}" of ${elem.type}s cannot be written as Protobuf: repeated fields cannot be nested`,
        );
      const arrayMeta: Record<string, unknown> = {};
      if (!schema.optional) arrayMeta.optional = false;
      if (schema.name !== undefined) arrayMeta.name = schema.name;
      if (schema.version !== undefined) arrayMeta.version = schema.version;
      if (schema.doc !== undefined) arrayMeta.doc = schema.doc;
      if (schema.parameters && Object.keys(schema.parameters).length) arrayMeta.parameters = schema.parameters;
      if (Object.keys(arrayMeta).length) meta.params.push([META_ARRAY, JSON.stringify(arrayMeta)]);
    } else if (schema.type === 'map') {
      label = 'repeated';
    } else if (
      schema.optional &&
      this.opts.optionalForNullables &&
      !inOneof &&
      SCALAR_FOR[schema.type] &&
      !LOGICAL_NAMES.has(schema.name ?? '')
    ) {
      label = 'optional';
    }
    const type = this.dataType(
      ctx,
      parent,
      parentPath,
      elem,
      name,
      meta,
      label === 'repeated' && schema.type === 'array',
    );
    // Metadata of the field's (or array element's) own schema that the proto type does not imply.
    if (elem.type !== 'struct' && elem.type !== 'map') {
      if (elem.name !== undefined && !LOGICAL_NAMES.has(elem.name)) meta.params.push([META_NAME, elem.name]);
      if (elem.version !== undefined && !LOGICAL_NAMES.has(elem.name ?? ''))
        meta.params.push([META_VERSION, String(elem.version)]);
      if (elem.doc !== undefined) meta.doc = elem.doc;
      for (const [k, v] of Object.entries(elem.parameters ?? {})) {
        if (k === PROTOBUF_TYPE_TAG) continue;
        if (elem.name === Decimal.LOGICAL_NAME && (k === Decimal.SCALE_FIELD || k === CONNECT_PRECISION_PROP)) continue;
        if (elem.parameters?.[PROTOBUF_TYPE_ENUM] !== undefined && k.startsWith(PROTOBUF_TYPE_ENUM)) continue;
        meta.params.push([k, v]);
      }
      if (elem.defaultValue !== undefined && elem.defaultValue !== null)
        meta.params.push([META_DEFAULT, JSON.stringify(defaultToJson(elem, elem.defaultValue))]);
    }
    const inferred = this.inferOptional(type, label, inOneof, schema.type === 'array');
    if (elem.optional !== inferred) meta.params.push([META_OPTIONAL, String(elem.optional)]);
    if (meta.params.length || meta.doc !== undefined) ctx.usesMeta = true;
    return {
      kind: 'field',
      label,
      type,
      name,
      number: tag,
      meta: meta.params.length || meta.doc !== undefined ? meta : undefined,
    };
  }

  /** Whether the reader infers "optional" for a field of this proto type (Confluent's rules). */
  private inferOptional(type: string, label: ProtoField['label'], inOneof: boolean, isArrayElement: boolean): boolean {
    // Array elements, oneof members, proto3 optionals and maps (repeated entries) read as optional.
    if (isArrayElement || inOneof || label === 'optional' || label === 'repeated') return true;
    const scalar = Object.values(SCALAR_FOR).includes(type) && !type.startsWith('.');
    if (!scalar) return true;
    return !this.opts.wrapperForNullables;
  }

  private dataType(
    ctx: FromConnectContext,
    parent: ProtoMessage,
    parentPath: string,
    schema: Schema,
    fieldName: string,
    meta: Meta,
    isElement: boolean,
  ): string {
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
      case ConnectDate.LOGICAL_NAME:
        return logical(DATE_TYPE);
      case ConnectTime.LOGICAL_NAME:
        return logical(TIME_TYPE);
      case ConnectTimestamp.LOGICAL_NAME:
        return logical(TIMESTAMP_TYPE);
    }
    const wrapped = this.opts.wrapperForNullables && schema.optional && !isElement;
    switch (schema.type) {
      case 'int8':
      case 'int16':
        meta.params.push([CONNECT_TYPE_PROP, schema.type]);
        return wrapped ? this.wrapper(ctx, schema.type) : 'int32';
      case 'int32':
      case 'int64':
      case 'float32':
      case 'float64':
      case 'boolean':
      case 'bytes':
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
        const entryName = uniqueName(
          parent,
          `${schema.name !== undefined ? shortName(schema.name) : pascal(fieldName)}Entry`,
        );
        const entry: ProtoMessage = { kind: 'message', name: entryName, members: [], nested: [] };
        parent.nested.push(entry);
        const entryPath = `${parentPath}.${entryName}`;
        entry.members.push(this.fieldFrom(ctx, entry, entryPath, 'key', schema.keySchema!, 1, false));
        entry.members.push(this.fieldFrom(ctx, entry, entryPath, 'value', schema.valueSchema!, 2, false));
        // The map schema's own metadata lives on the field that holds it.
        if (schema.name !== undefined) meta.params.push([META_NAME, schema.name]);
        if (schema.version !== undefined) meta.params.push([META_VERSION, String(schema.version)]);
        if (schema.doc !== undefined) meta.doc = schema.doc;
        for (const [k, v] of Object.entries(schema.parameters ?? {}))
          if (k !== PROTOBUF_TYPE_TAG) meta.params.push([k, v]);
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
    if (!(value instanceof Struct))
      throw new DataException(`Expected a Struct at "${path}" for Protobuf message ${type.fullName}`);
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
        if (e === null || e === undefined)
          throw new DataException(`Null element at "${path}[${i}]": Protobuf repeated fields cannot hold nulls`);
        return this.singleValue(schema.valueSchema!, field, e, `${path}[${i}]`);
      });
    }
    if (schema.type === 'map') {
      const entries = mapEntries(value);
      if (!entries) throw new DataException(`Invalid type for MAP at "${path}"`);
      const entryType = field.resolvedType as protobuf.Type;
      return entries.map(([k, v]) => {
        const e: Record<string, unknown> = {};
        if (k !== null && k !== undefined)
          e.key = this.singleValue(schema.keySchema!, entryType.fields.key, k, `${path}.<key>`);
        if (v !== null && v !== undefined)
          e.value = this.singleValue(schema.valueSchema!, entryType.fields.value, v, `${path}[${String(k)}]`);
        return e;
      });
    }
    return this.singleValue(schema, field, value, path);
  }

  private singleValue(schema: Schema, field: protobuf.Field, value: unknown, path: string): unknown {
    const typeName = field.resolvedType?.fullName.slice(1);
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        if (!(value instanceof BigDecimal))
          throw new DataException(`Invalid type for Decimal at "${path}": expected BigDecimal`);
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
        return {
          hours: Math.floor(ms / 3_600_000),
          minutes: Math.floor(ms / 60_000) % 60,
          seconds: Math.floor(ms / 1000) % 60,
          nanos: (ms % 1000) * 1_000_000,
        };
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
      case 'int8':
      case 'int16':
      case 'int32':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(schema, value, path);
        v = value;
        break;
      case 'int64':
        if (typeof value === 'bigint') v = value.toString();
        else if (typeof value === 'number' && Number.isInteger(value)) v = value;
        else throw typeError(schema, value, path);
        break;
      case 'float32':
      case 'float64':
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

  // ---- Protobuf -> Connect (protobuf-to-connect.ts) -------------------------------------------

  toConnectSchema(type: protobuf.Type, version?: number): Schema {
    return this.toConnect.toConnectSchema(type, version);
  }

  toConnectData(schema: Schema, type: protobuf.Type, message: protobuf.Message | Record<string, unknown>): Struct {
    return this.toConnect.toConnectData(schema, type, message);
  }
}
