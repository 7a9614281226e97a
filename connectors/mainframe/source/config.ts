import { ConfigDef, Validators, type ParsedConfig } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { buildReader, DECODING_CONFIG, type MainframeReader } from '../config.ts';

const S = 'Source';

export const MAINFRAME_SOURCE_CONFIG = new ConfigDef()
  .define({
    name: 'topic',
    type: 'STRING',
    importance: 'HIGH',
    group: S,
    validator: Validators.nonEmptyString(),
    documentation: 'Topic the records are written to.',
  })
  .define({
    name: 'input.path',
    type: 'LIST',
    importance: 'HIGH',
    group: S,
    documentation:
      'Files and/or directories of mainframe record files (local paths). Directories are read file by file in name order.',
  })
  .define({
    name: 'input.file.pattern',
    type: 'STRING',
    defaultValue: '.*',
    importance: 'LOW',
    group: S,
    validator: Validators.regex(),
    documentation: 'Regular expression a file name in an input directory must match.',
  })
  .define({
    name: 'tail',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    group: S,
    documentation:
      'After the snapshot of the existing files (op=r), keep reading records appended to them and new files in the directories (op=c).',
  })
  .define({
    name: 'poll.interval.ms',
    type: 'INT',
    defaultValue: 1000,
    importance: 'LOW',
    group: S,
    validator: Validators.atLeast(10),
    documentation: 'How often files and directories are checked for new data once everything was read.',
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 2000,
    importance: 'LOW',
    group: S,
    validator: Validators.atLeast(1),
    documentation: 'Maximum number of records returned by one poll.',
  })
  .define({
    name: 'envelope',
    type: 'STRING',
    defaultValue: 'debezium',
    importance: 'MEDIUM',
    group: S,
    validator: Validators.in('debezium', 'none'),
    documentation:
      'debezium: Debezium change-event envelopes (before, after, source, op, ts_ms); none: the decoded record struct itself.',
  })
  .define({
    name: 'key.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: S,
    documentation:
      'Fields of the record (COBOL or Connect names, dotted for nested groups) that make up the record key; empty: no key.',
  })
  .merge(DECODING_CONFIG);

/** The connector's reader: Cobrix's generated columns allowed (the task numbers records per file and keeps the numbering in its offsets). */
export function buildSourceReader(c: ParsedConfig): MainframeReader {
  const reader = buildReader(c, { generatedColumns: true });
  if (reader.hierarchy() && c.getString('segment.id.levels').trim()) {
    throw new ConfigException(
      `Invalid value ${c.getString('segment.id.levels')} for configuration segment.id.levels: both segment.id.levels (Cobrix's segment_id_level*) and segment.children make Seg_Id0..N columns; remove one of them`,
      { key: 'segment.id.levels' },
    );
  }
  return reader;
}
