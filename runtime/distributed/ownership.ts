/**
 * Which worker runs a connector: rendezvous (highest-random-weight) hashing of the connector name
 * over the live workers. Every worker computes the same answer from the same member list, adding
 * or removing a connector moves no other connector, and a departed worker's connectors spread
 * over the survivors. A connector and its tasks run on the same worker.
 */
import { createHash } from 'node:crypto';
import type { WorkerIdentity } from './worker-group.ts';

function weight(workerId: string, connector: string): bigint {
  return createHash('sha256').update(workerId).update('\u0000').update(connector).digest().readBigUInt64BE(0);
}

export function ownerOf(connector: string, members: WorkerIdentity[]): WorkerIdentity | null {
  let best: WorkerIdentity | null = null;
  let bestWeight = -1n;
  for (const m of members) {
    const w = weight(m.id, connector);
    if (w > bestWeight || (w === bestWeight && best !== null && m.id < best.id)) {
      best = m;
      bestWeight = w;
    }
  }
  return best;
}
