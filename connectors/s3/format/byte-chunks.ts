/**
 * Encoded bytes of an open file waiting to be drained, optionally gzip-compressed. Compressed
 * output is written as a series of complete gzip members (RFC 1952 §2.2: a gzip file is a series
 * of members; gunzip, Java's GZIPInputStream, Python's gzip and Hadoop's codec read them as one
 * stream), one member per GZIP_MEMBER_BYTES of input, so memory stays bounded without a
 * streaming compressor.
 */
import zlib from 'node:zlib';
import type { FormatSettings } from './format.ts';

export const GZIP_MEMBER_BYTES = 4 * 1024 * 1024;

export class ByteChunks {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ready: Buffer[] = [];
  private readyBytes = 0;

  constructor(private readonly gzipLevel: number | null) {}

  static forSettings(settings: FormatSettings): ByteChunks {
    return new ByteChunks(settings.compressionType === 'gzip' ? settings.compressionLevel : null);
  }

  push(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.gzipLevel === null || this.pendingBytes >= GZIP_MEMBER_BYTES) this.seal();
  }

  /** Bytes held in memory (raw and encoded). */
  size(): number {
    return this.pendingBytes + this.readyBytes;
  }

  private seal(): void {
    if (this.pendingBytes === 0) return;
    const raw = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const out = this.gzipLevel === null ? raw : zlib.gzipSync(raw, { level: this.gzipLevel });
    this.pending = [];
    this.pendingBytes = 0;
    this.ready.push(out);
    this.readyBytes += out.length;
  }

  /** The final bytes so far (under gzip: only complete members). */
  drain(): Uint8Array[] {
    const out = this.ready;
    this.ready = [];
    this.readyBytes = 0;
    return out;
  }

  finish(): Uint8Array[] {
    this.seal();
    return this.drain();
  }

  clear(): void {
    this.pending = [];
    this.ready = [];
    this.pendingBytes = 0;
    this.readyBytes = 0;
  }
}

export const where = (r: { topic: string; kafkaPartition: number | null; kafkaOffset: number }): string =>
  `topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}`;
