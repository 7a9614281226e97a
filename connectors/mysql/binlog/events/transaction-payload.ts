/**
 * TRANSACTION_PAYLOAD_EVENT (MySQL 8.0.20+): TLV header (type/length/value all packed ints:
 * 1 payload size, 2 compression type 0 = ZSTD / 255 = NONE, 3 uncompressed size, 0 end), then the
 * transaction's events — each with its own 19-byte header and no CRC — zstd-compressed.
 */
import { decompress } from 'fzstd';
import { BinlogFormatError, ByteReader } from '../byte-reader.ts';

export const PayloadCompression = { ZSTD: 0, NONE: 255 } as const;

export interface TransactionPayloadHeader {
  payloadSize: number;
  compression: number;
  uncompressedSize: number | null;
}

/** MySQL's largest event (max_allowed_packet's maximum): a declared size above it is corruption, not data. */
const MAX_UNCOMPRESSED = 1024 * 1024 * 1024;

function inflate(payload: Buffer, uncompressedSize: number | null): Buffer {
  if (uncompressedSize !== null && uncompressedSize > MAX_UNCOMPRESSED) {
    throw new BinlogFormatError(
      `TRANSACTION_PAYLOAD declares ${uncompressedSize} uncompressed bytes, more than the 1 GiB an event can hold`,
    );
  }
  try {
    // into a buffer of the declared size: the frame's own (untrusted) content size never sizes an allocation
    return Buffer.from(
      uncompressedSize === null ? decompress(payload) : decompress(payload, new Uint8Array(uncompressedSize)),
    );
  } catch (err) {
    throw new BinlogFormatError(
      `TRANSACTION_PAYLOAD of ${payload.length} compressed bytes does not decompress: ${(err as Error).message}`,
    );
  }
}

export function parseTransactionPayload(r: ByteReader): { header: TransactionPayloadHeader; inner: Buffer } {
  const header: TransactionPayloadHeader = {
    payloadSize: -1,
    compression: PayloadCompression.NONE,
    uncompressedSize: null,
  };
  for (;;) {
    const type = r.packed();
    if (type === 0) break;
    const len = r.packed();
    const v = new ByteReader(r.bytes(len));
    if (type === 1) header.payloadSize = v.packed();
    else if (type === 2) header.compression = v.packed();
    else if (type === 3) header.uncompressedSize = v.packed();
  }
  const payload = header.payloadSize >= 0 ? r.bytes(header.payloadSize) : r.rest();
  let inner: Buffer;
  if (header.compression === PayloadCompression.ZSTD) inner = inflate(payload, header.uncompressedSize);
  else if (header.compression === PayloadCompression.NONE) inner = Buffer.from(payload);
  else throw new BinlogFormatError(`TRANSACTION_PAYLOAD with unknown compression type ${header.compression}`);
  if (header.uncompressedSize !== null && inner.length !== header.uncompressedSize) {
    throw new BinlogFormatError(
      `TRANSACTION_PAYLOAD decompressed to ${inner.length} bytes, header says ${header.uncompressedSize}`,
    );
  }
  return { header, inner };
}
