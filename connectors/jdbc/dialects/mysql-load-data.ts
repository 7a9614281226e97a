/**
 * Rows as the text LOAD DATA reads with `FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES
 * TERMINATED BY '\n'`, streamed from memory through mysql2's infileStreamFactory: the server asks
 * for a file name and gets only the names this module registered, never a file of the host.
 */
import { Readable } from 'node:stream';
import type { ColumnType } from '../type-mapping.ts';

/**
 * Column kinds whose bound value is plain text or a number, so that the text LOAD DATA converts is
 * the text the prepared INSERT binds. Bytes and bit strings stay on INSERT: their binary values
 * would be read through the file's character set.
 */
const TEXT_KINDS = new Set<ColumnType['kind']>([
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'json',
  'uuid',
  'xml',
  'enum',
  'decimal',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
]);

export const loadableKind = (kind: ColumnType['kind']): boolean => TEXT_KINDS.has(kind);

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPE = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const escapeChar = (c: string) => ESCAPES[c];

/** One field: `\N` for null, escapes for the characters LOAD DATA reads specially. */
export function loadDataField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE, escapeChar) : v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new TypeError(`LOAD DATA cannot carry a value of type ${typeof v}`);
}

const CHUNK_CHARS = 64 * 1024;

/** The rows' text in chunks of about 64 KiB, built as the server reads them. */
export function* loadDataChunks(rows: unknown[][], bind: (v: unknown) => unknown): Generator<Buffer> {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i) text += '\t';
      text += loadDataField(bind(row[i]));
    }
    text += '\n';
    if (text.length >= CHUNK_CHARS) {
      yield Buffer.from(text);
      text = '';
    }
  }
  if (text.length) yield Buffer.from(text);
}

/** In-memory "files" for LOAD DATA LOCAL INFILE, each served once. */
export class InfileRegistry {
  private readonly files = new Map<string, () => Readable>();
  private seq = 0;

  register(open: () => Readable): string {
    const name = `tributary-load-${process.pid}-${++this.seq}`;
    this.files.set(name, open);
    return name;
  }

  release(name: string): void {
    this.files.delete(name);
  }

  /** mysql2's infileStreamFactory. A name this sink did not register is refused. */
  readonly open = (name: string): Readable => {
    const open = this.files.get(name);
    this.files.delete(name);
    if (open) return open();
    const r = new Readable({ read() {} });
    process.nextTick(() =>
      r.destroy(new Error(`the server asked for the local file "${name}", which this sink did not offer; refused`)),
    );
    return r;
  };
}
