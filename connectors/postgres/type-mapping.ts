/**
 * PostgreSQL type → Connect schema and text value → Connect value, as Debezium's
 * PostgresValueConverter maps them under decimal/time/binary/interval/hstore handling modes.
 * `zero` is the value Debezium falls back to (function defaults, NOT NULL columns absent from a
 * key-only old tuple); `placeholder` stands for an unchanged TOASTed value. Numeric and money
 * mappings are in `numeric-mappings.ts`, the temporal ones in `temporal-mappings.ts`.
 */
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import { SemanticTypes } from '../shared/debezium/index.ts';
import type { PgType, TypeRegistry } from './type-registry.ts';
import * as T from './text-values.ts';
import { java17DoubleToString } from '../../sdk/internal/java-format.ts';
import { type MappingSettings, type TypeMapping, simple } from './type-mapping-model.ts';
import { moneyMapping, numericMapping } from './numeric-mappings.ts';
import {
  dateMapping,
  intervalMapping,
  timeMapping,
  timestampMapping,
  timestamptzMapping,
  timetzMapping,
} from './temporal-mappings.ts';

export type { MappingSettings, TypeMapping };

/** Built-in type OIDs (pg_type.dat). */
export const Oid = {
  BOOL: 16,
  BYTEA: 17,
  CHAR: 18,
  NAME: 19,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  OID: 26,
  JSON: 114,
  XML: 142,
  POINT: 600,
  CIDR: 650,
  FLOAT4: 700,
  FLOAT8: 701,
  MACADDR8: 774,
  MONEY: 790,
  MACADDR: 829,
  INET: 869,
  BPCHAR: 1042,
  VARCHAR: 1043,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INTERVAL: 1186,
  TIMETZ: 1266,
  BIT: 1560,
  VARBIT: 1562,
  NUMERIC: 1700,
  UUID: 2950,
  TSVECTOR: 3614,
  JSONB: 3802,
  INT4RANGE: 3904,
  NUMRANGE: 3906,
  TSRANGE: 3908,
  TSTZRANGE: 3910,
  DATERANGE: 3912,
  INT8RANGE: 3926,
} as const;

function int64Value(text: string): number | bigint {
  const n = T.parseIntegerText(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function bytesMapping(s: MappingSettings, fromText: (t: string) => Buffer): TypeMapping {
  const ph = Buffer.from(s.unavailableValuePlaceholder, 'utf8');
  switch (s.binaryMode) {
    case 'bytes':
      return simple(() => SchemaBuilder.bytes(), fromText, Buffer.alloc(0), ph);
    case 'base64':
      return simple(
        () => SchemaBuilder.string(),
        (t) => fromText(t).toString('base64'),
        '',
        ph.toString('base64'),
      );
    case 'base64-url-safe':
      return simple(
        () => SchemaBuilder.string(),
        (t) => base64Url(fromText(t)),
        '',
        base64Url(ph),
      );
    case 'hex':
      return simple(
        () => SchemaBuilder.string(),
        (t) => fromText(t).toString('hex'),
        '',
        ph.toString('hex'),
      );
  }
}

/** Java's Base64.getUrlEncoder(): URL alphabet with padding. */
function base64Url(b: Buffer): string {
  const s = b.toString('base64url');
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}

/** java.util.BitSet.toByteArray: little-endian, without trailing zero bytes (all zeros: empty). */
function bitSetBytes(text: string): Buffer {
  const b = T.bitsToLittleEndian(text, 0);
  let n = b.length;
  while (n > 0 && b[n - 1] === 0) n--;
  return b.subarray(0, n);
}

function bitMapping(oid: number, typmod: number, s: MappingSettings): TypeMapping {
  if (oid === Oid.BIT && typmod === 1)
    return simple(
      () => SchemaBuilder.bool(),
      (t) => t === '1',
      false,
    );
  const length = typmod > 0 ? typmod : 2147483647;
  void s;
  return simple(() => SemanticTypes.bits(length), bitSetBytes, Buffer.alloc(0));
}

function hstoreMapping(s: MappingSettings): TypeMapping {
  if (s.hstoreMode === 'map') {
    return simple(
      () => SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_STRING),
      (t) => new Map(T.parseHstore(t)),
      new Map(),
    );
  }
  return simple(
    () => SemanticTypes.json(),
    (t) => JSON.stringify(Object.fromEntries(T.parseHstore(t))),
    '{}',
    s.unavailableValuePlaceholder,
  );
}

function pointMapping(): TypeMapping {
  const schema = SemanticTypes.point().build();
  return simple(
    () => SemanticTypes.point(),
    (t) => {
      const { x, y } = T.parsePoint(t);
      return new Struct(schema).put('x', x).put('y', y).put('wkb', T.pointWkb(x, y)).put('srid', null);
    },
    undefined,
  );
}

const stringMapping = (
  s: MappingSettings,
  builder: () => SchemaBuilder = () => SchemaBuilder.string(),
  zero: unknown = '',
): TypeMapping => simple(builder, (t) => t, zero, s.unavailableValuePlaceholder);

function builtinMapping(oid: number, typmod: number, s: MappingSettings): TypeMapping | undefined {
  switch (oid) {
    case Oid.BOOL:
      return simple(
        () => SchemaBuilder.bool(),
        (t) => t === 't',
        false,
      );
    case Oid.INT2:
      return simple(() => SchemaBuilder.int16(), T.parseIntegerText, 0);
    case Oid.INT4:
      return simple(() => SchemaBuilder.int32(), T.parseIntegerText, 0);
    case Oid.INT8:
    case Oid.OID:
      return simple(() => SchemaBuilder.int64(), int64Value, 0);
    case Oid.FLOAT4:
      return simple(() => SchemaBuilder.float32(), Number, 0);
    case Oid.FLOAT8:
      return simple(() => SchemaBuilder.float64(), Number, 0);
    case Oid.NUMERIC:
      return numericMapping(typmod, s);
    case Oid.MONEY:
      return moneyMapping(s);
    case Oid.TEXT:
    case Oid.VARCHAR:
    case Oid.BPCHAR:
    case Oid.CHAR:
    case Oid.NAME:
    case Oid.INET:
    case Oid.CIDR:
    case Oid.MACADDR:
    case Oid.MACADDR8:
    case Oid.INT4RANGE:
    case Oid.INT8RANGE:
    case Oid.NUMRANGE:
    case Oid.TSRANGE:
    case Oid.TSTZRANGE:
    case Oid.DATERANGE:
      return stringMapping(s);
    case Oid.JSON:
    case Oid.JSONB:
      return stringMapping(s, () => SemanticTypes.json(), '{}');
    case Oid.XML:
      return stringMapping(s, () => SemanticTypes.xml());
    case Oid.UUID:
      return simple(
        () => SemanticTypes.uuid(),
        (t) => t,
        '00000000-0000-0000-0000-000000000000',
      );
    case Oid.TSVECTOR:
      return stringMapping(s, () => SemanticTypes.tsvector());
    case Oid.BYTEA:
      return bytesMapping(s, T.parseBytea);
    case Oid.DATE:
      return dateMapping(s);
    case Oid.TIME:
      return timeMapping(typmod, s);
    case Oid.TIMETZ:
      return timetzMapping();
    case Oid.TIMESTAMP:
      return timestampMapping(typmod, s);
    case Oid.TIMESTAMPTZ:
      return timestamptzMapping(typmod);
    case Oid.INTERVAL:
      return intervalMapping(s);
    case Oid.BIT:
    case Oid.VARBIT:
      return bitMapping(oid, typmod, s);
    case Oid.POINT:
      return pointMapping();
    default:
      return undefined;
  }
}

function arrayMapping(element: TypeMapping, s: MappingSettings): TypeMapping {
  const elementSchema = element.builder().optional().build();
  return simple(
    () => SchemaBuilder.array(elementSchema),
    (t) => T.parseArrayLiteral(t).map((e) => (e === null ? null : element.fromText(e))),
    [],
    typeof element.placeholder === 'string' ? [s.unavailableValuePlaceholder] : undefined,
  );
}

/** The mapping for a column type, or undefined for a type Debezium would leave out (unknown types). */
export function mappingFor(
  types: TypeRegistry,
  oid: number,
  typmod: number,
  s: MappingSettings,
): TypeMapping | undefined {
  const builtin = builtinMapping(oid, typmod, s);
  if (builtin) return builtin;
  const t: PgType | undefined = types.get(oid);
  if (!t) return unknownMapping(s);
  if (GEOMETRIC_OIDS.has(oid)) return unknownMapping(s, javaGeometryText);
  if (t.kind === 'e') return stringMapping(s, () => SemanticTypes.enumeration(t.enumLabels));
  if (t.kind === 'd') return mappingFor(types, t.baseOid, typmod >= 0 ? typmod : t.baseTypmod, s);
  if (t.kind === 'r' || t.kind === 'm') return stringMapping(s);
  if (t.category === 'A' && t.elementOid !== 0) {
    const element = mappingFor(types, t.elementOid, typmod, s);
    return element ? arrayMapping(element, s) : unknownMapping(s);
  }
  switch (t.name) {
    case 'citext':
      return stringMapping(s);
    case 'ltree':
      return stringMapping(s, () => SemanticTypes.ltree());
    case 'hstore':
      return hstoreMapping(s);
    case 'isbn':
    case 'isbn13':
    case 'ismn':
    case 'issn':
    case 'ean13':
    case 'upc':
      return stringMapping(s);
    default:
      return unknownMapping(s);
  }
}

/** lseg, path, box, polygon, line, circle: unknown to Debezium, passed on as pgjdbc's PG* objects print. */
const GEOMETRIC_OIDS: ReadonlySet<number> = new Set([601, 602, 603, 604, 628, 718]);

/** pgjdbc's PGbox/PGpath/… toString: the server's text with each coordinate as Java's Double.toString. */
function javaGeometryText(t: string): string {
  return t.replace(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|-?Infinity|NaN/gi, (n) => java17DoubleToString(Number(n)));
}

function unknownMapping(s: MappingSettings, text: (t: string) => string = (t) => t): TypeMapping | undefined {
  if (!s.includeUnknownDatatypes) return undefined;
  return simple(
    () => SchemaBuilder.bytes(),
    (t) => Buffer.from(text(t), 'utf8'),
    Buffer.alloc(0),
    Buffer.from(s.unavailableValuePlaceholder, 'utf8'),
  );
}

/** Types whose defaults Debezium's PostgresDefaultValueConverter does not parse: their schemas carry none. */
const NO_DEFAULT_TYPES: ReadonlySet<number> = new Set([Oid.MONEY, Oid.BYTEA, Oid.TIMETZ]);

/**
 * A column default expression → Connect default: literals are converted like values; function
 * calls (now(), nextval(…)) become the type's zero value, as Debezium does; NULL → none.
 */
export function defaultValueFor(expr: string | null, mapping: TypeMapping, typeOid?: number): unknown {
  if (expr === null) return undefined;
  if (typeOid !== undefined && NO_DEFAULT_TYPES.has(typeOid)) return undefined;
  let e = expr.trim();
  while (e.startsWith('(') && e.endsWith(')')) e = e.slice(1, -1).trim();
  if (/^NULL(::.*)?$/i.test(e)) return undefined;
  const literal = /^'((?:[^']|'')*)'(::[\w\s."[\]()]+)*$/.exec(e);
  let text: string | undefined;
  if (literal) text = literal[1].replace(/''/g, "'");
  else if (/^-?\d+(\.\d+)?(::[\w\s."[\]()]+)*$/.test(e)) text = e.replace(/::.*$/, '');
  else if (/^(true|false)$/i.test(e)) text = e.toLowerCase() === 'true' ? 't' : 'f';
  if (text === undefined) return mapping.zero;
  try {
    if (mapping.builder().type === 'boolean' && (text === 'true' || text === 'false'))
      text = text === 'true' ? 't' : 'f';
    return mapping.fromText(text);
  } catch (err) {
    if (err instanceof DataException) return mapping.zero;
    throw err;
  }
}

export type { Schema };
