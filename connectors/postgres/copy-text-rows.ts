/**
 * Rows of `COPY … TO STDOUT` text format (tab-separated fields, one line per row, `\N` for NULL,
 * backslash escapes) as the field texts the type's output function wrote — the same strings a
 * SELECT returns in text mode, so the text converters give the same values.
 *
 * Bytes are decoded once per network chunk (up to its last complete line) and fields are slices
 * of that string; one caller-owned array receives each row, so reading a row allocates nothing
 * but its field strings. A newline inside a value is always escaped (`\n`), so every 0x0a byte
 * ends exactly one row.
 */
import { DataException } from '../../sdk/errors.ts';

const NEWLINE = 0x0a;

export class CopyTextRows {
  /** Decoded complete lines not yet read, oldest first; `text` is the one being read. */
  private readonly queue: string[] = [];
  private text = '';
  private pos = 0;
  /** Bytes after the last newline seen: the start of a row (maybe of a UTF-8 sequence) still arriving. */
  private tail: Buffer[] = [];
  /** Rows received and not yet read. */
  pending = 0;

  /** Queues a chunk of COPY data; returns the number of complete rows it finished. */
  push(chunk: Buffer): number {
    const first = chunk.indexOf(NEWLINE);
    if (first < 0) {
      this.tail.push(chunk);
      return 0;
    }
    let rows = 0;
    let start = 0;
    if (this.tail.length > 0) {
      // The row begun in earlier chunks, decoded on its own: a UTF-8 sequence may straddle the chunk boundary.
      this.tail.push(chunk.subarray(0, first + 1));
      this.queue.push(Buffer.concat(this.tail).toString('utf8'));
      this.tail = [];
      start = first + 1;
      rows++;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= start) {
      this.queue.push(chunk.toString('utf8', start, last + 1));
      for (let i = chunk.indexOf(NEWLINE, start); i >= 0 && i <= last; i = chunk.indexOf(NEWLINE, i + 1)) rows++;
    }
    if (last + 1 < chunk.length) this.tail.push(chunk.subarray(last + 1));
    this.pending += rows;
    return rows;
  }

  private malformed(what: string, end: number): never {
    throw new DataException(`COPY row has ${what}: "${this.text.slice(this.pos, Math.min(end, this.pos + 80))}"`);
  }

  /** Bytes of an unfinished row at the end of the data: a truncated stream. */
  get partialRowBytes(): number {
    return this.tail.reduce((n, b) => n + b.length, 0);
  }

  /** Fills `row[0..columns)` with the next row's field texts (null for NULL); false when no complete row is queued. */
  next(row: Array<string | null>, columns: number): boolean {
    if (this.pos >= this.text.length) {
      const text = this.queue.shift();
      if (text === undefined) return false;
      this.text = text;
      this.pos = 0;
    }
    const s = this.text;
    let p = this.pos;
    const end = s.indexOf('\n', p);
    let backslash = s.indexOf('\\', p);
    if (backslash > end) backslash = -1;
    if (columns === 0 && end === p) p = end + 1; // a row of no columns is an empty line
    for (let c = 0; c < columns; c++) {
      let fieldEnd = c === columns - 1 ? end : s.indexOf('\t', p);
      if (fieldEnd < 0 || fieldEnd > end) fieldEnd = end;
      if (fieldEnd === end && c < columns - 1) this.malformed(`fewer fields than the ${columns} columns selected`, end);
      if (backslash >= 0 && backslash < fieldEnd) {
        row[c] = fieldEnd - p === 2 && s.charCodeAt(p + 1) === 0x4e /* N */ ? null : unescape(s, p, fieldEnd);
        backslash = s.indexOf('\\', fieldEnd);
        if (backslash > end) backslash = -1;
      } else {
        row[c] = s.slice(p, fieldEnd);
      }
      p = fieldEnd + 1;
    }
    if (p !== end + 1) this.malformed('data for no column', end);
    this.pos = end + 1;
    this.pending--;
    return true;
  }
}

/**
 * A field with backslash escapes. COPY TO writes only `\b \f \n \r \t \v \\` (CopyAttributeOutText);
 * the octal and hex forms COPY FROM accepts are never written for text output and are rejected.
 */
function unescape(s: string, from: number, to: number): string {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    if (s.charCodeAt(i) !== 0x5c) continue;
    out += s.slice(run, i);
    const c = s[++i];
    out += ESCAPES[c] ?? unexpectedEscape(s, from, to);
    run = i + 1;
  }
  return out + s.slice(run, to);
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unexpectedEscape(s: string, from: number, to: number): never {
  throw new DataException(`Unexpected escape in COPY text field "${s.slice(from, Math.min(to, from + 80))}"`);
}
