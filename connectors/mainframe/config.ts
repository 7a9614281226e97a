/**
 * Configuration shared by the source connector, the converter and the CLI: where the copybook
 * is, how bytes are encoded, how records are framed and how segments are selected. Cobrix option
 * names (record_format, ebcdic_code_page, ...) are accepted and translated (see COBRIX_ALIASES).
 */
import fs from 'node:fs';
import { ConfigDef, ParsedConfig, Validators, type Validator } from '../../runtime/config/config-def.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { codePageKey, EBCDIC_CODE_PAGES, TRIM_POLICIES, type TrimPolicy } from './codec/text.ts';
import { CopybookSyntaxError } from './copybook/errors.ts';
import {
  COPYBOOK_EXTENSIONS,
  COPYBOOK_EXTENSIONS_DOC,
  parseCopybookExtensions,
  type CopybookExtension,
} from './copybook/extensions.ts';
import { buildLayout, type Layout } from './copybook/layout.ts';
import { mergeCopybooks } from './copybook/merge.ts';
import { parseCopybook } from './copybook/parser.ts';
import { mappingKey, parseOccursMappings } from './decoder/occurs-mappings.ts';
import {
  FLOATING_POINT_FORMATS,
  INVALID_DATA_POLICIES,
  type DecodeOptions,
  type InvalidDataPolicy,
  type FloatingPointFormat,
} from './decoder/options.ts';
import { RecordDecoder, findNode, newContext } from './decoder/record-decoder.ts';
import { defaultSegmentIdPrefix, GeneratedColumns } from './decoder/generated-columns.ts';
import { SegmentHierarchy, parseSegmentChildren, parseSegmentRedefines } from './decoder/segments.ts';
import { createRecordHeaderParser, headerParserFramer } from './framing/record-header-parser.ts';
import {
  blockedRdwFramer,
  fixedLengthFramer,
  lengthFieldFramer,
  rdwFramer,
  textLineFramer,
  variableSizeFramer,
  RECORD_FORMATS,
  type Framer,
} from './framing/framer.ts';

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

/** Cobrix option → our key, with a value translation where the semantics differ. */
export const COBRIX_ALIASES: Record<string, { key: string; value?: (v: string) => string }> = {
  copybook_contents: { key: 'copybook.contents' },
  ebcdic_code_page: { key: 'ebcdic.code.page' },
  // a Java class in Cobrix; here the name a table was registered under (registerEbcdicCodePage)
  ebcdic_code_page_class: { key: 'ebcdic.code.page' },
  ascii_charset: { key: 'ascii.charset' },
  string_trimming_policy: { key: 'string.trimming.policy' },
  floating_point_format: { key: 'floating.point.format' },
  variable_size_occurs: { key: 'variable.size.occurs' },
  schema_retention_policy: { key: 'schema.retention.policy' },
  segment_field: { key: 'segment.field' },
  record_format: { key: 'record.format' },
  record_length: { key: 'record.length' },
  is_rdw_big_endian: { key: 'rdw.big.endian' },
  rdw_adjustment: { key: 'rdw.adjustment', value: (v) => String(Number(v) + 4) },
  // Cobrix: true is rdw_adjustment=-4 (the RDW length counts its own 4 bytes, IBM's convention)
  is_rdw_part_of_record_length: {
    key: 'rdw.adjustment',
    value: (v) => (v.trim().toLowerCase() === 'true' ? '0' : '4'),
  },
  is_bdw_big_endian: { key: 'bdw.big.endian' },
  bdw_adjustment: { key: 'bdw.adjustment' },
  record_length_field: { key: 'record.length.field' },
  file_start_offset: { key: 'file.start.offset' },
  file_end_offset: { key: 'file.end.offset' },
  record_start_offset: { key: 'record.start.offset' },
  debug: {
    key: 'debug.fields',
    value: (v) => (v.toLowerCase() === 'true' ? 'hex' : v.toLowerCase() === 'false' ? 'none' : v),
  },
  record_end_offset: { key: 'record.end.offset' },
  strict_sign_overpunching: { key: 'strict.sign.overpunching' },
  segment_id_prefix: { key: 'segment.id.prefix' },
  segment_filter: { key: 'segment.filter' },
  generate_record_id: { key: 'generate.record.id' },
  drop_group_fillers: { key: 'drop.group.fillers' },
  drop_value_fillers: { key: 'drop.value.fillers' },
  improved_null_detection: { key: 'improved.null.detection' },
  occurs_mappings: { key: 'occurs.mappings' },
  record_header_parser: { key: 'record.header.parser' },
  rhp_additional_info: { key: 'rhp.additional.info' },
  non_terminals: { key: 'non.terminals' },
};

/** Cobrix's numbered options (segment_id_level0, redefine-segment-id-map:1, segment-children:2) gathered into one key of ours. */
const COBRIX_NUMBERED: Array<{
  pattern: RegExp;
  key: string;
  separator: string;
  value: (v: string, k: string) => string;
}> = [
  { pattern: /^segment_id_(?:level(\d+)|root)$/, key: 'segment.id.levels', separator: ';', value: (v) => v },
  {
    pattern: /^redefine[-_]segment[-_]id[-_]map(:\d+)?$/,
    key: 'segment.redefines',
    separator: ',',
    value: (v, k) =>
      arrowPairs(v, k)
        .ids.map((id) => `${id}=${arrowPairs(v, k).group}`)
        .join(','),
  },
  {
    pattern: /^segment[-_]children(:\d+)?$/,
    key: 'segment.children',
    separator: ';',
    value: (v, k) => `${arrowPairs(v, k).group}=>${arrowPairs(v, k).ids.join(',')}`,
  },
];

function arrowPairs(v: string, key: string): { group: string; ids: string[] } {
  const i = v.indexOf('=>');
  if (i <= 0)
    throw new ConfigException(`Invalid value ${v} for configuration ${key}: expected GROUP => value1,value2`, { key });
  return {
    group: v.slice(0, i).trim(),
    ids: v
      .slice(i + 2)
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x),
  };
}

/** Cobrix options Tributary does not implement: rejected with the reason rather than ignored. */
const UNSUPPORTED_COBRIX_OPTIONS: Record<string, string> = {
  record_extractor: 'custom record extractors are not supported',
};

/** Rewrites Cobrix option names to ours; a key given both ways is an error. */
export function translateCobrixOptions(props: Record<string, string>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = { ...props };
  const numbered = new Map<string, Array<[number, string]>>();
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(prefix)) continue;
    const name = k.slice(prefix.length);
    if (UNSUPPORTED_COBRIX_OPTIONS[name])
      throw new ConfigException(`Cobrix option ${k}=${v} is not supported: ${UNSUPPORTED_COBRIX_OPTIONS[name]}`, {
        key: k,
      });
    const rule = COBRIX_NUMBERED.find((r) => r.pattern.test(name));
    if (rule) {
      const n = Number(rule.pattern.exec(name)![1]?.replace(':', '') ?? 0);
      if (props[prefix + rule.key] !== undefined)
        throw new ConfigException(`Both ${k} and ${prefix + rule.key} are set; remove ${k}`, { key: k });
      numbered.set(rule.key, [...(numbered.get(rule.key) ?? []), [n, rule.value(v, k)]]);
      delete out[k];
      continue;
    }
    const alias = COBRIX_ALIASES[name];
    if (!alias) continue;
    const target = prefix + alias.key;
    if (props[target] !== undefined)
      throw new ConfigException(`Both ${k} and ${target} are set; remove ${k}`, { key: k });
    const other = Object.keys(props).find(
      (x) => x !== k && x.startsWith(prefix) && COBRIX_ALIASES[x.slice(prefix.length)]?.key === alias.key,
    );
    if (other)
      throw new ConfigException(`Both ${k} and ${other} are set; they are the same option (${target}): remove one`, {
        key: k,
      });
    out[target] = alias.value ? alias.value(v) : v;
    delete out[k];
  }
  for (const [key, parts] of numbered) {
    const rule = COBRIX_NUMBERED.find((r) => r.key === key)!;
    out[prefix + key] = parts
      .sort((a, b) => a[0] - b[0])
      .map((p) => p[1])
      .join(rule.separator);
  }
  return out;
}

/** Everything needed to turn a file or a message into decoded records. */
export interface MainframeReader {
  layout: Layout;
  decoder: RecordDecoder;
  options: DecodeOptions;
  /** A new framer (framers hold no state of their own; the state is passed in). */
  framer: Framer;
  /** Null without segment.children. */
  hierarchy: () => SegmentHierarchy | null;
  schemaRetention: 'collapse_root' | 'keep_original';
  segmentIdPrefix: string;
  fileStartOffset: number;
  fileEndOffset: number;
  recordStartOffset: number;
  recordEndOffset: number;
  /** Cobrix's generated columns (File_Id, Record_Id, Record_Byte_Length, Seg_Id0..N) and segment_filter; one per file (its File_Id, and the segment id prefix when segment.id.prefix is empty). */
  generatedColumns: (file?: { fileId?: number; segmentIdPrefix?: string }) => GeneratedColumns;
  /** Decodes the payload [start, end) of a framed record, minus record.start/end.offset. */
  decode(buf: Buffer, start: number, end: number): ReturnType<RecordDecoder['decode']>;
}

function configError(key: string, value: unknown, detail: string): ConfigException {
  return new ConfigException(`Invalid value ${String(value)} for configuration ${key}: ${detail}`, { key });
}

export function readCopybookText(c: ParsedConfig): string {
  const path = c.getOptionalString('copybook');
  const contents = c.getOptionalString('copybook.contents');
  if (path && contents)
    throw new ConfigException('Set only one of copybook and copybook.contents', { key: 'copybook' });
  if (c.getList('copybooks').length > 0)
    throw new ConfigException('copybooks gives several copybooks: read them with readLayout', { key: 'copybooks' });
  if (contents) return contents;
  if (!path)
    throw new ConfigException(
      'Missing required configuration "copybook": the path of the COBOL copybook (or give its text in copybook.contents)',
      { key: 'copybook' },
    );
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw configError('copybook', path, `cannot read the copybook: ${(err as Error).message}`);
  }
}

/**
 * Builds the reader from parsed config; every problem is a ConfigException naming the key.
 * `generatedColumns`: the caller writes Cobrix's generated columns (the CLI, the source
 * connector); elsewhere (the converter) the options asking for them are rejected rather than ignored.
 */
export function buildReader(c: ParsedConfig, o: { generatedColumns?: boolean } = {}): MainframeReader {
  if (!o.generatedColumns) {
    for (const key of ['generate.record.id', 'segment.id.levels', 'segment.filter']) {
      const v = c.values[key];
      if (v === true || (typeof v === 'string' && v.trim() !== '') || (Array.isArray(v) && v.length > 0)) {
        throw new ConfigException(
          `Invalid value ${String(v)} for configuration ${key}: Cobrix's generated columns and segment filter are written by tributary mainframe decode and the mainframe source connector only (a converter sees one message at a time, without its file or record number). Remove ${key}`,
          { key },
        );
      }
    }
  }
  const occursMappings = readOccursMappings(c);
  const layout = readLayout(c, occursMappings);
  let segmentRedefines: Map<string, string> | undefined;
  try {
    const list = c.getList('segment.redefines');
    segmentRedefines = list.length > 0 ? parseSegmentRedefines(list) : undefined;
  } catch (err) {
    throw configError('segment.redefines', c.getList('segment.redefines').join(','), (err as Error).message);
  }
  const segmentField = c.getOptionalString('segment.field') ?? undefined;
  if (segmentRedefines && !segmentField)
    throw new ConfigException('segment.redefines needs segment.field: the field whose value selects the segment', {
      key: 'segment.field',
    });
  const options: DecodeOptions = {
    encoding: c.getString('encoding').toLowerCase() as 'ebcdic' | 'ascii',
    codePage: c.getString('ebcdic.code.page').trim().toLowerCase(),
    asciiCharset: c.getString('ascii.charset'),
    trim: c.getString('string.trimming.policy').toLowerCase() as TrimPolicy,
    floatingPoint: FLOATING_POINT_FORMATS.find(
      (f) => f.toLowerCase() === c.getString('floating.point.format').toLowerCase(),
    ) as FloatingPointFormat,
    binaryTruncation: c.getString('binary.truncation').toLowerCase() as 'bin' | 'std',
    variableSizeOccurs: c.getBoolean('variable.size.occurs'),
    invalidData: c.getString('invalid.data.policy').toLowerCase() as InvalidDataPolicy,
    strictSignOverpunch: c.getBoolean('strict.sign.overpunching'),
    improvedNullDetection: c.getBoolean('improved.null.detection'),
    debug: c.getString('debug.fields').toLowerCase() as 'none' | 'hex',
    segmentField,
    segmentRedefines,
    dropGroupFillers: c.getBoolean('drop.group.fillers'),
    dropValueFillers: c.getBoolean('drop.value.fillers'),
    occursMappings,
  };
  let decoder: RecordDecoder;
  try {
    decoder = new RecordDecoder(layout, options);
  } catch (err) {
    if (options.debug === 'hex' && options.variableSizeOccurs)
      throw configError('debug.fields', 'hex', 'debug fields cannot be combined with variable.size.occurs=true');
    throw configError(segmentField ? 'segment.field' : 'segment.redefines', segmentField ?? '', (err as Error).message);
  }
  let children: Map<string, string[]> | null = null;
  const childrenText = c.getString('segment.children');
  if (childrenText.trim()) {
    try {
      children = parseSegmentChildren(childrenText);
      new SegmentHierarchy(children);
    } catch (err) {
      throw configError('segment.children', childrenText, (err as Error).message);
    }
    if (!segmentRedefines)
      throw new ConfigException(
        "segment.children needs segment.field and segment.redefines to know each record's segment",
        { key: 'segment.children' },
      );
  }
  const prefix = c.getString('segment.id.prefix');
  const levelsText = c.getString('segment.id.levels').trim();
  const filter = c.getList('segment.filter');
  const generated = {
    recordId: c.getBoolean('generate.record.id'),
    segmentLevels: levelsText ? levelsText.split(';').map((l) => l.split(',').map((x) => x.trim())) : [],
    segmentIdPrefix: prefix,
    segmentFilter: filter.length > 0 ? new Set(filter) : null,
  };
  // Cobrix's default prefix is taken once per read
  const readPrefix = generated.segmentLevels.length > 0 && !prefix ? defaultSegmentIdPrefix() : '';
  if ((generated.segmentLevels.length > 0 || generated.segmentFilter) && !segmentField)
    throw new ConfigException(
      'segment.id.levels and segment.filter need segment.field: the field whose value is the segment id',
      { key: 'segment.field' },
    );
  const rs = c.getInt('record.start.offset');
  const re = c.getInt('record.end.offset');
  return {
    layout,
    decoder,
    options,
    framer: buildFramer(c, layout, decoder, rs, re),
    hierarchy: () => (children ? new SegmentHierarchy(children, prefix) : null),
    generatedColumns: (file = {}) =>
      new GeneratedColumns({
        ...generated,
        fileId: file.fileId,
        segmentIdPrefix: generated.segmentIdPrefix || file.segmentIdPrefix || readPrefix,
      }),
    schemaRetention: c.getString('schema.retention.policy') as 'collapse_root' | 'keep_original',
    segmentIdPrefix: prefix,
    fileStartOffset: c.getInt('file.start.offset'),
    fileEndOffset: c.getInt('file.end.offset'),
    recordStartOffset: rs,
    recordEndOffset: re,
    decode:
      rs === 0 && re === 0
        ? (buf, start, end) => decoder.decode(buf, start, end)
        : (buf, start, end) => decoder.decode(buf, Math.min(end, start + rs), Math.max(start + rs, end - re)),
  };
}

function readOccursMappings(c: ParsedConfig): Map<string, Map<string, number>> | undefined {
  const text = c.getOptionalString('occurs.mappings');
  if (!text || !text.trim()) return undefined;
  try {
    return parseOccursMappings(text);
  } catch (err) {
    throw configError('occurs.mappings', text, (err as Error).message);
  }
}

/**
 * The layout of the copybook (copybook or copybook.contents) or of the merged copybooks
 * (copybooks), with the non_terminals and occurs_mappings tables; a syntax error names the file.
 */
export function readLayout(c: ParsedConfig, occursMappings = readOccursMappings(c)): Layout {
  const options = {
    format: c.getString('copybook.format') as 'fixed' | 'free' | 'auto',
    occursMappingTables: occursMappings ? new Set(occursMappings.keys()) : undefined,
    nonTerminals: new Set(c.getList('non.terminals').map(mappingKey)),
    extensions: parseCopybookExtensions(c.getList('copybook.extensions')) as Set<CopybookExtension>,
  };
  const paths = c.getList('copybooks');
  if (paths.length > 0 && (c.getOptionalString('copybook') || c.getOptionalString('copybook.contents')))
    throw new ConfigException('Set only one of copybooks, copybook and copybook.contents', { key: 'copybooks' });
  const sources =
    paths.length > 0
      ? paths.map((path) => ({ source: path, key: 'copybooks', text: readFile('copybooks', path) }))
      : [
          {
            source: c.getOptionalString('copybook') ?? '(copybook.contents)',
            key: c.getOptionalString('copybook') ? 'copybook' : 'copybook.contents',
            text: readCopybookText(c),
          },
        ];
  const asts = sources.map((s) => {
    try {
      return { source: s.source, ast: parseCopybook(s.text, options) };
    } catch (err) {
      if (err instanceof CopybookSyntaxError)
        throw new ConfigException(`Invalid copybook ${s.source}: ${err.message}`, { key: s.key, cause: err });
      throw err;
    }
  });
  try {
    return buildLayout(mergeCopybooks(asts), options);
  } catch (err) {
    if (err instanceof CopybookSyntaxError)
      throw new ConfigException(
        `Invalid copybook ${sources.length > 1 ? paths.join(', ') : sources[0].source}: ${err.message}`,
        { key: sources[0].key, cause: err },
      );
    throw err;
  }
}

function readFile(key: string, path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(key, path, `cannot read the copybook: ${(err as Error).message}`);
  }
}

function buildFramer(c: ParsedConfig, layout: Layout, decoder: RecordDecoder, rs: number, re: number): Framer {
  const headerParser = c.getOptionalString('record.header.parser');
  if (headerParser) {
    try {
      return headerParserFramer(createRecordHeaderParser(headerParser, c.getString('rhp.additional.info')));
    } catch (err) {
      throw configError('record.header.parser', headerParser, (err as Error).message);
    }
  }
  const lengthField = c.getOptionalString('record.length.field');
  if (lengthField) {
    const node =
      findNode(decoder.roots, lengthField.toUpperCase().replace(/_/g, '-')) ??
      findNode(decoder.roots, lengthField.toUpperCase());
    if (!node || !node.decode || !node.numeric || node.field.occurs)
      throw configError(
        'record.length.field',
        lengthField,
        'expected the name of a numeric elementary field of the copybook',
      );
    const offset = node.field.offset + rs;
    const decode = node.decode;
    return lengthFieldFramer(
      offset + node.size,
      (buf, at) => Number(decode(buf, at + offset, newContext(0, null, 'null', at, at + offset + node.size))),
      c.getInt('record.length.adjustment'),
    );
  }
  const format = c.getString('record.format').toUpperCase();
  switch (format) {
    case 'F':
    case 'FB': {
      if (c.values['record.length'] === null && c.getBoolean('variable.size.occurs')) {
        // each record is as long as its ODO counts make it (Cobrix frames F files this way too)
        return variableSizeFramer((buf, at, end) => rs + decoder.variableRecordSize(buf, at + rs, end) + re);
      }
      const len = c.values['record.length'] === null ? layout.size + rs + re : c.getInt('record.length');
      return fixedLengthFramer(len);
    }
    case 'V':
      return rdwFramer({ bigEndian: c.getBoolean('rdw.big.endian'), adjustment: c.getInt('rdw.adjustment') });
    case 'VB':
      return blockedRdwFramer(
        { bigEndian: c.getBoolean('rdw.big.endian'), adjustment: c.getInt('rdw.adjustment') },
        { bigEndian: c.getBoolean('bdw.big.endian'), adjustment: c.getInt('bdw.adjustment') },
      );
    default:
      return textLineFramer();
  }
}

export function parseDecodingConfig(props: Record<string, string>, def: ConfigDef = DECODING_CONFIG): ParsedConfig {
  return new ParsedConfig(def, translateCobrixOptions(props));
}
