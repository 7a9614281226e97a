/**
 * JSON lines straight from record bytes: the layout is compiled once into one generated function
 * per record shape that writes each field's precomputed `"key":` bytes and its value into a large
 * reusable output buffer, with no intermediate values, strings or objects for the common field
 * forms (json-field-writers.ts); other fields go through the exact decoder and JsonView's value
 * rule. A record the fast form cannot write byte for byte as JSON.stringify(JsonView.toJson(...))
 * (invalid data, a short record) is reported (-1) for the caller's exact path, which also makes
 * the errors. Layouts with segments, OCCURS DEPENDING ON, variable.size.occurs or debug fields
 * get no writer (null): the exact path writes them.
 */
import { InvalidFieldData } from '../codec/errors.ts';
import { textDecoderFor } from '../codec/text.ts';
import {
  jsonTextTable,
  writeBinary,
  NUMBER,
  writeIntegerOf,
  writePacked,
  writeScaledOf,
  writeText,
  writeZoned,
  type JsonTextTable,
} from './json-field-writers.ts';
import { PACKED_PAIR } from './fast-fields.ts';
import { INLINE_VARIABLES, inlineNumber, ZONED_DIGIT } from './inline-fields.ts';
import { jsonScalar, uniqueNames } from './json-view.ts';
import { newContext, type DecodeContext, type DecoderNode, type RecordDecoder } from './record-decoder.ts';

type RecordFn = (buf: Buffer, start: number, end: number, out: Buffer, o: number) => number;

/** Where a field starts: a variable of the generated function (`start` or an OCCURS element's) plus a constant. */
interface Place {
  v: string;
  k: number;
}

const expr = (p: Place) => (p.k === 0 ? p.v : `${p.v} + ${p.k}`);

/** Bytes one generic (exact-path) field may take: JSON escapes make up to 6 bytes of a character. */
const genericBound = (size: number) => 6 * size + 32;

export class JsonLinesWriter {
  /** Upper bound of the bytes of one line (with its newline). */
  readonly maxLineBytes: number;
  /** The top-level keys, in order. */
  readonly topKeys: string[];
  /** Use JsonLinesWriter.create. */
  constructor(
    private readonly fn: RecordFn,
    private readonly reset: () => void,
    maxLineBytes: number,
    topKeys: string[],
  ) {
    this.maxLineBytes = maxLineBytes;
    this.topKeys = topKeys;
  }

  /** The writer of a decoder's records, or null when the layout needs the exact path for every record. */
  static create(
    decoder: RecordDecoder,
    schemaRetention: 'collapse_root' | 'keep_original' = 'collapse_root',
  ): JsonLinesWriter | null {
    const o = decoder.options;
    if (
      o.fastPaths === false ||
      o.variableSizeOccurs ||
      o.debug === 'hex' ||
      o.segmentField ||
      decoder.segmentNames.size > 0 ||
      decoder.counterCount > 0
    )
      return null;
    return new Compiler(decoder).compile(schemaRetention);
  }

  /**
   * Writes the record [start, end) as one JSON line (with `prefix`, the inner text of the fields put
   * first, e.g. `"Record_Id":3`) into `out` at `o`, which has at least maxLineBytes + prefix bytes
   * free. Returns the position after the newline, or -1: the caller writes this record by the exact path.
   */
  write(buf: Buffer, start: number, end: number, out: Buffer, o: number, prefix: Buffer | null = null): number {
    let p = o;
    out[p++] = 0x7b;
    if (prefix !== null && prefix.length > 0) {
      p += prefix.copy(out, p);
      if (this.topKeys.length > 0) out[p++] = 0x2c;
    }
    this.reset();
    const r = this.fn(buf, start, end, out, p);
    if (r < 0) return -1;
    out[r] = 0x7d;
    out[r + 1] = 0x0a;
    return r + 2;
  }
}

class Compiler {
  private readonly lines: string[] = [];
  private readonly keys: number[] = [];
  private readonly generic: DecoderNode[] = [];
  private readonly text: JsonTextTable | null;
  private readonly trimLeft: boolean;
  private readonly trimRight: boolean;
  private bound = 2;
  private vars = 0;

  constructor(private readonly decoder: RecordDecoder) {
    const o = decoder.options;
    const t = textDecoderFor(o.encoding, o.codePage, o.asciiCharset);
    const trimmed = o.trim === 'left' || o.trim === 'right' || o.trim === 'both';
    // improved null detection: all X'00' must trim to nothing so the exact path decides null
    const ok = o.encoding === 'ebcdic' && trimmed && (!o.improvedNullDetection || t.pad[0] === 1);
    this.text = ok ? jsonTextTable((b) => t.decode(Buffer.from([b]), 0, 1), t.pad) : null;
    this.trimLeft = o.trim === 'left' || o.trim === 'both';
    this.trimRight = o.trim === 'right' || o.trim === 'both';
  }

  compile(retention: 'collapse_root' | 'keep_original'): JsonLinesWriter {
    const roots = this.decoder.roots;
    const collapse = retention === 'collapse_root' && roots.length === 1 && !roots[0].occurs && !roots[0].decode;
    const members = collapse ? roots[0].outputs : roots;
    const base: Place = { v: 'start', k: collapse ? roots[0].rel : 0 };
    const topKeys = uniqueNames(members);
    this.lines.push(`if (end - start < ${this.decoder.layout.size}) return -1;`, `let r; ${INLINE_VARIABLES}`);
    this.members(members, topKeys, base);
    this.lines.push('return o;');
    const keyBytes = Buffer.from(this.keys);
    const generic = this.generic;
    const decoder = this.decoder;
    // the exact path of one field; its context (record text, counters) is made once per record when needed
    let ctx: DecodeContext | null = null;
    const writeGeneric = (
      i: number,
      buf: Buffer,
      at: number,
      start: number,
      end: number,
      out: Buffer,
      o: number,
    ): number => {
      ctx ??= newContext(0, null, decoder.options.invalidData, start, end, null);
      let v: unknown;
      try {
        v = generic[i].decode!(buf, at, ctx);
      } catch (err) {
        if (err instanceof InvalidFieldData) return -1;
        throw err;
      }
      const s = JSON.stringify(jsonScalar(v));
      return o + out.write(s, o, 'utf8');
    };
    // the DataView of the last output buffer (callers write into one reused buffer)
    const body = [
      'let lastOut = null, lastView = null;',
      'return function record(buf, start, end, out, o) {',
      'if (out !== lastOut) { lastOut = out; lastView = new DataView(out.buffer, out.byteOffset, out.byteLength); }',
      'const D = lastView;',
      ...this.lines,
      '};',
    ].join('\n');
    const factory = new Function(
      'K',
      'G',
      'T',
      'P',
      'Z',
      'writePacked',
      'writeZoned',
      'writeBinary',
      'writeText',
      'N',
      'writeIntegerOf',
      'writeScaledOf',
      body,
    ) as (...a: unknown[]) => RecordFn;
    const fn = factory(
      keyBytes,
      writeGeneric,
      this.text,
      PACKED_PAIR,
      ZONED_DIGIT,
      writePacked,
      writeZoned,
      writeBinary,
      writeText,
      NUMBER,
      writeIntegerOf,
      writeScaledOf,
    );
    return new JsonLinesWriter(
      fn,
      () => {
        ctx = null;
      },
      this.bound + 2,
      topKeys,
    );
  }

  /** `"key":value` for each node, comma separated; `base` the place of the enclosing occurrence's start. */
  private members(nodes: DecoderNode[], names: string[], base: Place): void {
    nodes.forEach((n, i) => {
      this.key(`${i > 0 ? ',' : ''}${JSON.stringify(names[i])}:`);
      this.field(n, base);
    });
  }

  private key(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    const off = this.keys.length;
    this.keys.push(...bytes);
    this.bound += bytes.length;
    // stored four bytes at a time through a DataView of `out` (cheaper than a copy call for a key's few bytes)
    const stores: string[] = [];
    let k = 0;
    for (; k + 4 <= bytes.length; k += 4) stores.push(`D.setUint32(o + ${k}, ${bytes.readUInt32LE(k)}, true);`);
    for (; k < bytes.length; k++) stores.push(`out[o + ${k}] = ${bytes[k]};`);
    this.lines.push(
      bytes.length <= 64
        ? `${stores.join(' ')} o += ${bytes.length};`
        : `for (let k = 0; k < ${bytes.length}; k++) out[o + k] = K[${off} + k]; o += ${bytes.length};`,
    );
  }

  private field(n: DecoderNode, base: Place): void {
    const at: Place = { v: base.v, k: base.k + n.rel };
    if (!n.occurs) {
      this.element(n, at);
      return;
    }
    const k = `i${this.vars++}`;
    const p = `p${this.vars++}`;
    const count = n.occurs.max;
    this.lines.push(
      'out[o++] = 0x5b;',
      `for (let ${k} = 0; ${k} < ${count}; ${k}++) {`,
      `if (${k} > 0) out[o++] = 0x2c;`,
      `const ${p} = ${expr(at)} + ${k} * ${n.size};`,
    );
    const before = this.bound;
    this.element(n, { v: p, k: 0 });
    this.bound = before + (this.bound - before + 1) * count + 2;
    this.lines.push('}', 'out[o++] = 0x5d;');
  }

  private element(n: DecoderNode, place: Place): void {
    const at = expr(place);
    if (!n.decode) {
      this.lines.push('out[o++] = 0x7b;');
      this.bound += 2;
      this.members(n.outputs, uniqueNames(n.outputs), place);
      this.lines.push('out[o++] = 0x7d;');
      return;
    }
    const fast = this.fastCall(n, at);
    const g = this.generic.length;
    this.generic.push(n);
    const exact = `G(${g}, buf, ${at}, start, end, out, o)`;
    const form = n.form;
    if (fast === null) {
      this.bound += genericBound(n.size);
      this.lines.push(`r = ${exact}; if (r < 0) return -1; o = r;`);
    } else if (form !== undefined) {
      // the number read inline (as the values' generated code reads it), written from the JS number
      this.bound += Math.max(genericBound(n.size), fast.bound);
      const write = form.scale > 0 ? `writeScaledOf(${form.scale}, out, o)` : 'writeIntegerOf(out, o)';
      this.lines.push(
        inlineNumber(form, place.v, place.k),
        `if (v === v) { N[0] = v; o = ${write}; } else { r = ${exact}; if (r < 0) return -1; o = r; }`,
      );
    } else {
      this.bound += Math.max(genericBound(n.size), fast.bound);
      this.lines.push(`r = ${fast.call}; if (r < 0) { r = ${exact}; if (r < 0) return -1; } o = r;`);
    }
  }

  /** The call writing a field of a common form, with its output bound; null for the exact path. */
  private fastCall(n: DecoderNode, at: string): { call: string; bound: number } | null {
    const t = n.field.type!;
    const o = this.decoder.options;
    switch (t.kind) {
      case 'packed': {
        if (t.noSign || t.scale < 0) return null;
        const len = Math.floor(t.digits / 2) + 1;
        if (len * 2 - 1 > 60) return null;
        return {
          call: `writePacked(buf, ${at}, ${len}, ${t.signed}, ${t.scale}, out, o)`,
          bound: 2 * len + 8 + t.scale,
        };
      }
      case 'zoned':
        if (
          o.encoding !== 'ebcdic' ||
          t.signSeparate ||
          t.signPosition !== 'trailing' ||
          t.scale < 0 ||
          t.digits > 60 ||
          o.invalidData === 'lenient'
        )
          return null;
        return {
          call: `writeZoned(buf, ${at}, ${t.digits}, ${t.signed}, ${t.scale}, out, o)`,
          bound: t.digits + 8 + Math.max(0, t.scale),
        };
      case 'binary':
        if (
          t.littleEndian ||
          (t.size !== 2 && t.size !== 4) ||
          t.scale !== 0 ||
          (!t.native && o.binaryTruncation !== 'bin') ||
          n.numeric?.type === 'decimal'
        )
          return null;
        return { call: `writeBinary(buf, ${at}, ${t.size}, ${t.signed}, out, o)`, bound: 12 };
      case 'text':
        if (this.text === null) return null;
        return {
          call: `writeText(buf, ${at}, ${t.length}, ${this.trimLeft}, ${this.trimRight}, T, out, o)`,
          bound: 6 * t.length + 2,
        };
      default:
        return null;
    }
  }
}
