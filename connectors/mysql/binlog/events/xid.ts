/** XID_EVENT: commit of a transactional (InnoDB) transaction. */
import type { ByteReader } from '../byte-reader.ts';

export interface XidEvent {
  kind: 'xid';
  xid: bigint;
}

export function parseXid(r: ByteReader): XidEvent {
  return { kind: 'xid', xid: r.u64() };
}
