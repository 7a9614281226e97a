/**
 * Evaluation of parsed expressions over a record's bindings. Values are Connect values (Struct,
 * plain objects / Maps, arrays, strings, numbers, bigints, BigDecimal, Date, bytes) plus the
 * record's schemas and headers. Semantics follow Groovy (jsr223.groovy, tributary.expr) or
 * JavaScript (jsr223.graal.js) where they differ: equality between strings and numbers, truthiness,
 * what `&&`/`||` return and how null compares. Reading a property of null without `?.` fails, as it
 * does in both languages.
 */
import {
  Struct,
  Headers,
  type Header,
  BigDecimal,
  ConnectSchema,
  valuesEqual,
  type Field,
  type Schema,
} from '../../sdk/data.ts';
import { compileJavaRegex } from '../../sdk/java-regex.ts';
import { javaToString } from '../../sdk/internal/java-format.ts';
import type { Node } from './parser.ts';

export type Language = 'groovy' | 'js' | 'expr';

export interface Bindings {
  value: unknown;
  key: unknown;
  valueSchema: Schema | null;
  keySchema: Schema | null;
  topic: string;
  headers: Headers;
  partition: number | null;
  timestamp: number | null;
}

/** A header as the expression sees it (Debezium's RecordHeader): `.value`, `.schema`, `.key`. */
class RecordHeader {
  constructor(readonly header: Header) {}
}

class HeaderMap {
  constructor(readonly headers: Headers) {}
  get(name: string): RecordHeader | null {
    const h = this.headers.lastWithName(name);
    return h ? new RecordHeader(h) : null;
  }
}

class EvalError extends Error {}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Struct) return 'Struct';
  if (v instanceof ConnectSchema) return 'Schema';
  if (v instanceof HeaderMap) return 'headers';
  if (v instanceof RecordHeader) return 'header';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'Date';
  if (v instanceof BigDecimal) return 'BigDecimal';
  return typeof v === 'object' ? 'map' : typeof v;
}

function isSchema(v: unknown): v is Schema {
  return v instanceof ConnectSchema;
}

function isField(v: unknown): v is Field {
  return (
    typeof v === 'object' && v !== null && 'index' in v && 'schema' in v && 'name' in v && !(v instanceof ConnectSchema)
  );
}

function isNumeric(v: unknown): v is number | bigint | BigDecimal {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof BigDecimal;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof BigDecimal) return v.toNumber();
  if (v instanceof Date) return v.getTime();
  throw new EvalError(`Expected a number but found ${typeName(v)} (${String(v)})`);
}

function mapGet(obj: unknown, key: unknown): unknown {
  if (obj instanceof Map) return obj.get(key) ?? null;
  return (obj as Record<string, unknown>)[String(key)] ?? null;
}

function isMap(v: unknown): boolean {
  return v instanceof Map || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype);
}

function structGet(s: Struct, name: string): unknown {
  const f = s.schema.field(name);
  if (!f)
    throw new EvalError(`${name} is not a valid field name (fields: ${s.schema.fields.map((x) => x.name).join(', ')})`);
  return s.get(f);
}

function schemaProperty(s: Schema, name: string): unknown {
  switch (name) {
    case 'name':
      return s.name ?? null;
    case 'version':
      return s.version ?? null;
    case 'type':
      return s.type.toUpperCase();
    case 'doc':
      return s.doc ?? null;
    case 'optional':
    case 'isOptional':
      return s.optional;
    case 'fields':
      return [...s.fields];
    case 'parameters':
      return s.parameters ? { ...s.parameters } : null;
    case 'defaultValue':
      return s.defaultValue ?? null;
    case 'keySchema':
      return s.keySchema ?? null;
    case 'valueSchema':
      return s.valueSchema ?? null;
  }
  throw new EvalError(`No such property: ${name} for a Schema`);
}

function member(obj: unknown, name: string, safe: boolean): unknown {
  if (obj === null || obj === undefined) {
    if (safe) return null;
    throw new EvalError(`Cannot get property '${name}' on null object`);
  }
  if (obj instanceof Struct) return structGet(obj, name);
  if (obj instanceof HeaderMap) return obj.get(name);
  if (obj instanceof RecordHeader) {
    if (name === 'value') return obj.header.value ?? null;
    if (name === 'schema') return obj.header.schema ?? null;
    if (name === 'key') return obj.header.key;
  }
  if (isSchema(obj)) return schemaProperty(obj, name);
  if (isField(obj) && (name === 'name' || name === 'schema' || name === 'index')) return obj[name];
  if (isMap(obj)) return mapGet(obj, name);
  if ((typeof obj === 'string' || Array.isArray(obj)) && name === 'length') return obj.length;
  if (Array.isArray(obj) && name === 'size') return obj.length;
  throw new EvalError(`No such property: ${name} for ${typeName(obj)}`);
}

function index(obj: unknown, idx: unknown, safe: boolean): unknown {
  if (obj === null || obj === undefined) {
    if (safe) return null;
    throw new EvalError(`Cannot get [${String(idx)}] on null object`);
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    const i = toNumber(idx);
    const at = i < 0 ? obj.length + i : i;
    return at >= 0 && at < obj.length ? obj[at] : null;
  }
  return member(obj, String(idx), safe);
}

function equal(a: unknown, b: unknown, lang: Language): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return toNumber(a) === toNumber(b);
  }
  if (lang === 'js') {
    if ((isNumeric(a) && typeof b === 'string') || (typeof a === 'string' && isNumeric(b)))
      return toNumber(isNumeric(a) ? a : Number(a)) === toNumber(isNumeric(b) ? b : Number(b));
    if (typeof a === 'boolean' && isNumeric(b)) return Number(a) === toNumber(b);
    if (typeof b === 'boolean' && isNumeric(a)) return Number(b) === toNumber(a);
  }
  if (a instanceof Struct) return a.equals(b);
  if (a instanceof RecordHeader && b instanceof RecordHeader) return a.header === b.header;
  return valuesEqual(a, b);
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function compare(a: unknown, b: unknown, op: string, lang: Language): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    if (lang === 'expr') return false;
    if (lang === 'js') return compare(a ?? 0, b ?? 0, op, 'expr');
    // Groovy: null is smaller than any value.
    const c = (a ?? null) === (b ?? null) ? 0 : a === null || a === undefined ? -1 : 1;
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else if ((isNumeric(a) || a instanceof Date) && (isNumeric(b) || b instanceof Date))
    [x, y] = [toNumber(a), toNumber(b)];
  else if (lang === 'js') [x, y] = [Number(a), Number(b)];
  else throw new EvalError(`Cannot compare ${typeName(a)} with ${typeName(b)}`);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

function contains(container: unknown, item: unknown, lang: Language): boolean {
  if (container === null || container === undefined) return false;
  if (typeof container === 'string') return item !== null && container.includes(String(item));
  if (Array.isArray(container)) return container.some((x) => equal(x, item, lang));
  if (container instanceof Map) return container.has(item);
  if (container instanceof Struct) return typeof item === 'string' && container.schema.field(item) !== undefined;
  if (isMap(container)) return Object.prototype.hasOwnProperty.call(container, String(item));
  throw new EvalError(`Cannot test membership in ${typeName(container)}`);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) throw new EvalError('Expected a string but found null');
  return javaToString(v);
}

function call(obj: unknown, method: string, args: unknown[], safe: boolean, lang: Language): unknown {
  if (obj === null || obj === undefined) {
    if (safe) return null;
    throw new EvalError(`Cannot invoke method ${method}() on null object`);
  }
  const arg = (i: number) => args[i] ?? null;
  if (method === 'toString') return javaToString(obj);
  if (method === 'equals') return equal(obj, arg(0), lang);
  if (obj instanceof Struct) {
    if (method === 'schema') return obj.schema;
    if (method === 'getWithoutDefault')
      return obj.schema.field(str(arg(0))) ? obj.getWithoutDefault(str(arg(0))) : structGet(obj, str(arg(0)));
    if (method === 'get' || (method.startsWith('get') && method !== 'get')) return structGet(obj, str(arg(0)));
  }
  if (obj instanceof HeaderMap) {
    if (method === 'get' || method === 'lastWithName') return obj.get(str(arg(0)));
    if (method === 'containsKey' || method === 'has') return obj.get(str(arg(0))) !== null;
    if (method === 'size') return obj.headers.size;
    if (method === 'isEmpty') return obj.headers.size === 0;
  }
  if (obj instanceof RecordHeader && (method === 'key' || method === 'schema')) return member(obj, method, false);
  if (isSchema(obj)) {
    if (method === 'field') return obj.field(str(arg(0))) ?? null;
    if (['name', 'version', 'type', 'doc', 'isOptional', 'fields', 'parameters'].includes(method))
      return schemaProperty(obj, method);
  }
  if (isField(obj) && (method === 'name' || method === 'schema' || method === 'index')) return obj[method];
  if (typeof obj === 'string') {
    switch (method) {
      case 'startsWith':
        return obj.startsWith(str(arg(0)));
      case 'endsWith':
        return obj.endsWith(str(arg(0)));
      case 'contains':
      case 'includes':
        return obj.includes(str(arg(0)));
      case 'indexOf':
        return obj.indexOf(str(arg(0)));
      case 'matches':
        return compileJavaRegex(str(arg(0)), 'expression').matches(obj);
      case 'test':
        return compileJavaRegex(obj, 'expression').find(str(arg(0))) !== null;
      case 'equalsIgnoreCase':
        return arg(0) !== null && obj.toLowerCase() === str(arg(0)).toLowerCase();
      case 'toUpperCase':
        return obj.toUpperCase();
      case 'toLowerCase':
        return obj.toLowerCase();
      case 'trim':
        return obj.trim();
      case 'length':
      case 'size':
        return obj.length;
      case 'isEmpty':
        return obj.length === 0;
      case 'substring':
        return args.length > 1 ? obj.substring(toNumber(arg(0)), toNumber(arg(1))) : obj.substring(toNumber(arg(0)));
      case 'charAt':
        return obj.charAt(toNumber(arg(0)));
      case 'replace':
        return obj.split(str(arg(0))).join(str(arg(1)));
      case 'concat':
        return obj + str(arg(0));
    }
  }
  if (Array.isArray(obj)) {
    switch (method) {
      case 'size':
      case 'length':
        return obj.length;
      case 'isEmpty':
        return obj.length === 0;
      case 'contains':
      case 'includes':
        return obj.some((x) => equal(x, arg(0), lang));
      case 'indexOf':
        return obj.findIndex((x) => equal(x, arg(0), lang));
      case 'get':
        return index(obj, arg(0), false);
    }
  }
  if (isMap(obj)) {
    switch (method) {
      case 'get':
        return mapGet(obj, arg(0));
      case 'containsKey':
      case 'has':
        return contains(obj, arg(0), lang);
      case 'size':
        return obj instanceof Map ? obj.size : Object.keys(obj as object).length;
      case 'isEmpty':
        return (obj instanceof Map ? obj.size : Object.keys(obj as object).length) === 0;
    }
  }
  if (isNumeric(obj)) {
    switch (method) {
      case 'intValue':
      case 'longValue':
        return Math.trunc(toNumber(obj));
      case 'doubleValue':
      case 'floatValue':
        return toNumber(obj);
    }
  }
  throw new EvalError(`No method ${method}() for ${typeName(obj)}`);
}

function arithmetic(op: string, l: unknown, r: unknown, lang: Language): unknown {
  if (op === '+' && (typeof l === 'string' || typeof r === 'string')) {
    const s = (v: unknown) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? v : javaToString(v));
    return s(l) + s(r);
  }
  if (l === null || l === undefined || r === null || r === undefined) {
    if (lang === 'js') return arithmetic(op, l ?? 0, r ?? 0, lang);
    throw new EvalError(`Cannot apply ${op} to null`);
  }
  const x = toNumber(l);
  const y = toNumber(r);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    default:
      return x % y;
  }
}

export function evaluate(n: Node, env: Bindings, lang: Language): unknown {
  switch (n.kind) {
    case 'literal':
      return n.value;
    case 'var':
      if (n.name === 'headers' || n.name === 'header') return new HeaderMap(env.headers);
      return (env as unknown as Record<string, unknown>)[n.name] ?? null;
    case 'list':
      return n.items.map((i) => evaluate(i, env, lang));
    case 'member':
      return member(evaluate(n.object, env, lang), n.name, n.safe);
    case 'index':
      return index(evaluate(n.object, env, lang), evaluate(n.index, env, lang), n.safe);
    case 'call':
      return call(
        evaluate(n.object, env, lang),
        n.method,
        n.args.map((a) => evaluate(a, env, lang)),
        n.safe,
        lang,
      );
    case 'unary': {
      const v = evaluate(n.arg, env, lang);
      return n.op === '!' ? !truthy(v) : -toNumber(v);
    }
    case 'ternary':
      return truthy(evaluate(n.test, env, lang)) ? evaluate(n.then, env, lang) : evaluate(n.else, env, lang);
    case 'logical': {
      const l = evaluate(n.left, env, lang);
      switch (n.op) {
        case '&&':
          return lang === 'js'
            ? truthy(l)
              ? evaluate(n.right, env, lang)
              : l
            : truthy(l) && truthy(evaluate(n.right, env, lang));
        case '||':
          return lang === 'js'
            ? truthy(l)
              ? l
              : evaluate(n.right, env, lang)
            : truthy(l) || truthy(evaluate(n.right, env, lang));
        case '?:':
          return truthy(l) ? l : evaluate(n.right, env, lang);
        case '??':
          return l !== null && l !== undefined ? l : evaluate(n.right, env, lang);
      }
      return null;
    }
    case 'binary': {
      const l = evaluate(n.left, env, lang);
      const r = evaluate(n.right, env, lang);
      switch (n.op) {
        case '==':
          return equal(l, r, lang);
        case '!=':
          return !equal(l, r, lang);
        case '===':
          return equal(l, r, 'expr') && (lang !== 'js' || typeof l === typeof r || (isNumeric(l) && isNumeric(r)));
        case '!==':
          return !(equal(l, r, 'expr') && (lang !== 'js' || typeof l === typeof r || (isNumeric(l) && isNumeric(r))));
        case '==~':
          return l !== null && compileJavaRegex(str(r), 'expression').matches(str(l));
        case '=~':
          return l !== null && compileJavaRegex(str(r), 'expression').find(str(l)) !== null;
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(l, r, n.op, lang);
        case 'in':
          return contains(r, l, lang);
        case '!in':
          return !contains(r, l, lang);
        default:
          return arithmetic(n.op, l, r, lang);
      }
    }
  }
}

export function isEvalError(err: unknown): err is Error {
  return err instanceof EvalError;
}
