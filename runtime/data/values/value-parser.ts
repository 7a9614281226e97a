/**
 * Kafka Connect's `Values.parseString` (connect-api 3.9: Values.Parser tokenizer, ValueParser and
 * SchemaMerger), which types InsertHeader's `value.literal`: the narrowest exact integer type
 * (`1.5e3` is INT16 1500), other numbers FLOAT32 when finite as a float, then FLOAT64, then
 * Decimal with the literal's own scale (`1e400`: scale -400); ISO date/time/timestamp; arrays and
 * maps with a merged non-optional element schema (numbers widened to it), or no element schema
 * when the elements disagree; anything else the original text.
 */
import { DataException } from '../../errors.ts';
import { ConnectSchema, Schemas, type Schema } from '../schema.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../logical.ts';
import { ISO_DATE, ISO_TIME, ISO_TIMESTAMP, type SimpleDateFormat } from './simple-date-format.ts';

export interface ParsedValue {
  schema: Schema | null;
  value: unknown;
}

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"']);
const isBlank = (s: string): boolean => s.trim() === '';
/** Java's String#trim: strips every char <= U+0020. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Values.Parser: tokens split at unescaped `: , { } [ ] "` (each delimiter its own token). */
class Parser {
  private index = 0;
  private nextToken: string | null = null;
  private previousToken: string | null = null;

  constructor(readonly original: string) {}

  position(): number {
    return this.index;
  }
  mark(): number {
    return this.index - (this.nextToken !== null ? this.nextToken.length : 0);
  }
  rewindTo(position: number): void {
    this.index = position;
    this.nextToken = null;
    this.previousToken = null;
  }
  hasNext(): boolean {
    return this.nextToken !== null || this.index < this.original.length;
  }
  previous(): string | null {
    return this.previousToken;
  }

  next(): string {
    if (this.nextToken !== null) {
      this.previousToken = this.nextToken;
      this.nextToken = null;
    } else {
      this.previousToken = this.consumeNextToken();
    }
    return this.previousToken;
  }

  nextN(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.slice(start, this.position());
  }

  private consumeNextToken(): string {
    let escaped = false;
    const start = this.index;
    while (this.index < this.original.length) {
      const c = this.original[this.index];
      if (c === '\\') escaped = !escaped;
      else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.index) return this.original.slice(start, this.index);
        this.index++;
        return this.original.slice(start, start + 1);
      } else escaped = false;
      this.index++;
    }
    return this.original.slice(start, this.index);
  }

  canConsume(expected: string): boolean {
    if (this.nextToken === null) {
      if (!this.hasNext()) return false;
      this.nextToken = this.consumeNextToken();
    }
    while (isBlank(this.nextToken) && this.index < this.original.length) this.nextToken = this.consumeNextToken();
    if (javaTrim(this.nextToken) !== expected) return false;
    this.nextToken = null;
    return true;
  }
}

const NUMERIC_RANK: Partial<Record<Schema['type'], number>> = {
  int8: 0,
  int16: 1,
  int32: 2,
  int64: 3,
  float32: 4,
  float64: 5,
};

/** Values.mergeSchemas: numbers widen to the wider type; other types must be equal. */
function mergeSchemas(previous: Schema, next: Schema): Schema | null {
  if (previous.type !== next.type) {
    const a = NUMERIC_RANK[previous.type];
    const b = NUMERIC_RANK[next.type];
    if (a === undefined || b === undefined) return null;
    return b > a ? next : previous;
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next;
  return null;
}

class SchemaMerger {
  private common: Schema | null = null;
  private compatible = true;
  merge(latest: ParsedValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return;
    if (this.common === null) this.common = latest.schema;
    else {
      this.common = mergeSchemas(this.common, latest.schema);
      this.compatible = this.common !== null;
    }
  }
  schema(): Schema | null {
    return this.common;
  }
}

/** Values.convertTo for the element alignment: numbers to the merged numeric type; null refused (the schema is required). */
function align(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined)
    throw new DataException('Unable to convert a null value to a schema that requires a value');
  if (schema.name !== undefined) return value;
  const n = typeof value === 'bigint' ? value : typeof value === 'number' ? value : null;
  if (n === null) return value;
  switch (schema.type) {
    case 'float32':
      return Math.fround(Number(n));
    case 'float64':
      return Number(n);
    default:
      return value;
  }
}

const TEMPORAL: Array<[number, SimpleDateFormat, () => Schema]> = [
  [13, ISO_TIME, () => ConnectTime.schema()],
  [24, ISO_TIMESTAMP, () => ConnectTimestamp.schema()],
  [10, ISO_DATE, () => ConnectDate.schema()],
];

function parseAsTemporal(token: string): ParsedValue | null {
  const t = token.replace(/\\:/g, ':');
  for (const [length, format, schema] of TEMPORAL) {
    if (t.length !== length) continue;
    try {
      return { schema: schema(), value: format.parse(t) };
    } catch {
      return null;
    }
  }
  return null;
}

/** Java's `new BigDecimal(text)`, or null where it throws NumberFormatException. */
function javaBigDecimal(text: string): BigDecimal | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = m[3] ?? '';
  return new BigDecimal(BigInt(`${m[1]}${m[2] || '0'}${frac}`), frac.length - Number(m[4] ?? '0'));
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function parseAsNumber(token: string): ParsedValue | null {
  const d = javaBigDecimal(token);
  if (d === null) return null;
  // An integral value within a long: the narrowest integer type.
  const pow = 10n ** BigInt(Math.abs(d.scale));
  const integral = d.scale <= 0 ? d.unscaled * pow : d.unscaled % pow === 0n ? d.unscaled / pow : null;
  if (integral !== null && integral >= LONG_MIN && integral <= LONG_MAX) {
    const n = Number(integral);
    if (integral >= -128n && integral <= 127n) return { schema: Schemas.INT8, value: n };
    if (integral >= -32768n && integral <= 32767n) return { schema: Schemas.INT16, value: n };
    if (integral >= -2147483648n && integral <= 2147483647n) return { schema: Schemas.INT32, value: n };
    return { schema: Schemas.INT64, value: Number.isSafeInteger(n) ? n : integral };
  }
  const double = Number(token);
  const float = Math.fround(double);
  if (Number.isFinite(float) && d.scale !== 0) return { schema: Schemas.FLOAT32, value: float };
  if (Number.isFinite(double) && d.scale !== 0) return { schema: Schemas.FLOAT64, value: double };
  return { schema: Decimal.schema(d.scale), value: d };
}

class ValueParser {
  constructor(private readonly parser: Parser) {}

  private singleToken(embedded: boolean, literal: string): boolean {
    const start = this.parser.mark();
    if (this.parser.canConsume(literal) && (embedded || !this.parser.hasNext())) return true;
    this.parser.rewindTo(start);
    return false;
  }

  parse(embedded: boolean): ParsedValue | null {
    const p = this.parser;
    if (!p.hasNext()) return null;
    if (embedded && p.canConsume('"')) return this.parseQuotedString();
    if (this.singleToken(embedded, 'null')) return null;
    if (this.singleToken(embedded, 'true')) return { schema: Schemas.BOOLEAN, value: true };
    if (this.singleToken(embedded, 'false')) return { schema: Schemas.BOOLEAN, value: false };
    const start = p.mark();
    try {
      if (p.canConsume('[')) return this.parseArray();
      if (p.canConsume('{')) return this.parseMap();
    } catch (err) {
      if (!(err instanceof DataException)) throw err;
      p.rewindTo(start);
    }
    const token = p.next();
    if (isBlank(token)) return { schema: Schemas.STRING, value: token };
    return this.parseNextToken(embedded, javaTrim(token));
  }

  private parseNextToken(embedded: boolean, token: string): ParsedValue {
    const first = token[0];
    const digit = /\p{Nd}/u.test(first);
    if (digit) {
      const position = this.parser.mark();
      const remainder = this.parser.nextN(4);
      const temporal =
        (remainder !== null ? parseAsTemporal(token + remainder) : null) ??
        (this.parser.rewindTo(position), parseAsTemporal(token));
      if (temporal) return temporal;
    }
    if (digit || first === '+' || first === '-') {
      const n = parseAsNumber(token);
      if (n) return n;
    }
    if (embedded) throw new DataException('Failed to parse embedded value');
    return { schema: Schemas.STRING, value: this.parser.original };
  }

  private parseQuotedString(): ParsedValue {
    let content = '';
    while (this.parser.hasNext()) {
      if (this.parser.canConsume('"')) break;
      content += this.parser.next();
    }
    return parseAsTemporal(content) ?? { schema: Schemas.STRING, value: content };
  }

  private parseArray(): ParsedValue {
    const p = this.parser;
    const result: unknown[] = [];
    const merger = new SchemaMerger();
    while (p.hasNext()) {
      if (p.canConsume(']')) {
        const element = merger.schema();
        // No element schema when every element is null or the elements disagree (Kafka's arrayOfNull).
        const schema = new ConnectSchema({ type: 'array', valueSchema: element ?? undefined });
        return { schema, value: element ? result.map((v) => align(element, v)) : result };
      }
      if (p.canConsume(',')) throw new DataException(`Unable to parse an empty array element: ${p.original}`);
      const element = this.parse(true);
      merger.merge(element);
      result.push(element ? element.value : null);
      const current = p.mark();
      if (p.canConsume(']')) p.rewindTo(current);
      else if (!p.canConsume(',')) throw new DataException("Array elements missing ',' delimiter");
    }
    if (p.previous() === ',') throw new DataException(`Array is missing element after ',': ${p.original}`);
    throw new DataException(`Array is missing terminating ']': ${p.original}`);
  }

  private parseMap(): ParsedValue {
    const p = this.parser;
    const entries: Array<[unknown, unknown]> = [];
    const keys = new SchemaMerger();
    const values = new SchemaMerger();
    while (p.hasNext()) {
      if (p.canConsume('}')) {
        const ks = keys.schema();
        const vs = ks ? values.schema() : null;
        const aligned = entries.map(([k, v]): [unknown, unknown] => [ks ? align(ks, k) : k, vs ? align(vs, v) : v]);
        const schema = new ConnectSchema({ type: 'map', keySchema: ks ?? undefined, valueSchema: vs ?? undefined });
        const value = ks?.type === 'string' ? Object.fromEntries(aligned) : new Map(aligned);
        return { schema, value };
      }
      if (p.canConsume(',')) throw new DataException(`Unable to parse a map entry with no key or value: ${p.original}`);
      const key = this.parse(true);
      if (key === null || key.value === null)
        throw new DataException(`Map entry may not have a null key: ${p.original}`);
      if (!p.canConsume(':')) throw new DataException(`Map entry is missing ':' at ${p.position()} in ${p.original}`);
      const value = this.parse(true);
      entries.push([key.value, value ? value.value : null]);
      p.canConsume(',');
      keys.merge(key);
      values.merge(value);
    }
    if (p.previous() === ',') throw new DataException(`Map is missing element after ',': ${p.original}`);
    throw new DataException(`Map is missing terminating '}': ${p.original}`);
  }
}

/** Values.parseString: `{schema: null, value: null}` for the literal `null`. */
export function parseValueString(text: string): ParsedValue {
  if (text === '') return { schema: Schemas.STRING, value: '' };
  return new ValueParser(new Parser(text)).parse(false) ?? { schema: null, value: null };
}
