/**
 * Replay from a point in time: move a sink connector's consumer group to the first offsets at or
 * after a timestamp (or to the earliest / latest offsets), counting what will be re-delivered; or
 * move a source connector to where its source's own history reaches that time (when the connector
 * can tell, e.g. the MySQL binlog).
 */
import { BadRequestError } from '../errors.ts';
import type { TopicPartition, TransportAdmin } from '../transport/types.ts';
import type { SourceConnector } from '../spi/connector.ts';
import type { StoreWrite } from '../transport/types.ts';
import { offsetWrite } from './offset-store.ts';

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
  throw new BadRequestError(
    `Invalid ${field} ${JSON.stringify(value)}: use an ISO-8601 date-time (e.g. "2026-11-25T10:00:00Z"), epoch milliseconds, "earliest" or "latest"`,
  );
}

export interface ReplayPlan {
  partitions: Array<TopicPartition & { offset: number; records: number }>;
  records: number;
}

export async function planReplay(
  admin: TransportAdmin,
  partitions: TopicPartition[],
  target: ReplayTarget,
): Promise<ReplayPlan> {
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

/**
 * PATCH /connectors/{name}/offsets with {"timestamp": …} for a (stopped) source connector: asks the
 * connector where its source's history reaches the time and stores those offsets.
 */
export async function replaySourceFrom(
  name: string,
  connector: SourceConnector | undefined,
  props: Record<string, string>,
  timestamp: unknown,
  write: (writes: StoreWrite[]) => Promise<void>,
): Promise<{ message: string; redelivery: { records: number; partitions: Array<Record<string, unknown>> } }> {
  if (!connector?.offsetsForTimestamp) {
    throw new BadRequestError(
      `Replay by timestamp needs a source whose history the connector can read from a point in time; ${name} (${props['connector.class']}) does not offer it (the MySQL source does, from the binlog). Sinks replay from their topics.`,
    );
  }
  const target = parseReplayTarget(timestamp);
  const ms = target.kind === 'timestamp' ? target.ms : target.kind === 'earliest' ? 0 : Number.MAX_SAFE_INTEGER;
  const plan = await connector.offsetsForTimestamp(props, ms);
  await write(plan.offsets.map((o) => offsetWrite(name, o.partition, o.offset)));
  const when = target.kind === 'timestamp' ? new Date(target.ms).toISOString() : target.kind;
  const records = plan.reread.reduce((n, p) => n + (typeof p.transactions === 'number' ? p.transactions : 0), 0);
  return {
    message: `The offsets for this connector have been altered successfully: ${plan.summary} will be read again from ${when} when the connector resumes${plan.warning ? ` (${plan.warning})` : ''}`,
    redelivery: {
      records,
      partitions: plan.offsets.map((o, i) => ({ partition: o.partition, offset: o.offset, ...plan.reread[i] })),
    },
  };
}
