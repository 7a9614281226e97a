/**
 * Decoding column bytes by their collation id. The id → encoding table and the decoders for the
 * non-UTF-8 charsets come from mysql2 (its generated `charset_encodings` table and its iconv-lite),
 * loaded by file path because mysql2's package exports hide them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const mysql2Dir = path.dirname(require.resolve('mysql2'));
const mysql2Require = createRequire(path.join(mysql2Dir, 'index.js'));
const ENCODINGS = mysql2Require(path.join(mysql2Dir, 'lib/constants/charset_encodings.js')) as string[];
const iconv = mysql2Require('iconv-lite') as {
  decode(buf: Buffer, enc: string): string;
  encodingExists(enc: string): boolean;
};

export const BINARY_COLLATION = 63;

/** Node/iconv encoding name of a collation id, or 'binary' for the binary collation. */
export function encodingOfCollation(collationId: number): string {
  if (collationId === BINARY_COLLATION) return 'binary';
  const e = ENCODINGS[collationId];
  if (!e) return 'utf8';
  // MySQL's "latin1" is Windows-1252, not ISO-8859-1.
  return e === 'latin1' ? 'cp1252' : e;
}

export function decodeString(buf: Buffer, encoding: string): string {
  if (encoding === 'utf8' || encoding === 'cesu8' || encoding === 'ascii') return buf.toString('utf8');
  if (encoding === 'binary') return buf.toString('latin1');
  if (encoding === 'ucs2' || encoding === 'utf16') return iconv.decode(buf, 'utf16-be');
  if (encoding === 'utf16le') return buf.toString('utf16le');
  if (encoding === 'utf32') return iconv.decode(buf, 'utf32-be');
  if (iconv.encodingExists(encoding)) return iconv.decode(buf, encoding);
  return buf.toString('utf8');
}

/** Encoding of a MySQL charset name (information_schema CHARACTER_SET_NAME). */
export function encodingOfCharsetName(name: string | null | undefined): string {
  if (!name) return 'utf8';
  const n = name.toLowerCase();
  if (n === 'binary') return 'binary';
  if (n.startsWith('utf8')) return 'utf8';
  if (n === 'latin1') return 'cp1252';
  return n;
}
