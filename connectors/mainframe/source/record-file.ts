/**
 * Reading records of one file from a byte position: a window of the file is read, the framer
 * cuts records from it, and the window grows when a record does not fit. The state after each
 * record (position, VB block end) is what the source offset stores.
 */
import fs from 'node:fs';
import type { Framer, FramerState, FramedRecord } from '../framing/framer.ts';

const INITIAL_WINDOW = 1 << 20;

/** The file was replaced (another inode under the name) or truncated below the position read so far. */
export class FileReplacedError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly position: number,
    reason: string,
  ) {
    super(`${path} ${reason} (size ${size}, read position ${position})`);
    this.name = 'FileReplacedError';
  }
}

export class RecordFile {
  private fd: number | null = null;
  private ino: number | null = null;
  private window: Buffer = Buffer.alloc(0);
  private windowBase = 0;
  private windowSize = INITIAL_WINDOW;
  readonly state: FramerState;

  constructor(
    readonly path: string,
    private readonly framer: Framer,
    state: FramerState,
    private readonly endTrim: number,
  ) {
    this.state = { ...state };
  }

  size(): number {
    const st = fs.statSync(this.path);
    if (this.ino !== null && st.ino !== this.ino)
      throw new FileReplacedError(this.path, st.size, this.state.position, 'was replaced by another file');
    return st.size;
  }

  /**
   * The next record and the window holding it, or null when the file has no complete record
   * beyond the position yet. `eof` makes a truncated tail an error (snapshot of a finished file).
   */
  next(eof = false): { record: FramedRecord; buf: Buffer } | null {
    for (;;) {
      const before = { ...this.state };
      if (this.window.length > 0) {
        const r = this.framer.next(this.window, this.windowBase, this.state, false);
        if (r) return { record: r, buf: this.window };
        Object.assign(this.state, before);
      }
      // refill from the current position; grow when the window was full and still too small
      const size = this.size();
      if (size < this.state.position)
        throw new FileReplacedError(this.path, size, this.state.position, 'shrank below the read position');
      const limit = size - this.endTrim;
      const available = limit - this.state.position;
      if (available <= 0) return null;
      const windowWasFull =
        this.window.length > 0 && this.windowBase === this.state.position && this.window.length >= this.windowSize;
      if (windowWasFull) this.windowSize *= 2;
      const len = Math.min(available, this.windowSize);
      if (this.window.length > 0 && this.windowBase === this.state.position && len <= this.window.length) {
        // nothing new to read: the record is incomplete
        if (eof) {
          const r = this.framer.next(this.window, this.windowBase, this.state, true);
          if (r) return { record: r, buf: this.window };
        }
        return null;
      }
      this.read(this.state.position, len);
    }
  }

  private read(position: number, len: number): void {
    if (this.fd === null) {
      this.fd = fs.openSync(this.path, 'r');
      const ino = fs.fstatSync(this.fd).ino;
      if (this.ino !== null && ino !== this.ino) {
        const size = fs.fstatSync(this.fd).size;
        this.release();
        throw new FileReplacedError(this.path, size, this.state.position, 'was replaced by another file');
      }
      this.ino = ino;
    }
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, position + got);
      if (n === 0) break;
      got += n;
    }
    this.window = buf.subarray(0, got);
    this.windowBase = position;
  }

  /** Starts over at `position` (a replaced file). */
  reset(position: number): void {
    this.release();
    this.ino = null;
    this.state.position = position;
    this.state.blockEnd = 0;
    this.window = Buffer.alloc(0);
    this.windowBase = 0;
  }

  /** Closes the descriptor and drops the window; the position and the file identity are kept, so reading resumes. */
  release(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    this.window = Buffer.alloc(0);
    this.windowBase = 0;
  }

  close(): void {
    this.release();
  }
}
