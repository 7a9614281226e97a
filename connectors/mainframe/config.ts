/**
 * Configuration shared by the source connector, the converter and the CLI: where the copybook
 * is, how bytes are encoded, how records are framed and how segments are selected. Cobrix option
 * names (record_format, ebcdic_code_page, ...) are accepted and translated (see COBRIX_ALIASES).
 * The keys are defined in config/decoding-keys.ts, the Cobrix names in config/cobrix-options.ts, the
 * copybook in config/copybook-source.ts and the reader built of them in config/reader.ts.
 */
export { DECODING_CONFIG } from './config/decoding-keys.ts';
export { COBRIX_ALIASES, translateCobrixOptions } from './config/cobrix-options.ts';
export { readCopybookText, readLayout } from './config/copybook-source.ts';
export { buildReader, parseDecodingConfig, type MainframeReader } from './config/reader.ts';
