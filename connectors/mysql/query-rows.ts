/**
 * The rows of a streaming query taken one at a time without a promise per row: rows arriving on
 * the stream are queued, `take` hands them out synchronously and `ready` is awaited only when the
 * queue is empty. The stream is paused while `highWater` rows wait and resumed below half of it,
 * so memory stays bounded (an async iterator over the stream cost a promise and microtasks per row).
 */
import type { Readable } from 'node:stream';

export class QueryRows<R> {
  private readonly rows: R[] = [];
  private head = 0;
  private ended = false;
  private failure: { err: unknown } | null = null;
  private waiting: (() => void) | null = null;

  constructor(
    private readonly stream: Readable,
    private readonly highWater: number,
  ) {
    stream.on('data', (row: R) => {
      this.rows.push(row);
      if (this.rows.length - this.head >= highWater) stream.pause();
      this.wake();
    });
    stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
    stream.on('error', (err: unknown) => {
      this.failure = { err };
      this.wake();
    });
  }

  /** The next row; null after the last; undefined while none has arrived (await `ready`). Throws the stream's error. */
  take(): R | null | undefined {
    if (this.head < this.rows.length) {
      const row = this.rows[this.head++];
      if (this.head === this.rows.length) {
        this.rows.length = 0;
        this.head = 0;
      } else if (this.head >= 1024) {
        this.rows.splice(0, this.head);
        this.head = 0;
      }
      if (this.stream.isPaused() && this.rows.length - this.head < this.highWater >> 1) this.stream.resume();
      return row;
    }
    if (this.failure) throw this.failure.err;
    return this.ended ? null : undefined;
  }

  /** Resolves when a row, the end or an error has arrived. */
  ready(): Promise<void> {
    if (this.head < this.rows.length || this.ended || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
}
