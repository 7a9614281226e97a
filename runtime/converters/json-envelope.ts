/**
 * The schema of a `{"schema":{…},"payload":…}` message found by the schema's bytes, so the schema
 * part (most of a Debezium event) is neither parsed nor re-stringified for each message: the bytes
 * between `{"schema":` and `,"payload":` are the cache key. `,"payload":` cannot occur inside a JSON
 * string (its quote is not escaped), so a span whose bytes equal a cached schema text (a complete JSON
 * object) ends exactly where the schema ends.
 */
import type { Schema } from '../data/schema.ts';

const HEAD = Buffer.from('{"schema":{', 'latin1');
const SCHEMA_START = HEAD.length - 1;
const SEPARATOR = Buffer.from(',"payload":', 'latin1');
const CLOSE_BRACE = 0x7d;

export interface EnvelopeHit {
  schema: Schema;
  /** The payload's bytes: from here to the message's last byte (its closing brace), exclusive. */
  payloadStart: number;
}

export class EnvelopeSchemaCache {
  private readonly bySpan = new Map<string, Schema>();
  private lastSpan: Buffer | null = null;
  private lastSchema: Schema | null = null;

  constructor(private readonly maxSize: number) {}

  /** The cached schema of this message and where its payload starts, or null (not an envelope seen before). */
  lookup(message: Buffer): EnvelopeHit | null {
    if (!isObjectEnvelope(message)) return null;
    // The last schema again (a topic's usual case): compared in place, no search for the separator.
    // A span equal to a complete schema text ends where this message's schema ends, so no earlier
    // separator could have matched.
    const last = this.lastSpan;
    if (last !== null) {
      const sep = SCHEMA_START + last.length;
      if (
        message.length > sep + SEPARATOR.length &&
        message.compare(SEPARATOR, 0, SEPARATOR.length, sep, sep + SEPARATOR.length) === 0 &&
        message.compare(last, 0, last.length, SCHEMA_START, sep) === 0
      )
        return { schema: this.lastSchema!, payloadStart: sep + SEPARATOR.length };
    }
    for (let sep = message.indexOf(SEPARATOR, SCHEMA_START); sep !== -1; sep = message.indexOf(SEPARATOR, sep + 1)) {
      const len = sep - SCHEMA_START;
      const last = this.lastSpan;
      if (last !== null && last.length === len && message.compare(last, 0, len, SCHEMA_START, sep) === 0) {
        return { schema: this.lastSchema!, payloadStart: sep + SEPARATOR.length };
      }
      const schema = this.bySpan.get(message.toString('latin1', SCHEMA_START, sep));
      if (schema !== undefined) {
        this.lastSpan = Buffer.from(message.subarray(SCHEMA_START, sep));
        this.lastSchema = schema;
        return { schema, payloadStart: sep + SEPARATOR.length };
      }
    }
    return null;
  }

  /** Caches the schema of a message the full path decoded, when its schema part ends at `,"payload":`. */
  remember(message: Buffer, schema: Schema): void {
    if (this.maxSize <= 0 || !isObjectEnvelope(message)) return;
    const end = objectEnd(message, SCHEMA_START);
    if (end === -1 || message.compare(SEPARATOR, 0, SEPARATOR.length, end, end + SEPARATOR.length) !== 0) return;
    if (this.bySpan.size >= this.maxSize) this.bySpan.delete(this.bySpan.keys().next().value!);
    this.bySpan.set(message.toString('latin1', SCHEMA_START, end), schema);
  }
}

function isObjectEnvelope(message: Buffer): boolean {
  return (
    message.length > HEAD.length + SEPARATOR.length &&
    message[message.length - 1] === CLOSE_BRACE &&
    message.compare(HEAD, 0, HEAD.length, 0, HEAD.length) === 0
  );
}

/** The index after the JSON object starting at `start` (its `{`), or -1. */
function objectEnd(b: Buffer, start: number): number {
  let depth = 0;
  for (let i = start; i < b.length; i++) {
    const c = b[i];
    if (c === 0x22) {
      // A string: skip to its closing quote.
      for (i++; i < b.length && b[i] !== 0x22; i++) if (b[i] === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}
