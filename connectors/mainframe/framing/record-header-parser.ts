/**
 * Cobrix's record_header_parser as a plugin hook: a custom header before each record gives the
 * record's length (and whether to keep it). Parsers are registered under a class name with
 * registerRecordHeaderParser() (e.g. by a plugin package on plugin.path) and chosen with
 * `record.header.parser` (Cobrix: record_header_parser); `rhp.additional.info`
 * (rhp_additional_info) is handed to the factory, as Cobrix's onReceiveAdditionalInfo.
 */
import { FramingError, type Framer } from './framer.ts';

export interface RecordMetadata {
  /** Bytes of the record after its header. */
  recordLength: number;
  /** false: the record is skipped (its bytes are passed over). */
  valid: boolean;
}

export interface RecordHeaderParser {
  /** Bytes of the header before each record. */
  readonly headerLength: number;
  /** The header is the start of the copybook layout (Cobrix: isHeaderDefinedInCopybook): the record then begins at the header. */
  readonly headerInCopybook?: boolean;
  /** The record's length from its header; `fileOffset` is the header's byte position in the file. */
  recordMetadata(header: Buffer, fileOffset: number): RecordMetadata;
}

export type RecordHeaderParserFactory = (additionalInfo: string) => RecordHeaderParser;

// Kept on globalThis: a plugin package may load its own copy of Tributary, and its registrations
// must reach the worker's copy of this module.
const REGISTRY = Symbol.for('tributary.mainframe.recordHeaderParsers');
const holder = globalThis as unknown as Record<symbol, Map<string, RecordHeaderParserFactory> | undefined>;
const factories = (holder[REGISTRY] ??= new Map<string, RecordHeaderParserFactory>());

/** Registers a record header parser under a class name usable as `record.header.parser`. */
export function registerRecordHeaderParser(className: string, factory: RecordHeaderParserFactory): void {
  factories.set(className, factory);
}

export function createRecordHeaderParser(className: string, additionalInfo: string): RecordHeaderParser {
  const factory = factories.get(className.trim());
  if (!factory) {
    const known = [...factories.keys()];
    throw new Error(
      `no record header parser is registered under this name (${known.length > 0 ? `registered: ${known.join(', ')}` : 'none is registered'}); register one with registerRecordHeaderParser() from a plugin package on plugin.path`,
    );
  }
  const parser = factory(additionalInfo);
  if (!Number.isInteger(parser.headerLength) || parser.headerLength < 0)
    throw new Error(`its headerLength must be an integer ≥ 0, got ${String(parser.headerLength)}`);
  return parser;
}

/** Records each preceded by a header the parser reads; invalid records are skipped. */
export function headerParserFramer(parser: RecordHeaderParser): Framer {
  const h = parser.headerLength;
  return {
    next(buf, base, state, eof) {
      for (;;) {
        const at = state.position - base;
        const have = buf.length - at;
        if (have <= 0 || have < h) {
          if (eof && have > 0)
            throw new FramingError(`file ends inside a record header: ${have} of ${h} bytes present`, state.position);
          return null;
        }
        const meta = parser.recordMetadata(buf.subarray(at, at + h), state.position);
        if (!Number.isInteger(meta.recordLength) || meta.recordLength < 0 || h + meta.recordLength === 0)
          throw new FramingError(
            `the record header parser gave the record length ${String(meta.recordLength)}`,
            state.position,
          );
        const start = parser.headerInCopybook ? at : at + h;
        const end = at + h + meta.recordLength;
        if (buf.length < end) {
          if (eof)
            throw new FramingError(
              `file ends inside a record: ${have} of ${h + meta.recordLength} bytes present`,
              state.position,
            );
          return null;
        }
        const offset = state.position;
        state.position += h + meta.recordLength;
        if (meta.valid) return { offset, start, end };
      }
    },
  };
}
