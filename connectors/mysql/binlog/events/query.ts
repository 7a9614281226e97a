/** QUERY_EVENT (and MariaDB QUERY_COMPRESSED_EVENT): BEGIN/COMMIT, DDL, statement text. */
import type { ByteReader } from '../byte-reader.ts';
import { decompressMariadb } from '../mariadb-compression.ts';

export interface QueryEvent {
  kind: 'query';
  threadId: number;
  executionTime: number;
  errorCode: number;
  database: string;
  query: string;
  /** Collation id of the client charset from the Q_CHARSET status var, when present. */
  charsetClient: number | null;
}

const Q_CHARSET_CODE = 4;

export function parseQuery(r: ByteReader, compressed = false): QueryEvent {
  const threadId = r.u32();
  const executionTime = r.u32();
  const dbLen = r.u8();
  const errorCode = r.u16();
  const statusLen = r.u16();
  const status = r.bytes(statusLen);
  const database = r.string(dbLen);
  r.skip(1);
  const raw = r.rest();
  const query = (compressed ? decompressMariadb(raw) : raw).toString('utf8');
  return { kind: 'query', threadId, executionTime, errorCode, database, query, charsetClient: findCharset(status) };
}

const STATUS_VAR_SIZES: Record<number, number | 'str' | 'invoker' | 'dbnames'> = {
  0: 4,
  1: 8,
  2: 'str',
  3: 4,
  4: 6,
  5: 'str',
  6: 'str',
  7: 2,
  8: 2,
  9: 8,
  10: 4,
  11: 'invoker',
  12: 'dbnames',
  13: 3,
  14: 0,
  15: 0,
  16: 1,
  17: 8,
  18: 2,
  19: 1,
  20: 1,
  128: 3,
  129: 8,
};

function findCharset(status: Buffer): number | null {
  let i = 0;
  while (i < status.length) {
    const code = status[i++];
    if (code === Q_CHARSET_CODE) return status.readUInt16LE(i);
    const size = STATUS_VAR_SIZES[code];
    if (size === undefined) return null; // unknown code: cannot skip it safely
    if (typeof size === 'number') i += size;
    else if (size === 'str') i += 1 + status[i];
    else if (size === 'invoker') {
      i += 1 + status[i];
      i += 1 + status[i];
    } else {
      const n = status[i++];
      if (n === 254) continue;
      for (let k = 0; k < n; k++) {
        while (status[i] !== 0 && i < status.length) i++;
        i++;
      }
    }
  }
  return null;
}
