/**
 * Kafka Connect's schema model: primitive types, arrays, maps and structs, each optional or
 * not, with default, name, version, doc and parameters. Logical types (Decimal, Date, Time,
 * Timestamp) and Debezium's semantic types are named schemas over these primitives.
 */
import { DataException } from '../errors.ts';

/** The types of Kafka Connect's schema model. */
export type SchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct';

/** The types that are not containers (array, map, struct). */
export const PRIMITIVE_TYPES: readonly SchemaType[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
];

/** A struct field: its name, position and schema. */
export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

/** A Kafka Connect schema: a type, optional or not, with default, name, version, doc and parameters; struct fields, map key/value and array element schemas. */
export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | undefined;
  readonly version: number | undefined;
  readonly doc: string | undefined;
  readonly parameters: Readonly<Record<string, string>> | undefined;
  /** Map key schema. */
  readonly keySchema: Schema | undefined;
  /** Map value schema or array element schema. */
  readonly valueSchema: Schema | undefined;
  /** Struct fields in declaration order (empty for non-structs). */
  readonly fields: readonly Field[];
  field(name: string): Field | undefined;
}

/** The Schema implementation SchemaBuilder builds. */
export class ConnectSchema implements Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | undefined;
  readonly version: number | undefined;
  readonly doc: string | undefined;
  readonly parameters: Readonly<Record<string, string>> | undefined;
  readonly keySchema: Schema | undefined;
  readonly valueSchema: Schema | undefined;
  readonly fields: readonly Field[];
  private readonly byName: Map<string, Field>;

  constructor(init: {
    type: SchemaType;
    optional?: boolean;
    defaultValue?: unknown;
    name?: string;
    version?: number;
    doc?: string;
    parameters?: Record<string, string>;
    keySchema?: Schema;
    valueSchema?: Schema;
    fields?: Array<{ name: string; schema: Schema }>;
  }) {
    this.type = init.type;
    this.optional = init.optional ?? false;
    this.defaultValue = init.defaultValue;
    this.name = init.name;
    this.version = init.version;
    this.doc = init.doc;
    this.parameters = init.parameters ? Object.freeze({ ...init.parameters }) : undefined;
    this.keySchema = init.keySchema;
    this.valueSchema = init.valueSchema;
    this.fields = Object.freeze(
      (init.fields ?? []).map((f, index) => Object.freeze({ name: f.name, index, schema: f.schema })),
    );
    this.byName = new Map(this.fields.map((f) => [f.name, f]));
    if (this.type === 'struct' && this.byName.size !== this.fields.length) {
      throw new DataException(`Struct schema ${this.name ?? ''} has duplicate field names`);
    }
  }

  field(name: string): Field | undefined {
    return this.byName.get(name);
  }

  toString(): string {
    return this.name ? `Schema{${this.name}:${this.type.toUpperCase()}}` : `Schema{${this.type.toUpperCase()}}`;
  }
}

/** Fluent builder mirroring Kafka Connect's SchemaBuilder. */
export class SchemaBuilder {
  private readonly init: ConstructorParameters<typeof ConnectSchema>[0] & {
    fields: Array<{ name: string; schema: Schema }>;
  };

  constructor(type: SchemaType) {
    this.init = { type, fields: [] };
  }

  static int8(): SchemaBuilder {
    return new SchemaBuilder('int8');
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder('int16');
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder('int32');
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder('int64');
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder('float32');
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder('float64');
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder('boolean');
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder('string');
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder('bytes');
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder('struct');
  }
  static array(valueSchema: Schema): SchemaBuilder {
    const b = new SchemaBuilder('array');
    b.init.valueSchema = valueSchema;
    return b;
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    const b = new SchemaBuilder('map');
    b.init.keySchema = keySchema;
    b.init.valueSchema = valueSchema;
    return b;
  }
  /** A builder pre-filled with everything but the fields of an existing schema. */
  static from(schema: Schema): SchemaBuilder {
    const b = new SchemaBuilder(schema.type);
    Object.assign(b.init, {
      optional: schema.optional,
      defaultValue: schema.defaultValue,
      name: schema.name,
      version: schema.version,
      doc: schema.doc,
      parameters: schema.parameters ? { ...schema.parameters } : undefined,
      keySchema: schema.keySchema,
      valueSchema: schema.valueSchema,
    });
    return b;
  }

  get type(): SchemaType {
    return this.init.type;
  }

  optional(): this {
    this.init.optional = true;
    return this;
  }
  required(): this {
    this.init.optional = false;
    return this;
  }
  name(name: string): this {
    this.init.name = name;
    return this;
  }
  version(version: number): this {
    this.init.version = version;
    return this;
  }
  doc(doc: string): this {
    this.init.doc = doc;
    return this;
  }
  defaultValue(value: unknown): this {
    this.init.defaultValue = value;
    return this;
  }
  parameter(key: string, value: string): this {
    this.init.parameters = { ...(this.init.parameters ?? {}), [key]: value };
    return this;
  }
  parameters(params: Record<string, string>): this {
    this.init.parameters = { ...(this.init.parameters ?? {}), ...params };
    return this;
  }
  field(name: string, schema: Schema | SchemaBuilder): this {
    if (this.init.type !== 'struct')
      throw new DataException(`Cannot add field "${name}" to a non-struct schema of type ${this.init.type}`);
    if (this.init.fields.some((f) => f.name === name))
      throw new DataException(`Cannot create field because of field name duplication: ${name}`);
    this.init.fields.push({ name, schema: schema instanceof SchemaBuilder ? schema.build() : schema });
    return this;
  }

  build(): ConnectSchema {
    const schema = new ConnectSchema(this.init);
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      validateValue(schema, schema.defaultValue, 'default value');
    return schema;
  }
}

const p = (type: SchemaType, optional = false) => new ConnectSchema({ type, optional });

/** The predefined schemas of Kafka Connect's Schema interface. */
export const Schemas = {
  INT8: p('int8'),
  INT16: p('int16'),
  INT32: p('int32'),
  INT64: p('int64'),
  FLOAT32: p('float32'),
  FLOAT64: p('float64'),
  BOOLEAN: p('boolean'),
  STRING: p('string'),
  BYTES: p('bytes'),
  OPTIONAL_INT8: p('int8', true),
  OPTIONAL_INT16: p('int16', true),
  OPTIONAL_INT32: p('int32', true),
  OPTIONAL_INT64: p('int64', true),
  OPTIONAL_FLOAT32: p('float32', true),
  OPTIONAL_FLOAT64: p('float64', true),
  OPTIONAL_BOOLEAN: p('boolean', true),
  OPTIONAL_STRING: p('string', true),
  OPTIONAL_BYTES: p('bytes', true),
} as const;

// ---- validation --------------------------------------------------------------------------

const INT_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Validates a value against a schema the way ConnectSchema.validateValue does; throws DataException naming the path. */
export function validateValue(schema: Schema, value: unknown, path = 'value'): void {
  if (value === null || value === undefined) {
    if (schema.optional || schema.defaultValue !== undefined) return;
    throw new DataException(
      `Invalid value: null used for required field: "${path}", schema type: ${schema.type.toUpperCase()}`,
    );
  }
  const logical = schema.name ? LOGICAL_VALIDATORS.get(schema.name) : undefined;
  if (logical) {
    logical(schema, value, path);
    return;
  }
  switch (schema.type) {
    case 'int32':
      if (typeof value !== 'number' || (value | 0) !== value) fail(schema, value, path);
      return;
    case 'int8':
    case 'int16': {
      const [min, max] = INT_RANGES[schema.type];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
        fail(schema, value, path);
      return;
    }
    case 'int64':
      if (typeof value === 'bigint') {
        if (value < INT64_MIN || value > INT64_MAX) fail(schema, value, path);
        return;
      }
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(schema, value, path);
      return;
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') fail(schema, value, path);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(schema, value, path);
      return;
    case 'string':
      if (typeof value !== 'string') fail(schema, value, path);
      return;
    case 'bytes':
      if (!(value instanceof Uint8Array)) fail(schema, value, path);
      return;
    case 'array': {
      if (!Array.isArray(value)) fail(schema, value, path);
      const arr = value as unknown[];
      for (let i = 0; i < arr.length; i++) validateValue(schema.valueSchema!, arr[i], `${path}[${i}]`);
      return;
    }
    case 'map': {
      const entries = mapEntries(value);
      if (!entries) fail(schema, value, path);
      for (const [k, v] of entries!) {
        validateValue(schema.keySchema!, k, `${path}.<key>`);
        validateValue(schema.valueSchema!, v, `${path}[${String(k)}]`);
      }
      return;
    }
    case 'struct': {
      const s = value as { schema?: Schema; validate?: () => void };
      if (typeof s !== 'object' || typeof s.validate !== 'function' || !s.schema) fail(schema, value, path);
      if (!schemaEquals(s.schema!, schema)) {
        throw new DataException(
          `Struct schemas do not match at "${path}": expected ${describe(schema)}, got ${describe(s.schema!)}`,
        );
      }
      s.validate!();
      return;
    }
  }
}

/** A check of a value's JavaScript type that stands for validateValue's (see typeCheckOf). */
export type TypeCheck = 'string' | 'boolean' | 'number' | 'int32' | 'int64';

/**
 * For a schema whose non-null values validateValue checks by their JavaScript type alone, that
 * check ('string', 'boolean', 'number' for float32/64, 'int32', 'int64' for its safe-integer
 * numbers); null when validateValue must run (logical validators, int8/int16 ranges, bytes,
 * containers, bigints). Resolved once per schema by a caller that puts many values (a row builder);
 * `passesTypeCheck` then accepts exactly the values validateValue accepts without throwing.
 */
export function typeCheckOf(schema: Schema): TypeCheck | null {
  if (schema.name !== undefined && LOGICAL_VALIDATORS.has(schema.name)) return null;
  switch (schema.type) {
    case 'string':
    case 'boolean':
    case 'int32':
    case 'int64':
      return schema.type;
    case 'float32':
    case 'float64':
      return 'number';
    default:
      return null;
  }
}

/** Whether a non-null value passes the check (false: let validateValue decide, and name the error). */
export function passesTypeCheck(check: TypeCheck | null, value: unknown): boolean {
  switch (check) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'int32':
      return typeof value === 'number' && (value | 0) === value;
    case 'int64':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

function fail(schema: Schema, value: unknown, path: string): never {
  const got =
    value === null ? 'null' : value instanceof Uint8Array ? 'bytes' : Array.isArray(value) ? 'array' : typeof value;
  throw new DataException(
    `Invalid Java object for schema "${schema.name ?? schema.type.toUpperCase()}" with type ${schema.type.toUpperCase()}: ${got} (${preview(value)}) for field: "${path}"`,
  );
}

function preview(value: unknown): string {
  const s =
    typeof value === 'bigint'
      ? `${value}n`
      : typeof value === 'object'
        ? Object.prototype.toString.call(value)
        : String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function describe(schema: Schema): string {
  return schema.name ?? schema.type;
}

/** Map values may be a JS Map (any key type) or a plain object (string keys). */
export function mapEntries(value: unknown): Array<[unknown, unknown]> | undefined {
  if (value instanceof Map) return [...value.entries()];
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array))
    return Object.entries(value);
  return undefined;
}

const LOGICAL_VALIDATORS = new Map<string, (schema: Schema, value: unknown, path: string) => void>();

/** Lets logical types (Decimal, Date, ...) validate their own Java-object equivalents. */
export function registerLogicalValidator(
  name: string,
  validator: (schema: Schema, value: unknown, path: string) => void,
): void {
  LOGICAL_VALIDATORS.set(name, validator);
}

/** Structural equality, as ConnectSchema.equals. */
export function schemaEquals(a: Schema | undefined | null, b: Schema | undefined | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !shallowEqual(a.parameters, b.parameters) ||
    !valuesEqual(a.defaultValue, b.defaultValue)
  )
    return false;
  if (a.type === 'array') return schemaEquals(a.valueSchema, b.valueSchema);
  if (a.type === 'map') return schemaEquals(a.keySchema, b.keySchema) && schemaEquals(a.valueSchema, b.valueSchema);
  if (a.type === 'struct') {
    if (a.fields.length !== b.fields.length) return false;
    return a.fields.every((f, i) => f.name === b.fields[i].name && schemaEquals(f.schema, b.fields[i].schema));
  }
  return true;
}

function shallowEqual(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a![k] === b![k]);
}

/** Deep equality for Connect values (bytes by content, Dates by time, bigint vs number by value). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number.isInteger(a) || typeof a === 'bigint' ? BigInt(a as number) === BigInt(b as number) : a === b;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  if (typeof eq === 'function') return eq.call(a, b);
  const ea = mapEntries(a);
  const eb = mapEntries(b);
  if (ea && eb) {
    if (ea.length !== eb.length) return false;
    return ea.every(([k, v]) => {
      const match = eb.find(([k2]) => valuesEqual(k, k2));
      return match !== undefined && valuesEqual(v, match[1]);
    });
  }
  return false;
}
