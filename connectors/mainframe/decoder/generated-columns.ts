/**
 * Cobrix's generated columns, placed before the record's fields: `generate_record_id` →
 * File_Id, Record_Id (0-based index of the record in its file), Record_Byte_Length;
 * `segment_id_level0..N` → Seg_Id0..Seg_IdN (Cobrix's SegmentIdAccumulator: a root record
 * gets `<prefix>_<file id>_<record index>`, a record of level k the root id + `_L<k>_<count of
 * level-k records since the root>`; levels below the current one are null; records before the
 * first root are dropped, as Cobrix drops them). `segment_filter` keeps only records whose segment
 * id is listed. `state()`/`restore()` carry the segment-id state across a restart.
 */
export interface GeneratedColumnOptions {
  recordId: boolean;
  /** Per level, the segment id values of that level. */
  segmentLevels: string[][];
  segmentIdPrefix: string;
  /** Segment id values to keep; null: keep all. */
  segmentFilter: Set<string> | null;
  fileId?: number;
}

/** What a restarted reader needs to continue Cobrix's segment ids in the middle of a file. */
export interface SegmentIdState {
  root: string;
  level: number;
  counts: number[];
}

/** Cobrix's segment id prefix when segment_id_prefix is not given: the read's local start time, yyyyMMddHHmmss. */
export function defaultSegmentIdPrefix(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(now.getFullYear(), 4)}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

export class GeneratedColumns {
  private rootId = '';
  private currentLevel = -1;
  private readonly counts: number[];

  constructor(private readonly o: GeneratedColumnOptions) {
    this.counts = new Array(o.segmentLevels.length + 1).fill(0);
  }

  get names(): string[] {
    return [
      ...(this.o.recordId ? ['File_Id', 'Record_Id', 'Record_Byte_Length'] : []),
      ...this.o.segmentLevels.map((_, i) => `Seg_Id${i}`),
    ];
  }

  get empty(): boolean {
    return !this.o.recordId && this.o.segmentLevels.length === 0 && this.o.segmentFilter === null;
  }

  state(): SegmentIdState {
    return { root: this.rootId, level: this.currentLevel, counts: this.counts.slice() };
  }

  restore(s: SegmentIdState): void {
    this.rootId = s.root;
    this.currentLevel = s.level;
    for (let i = 0; i < this.counts.length; i++) this.counts[i] = s.counts[i] ?? 0;
  }

  /** The generated values of a record, or null when segment_filter drops it. Call once per record, in file order. */
  next(recordIndex: number, byteLength: number, segmentId: string | null): unknown[] | null {
    const levels = this.o.segmentLevels;
    if (levels.length > 0 && segmentId !== null) {
      const level = levels.findIndex((ids) => ids.includes(segmentId));
      if (level >= 0) {
        this.currentLevel = level;
        if (level === 0) {
          this.rootId = `${this.o.segmentIdPrefix}_${this.o.fileId ?? 0}_${recordIndex}`;
          this.counts.fill(0);
        } else this.counts[level]++;
      }
    }
    if (levels.length > 0 && this.currentLevel < 0) return null;
    if (this.o.segmentFilter !== null && (segmentId === null || !this.o.segmentFilter.has(segmentId))) return null;
    const out: unknown[] = this.o.recordId ? [this.o.fileId ?? 0, recordIndex, byteLength] : [];
    for (let i = 0; i < levels.length; i++)
      out.push(i > this.currentLevel ? null : i === 0 ? this.rootId : `${this.rootId}_L${i}_${this.counts[i]}`);
    return out;
  }
}
