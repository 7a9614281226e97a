/**
 * The decoding keys shared by the source connector, the converter and the CLI: where the copybook
 * is, how bytes are encoded, how records are framed and how segments are selected.
 */
import { ConfigDef, Validators, type Validator } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { codePageKey, EBCDIC_CODE_PAGES, TRIM_POLICIES } from '../codec/text.ts';
import { COPYBOOK_EXTENSIONS, COPYBOOK_EXTENSIONS_DOC, parseCopybookExtensions } from '../copybook/extensions.ts';
import { FLOATING_POINT_FORMATS, INVALID_DATA_POLICIES } from '../decoder/options.ts';
import { RECORD_FORMATS } from '../framing/framer.ts';

const G = 'Copybook and decoding';
const F = 'Record framing';

function codePageValidator(): Validator {
  return {
    description: EBCDIC_CODE_PAGES.join(', '),
    ensureValid(name, value) {
      if (!codePageKey(String(value)))
        throw new ConfigException(
          `Invalid value ${String(value)} for configuration ${name}: unknown EBCDIC code page; use one of ${EBCDIC_CODE_PAGES.join(', ')}, or register a custom table with registerEbcdicCodePage()`,
          { key: name },
        );
    },
  };
}

function copybookExtensionsValidator(): Validator {
  return {
    description: `a list of ${COPYBOOK_EXTENSIONS.join(', ')}`,
    ensureValid(name, value) {
      const r = parseCopybookExtensions(Array.isArray(value) ? value.map(String) : String(value ?? '').split(','));
      if ('unknown' in r)
        throw new ConfigException(
          `Invalid value ${r.unknown} for configuration ${name}: not a copybook extension; use a list of ${COPYBOOK_EXTENSIONS.join(', ')}`,
          { key: name },
        );
    },
  };
}

export const DECODING_CONFIG = new ConfigDef()
  .define({
    name: 'copybook',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G,
    documentation:
      'Path of the COBOL copybook describing the records (Cobrix: copybook). One of copybook and copybook.contents is required.',
  })
  .define({
    name: 'copybook.contents',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G,
    documentation: 'The copybook text itself, instead of a path (Cobrix: copybook_contents).',
  })
  .define({
    name: 'copybooks',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G,
    documentation:
      'Several copybook paths read as one, instead of copybook: their records redefine each other, as Cobrix merges them (Cobrix: copybooks).',
  })
  .define({
    name: 'copybook.format',
    type: 'STRING',
    defaultValue: 'fixed',
    importance: 'MEDIUM',
    group: G,
    validator: Validators.in('fixed', 'free', 'auto'),
    documentation:
      'fixed: IBM reference format (columns 1-6 sequence area, 7 indicator, 8-72 text, 73-80 ignored); free: whole lines; auto: fixed, or free when the copybook is not valid in fixed format.',
  })
  .define({
    name: 'copybook.extensions',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    group: G,
    validator: copybookExtensionsValidator(),
    documentation: COPYBOOK_EXTENSIONS_DOC,
  })
  .define({
    name: 'encoding',
    type: 'STRING',
    defaultValue: 'ebcdic',
    importance: 'HIGH',
    group: G,
    validator: Validators.in('ebcdic', 'ascii'),
    documentation: 'Character encoding of text and zoned fields (Cobrix: encoding).',
  })
  .define({
    name: 'ebcdic.code.page',
    type: 'STRING',
    defaultValue: 'cp037',
    importance: 'MEDIUM',
    group: G,
    validator: codePageValidator(),
    documentation: `EBCDIC code page of text fields (Cobrix: ebcdic_code_page): ${EBCDIC_CODE_PAGES.join(', ')}.`,
  })
  .define({
    name: 'ascii.charset',
    type: 'STRING',
    defaultValue: 'latin1',
    importance: 'LOW',
    group: G,
    validator: Validators.in('ascii', 'us-ascii', 'latin1', 'iso-8859-1', 'utf8', 'utf-8'),
    documentation: 'Charset of ASCII files (Cobrix: ascii_charset).',
  })
  .define({
    name: 'string.trimming.policy',
    type: 'STRING',
    defaultValue: 'right',
    importance: 'LOW',
    group: G,
    validator: Validators.in(...TRIM_POLICIES),
    documentation:
      'Blanks removed from text fields: none, left, right, both; keep_all also keeps NULs (Cobrix: string_trimming_policy).',
  })
  .define({
    name: 'floating.point.format',
    type: 'STRING',
    defaultValue: 'IBM',
    importance: 'LOW',
    group: G,
    validator: Validators.in(...FLOATING_POINT_FORMATS),
    documentation:
      'COMP-1/COMP-2 format: IBM hexadecimal or IEEE754, big- or little-endian (Cobrix: floating_point_format).',
  })
  .define({
    name: 'binary.truncation',
    type: 'STRING',
    defaultValue: 'bin',
    importance: 'LOW',
    group: G,
    validator: Validators.in('bin', 'std'),
    documentation:
      'COMP/COMP-4/BINARY values: bin keeps the full binary value (TRUNC(BIN), like COMP-5); std cuts them to the picture digits (TRUNC(STD)). COMP-5 is never cut.',
  })
  .define({
    name: 'variable.size.occurs',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G,
    documentation:
      'OCCURS DEPENDING ON tables occupy only their actual count, so later fields move (Cobrix: variable_size_occurs).',
  })
  .define({
    name: 'occurs.mappings',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G,
    documentation:
      'JSON {"TABLE": {"value": count, ...}}: an OCCURS DEPENDING ON a text field takes its count from the value (Cobrix: occurs_mappings); a value not listed is invalid data.',
  })
  .define({
    name: 'non.terminals',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    group: G,
    documentation: "Groups also decoded as one text field <NAME>_NT holding the group's bytes (Cobrix: non_terminals).",
  })
  .define({
    name: 'invalid.data.policy',
    type: 'STRING',
    defaultValue: 'fail',
    importance: 'MEDIUM',
    group: G,
    validator: Validators.in(...INVALID_DATA_POLICIES),
    documentation:
      'Invalid field bytes (a non-digit in a digit position, bad packed nibble, bad zone): fail the record with an error naming field, byte offset and bytes; null: decode the field as null; lenient: read DISPLAY numbers as Cobrix does (blanks skipped, explicit points placed as written, anything else null).',
  })
  .define({
    name: 'strict.sign.overpunching',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G,
    documentation:
      'With invalid.data.policy=lenient: an overpunched sign in an unsigned DISPLAY number makes it malformed (Cobrix: strict_sign_overpunching).',
  })
  .define({
    name: 'improved.null.detection',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G,
    documentation:
      "A text field holding only X'00' bytes decodes as null instead of an empty string (Cobrix: improved_null_detection).",
  })
  .define({
    name: 'schema.retention.policy',
    type: 'STRING',
    defaultValue: 'collapse_root',
    importance: 'LOW',
    group: G,
    validator: Validators.in('collapse_root', 'keep_original'),
    documentation:
      'collapse_root: the fields of a single 01 record are the top level; keep_original: the 01 record is a field (Cobrix: schema_retention_policy).',
  })
  .define({
    name: 'debug.fields',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    group: G,
    validator: Validators.in('none', 'hex'),
    documentation:
      'hex: every field gets a <name>_debug companion with its raw bytes as hex, for troubleshooting decoding (Cobrix: debug=hex; not with variable.size.occurs).',
  })
  .define({
    name: 'segment.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G,
    documentation: 'Field whose value identifies the segment (record type) of each record (Cobrix: segment_field).',
  })
  .define({
    name: 'segment.redefines',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G,
    documentation:
      'VALUE=GROUP pairs: the REDEFINES group (or 01 record) decoded for each segment id value; the other groups of the list are null (Cobrix: redefine-segment-id-map).',
  })
  .define({
    name: 'segment.children',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: G,
    documentation:
      "Hierarchy of segment groups, PARENT=>CHILD1,CHILD2;PARENT2=>CHILD3: records get Seg_Id0..Seg_IdN fields with their own and their ancestors' ids (Cobrix: segment-children).",
  })
  .define({
    name: 'segment.id.levels',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: G,
    documentation:
      'Segment id values per level, levels separated by ; (root first), e.g. C;P: records get Cobrix-style Seg_Id0..N columns (Cobrix: segment_id_level0, segment_id_level1, ...).',
  })
  .define({
    name: 'segment.filter',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    group: G,
    documentation: 'Only records whose segment id is one of these values are decoded (Cobrix: segment_filter).',
  })
  .define({
    name: 'generate.record.id',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G,
    documentation:
      'Records get File_Id, Record_Id (0-based index in the file) and Record_Byte_Length columns first (Cobrix: generate_record_id).',
  })
  .define({
    name: 'drop.group.fillers',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G,
    documentation:
      'FILLER groups are left out of the record; false keeps them as fields FILLER_1, FILLER_2, ... (Cobrix: drop_group_fillers, whose default is false).',
  })
  .define({
    name: 'drop.value.fillers',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G,
    documentation: 'Elementary FILLER items are left out of the record; false keeps them (Cobrix: drop_value_fillers).',
  })
  .define({
    name: 'segment.id.prefix',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: G,
    documentation:
      "Prefix of generated segment ids: with segment.children <prefix>L<level>_<byte offset>; with segment.id.levels Cobrix's <prefix>_<file id>_<record index>, where an empty prefix is Cobrix's default, the local start time yyyyMMddHHmmss (Cobrix: segment_id_prefix).",
  })
  .define({
    name: 'record.format',
    type: 'STRING',
    defaultValue: 'F',
    importance: 'HIGH',
    group: F,
    validator: Validators.in(...RECORD_FORMATS),
    documentation: 'F/FB fixed length; V with RDW; VB with BDW and RDW; D/T text lines (Cobrix: record_format).',
  })
  .define({
    name: 'record.length',
    type: 'INT',
    defaultValue: null,
    importance: 'MEDIUM',
    group: F,
    validator: Validators.atLeast(1),
    documentation: 'Record length of F/FB files; default: the copybook record size (Cobrix: record_length).',
  })
  .define({
    name: 'rdw.big.endian',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: F,
    documentation: 'RDW length byte order (Cobrix: is_rdw_big_endian, whose default is false).',
  })
  .define({
    name: 'rdw.adjustment',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    documentation:
      "Added to the payload length the RDW gives; 0 means the IBM convention (RDW length includes its 4 bytes). Cobrix's rdw_adjustment=N equals rdw.adjustment=N+4.",
  })
  .define({
    name: 'bdw.big.endian',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: F,
    documentation: 'BDW length byte order (Cobrix: is_bdw_big_endian).',
  })
  .define({
    name: 'bdw.adjustment',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    documentation: 'Added to the block length the BDW gives (IBM: includes its 4 bytes) (Cobrix: bdw_adjustment).',
  })
  .define({
    name: 'record.header.parser',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: F,
    documentation:
      'Class name of a record header parser registered with registerRecordHeaderParser() (a plugin): each record is preceded by a header it reads for the record length (Cobrix: record_header_parser); record.format is then ignored.',
  })
  .define({
    name: 'rhp.additional.info',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: F,
    documentation: 'Text handed to the record header parser when it is created (Cobrix: rhp_additional_info).',
  })
  .define({
    name: 'record.length.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: F,
    documentation:
      "A numeric field of the copybook holding each record's length (Cobrix: record_length_field); record.format is then ignored.",
  })
  .define({
    name: 'record.length.adjustment',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    documentation: 'Added to the value of record.length.field.',
  })
  .define({
    name: 'file.start.offset',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    validator: Validators.atLeast(0),
    documentation: 'Bytes skipped at the start of each file (a header) (Cobrix: file_start_offset).',
  })
  .define({
    name: 'record.start.offset',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    validator: Validators.atLeast(0),
    documentation:
      'Bytes skipped at the start of each record before the copybook layout begins (e.g. a transfer header) (Cobrix: record_start_offset).',
  })
  .define({
    name: 'record.end.offset',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    validator: Validators.atLeast(0),
    documentation: 'Bytes ignored at the end of each record (Cobrix: record_end_offset).',
  })
  .define({
    name: 'file.end.offset',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: F,
    validator: Validators.atLeast(0),
    documentation: 'Bytes ignored at the end of each file (a trailer) (Cobrix: file_end_offset).',
  });
