/**
 * A struct schema's JSON payload writer generated as one JavaScript function (`new Function`, once
 * per schema, for schemas that have written enough values: see JsonValueWriter.tieredStructWriter):
 * the field-name bytes are constants stored in place, each field's null/default rule
 * and type encoding are chosen at generation time (no per-field dispatch, closure or prefix copy),
 * a nested struct is a call to its schema's own generated function (one compiled function per
 * schema, shared by every envelope holding it: inlining them made each table's envelope function
 * several times larger for a few percent), and the output room is checked once for all fixed-size
 * parts plus once per variable-size value (strings, bigint text, fields written by another writer).
 * Byte for byte what the general path (JsonValueWriter.valueToJson) and the field-loop writer
 * write; a struct too wide for one function (V8 leaves big functions unoptimized) gets no writer.
 */
import { DataException } from '../errors.ts';
import type { Schema } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, Decimal } from '../data/logical.ts';
import { typeError } from './json-data-errors.ts';
import type { JsonBytes } from './json-bytes.ts';
import {
  NUMBER_ROOM,
  jacksonQuote,
  stringRoom,
  writeAscii,
  writeDouble,
  writeFloat,
  writeNumber,
  writeString,
} from './json-byte-writers.ts';
import { SMALL_DECIMAL_ROOM, writeSmallDecimal } from './json-small-decimal.ts';

/** Serializes one value of a schema into the byte sink. */
export type JsonPayloadWriter = (value: unknown, path: string, out: JsonBytes) => void;

/** How a struct field's value is written. */
export const FieldKind = {
  Other: 0,
  Int32: 1,
  Int64: 2,
  Float32: 3,
  Float64: 4,
  Boolean: 5,
  String: 6,
  DecimalBase64: 7,
  Struct: 8,
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

export interface StructWriterContext {
  readonly replaceNullWithDefault: boolean;
  kindOf(schema: Schema): FieldKind;
  /** The writer of any schema (fields written through another writer). */
  writerFor(schema: Schema): JsonPayloadWriter;
  /** The writer of a struct schema's non-null values (nested struct fields). */
  structWriterFor(schema: Schema): JsonPayloadWriter;
}

/** Fields written by one generated function (V8 does not optimize very large functions). */
const FIELD_BUDGET = 300;

/** The generated writer of a struct schema, or null when its own fields exceed FIELD_BUDGET. */
export function compileStructWriter(schema: Schema, ctx: StructWriterContext): JsonPayloadWriter | null {
  if (schema.fields.length > FIELD_BUDGET) return null;
  return new Generator(ctx).compile(schema);
}

/** A room check rendered once the fixed bytes after it are known. */
interface RoomCheck {
  /** Fixed bytes counted before the check. */
  readonly at: number;
  /** The variable-size part, a JavaScript expression ('' for none). */
  readonly extra: string;
}

const HELPERS = {
  Struct,
  BigDecimal,
  DataException,
  typeError,
  writeAscii,
  writeDouble,
  writeFloat,
  writeNumber,
  writeString,
  writeSmallDecimal,
  stringRoom,
};

class Generator {
  private readonly lines: Array<string | RoomCheck> = [];
  private readonly constants: unknown[] = [];
  private readonly state: string[] = [];
  /** Constant bytes not yet stored. */
  private pending: number[] = [];
  /** Fixed-size bytes (constants, numbers, null) counted so far, both branches of every null test. */
  private fixed = 0;
  private vars = 0;

  constructor(private readonly ctx: StructWriterContext) {}

  compile(schema: Schema): JsonPayloadWriter {
    const s = this.constant(schema);
    this.emit(`if (!(v instanceof Struct)) throw typeError(${s}, v, path);`);
    this.emit('let buf = out.slab;', 'let p = out.pos;', 'let x;');
    this.check('');
    this.structBody(schema, 'v');
    this.flush();
    this.emit('out.pos = p;');
    const total = this.fixed;
    const body = this.lines
      .map((l) => {
        if (typeof l === 'string') return l;
        const room = `${total - l.at}${l.extra === '' ? '' : ` + ${l.extra}`}`;
        return `if (p + ${room} > buf.length) { out.pos = p; out.ensure(${room}); buf = out.slab; p = out.pos; }`;
      })
      .join('\n');
    const source = [
      `const { ${Object.keys(HELPERS).join(', ')} } = H;`,
      ...this.constants.map((_, i) => `const c${i} = C[${i}];`),
      ...this.state,
      `return function writeStruct(v, path, out) {\n${body}\n};`,
    ].join('\n');
    return new Function('H', 'C', source)(HELPERS, this.constants) as JsonPayloadWriter;
  }

  private structBody(schema: Schema, struct: string): void {
    const fields = schema.fields;
    if (fields.length === 0) this.bytes('{');
    fields.forEach((f, i) => {
      this.bytes(`${i === 0 ? '{' : ','}${jacksonQuote(f.name)}:`);
      this.field(f.schema, f.name, `${struct}.valueAt(${f.index})`);
    });
    this.bytes('}');
  }

  private field(fs: Schema, name: string, read: string): void {
    const hasDefault = fs.defaultValue !== undefined && fs.defaultValue !== null;
    this.flush();
    this.emit(`x = ${read};`);
    if (hasDefault && this.ctx.replaceNullWithDefault) {
      this.emit(`if (x === null) x = ${this.constant(fs.defaultValue)};`);
      this.value(fs, name);
    } else if (fs.optional) {
      this.emit('if (x === null) {');
      this.bytes('null');
      this.flush();
      this.emit('} else {');
      this.value(fs, name);
      this.flush();
      this.emit('}');
    } else {
      const message = `Conversion error: null value for field that is required and has no default value: "${name}"`;
      this.emit(`if (x === null) throw new DataException(${JSON.stringify(message)});`);
      this.value(fs, name);
    }
  }

  /** Writes the non-null value in `x` of a field of schema fs. */
  private value(fs: Schema, name: string): void {
    const path = JSON.stringify(name);
    const typeCheck = (test: string) => `if (${test}) throw typeError(${this.constant(fs)}, x, ${path});`;
    switch (this.ctx.kindOf(fs)) {
      case FieldKind.Int32:
        this.emit(typeCheck(`typeof x !== 'number'`), 'p = writeNumber(buf, p, x);');
        this.fixed += NUMBER_ROOM;
        return;
      case FieldKind.Int64: {
        // Events of one transaction share their source timestamps (ts_ns is a bigint): a bigint's text is kept.
        const last = `b${this.vars++}`;
        const text = `t${this.vars++}`;
        this.state.push(`let ${last}, ${text} = '';`);
        this.emit(
          `if (typeof x === 'number') p = writeNumber(buf, p, x);`,
          `else if (typeof x === 'bigint') {`,
          `if (x !== ${last}) { ${last} = x; ${text} = String(x); }`,
        );
        this.check(`${text}.length`);
        this.emit(`p = writeAscii(buf, p, ${text});`, `} else throw typeError(${this.constant(fs)}, x, ${path});`);
        this.fixed += NUMBER_ROOM;
        return;
      }
      case FieldKind.Float32:
        this.emit(typeCheck(`typeof x !== 'number'`), 'p = writeFloat(buf, p, x);');
        this.fixed += NUMBER_ROOM;
        return;
      case FieldKind.Float64:
        this.emit(typeCheck(`typeof x !== 'number'`), 'p = writeDouble(buf, p, x);');
        this.fixed += NUMBER_ROOM;
        return;
      case FieldKind.Boolean:
        this.emit('if (x === true) {');
        this.bytes('true');
        this.flush();
        this.emit('} else if (x === false) {');
        this.bytes('false');
        this.flush();
        this.emit(`} else throw typeError(${this.constant(fs)}, x, ${path});`);
        return;
      case FieldKind.String:
        this.emit(typeCheck(`typeof x !== 'string'`));
        this.check('stringRoom(x)');
        this.emit('p = writeString(buf, p, x);');
        return;
      case FieldKind.DecimalBase64: {
        const scale = Number(fs.parameters![Decimal.SCALE_FIELD]);
        this.emit(
          `const d${this.vars} = writeSmallDecimal(buf, p, x, ${scale});`,
          `if (d${this.vars} >= 0) p = d${this.vars};`,
        );
        this.vars++;
        this.fixed += SMALL_DECIMAL_ROOM;
        this.emit('else {');
        this.through(this.ctx.writerFor(fs), path);
        this.emit('}');
        return;
      }
      case FieldKind.Struct:
        // A call, not inlined: one function per struct schema, shared by the fields and envelopes that hold it.
        this.through(this.ctx.structWriterFor(fs), path);
        return;
      default:
        this.through(this.ctx.writerFor(fs), path);
    }
  }

  /** The value in `x` through another writer, then the room of the fixed bytes after it. */
  private through(write: JsonPayloadWriter, path: string): void {
    const writer = this.constant(write);
    this.emit(`out.pos = p; ${writer}(x, ${path}, out); buf = out.slab; p = out.pos;`);
    this.check('');
  }

  /** Room for the fixed bytes from here to the end plus a variable-size part. */
  private check(extra: string): void {
    this.flush();
    this.lines.push({ at: this.fixed, extra });
  }

  private bytes(text: string): void {
    const b = Buffer.from(text, 'utf8');
    for (const x of b) this.pending.push(x);
    this.fixed += b.length;
  }

  private flush(): void {
    const b = this.pending;
    if (b.length === 0) return;
    this.pending = [];
    if (b.length <= 64) {
      this.lines.push(`${b.map((x, i) => `buf[p${i === 0 ? '' : ` + ${i}`}] = ${x};`).join(' ')} p += ${b.length};`);
      return;
    }
    const c = this.constant(Buffer.from(b));
    this.lines.push(`buf.set(${c}, p); p += ${b.length};`);
  }

  private emit(...lines: string[]): void {
    this.flush();
    this.lines.push(...lines);
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `c${this.constants.length - 1}`;
  }
}
