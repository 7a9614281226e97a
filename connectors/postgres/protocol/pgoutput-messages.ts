/**
 * pgoutput logical replication messages (protocol versions 1–4), as decoded from XLogData
 * payloads. LSNs and wire timestamps are bigints; timestamps are converted to Unix microseconds.
 */
import type { Lsn } from './lsn.ts';

/** An unchanged TOASTed value ('u'): pgoutput did not send it. */
export const UNCHANGED_TOAST = Symbol('unchanged-toast');

/**
 * One column of a TupleData: NULL ('n'), unchanged TOASTed value ('u'), text ('t', a string) or
 * binary ('b', a Buffer). Bare values, not objects: a change allocates only its column strings.
 */
export type TupleValue = string | null | typeof UNCHANGED_TOAST | Buffer;

export interface RelationColumn {
  /** Part of the replica identity key (flag bit 1). */
  isKey: boolean;
  name: string;
  typeOid: number;
  typeModifier: number;
}

export type ReplicaIdentity = 'd' | 'n' | 'f' | 'i';

export interface BeginMessage {
  tag: 'begin';
  finalLsn: Lsn;
  commitTimeMicros: bigint;
  xid: number;
}
export interface CommitMessage {
  tag: 'commit';
  flags: number;
  commitLsn: Lsn;
  endLsn: Lsn;
  commitTimeMicros: bigint;
}
export interface OriginMessage {
  tag: 'origin';
  originLsn: Lsn;
  name: string;
}
export interface RelationMessage {
  tag: 'relation';
  xid?: number;
  relationOid: number;
  namespace: string;
  name: string;
  replicaIdentity: ReplicaIdentity;
  columns: RelationColumn[];
}
export interface TypeMessage {
  tag: 'type';
  xid?: number;
  typeOid: number;
  namespace: string;
  name: string;
}
export interface InsertMessage {
  tag: 'insert';
  xid?: number;
  relationOid: number;
  newTuple: TupleValue[];
}
export interface UpdateMessage {
  tag: 'update';
  xid?: number;
  relationOid: number;
  keyTuple?: TupleValue[];
  oldTuple?: TupleValue[];
  newTuple: TupleValue[];
}
export interface DeleteMessage {
  tag: 'delete';
  xid?: number;
  relationOid: number;
  keyTuple?: TupleValue[];
  oldTuple?: TupleValue[];
}
export interface TruncateMessage {
  tag: 'truncate';
  xid?: number;
  cascade: boolean;
  restartIdentity: boolean;
  relationOids: number[];
}
export interface LogicalMessage {
  tag: 'message';
  xid?: number;
  transactional: boolean;
  lsn: Lsn;
  prefix: string;
  content: Buffer;
}
export interface StreamStartMessage {
  tag: 'stream_start';
  xid: number;
  firstSegment: boolean;
}
export interface StreamStopMessage {
  tag: 'stream_stop';
}
export interface StreamCommitMessage {
  tag: 'stream_commit';
  xid: number;
  flags: number;
  commitLsn: Lsn;
  endLsn: Lsn;
  commitTimeMicros: bigint;
}
export interface StreamAbortMessage {
  tag: 'stream_abort';
  xid: number;
  subXid: number;
  abortLsn?: Lsn;
  abortTimeMicros?: bigint;
}
export interface BeginPrepareMessage {
  tag: 'begin_prepare';
  prepareLsn: Lsn;
  endLsn: Lsn;
  prepareTimeMicros: bigint;
  xid: number;
  gid: string;
}
export interface PrepareMessage {
  tag: 'prepare' | 'stream_prepare';
  flags: number;
  prepareLsn: Lsn;
  endLsn: Lsn;
  prepareTimeMicros: bigint;
  xid: number;
  gid: string;
}
export interface CommitPreparedMessage {
  tag: 'commit_prepared';
  flags: number;
  commitLsn: Lsn;
  endLsn: Lsn;
  commitTimeMicros: bigint;
  xid: number;
  gid: string;
}
export interface RollbackPreparedMessage {
  tag: 'rollback_prepared';
  flags: number;
  prepareEndLsn: Lsn;
  rollbackEndLsn: Lsn;
  prepareTimeMicros: bigint;
  rollbackTimeMicros: bigint;
  xid: number;
  gid: string;
}

export type PgOutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalMessage
  | StreamStartMessage
  | StreamStopMessage
  | StreamCommitMessage
  | StreamAbortMessage
  | BeginPrepareMessage
  | PrepareMessage
  | CommitPreparedMessage
  | RollbackPreparedMessage;
