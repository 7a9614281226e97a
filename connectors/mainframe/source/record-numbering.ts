/**
 * Cobrix's generated columns in the source connector: per file, File_Id, the index of the next
 * record (Record_Id) and the segment-id state, kept in the file's source offset so a restarted
 * task continues the numbering at exactly the next record. File_Id is the position of the file
 * among all input files (input.path order, names sorted in a directory; Cobrix numbers the files
 * of a read the same way), fixed when the file is first seen and then kept in its offset.
 */
import { ConnectException } from '../../../sdk/errors.ts';
import type { SourceOffset } from '../../../sdk/data.ts';
import type { MainframeReader } from '../config.ts';
import type { GeneratedColumns, SegmentIdState } from '../decoder/generated-columns.ts';

export { defaultSegmentIdPrefix } from '../decoder/generated-columns.ts';

export class FileNumbering {
  private columns: GeneratedColumns;

  private constructor(
    private readonly reader: MainframeReader,
    readonly fileId: number,
    private readonly prefix: string,
    private recordIndex: number,
  ) {
    this.columns = reader.generatedColumns({ fileId, segmentIdPrefix: prefix });
  }

  /**
   * The numbering of a file: fresh, or continued from its stored offset (the state after the
   * offset's record). Null when no generated column or segment filter is configured.
   */
  static open(
    reader: MainframeReader,
    fileId: number,
    defaultPrefix: string,
    offset: SourceOffset | null,
    file: string,
  ): FileNumbering | null {
    const {
      record_index: index,
      seg_id_prefix: prefix,
      seg_id_state: state,
    } = (offset ?? {}) as Record<string, unknown>;
    if (index === undefined) {
      const n = new FileNumbering(reader, fileId, defaultPrefix, 0);
      return n.columns.empty ? null : n;
    }
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0)
      throw invalidOffset(file, 'record_index', offset);
    const n = new FileNumbering(reader, fileId, typeof prefix === 'string' ? prefix : defaultPrefix, index);
    if (n.columns.empty) return null;
    if (state !== undefined) {
      const s = state as SegmentIdState;
      if (
        typeof s !== 'object' ||
        s === null ||
        typeof s.root !== 'string' ||
        !Number.isInteger(s.level) ||
        !Array.isArray(s.counts)
      )
        throw invalidOffset(file, 'seg_id_state', offset);
      n.columns.restore(s);
    }
    return n;
  }

  /** The File_Id a stored offset gives, if any. */
  static storedFileId(offset: SourceOffset | null, file: string): number | undefined {
    const id = offset?.file_id;
    if (id === undefined) return undefined;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw invalidOffset(file, 'file_id', offset);
    return id;
  }

  get names(): string[] {
    return this.columns.names;
  }

  /** The generated values of the next record of the file, or null when segment_filter drops it. */
  next(byteLength: number, segmentId: string | null): unknown[] | null {
    return this.columns.next(this.recordIndex++, byteLength, segmentId);
  }

  /** What the source offset keeps after the record just numbered. */
  offset(): Record<string, unknown> {
    return {
      file_id: this.fileId,
      record_index: this.recordIndex,
      seg_id_prefix: this.prefix,
      seg_id_state: this.columns.state(),
    };
  }

  /** The file was replaced: number it again from its first record. */
  reset(): void {
    this.recordIndex = 0;
    this.columns = this.reader.generatedColumns({ fileId: this.fileId, segmentIdPrefix: this.prefix });
  }
}

function invalidOffset(file: string, key: string, offset: SourceOffset | null): ConnectException {
  return new ConnectException(
    `Offset of ${file} has no valid ${key}: ${JSON.stringify(offset)}; the generated columns (generate.record.id, segment.id.levels) cannot continue their numbering`,
  );
}

/**
 * File_Id of a file seen for the first time (no id in its offset): its position in `listing` (all
 * input files, every task's) when the task starts, as Cobrix numbers the files it reads; a file
 * found later, or whose position is taken by a stored id, gets the next id above every id in use,
 * among ids ≡ taskIndex (mod taskCount) so tasks never hand out the same one.
 */
export class FileIdAllocator {
  private readonly used = new Set<number>();
  private highest = -1;

  constructor(
    private readonly taskIndex: number,
    private readonly taskCount: number,
  ) {}

  /** Ids already stored in the offsets of the listed files. */
  reserve(id: number): void {
    this.used.add(id);
    this.highest = Math.max(this.highest, id);
  }

  allocate(position: number, listingSize: number, firstScan: boolean): number {
    if (firstScan && position >= 0 && !this.used.has(position)) {
      this.reserve(position);
      return position;
    }
    let id = Math.max(this.highest + 1, listingSize);
    const n = Math.max(1, this.taskCount);
    id += (((this.taskIndex - id) % n) + n) % n;
    this.reserve(id);
    return id;
  }
}
