/**
 * Extension points of the mainframe connector (a record header parser registered under its class
 * name, then named in `record.header.parser`, Cobrix's record_header_parser; a custom EBCDIC code
 * page named in `ebcdic.code.page`, Cobrix's ebcdic_code_page_class), for code running in
 * the worker's own module graph; kept out of the main SDK entry like sdk/s3.ts.
 */
export { registerEbcdicCodePage } from '../connectors/mainframe/codec/text.ts';
export { registerRecordHeaderParser } from '../connectors/mainframe/framing/record-header-parser.ts';
export type {
  RecordHeaderParser,
  RecordHeaderParserFactory,
  RecordMetadata,
} from '../connectors/mainframe/framing/record-header-parser.ts';
