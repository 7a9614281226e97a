/**
 * The buffer of one incremental snapshot chunk between its watermarks (DBLog; Debezium's `window`
 * map in AbstractIncrementalSnapshotChangeEventSource). The chunk is read between the open and the
 * close watermark rows; once the stream reaches the open watermark, every streamed change to a key
 * of the chunk's table evicts that row (the stream has the newer value); at the close watermark
 * what is left is handed out to be emitted as `op=r`. Watermarks of other chunks (replayed after a
 * restart, or of a voided chunk) are ignored.
 */

/** A row of a chunk: the connector's row, its key's text values (offsets), and its identity (eviction). */
export interface ChunkRow<R> {
  row: R;
  /** Text values of the key columns, as stored in the offsets and used as the next chunk's lower bound. */
  key: string[];
  /**
   * The same string for this row's key and for the key of a streamed change of the same row; null
   * when the row has no key (it is read but never buffered).
   */
  identity: string | null;
}

/** A chunk read, waiting for its watermarks. */
export interface Chunk<T, R> {
  id: string;
  /** `<db>.<table>` or `<schema>.<table>`. */
  collection: string;
  table: T;
  rows: Map<string, ChunkRow<R>>;
  /** The key of the chunk's last row read: the lower bound of the next chunk. */
  end: string[];
  /** Fewer rows than the chunk size: the table is done once this chunk is emitted. */
  last: boolean;
}

export class WatermarkWindow<T, R> {
  private chunk: Chunk<T, R> | null = null;
  private open = false;

  /** A chunk is read and waits for its close watermark. */
  get pending(): boolean {
    return this.chunk !== null;
  }

  /** The table of the chunk while its window is open and rows can still be evicted, else null. */
  get openTable(): T | null {
    return this.open && this.chunk && this.chunk.rows.size > 0 ? this.chunk.table : null;
  }

  /** The chunk just read (its watermarks are in the stream from now on). */
  begin(chunk: Chunk<T, R>): void {
    this.chunk = chunk;
    this.open = false;
  }

  /** An open watermark seen in the stream; true when it is this chunk's. */
  opened(watermarkId: string): boolean {
    if (!this.chunk || watermarkId !== `${this.chunk.id}-open`) return false;
    this.open = true;
    return true;
  }

  /** A streamed change of the chunk's table: the buffered row with the same key is superseded. */
  evict(identity: string): boolean {
    return this.open && this.chunk !== null && this.chunk.rows.delete(identity);
  }

  /** A TRUNCATE of `collection` inside the window: the chunk's rows no longer exist. */
  truncate(collection: string): void {
    if (this.open && this.chunk?.collection === collection) this.chunk.rows.clear();
  }

  /** A close watermark seen in the stream: this chunk with the rows left, or null when it is not this chunk's. */
  close(watermarkId: string): Chunk<T, R> | null {
    const chunk = this.chunk;
    if (!chunk || watermarkId !== `${chunk.id}-close`) return null;
    this.discard();
    return chunk;
  }

  /** Gives the chunk in flight up; its watermarks will be ignored. */
  discard(): void {
    this.chunk = null;
    this.open = false;
  }
}
