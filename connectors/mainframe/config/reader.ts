/**
 * Builds the reader of a decoding config: layout, decoder, framer, segments and generated columns.
 */
import { ConfigDef, ParsedConfig } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { type TrimPolicy } from '../codec/text.ts';
import { type Layout } from '../copybook/layout.ts';
import {
  FLOATING_POINT_FORMATS,
  type DecodeOptions,
  type InvalidDataPolicy,
  type FloatingPointFormat,
} from '../decoder/options.ts';
import { RecordDecoder, findNode, newContext } from '../decoder/record-decoder.ts';
import { defaultSegmentIdPrefix, GeneratedColumns } from '../decoder/generated-columns.ts';
import { SegmentHierarchy, parseSegmentChildren, parseSegmentRedefines } from '../decoder/segments.ts';
import { createRecordHeaderParser, headerParserFramer } from '../framing/record-header-parser.ts';
import {
  blockedRdwFramer,
  fixedLengthFramer,
  lengthFieldFramer,
  rdwFramer,
  textLineFramer,
  variableSizeFramer,
  type Framer,
} from '../framing/framer.ts';
import { translateCobrixOptions } from './cobrix-options.ts';
import { configError, readLayout, readOccursMappings } from './copybook-source.ts';
import { DECODING_CONFIG } from './decoding-keys.ts';

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
