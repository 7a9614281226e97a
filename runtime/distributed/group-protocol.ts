/**
 * The bytes Tributary workers exchange through Kafka's group coordinator (protocol
 * `tributary-v1`), inside the consumer protocol's MemberMetadata / MemberAssignment `userData`:
 *
 * - a member's metadata (sent with every JoinGroup): its id and REST URL, the work it runs now,
 *   and the newest cluster-wide assignment it knows, from which a new leader rebuilds what the
 *   previous one remembered (departed workers' held-back work included);
 * - a member's assignment (computed by the leader, returned by SyncGroup; every worker reads all
 *   of them with DescribeGroups): its work, what it must revoke, the work held back for departed
 *   workers, the leader, and the delay until held-back work falls due.
 */
import { AssignerProtocol } from 'kafkajs';
import type { ClusterAssignment, LostWork, WorkAssignment } from './assignor.ts';

export const GROUP_PROTOCOL = 'tributary-v1';

export interface WorkerIdentity {
  /** `host:port`, as in status `worker_id`. */
  id: string;
  /** Base URL of the worker's REST API, for forwarding. */
  url: string;
}

export interface MemberMetadata extends WorkerIdentity {
  running: WorkAssignment;
  known: ClusterAssignment | null;
  /** Changes with every rejoin this worker asks for, so the coordinator always starts a rebalance. */
  nonce: number;
}

export interface MemberAssignment {
  epoch: number;
  leader: string;
  leaderUrl: string;
  worker: string;
  work: WorkAssignment;
  revoked: WorkAssignment;
  lost: LostWork[];
  delayMs: number;
}

function isWork(x: unknown): x is WorkAssignment {
  const w = x as WorkAssignment;
  return typeof w === 'object' && w !== null && Array.isArray(w.connectors) && Array.isArray(w.tasks);
}

export function encodeMetadata(m: MemberMetadata, topics: string[]): Buffer {
  return AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.from(JSON.stringify(m)) });
}

export function decodeMetadata(bytes: Buffer): MemberMetadata | null {
  try {
    const decoded = AssignerProtocol.MemberMetadata.decode(bytes);
    const m = JSON.parse(decoded?.userData?.toString('utf8') ?? '') as Partial<MemberMetadata>;
    if (typeof m.id !== 'string' || typeof m.url !== 'string') return null;
    return {
      id: m.id,
      url: m.url,
      running: isWork(m.running) ? m.running : { connectors: [], tasks: [] },
      known: m.known ?? null,
      nonce: Number(m.nonce ?? 0),
    };
  } catch {
    return null;
  }
}

/** Every member is also given the config topic's partition: re-reading a record of it is how a worker asks to rejoin. */
export function encodeAssignment(a: MemberAssignment, topic: string): Buffer {
  return AssignerProtocol.MemberAssignment.encode({
    version: 1,
    assignment: { [topic]: [0] },
    userData: Buffer.from(JSON.stringify(a)),
  });
}

export function decodeAssignment(bytes: Buffer | null | undefined): MemberAssignment | null {
  if (!bytes || bytes.length === 0) return null;
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
    const a = JSON.parse(decoded?.userData?.toString('utf8') ?? '') as Partial<MemberAssignment>;
    if (typeof a.epoch !== 'number' || typeof a.worker !== 'string' || !isWork(a.work) || !isWork(a.revoked))
      return null;
    return {
      epoch: a.epoch,
      leader: String(a.leader ?? ''),
      leaderUrl: String(a.leaderUrl ?? ''),
      worker: a.worker,
      work: a.work,
      revoked: a.revoked,
      lost: Array.isArray(a.lost) ? a.lost : [],
      delayMs: Number(a.delayMs ?? 0),
    };
  } catch {
    return null;
  }
}
