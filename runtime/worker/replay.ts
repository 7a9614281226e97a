/**
 * Replay from a point in time: move a sink connector's consumer group to the first offsets at or
 * after a timestamp (or to the earliest / latest offsets), counting what will be re-delivered.
 */
import { BadRequestError } from '../errors.ts';
import type { TopicPartition, TransportAdmin } from '../transport/types.ts';

export type ReplayTarget = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'timestamp'; ms: number };

/** Accepts ISO-8601 (`2026-11-25T10:00:00Z`), epoch milliseconds, `earliest` or `latest`. */
export function parseReplayTarget(value: unknown, field = 'timestamp'): ReplayTarget {
  if (value === 'earliest' || value === 'latest') return { kind: value };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'timestamp', ms: value };
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return { kind: 'timestamp', ms: Number(value.trim()) };
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) return { kind: 'timestamp', ms };
  }
  throw new BadRequestError(`Invalid ${field} ${JSON.stringify(value)}: use an ISO-8601 date-time (e.g. "2026-11-25T10:00:00Z"), epoch milliseconds, "earliest" or "latest"`);
}

export interface ReplayPlan {
  partitions: Array<TopicPartition & { offset: number; records: number }>;
  records: number;
}

export async function planReplay(admin: TransportAdmin, partitions: TopicPartition[], target: ReplayTarget): Promise<ReplayPlan> {
  const out: ReplayPlan['partitions'] = [];
  for (const tp of partitions) {
    const end = await admin.endOffset(tp);
    let offset: number;
    if (target.kind === 'earliest') offset = await admin.startOffset(tp);
    else if (target.kind === 'latest') offset = end;
    else offset = (await admin.offsetForTimestamp(tp, target.ms)) ?? end;
    out.push({ ...tp, offset, records: end - offset });
  }
  return { partitions: out, records: out.reduce((n, p) => n + p.records, 0) };
}
