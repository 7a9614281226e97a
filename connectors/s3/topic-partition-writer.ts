/**
 * The files of one Kafka topic partition, as Confluent's TopicPartitionWriter keeps them: one open
 * file per encoded partition; a commit round finishes and uploads all of them at once when
 * flush.size records were written, when a record's time is rotate.interval.ms past the first of
 * the round (or its encoded partition changes, with rotate.interval.ms), at the wall-clock times
 * of rotate.schedule.interval.ms, or before a record whose schema change schema.compatibility
 * says to rotate on. The consumer offset is committed only to the end of the last finished round.
 *
 * Every step can be repeated after a transient S3 failure: records below `nextOffset` were
 * already taken (a redelivered batch skips them), a round whose uploads failed half-way is
 * resumed first, and pending bytes stay until their upload succeeded.
 */
import { ConnectException } from '../../sdk/errors.ts';
import { type SinkRecord, schemaEquals, type Schema } from '../../sdk/data.ts';
import type { TopicPartition } from '../../sdk/spi.ts';
import type { Logger } from '../../sdk/logging.ts';
import type { S3SinkSettings } from './s3-sink-settings.ts';
import type { Format, RecordWriter } from './format/format.ts';
import type { S3Partitioner } from './partitioner/partitioner.ts';
import { zoneOffsetMs } from './partitioner/joda-format.ts';
import { NEXT_OFFSET_METADATA, objectName, type ObjectNaming } from './storage/committed-objects.ts';
import { ObjectUpload, type UploadTarget } from './storage/object-upload.ts';
import { projectRecord, schemaChangeRotates } from './schema-rotation.ts';

/** Bytes an open writer may hold before its finished bytes are moved to the upload. */
const DRAIN_THRESHOLD = 1024 * 1024;

interface OpenFile {
  encodedPartition: string;
  startOffset: number;
  schema: Schema | null;
  writer: RecordWriter;
  upload: ObjectUpload;
  records: number;
  /** Other schema objects equal to `schema`. */
  equalSchemas: WeakSet<Schema>;
}

interface ClosingRound {
  files: OpenFile[];
  /** Offset after the last record of the round. */
  end: number;
}

export interface TopicPartitionWriterDeps {
  settings: S3SinkSettings;
  format: Format;
  partitioner: S3Partitioner;
  target: UploadTarget;
  naming: ObjectNaming;
  logger: Logger;
  now: () => number;
  /** A record that cannot be partitioned or encoded: reported (errant record reporter) or rethrown. */
  onBadRecord: (record: SinkRecord, err: Error) => Promise<void>;
}

export class TopicPartitionWriter {
  private readonly files = new Map<string, OpenFile>();
  private closing: ClosingRound | null = null;
  private recordCount = 0;
  private baseRecordTimestamp: number | null = null;
  private currentEncodedPartition: string | null = null;
  private nextScheduledRotation = Infinity;
  /** Offset after the last record taken; records below it are redeliveries and skipped. */
  private nextOffset: number | null = null;
  /** Offset after the last committed round (what the consumer may commit). */
  private committedEnd: number | null = null;
  committedFiles = 0;

  constructor(
    readonly tp: TopicPartition,
    private readonly deps: TopicPartitionWriterDeps,
  ) {
    this.setNextScheduledRotation();
  }

  /** Resume point found in the bucket: everything below it is already written. */
  startAt(offset: number): void {
    this.nextOffset = offset;
    this.committedEnd = offset;
  }

  private setNextScheduledRotation(): void {
    const { rotateScheduleIntervalMs: interval, timezone } = this.deps.settings;
    if (interval <= 0) return;
    // DateTimeUtils.getNextTimeAdjustedByDay: the next multiple of the interval from local midnight.
    const now = this.deps.now();
    const offset = zoneOffsetMs(now, timezone);
    const local = now + offset;
    const midnight = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
    const next = midnight + (Math.floor((local - midnight) / interval) + 1) * interval;
    this.nextScheduledRotation = next - offset;
  }

  /** Milliseconds until the next wall-clock rotation is due (Infinity when none is scheduled or nothing is open). */
  msUntilScheduledRotation(): number {
    if (this.recordCount === 0 || this.nextScheduledRotation === Infinity) return Infinity;
    return Math.max(0, this.nextScheduledRotation - this.deps.now());
  }

  /** Takes the records of this partition (in offset order). */
  async write(records: SinkRecord[]): Promise<void> {
    await this.resumePending();
    for (const record of records) {
      if (this.nextOffset !== null && record.kafkaOffset < this.nextOffset) continue;
      const pending = this.writeOne(record);
      if (pending) await pending;
    }
    await this.drainAll(0);
    await this.rotateOnTimeIfDue();
  }

  /** Wall-clock rotation with no new records (called from preCommit). */
  async rotateOnTimeIfDue(): Promise<void> {
    await this.resumePending();
    const now = this.deps.now();
    if (this.recordCount > 0 && now >= this.nextScheduledRotation) {
      this.deps.logger.info(
        { topic: this.tp.topic, partition: this.tp.partition, records: this.recordCount },
        'S3 sink: scheduled rotation (rotate.schedule.interval.ms)',
      );
      await this.commitRound();
    } else if (this.recordCount === 0 && now >= this.nextScheduledRotation) {
      this.setNextScheduledRotation();
    }
  }

  /**
   * Takes one record. Synchronous unless the record needs S3 (a rotation, a drain to the upload) or
   * the errant record reporter: then the returned promise says when it is done (the per-record
   * await of an async function costs more than the encoding itself).
   */
  private writeOne(record: SinkRecord): Promise<void> | undefined {
    const { settings, partitioner } = this.deps;
    const now = this.deps.now();
    if (record.value === null || record.value === undefined) {
      if (settings.nullValues === 'ignore') {
        this.skip(record);
        return undefined;
      }
      throw new ConnectException(
        `Null valued record from topic '${record.topic}', partition ${record.kafkaPartition} and offset ${record.kafkaOffset} was not written: set behavior.on.null.values=ignore to skip tombstones (or drop them with an SMT)`,
      );
    }
    if (this.deps.format.requiresSchema && record.valueSchema === null) {
      return this.bad(
        record,
        new ConnectException(
          `${this.deps.format.className} needs records with a value schema; the record at topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset} has none: use a converter with schemas (JsonConverter with schemas.enable=true, AvroConverter) or JsonFormat/ByteArrayFormat`,
        ),
      );
    }
    const extractor = partitioner.timestampExtractor;
    let ts: number | null;
    let encoded: string;
    try {
      ts = extractor && settings.rotateIntervalMs > 0 ? extractor.extract(record, now) : null;
      encoded = partitioner.encodePartition(record, now);
    } catch (err) {
      return this.bad(record, err as Error);
    }
    // After a rotation the record is taken again from the start, with nothing open.
    if (this.rotateOnTime(encoded, ts, now)) return this.commitRound().then(() => this.writeOne(record));
    const open = this.files.get(encoded);
    if (open && this.recordCount > 0 && this.rotatesOnSchema(open, record)) {
      this.deps.logger.info(
        {
          topic: record.topic,
          partition: record.kafkaPartition,
          offset: record.kafkaOffset,
          encodedPartition: encoded,
        },
        'S3 sink: schema change rotates the open files',
      );
      return this.commitRound().then(() => this.writeOne(record));
    }
    if (this.baseRecordTimestamp === null) this.baseRecordTimestamp = ts;
    const file = open ?? this.openFile(encoded, record);
    try {
      // An equal copy of the file's schema is replaced by the file's own object: the formats cache their encoders per schema object.
      const s = record.valueSchema;
      const toWrite =
        s === file.schema
          ? record
          : s !== null && file.equalSchemas.has(s)
            ? record.newRecord({ valueSchema: file.schema })
            : projectRecord(settings.schemaCompatibility, file.schema, record);
      file.writer.write(toWrite);
    } catch (err) {
      if (file.records === 0) this.discard(file);
      return this.bad(record, err as Error);
    }
    file.records++;
    this.recordCount++;
    this.currentEncodedPartition = encoded;
    this.nextOffset = record.kafkaOffset + 1;
    let pending: Promise<void> | undefined;
    if (file.writer.bufferedBytes() >= DRAIN_THRESHOLD) pending = this.drain(file);
    if (this.recordCount >= settings.flushSize)
      pending = pending ? pending.then(() => this.commitRound()) : this.commitRound();
    return pending;
  }

  /** schemaChangeRotates, remembering schema objects found equal to the file's (records often carry equal copies). */
  private rotatesOnSchema(open: OpenFile, record: SinkRecord): boolean {
    const s = record.valueSchema;
    if (s === open.schema || (s !== null && open.equalSchemas.has(s))) return false;
    const rotates = schemaChangeRotates(this.deps.settings.schemaCompatibility, open.schema, record);
    if (!rotates && s !== null && open.schema !== null && schemaEquals(open.schema, s)) open.equalSchemas.add(s);
    return rotates;
  }

  private async bad(record: SinkRecord, err: Error): Promise<void> {
    await this.deps.onBadRecord(record, err);
    this.skip(record);
  }

  private skip(record: SinkRecord): void {
    this.nextOffset = record.kafkaOffset + 1;
    if (this.files.size === 0 && this.closing === null) this.committedEnd = this.nextOffset;
  }

  private rotateOnTime(encoded: string, ts: number | null, now: number): boolean {
    if (this.recordCount <= 0) return false;
    const { rotateIntervalMs } = this.deps.settings;
    const periodic =
      rotateIntervalMs > 0 &&
      this.deps.partitioner.timestampExtractor !== undefined &&
      ((ts !== null && this.baseRecordTimestamp !== null && ts - this.baseRecordTimestamp >= rotateIntervalMs) ||
        encoded !== this.currentEncodedPartition);
    return periodic || now >= this.nextScheduledRotation;
  }

  private openFile(encoded: string, record: SinkRecord): OpenFile {
    const { format, settings, naming, target, partitioner } = this.deps;
    const path = partitioner.partitionedPath(settings.topicsDir, record.topic, encoded);
    const key = objectName(naming, path, record.topic, this.tp.partition, record.kafkaOffset);
    const writer = format.open(settings.format, {
      topic: record.topic,
      kafkaPartition: this.tp.partition,
      startOffset: record.kafkaOffset,
      valueSchema: record.valueSchema,
    });
    const file: OpenFile = {
      encodedPartition: encoded,
      startOffset: record.kafkaOffset,
      schema: record.valueSchema,
      writer,
      upload: new ObjectUpload(target, key),
      records: 0,
      equalSchemas: new WeakSet(),
    };
    this.files.set(encoded, file);
    return file;
  }

  private discard(file: OpenFile): void {
    file.writer.abort();
    this.files.delete(file.encodedPartition);
  }

  private async drain(file: OpenFile): Promise<void> {
    file.upload.add(file.writer.drain());
    await file.upload.flushParts();
  }

  private async drainAll(minBytes: number): Promise<void> {
    for (const f of this.files.values()) if (f.writer.bufferedBytes() >= minBytes) await this.drain(f);
  }

  /** Finishes every open file and uploads them; the last one carries the round's end offset. */
  private async commitRound(): Promise<void> {
    if (!this.closing) {
      if (this.files.size === 0) return;
      const files = [...this.files.values()];
      for (const f of files) f.upload.add(await f.writer.finish());
      this.closing = { files, end: this.nextOffset! };
      this.files.clear();
      this.recordCount = 0;
      this.baseRecordTimestamp = null;
      this.currentEncodedPartition = null;
      this.setNextScheduledRotation();
    }
    await this.finishClosing();
  }

  private async finishClosing(): Promise<void> {
    const round = this.closing!;
    for (let i = 0; i < round.files.length; i++) {
      const f = round.files[i];
      const last = i === round.files.length - 1;
      await f.upload.complete(last ? { [NEXT_OFFSET_METADATA]: String(round.end) } : {});
    }
    this.committedFiles += round.files.length;
    this.deps.logger.debug(
      {
        topic: this.tp.topic,
        partition: this.tp.partition,
        files: round.files.map((f) => f.upload.key),
        end: round.end,
      },
      'S3 sink: committed files',
    );
    this.committedEnd = round.end;
    this.closing = null;
  }

  private async resumePending(): Promise<void> {
    if (this.closing) await this.finishClosing();
    for (const f of this.files.values()) await f.upload.flushParts();
  }

  /** The offset the consumer may commit (after the last committed round), or null when nothing changed. */
  offsetToCommit(): number | null {
    return this.committedEnd;
  }

  /** Memory held by the open files (writers and pending upload bytes). */
  bufferedBytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.writer.bufferedBytes() + f.upload.bufferedBytes();
    for (const f of this.closing?.files ?? []) n += f.upload.bufferedBytes();
    return n;
  }

  /** Drops the open files (their records are consumed again from the committed offset) and aborts started multipart uploads. */
  async close(): Promise<void> {
    const all = [...this.files.values(), ...(this.closing?.files ?? [])];
    this.files.clear();
    this.closing = null;
    for (const f of all) {
      f.writer.abort();
      const err = await f.upload.abort();
      if (err)
        this.deps.logger.warn(
          { key: f.upload.key, err: err.message },
          'S3 sink: could not abort a multipart upload (the bucket lifecycle rule for incomplete uploads removes it)',
        );
    }
  }
}
