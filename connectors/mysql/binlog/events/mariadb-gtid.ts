/** MariaDB GTID_EVENT (transaction start) and GTID_LIST_EVENT (position at file start). */
import type { ByteReader } from '../byte-reader.ts';
import type { MariadbGtid } from '../gtid.ts';

export const MariadbGtidFlag = {
  STANDALONE: 1,
  GROUP_COMMIT_ID: 2,
  TRANSACTIONAL: 4,
  ALLOW_PARALLEL: 8,
  WAITED: 16,
  DDL: 32,
  PREPARED_XA: 64,
  COMPLETED_XA: 128,
} as const;

export interface MariadbGtidEvent {
  kind: 'mariadbGtid';
  gtid: MariadbGtid;
  flags: number;
  commitId: bigint | null;
  /** True when no COMMIT/XID terminates the group (DDL or non-transactional statement). */
  standalone: boolean;
}

export function parseMariadbGtid(r: ByteReader, serverId: number): MariadbGtidEvent {
  const sequence = r.u64();
  const domainId = r.u32();
  const flags = r.u8();
  let commitId: bigint | null = null;
  if (flags & MariadbGtidFlag.GROUP_COMMIT_ID) commitId = r.u64();
  r.rest();
  return {
    kind: 'mariadbGtid',
    gtid: { domainId, serverId, sequence },
    flags,
    commitId,
    standalone: (flags & MariadbGtidFlag.STANDALONE) !== 0,
  };
}

export interface MariadbGtidListEvent {
  kind: 'mariadbGtidList';
  flags: number;
  gtids: MariadbGtid[];
}

export function parseMariadbGtidList(r: ByteReader): MariadbGtidListEvent {
  const word = r.u32();
  const count = word & 0x0fffffff;
  const gtids: MariadbGtid[] = [];
  for (let i = 0; i < count; i++) gtids.push({ domainId: r.u32(), serverId: r.u32(), sequence: r.u64() });
  return { kind: 'mariadbGtidList', flags: word >>> 28, gtids };
}
