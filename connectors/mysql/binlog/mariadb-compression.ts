/**
 * MariaDB compressed event payloads (log_bin_compress): header byte 0x80 | algorithm<<4 | lenlen,
 * the uncompressed length in `lenlen` big-endian bytes, then a zlib stream.
 */
import zlib from 'node:zlib';
import { BinlogFormatError } from './byte-reader.ts';

export function decompressMariadb(data: Buffer): Buffer {
  if (data.length === 0) return data;
  const h = data[0];
  if ((h & 0x80) === 0)
    throw new BinlogFormatError(
      `MariaDB compressed payload without the compression marker (header byte 0x${h.toString(16)})`,
    );
  const alg = (h >> 4) & 0x07;
  if (alg !== 0)
    throw new BinlogFormatError(`MariaDB compressed payload with unknown algorithm ${alg} (only zlib = 0 exists)`);
  const lenlen = h & 0x07;
  if (lenlen < 1 || lenlen > 4)
    throw new BinlogFormatError(`MariaDB compressed payload with invalid length size ${lenlen}`);
  if (data.length < 1 + lenlen)
    throw new BinlogFormatError(
      `MariaDB compressed payload of ${data.length} bytes ends inside its ${lenlen}-byte length`,
    );
  const length = data.readUIntBE(1, lenlen);
  let out: Buffer;
  try {
    // never inflates past the declared length (a corrupt stream could otherwise expand without bound)
    out = zlib.inflateSync(data.subarray(1 + lenlen), { maxOutputLength: Math.max(1, length) });
  } catch (err) {
    throw new BinlogFormatError(
      `MariaDB compressed payload (${data.length} bytes, declared ${length} uncompressed) does not inflate: ${(err as Error).message}`,
    );
  }
  if (out.length !== length)
    throw new BinlogFormatError(`MariaDB compressed payload inflated to ${out.length} bytes, header says ${length}`);
  return out;
}

/** The inverse, for tests. */
export function compressMariadb(data: Buffer): Buffer {
  const lenlen = data.length < 0x100 ? 1 : data.length < 0x10000 ? 2 : data.length < 0x1000000 ? 3 : 4;
  const head = Buffer.alloc(1 + lenlen);
  head[0] = 0x80 | lenlen;
  head.writeUIntBE(data.length, 1, lenlen);
  return Buffer.concat([head, zlib.deflateSync(data)]);
}
