/** How record bytes are interpreted; shared by the source connector, the converter and the CLI. */
import type { TrimPolicy } from '../codec/text.ts';

export type InvalidDataPolicy = 'fail' | 'null' | 'lenient';
export const INVALID_DATA_POLICIES: readonly InvalidDataPolicy[] = ['fail', 'null', 'lenient'];

export type FloatingPointFormat = 'IBM' | 'IBM_little_endian' | 'IEEE754' | 'IEEE754_little_endian';
export const FLOATING_POINT_FORMATS: readonly FloatingPointFormat[] = [
  'IBM',
  'IBM_little_endian',
  'IEEE754',
  'IEEE754_little_endian',
];

export interface DecodeOptions {
  encoding: 'ebcdic' | 'ascii';
  /** EBCDIC code page, e.g. cp037 (see codec/text.ts). */
  codePage: string;
  /** Charset of ASCII files: ascii, latin1, utf8. */
  asciiCharset: string;
  trim: TrimPolicy;
  floatingPoint: FloatingPointFormat;
  /** `bin`: COMP holds any value of its storage (TRUNC(BIN)); `std`: COMP values are cut to the picture's digits (TRUNC(STD)). COMP-5 is never cut. */
  binaryTruncation: 'bin' | 'std';
  /** OCCURS DEPENDING ON tables take only the bytes of their actual count (following fields move). */
  variableSizeOccurs: boolean;
  /** Invalid field bytes: fail the record, decode the field as null, or read DISPLAY numbers the way Cobrix does (blanks skipped, malformed → null). */
  invalidData: InvalidDataPolicy;
  /** Unsigned DISPLAY numbers with an overpunched sign are malformed when reading leniently (Cobrix: strict_sign_overpunching). */
  strictSignOverpunch?: boolean;
  /** A text field of only X'00' bytes is null rather than an empty string (Cobrix: improved_null_detection). */
  improvedNullDetection?: boolean;
  /** Multi-segment files: the field whose value selects the segment, and value → REDEFINES group (or 01 record). */
  /** `hex`: every field gets a `<name>_debug` companion with its raw bytes in hex (troubleshooting). */
  debug?: 'none' | 'hex';
  segmentField?: string;
  /** Keep FILLER groups / elementary FILLERs as fields (Cobrix: drop_group_fillers, drop_value_fillers); default: dropped. */
  dropGroupFillers?: boolean;
  dropValueFillers?: boolean;
  segmentRedefines?: Map<string, string>;
  /** Cobrix's occurs_mappings: OCCURS DEPENDING ON a text field, table name (mappingKey) → value → count. */
  occursMappings?: Map<string, Map<string, number>>;
  /** false: only the exact field decoders (the differential test of the fast ones); default true. */
  fastPaths?: boolean;
}

export const DEFAULT_DECODE_OPTIONS: DecodeOptions = {
  encoding: 'ebcdic',
  codePage: 'cp037',
  asciiCharset: 'latin1',
  trim: 'right',
  floatingPoint: 'IBM',
  binaryTruncation: 'bin',
  variableSizeOccurs: false,
  invalidData: 'fail',
};
