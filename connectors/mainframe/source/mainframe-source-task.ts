/**
 * Reads mainframe record files: every record becomes a SourceRecord whose value is the decoded
 * copybook struct (in a Debezium envelope by default) and whose offset is the file and the byte
 * position after the record (plus the VB block end and segment ancestor ids), so a restarted
 * task resumes at exactly the next record. Records present when a file is first seen are a
 * snapshot (op=r); records appended later are creates (op=c). Cobrix's generated columns
 * (File_Id, Record_Id, Record_Byte_Length, Seg_Id0..N) continue their numbering from the offset.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ParsedConfig } from '../../../sdk/config.ts';
import { SourceRecord, SchemaBuilder, type Schema, Struct } from '../../../sdk/data.ts';
import { ConnectException } from '../../../sdk/errors.ts';
import type { SourceTask, SourceTaskContext } from '../../../sdk/spi.ts';
import { sleep } from '../../../sdk/internal/worker-support.ts';
import { translateCobrixOptions, type MainframeReader } from '../config.ts';
import { ConnectView } from '../decoder/connect-view.ts';
import { RecordDecodeError } from '../decoder/record-decoder.ts';
import type { SegmentHierarchy } from '../decoder/segments.ts';
import { FramingError } from '../framing/framer.ts';
import { buildSourceReader, MAINFRAME_SOURCE_CONFIG } from './config.ts';
import { envelope, envelopeSchema, sourceSchema } from './envelope.ts';
import { FileReplacedError, RecordFile } from './record-file.ts';
import { MainframeSourceMetrics } from './metrics.ts';
import { defaultSegmentIdPrefix, FileIdAllocator, FileNumbering } from './record-numbering.ts';

export const VERSION = '1.0.0';

interface FileState {
  path: string;
  file: RecordFile;
  snapshotEnd: number;
  hierarchy: SegmentHierarchy | null;
  /** Cobrix's generated columns and segment filter of the file; null without them. */
  numbering: FileNumbering | null;
  /** A file that had nothing new is checked again only after poll.interval.ms (its descriptor closed meanwhile). */
  idleUntil: number;
}

/** Files of the inputs this task owns (task i of n takes every n-th file by sorted name). */
export function listInputFiles(inputs: string[], pattern: RegExp): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(input).sort()) {
        const p = path.join(input, name);
        if (pattern.test(name) && fs.statSync(p).isFile()) files.push(path.resolve(p));
      }
    } else files.push(path.resolve(input));
  }
  return [...new Set(files)];
}

export class MainframeFileSourceTask implements SourceTask {
  private context!: SourceTaskContext;
  private reader!: MainframeReader;
  private topic = '';
  private inputs: string[] = [];
  private pattern = /.*/;
  private tail = true;
  private pollInterval = 1000;
  private batchSize = 2000;
  private useEnvelope = true;
  private keyPaths: string[][] = [];
  private keySchema: Schema | null = null;
  private view!: ConnectView;
  private valueSchema!: Schema;
  private sourceSchema = sourceSchema();
  private files = new Map<string, FileState>();
  private order: string[] = [];
  private taskIndex = 0;
  private taskCount = 1;
  private firstScan = true;
  private lastScan = 0;
  private connectorName = '';
  private metrics = new MainframeSourceMetrics(0);
  private fileIds = new FileIdAllocator(0, 1);
  private segmentIdPrefix = '';

  version(): string {
    return VERSION;
  }
  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    const c = new ParsedConfig(MAINFRAME_SOURCE_CONFIG, translateCobrixOptions(props));
    this.reader = buildSourceReader(c);
    this.topic = c.getString('topic');
    this.inputs = c.getList('input.path');
    this.pattern = new RegExp(c.getString('input.file.pattern'));
    this.tail = c.getBoolean('tail');
    this.pollInterval = c.getInt('poll.interval.ms');
    this.batchSize = c.getInt('batch.size');
    this.useEnvelope = c.getString('envelope') === 'debezium';
    this.taskIndex = Number(props['task.index'] ?? 0);
    this.taskCount = Number(props['task.count'] ?? 1);
    this.connectorName = this.context.connectorName;
    this.metrics = new MainframeSourceMetrics(this.batchSize);
    this.metrics.register(this.context.metrics, this.connectorName);
    this.metrics.started();
    this.fileIds = new FileIdAllocator(this.taskIndex, this.taskCount);
    this.segmentIdPrefix = defaultSegmentIdPrefix();
    const hierarchy = this.reader.hierarchy();
    this.view = new ConnectView(this.reader.decoder, {
      name: `${this.topic}.Value`,
      schemaRetention: this.reader.schemaRetention,
      extraFields: hierarchy?.fieldNames ?? generatedFields(this.reader.generatedColumns().names),
      optional: this.useEnvelope,
    });
    this.valueSchema = this.useEnvelope
      ? envelopeSchema(this.topic, this.view.schema, this.sourceSchema)
      : this.view.schema;
    const keys = c.getList('key.fields');
    if (keys.length > 0) {
      const b = SchemaBuilder.struct().name(`${this.topic}.Key`);
      this.keyPaths = keys.map((k) => {
        const p = resolvePath(
          this.view.schema,
          k.split('.').map((x) => x.trim().replace(/-/g, '_')),
        );
        if (!p)
          throw new ConnectException(
            `Invalid value ${keys.join(',')} for configuration key.fields: ${k} is not a field of the copybook record; fields: ${this.view.schema.fields.map((f) => f.name).join(', ')}`,
          );
        b.field(p.names.join('_'), p.schema);
        return p.names;
      });
      this.keySchema = b.build();
    }
  }

  private scan(): void {
    const listing = listInputFiles(this.inputs, this.pattern);
    const all = listing.filter(
      (_, i, arr) => this.taskCount <= 1 || hashOf(arr[i]) % this.taskCount === this.taskIndex,
    );
    const numbered = !this.reader.generatedColumns().empty;
    if (numbered && all.some((p) => !this.files.has(p))) {
      // File_Ids stored by any task, so a new file's id is one nobody uses
      for (const off of this.context.offsetStorageReader.offsets(listing.map((file) => ({ file }))).values()) {
        if (typeof off?.file_id === 'number') this.fileIds.reserve(off.file_id);
      }
    }
    for (const p of all) {
      if (this.files.has(p)) continue;
      const partition = { file: p };
      const off = this.context.offsetStorageReader.offset(partition);
      const storedFileId = numbered ? FileNumbering.storedFileId(off, p) : undefined;
      const fileId = !numbered
        ? 0
        : (storedFileId ?? this.fileIds.allocate(listing.indexOf(p), listing.length, this.firstScan));
      const numbering = numbered ? FileNumbering.open(this.reader, fileId, this.segmentIdPrefix, off, p) : null;
      let position = this.reader.fileStartOffset;
      let blockEnd = 0;
      let snapshotEnd = this.firstScan ? safeSize(p) - this.reader.fileEndOffset : 0;
      let segmentIds: unknown = null;
      if (off) {
        if (typeof off.position !== 'number' || !Number.isInteger(off.position) || off.position < 0) {
          throw new ConnectException(
            `Offset of ${p} has no valid position: ${JSON.stringify(off)}; reset it with PATCH /connectors/${this.connectorName}/offsets`,
          );
        }
        position = off.position;
        blockEnd = typeof off.block_end === 'number' ? off.block_end : 0;
        snapshotEnd = typeof off.snapshot_end === 'number' ? off.snapshot_end : 0;
        segmentIds = off.segment_ids;
        if (numbering && off.record_index === undefined && position > this.reader.fileStartOffset) {
          throw new ConnectException(
            `Offset of ${p} was stored without generated columns (no record_index) at byte ${position}: the Record_Id and segment ids of the records after it are unknown; reset the offsets (PATCH or DELETE /connectors/${this.connectorName}/offsets) or remove generate.record.id, segment.id.levels and segment.filter`,
          );
        }
      }
      const hierarchy = this.reader.hierarchy();
      hierarchy?.restore(segmentIds);
      this.files.set(p, {
        path: p,
        file: new RecordFile(p, this.reader.framer, { position, blockEnd }, this.reader.fileEndOffset),
        snapshotEnd,
        hierarchy,
        numbering,
        idleUntil: 0,
      });
      this.order.push(p);
      this.metrics.fileSeen(p, position, snapshotEnd);
      this.context.logger.debug({ file: p, position }, 'Reading mainframe file');
    }
    this.firstScan = false;
    this.lastScan = Date.now();
  }

  async poll(): Promise<SourceRecord[] | null> {
    const deadline = Date.now() + this.pollInterval;
    while (!this.context.signal.aborted) {
      if (this.firstScan || Date.now() - this.lastScan >= this.pollInterval) this.scan();
      const out: SourceRecord[] = [];
      const now = Date.now();
      for (const p of this.order) {
        const f = this.files.get(p)!;
        if (f.idleUntil > now) continue;
        const before = out.length;
        this.readFrom(f, out);
        if (out.length === before) {
          f.idleUntil = now + this.pollInterval;
          f.file.release();
        }
        if (out.length >= this.batchSize) break;
      }
      if (out.length > 0) return out;
      if (Date.now() >= deadline) return null;
      await sleep(Math.min(100, this.pollInterval), this.context.signal);
    }
    return null;
  }

  private readFrom(f: FileState, out: SourceRecord[]): void {
    while (out.length < this.batchSize) {
      if (!this.tail && f.file.state.position >= f.snapshotEnd) return;
      let next;
      try {
        next = f.file.next();
      } catch (err) {
        if (err instanceof FramingError) this.metrics.erroneous();
        if (err instanceof FramingError)
          throw new ConnectException(`Cannot frame records of ${f.path}: ${err.message}`, { cause: err });
        if (err instanceof FileReplacedError) {
          // a replaced file (e.g. a new daily transfer under the same name): read it from the start
          this.context.logger.warn(
            { file: f.path, size: err.size, position: err.position },
            `${err.message}; reading it again from the start`,
          );
          f.file.reset(this.reader.fileStartOffset);
          f.hierarchy = this.reader.hierarchy();
          f.numbering?.reset();
          f.snapshotEnd = 0;
          continue;
        }
        throw err;
      }
      if (!next) return;
      const record = this.toSourceRecord(f, next.buf, next.record.offset, next.record.start, next.record.end);
      if (record) out.push(record);
    }
  }

  /** Null when segment_filter drops the record (its offset is then carried by the next record sent). */
  private toSourceRecord(f: FileState, buf: Buffer, offset: number, start: number, end: number): SourceRecord | null {
    const d = this.reader.decoder;
    let decoded;
    try {
      decoded = this.reader.decode(buf, start, end);
    } catch (err) {
      if (err instanceof RecordDecodeError) this.metrics.erroneous();
      if (err instanceof RecordDecodeError)
        throw new ConnectException(`Invalid record in ${f.path} at byte ${offset}: ${err.message}`, { cause: err });
      throw err;
    }
    let extra: unknown[] = [];
    if (f.numbering) {
      const generated = f.numbering.next(end - start, decoded.segmentId);
      if (generated === null) return null;
      extra = generated;
    }
    if (f.hierarchy) extra = f.hierarchy.advance(d.segmentGroup(decoded.segmentId), offset);
    const value = this.view.toStruct(decoded.values, extra);
    const now = Date.now();
    const snapshot = offset < f.snapshotEnd;
    const sourceOffset: Record<string, unknown> = { position: f.file.state.position };
    this.metrics.record(f.path, snapshot, f.file.state.position);
    if (f.file.state.blockEnd) sourceOffset.block_end = f.file.state.blockEnd;
    if (f.snapshotEnd) sourceOffset.snapshot_end = f.snapshotEnd;
    if (f.hierarchy) sourceOffset.segment_ids = f.hierarchy.state();
    if (f.numbering) Object.assign(sourceOffset, f.numbering.offset());
    let key: Struct | null = null;
    if (this.keySchema) {
      key = new Struct(this.keySchema);
      this.keyPaths.forEach((p, i) => key!.put(this.keySchema!.fields[i], valueAt(value, p)));
    }
    let recordValue: Struct = value;
    if (this.useEnvelope) {
      const source = new Struct(this.sourceSchema)
        .put('version', VERSION)
        .put('connector', 'mainframe')
        .put('name', this.connectorName)
        .put('ts_ms', now)
        .put('snapshot', snapshot ? 'true' : 'false')
        .put('file', f.path)
        .put('pos', offset)
        .put('segment', decoded.segmentId);
      recordValue = envelope(this.valueSchema, snapshot ? 'r' : 'c', null, value, source, now);
    }
    return new SourceRecord({
      topic: this.topic,
      sourcePartition: { file: f.path },
      sourceOffset,
      keySchema: this.keySchema,
      key,
      valueSchema: this.valueSchema,
      value: recordValue,
      timestamp: now,
    });
  }

  stop(): void {
    this.metrics.stopped();
    for (const f of this.files.values()) f.file.close();
    this.files.clear();
    this.order = [];
  }
}

/** Cobrix's types: File_Id integer, Record_Id long, Record_Byte_Length integer, Seg_Id strings. */
function generatedFields(names: string[]): Array<string | { name: string; schema: Schema }> {
  return names.map((name) =>
    name === 'Record_Id'
      ? { name, schema: SchemaBuilder.int64().build() }
      : name === 'File_Id' || name === 'Record_Byte_Length'
        ? { name, schema: SchemaBuilder.int32().build() }
        : name,
  );
}

function safeSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}

/** Field path by case-insensitive names (COBOL names are upper-case, Seg_Id fields are not). */
function resolvePath(schema: Schema, p: string[]): { names: string[]; schema: Schema } | undefined {
  let s: Schema = schema;
  const names: string[] = [];
  for (const part of p) {
    if (s.type !== 'struct') return undefined;
    const f = s.fields.find((x) => x.name.toLowerCase() === part.toLowerCase());
    if (!f) return undefined;
    names.push(f.name);
    s = f.schema;
  }
  return { names, schema: s };
}

function valueAt(struct: Struct, p: string[]): unknown {
  let v: unknown = struct;
  for (const part of p) {
    if (!(v instanceof Struct)) return null;
    v = v.get(part);
  }
  return v;
}
