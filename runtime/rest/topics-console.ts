/**
 * The topic console's operations over a transport — list, describe, create, delete topics, read
 * pages of records from a position (with a cursor for the next page), produce records — the same
 * for the embedded log and for Kafka. Used by the worker's `/tributary/topics…` endpoints and by
 * `tributary topics|consume|produce --bootstrap-server` directly against Kafka.
 */
import type { EmbeddedLog } from '../log/embedded-log.ts';
import type { LogRecord, TopicPartition } from '../log/types.ts';
import type { DeliveredRecord, LogHeader, Transport } from '../transport/types.ts';
import { BadRequestError, RestError } from '../errors.ts';

/** Where reading starts in each partition. */
export type StartPosition =
  | { kind: 'beginning' }
  | { kind: 'end' }
  | { kind: 'offset'; offset: number }
  | { kind: 'timestamp'; timestampMs: number }
  /** From a previous page's cursor: partition → next offset. */
  | { kind: 'cursor'; positions: Record<number, number> };

export interface PartitionDescription {
  partition: number;
  start_offset: number;
  end_offset: number;
}

export interface TopicDescription {
  name: string;
  partitions: PartitionDescription[];
  /** The settings Tributary knows for the topic (embedded log: retention and cleanup); empty for Kafka. */
  configs: Record<string, string>;
}

export interface RecordPage {
  records: LogRecord[];
  /** partition → the offset the next page starts at. */
  next: Record<number, number>;
  /** partition → end offset when the page was read. */
  end: Record<number, number>;
}

export interface ProduceRecord {
  key: Buffer | null;
  value: Buffer | null;
  partition: number | null;
  headers: LogHeader[];
  timestamp?: number;
}

/** What differs between the embedded log and Kafka. */
export interface TopicBackend {
  deleteTopic(name: string): Promise<void>;
  topicConfigs(name: string): Promise<Record<string, string>>;
  /**
   * Up to `limit` records of the topic from `positions` (only those partitions), in partition
   * order; waits up to `waitMs` for a first record when there is none yet.
   */
  read(topic: string, positions: Map<number, number>, limit: number, waitMs: number): Promise<LogRecord[]>;
  close(): Promise<void>;
}

export const MAX_PAGE = 10_000;

export class TopicConsole {
  constructor(
    readonly transport: Transport,
    private readonly backend: TopicBackend,
  ) {}

  get kind(): 'embedded' | 'kafka' {
    return this.transport.kind;
  }

  async list(): Promise<Array<{ name: string; partitions: number }>> {
    return (await this.transport.admin.listTopics()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async describe(name: string): Promise<TopicDescription> {
    const info = await this.transport.admin.describeTopic(name);
    if (!info) throw new RestError(404, `Topic ${name} not found`);
    const partitions: PartitionDescription[] = [];
    for (let p = 0; p < info.partitions; p++) {
      const tp = { topic: name, partition: p };
      partitions.push({
        partition: p,
        start_offset: await this.transport.admin.startOffset(tp),
        end_offset: await this.transport.admin.endOffset(tp),
      });
    }
    return { name, partitions, configs: await this.backend.topicConfigs(name) };
  }

  /** Creates the topic; a 409 when it exists. */
  async create(name: string, partitions: number, configs: Record<string, string>): Promise<TopicDescription> {
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new BadRequestError(`partitions must be a positive integer, not ${String(partitions)}`);
    const created = await this.transport.admin.createTopic(name, partitions, configs);
    if (!created) throw new RestError(409, `Topic ${name} already exists`);
    return this.describe(name);
  }

  async delete(name: string): Promise<void> {
    if (!(await this.transport.admin.describeTopic(name))) throw new RestError(404, `Topic ${name} not found`);
    await this.backend.deleteTopic(name);
  }

  async readPage(
    topic: string,
    opts: { partition?: number; start: StartPosition; limit: number; waitMs: number },
  ): Promise<RecordPage> {
    const info = await this.transport.admin.describeTopic(topic);
    if (!info) throw new RestError(404, `Topic ${topic} not found`);
    if (opts.partition !== undefined && (opts.partition < 0 || opts.partition >= info.partitions)) {
      throw new BadRequestError(
        `Topic ${topic} has no partition ${opts.partition} (it has ${info.partitions}: 0..${info.partitions - 1})`,
      );
    }
    const selected =
      opts.partition !== undefined ? [opts.partition] : Array.from({ length: info.partitions }, (_v, i) => i);
    const positions = new Map<number, number>();
    const end: Record<number, number> = {};
    for (const p of selected) {
      const tp: TopicPartition = { topic, partition: p };
      end[p] = await this.transport.admin.endOffset(tp);
      positions.set(p, await this.startOf(tp, opts.start, end[p]));
    }
    const records = await this.backend.read(topic, positions, Math.min(Math.max(1, opts.limit), MAX_PAGE), opts.waitMs);
    const next: Record<number, number> = Object.fromEntries(positions);
    for (const r of records) {
      next[r.partition] = Math.max(next[r.partition], r.offset + 1);
      end[r.partition] = Math.max(end[r.partition], r.offset + 1);
    }
    return { records, next, end };
  }

  private async startOf(tp: TopicPartition, start: StartPosition, endOffset: number): Promise<number> {
    switch (start.kind) {
      case 'beginning':
        return this.transport.admin.startOffset(tp);
      case 'end':
        return endOffset;
      case 'offset':
        return Math.max(start.offset, await this.transport.admin.startOffset(tp));
      case 'timestamp':
        return (await this.transport.admin.offsetForTimestamp(tp, start.timestampMs)) ?? endOffset;
      case 'cursor':
        return start.positions[tp.partition] ?? this.transport.admin.startOffset(tp);
    }
  }

  async produce(topic: string, records: ProduceRecord[]): Promise<DeliveredRecord[]> {
    const sender = this.transport.createSender('tributary-console-producer');
    try {
      await sender.init?.();
      const now = Date.now();
      return await sender.send(
        records.map((r) => ({
          topic,
          partition: r.partition,
          key: r.key,
          value: r.value,
          headers: r.headers,
          timestamp: r.timestamp ?? now,
        })),
      );
    } finally {
      await sender.close();
    }
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/** The cursor of a page: its next positions, as URL-safe text. */
export function encodeCursor(next: Record<number, number>): string {
  return Buffer.from(JSON.stringify(next), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<number, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !Object.entries(parsed).every(([k, v]) => /^\d+$/.test(k) && Number.isInteger(v) && (v as number) >= 0)
  ) {
    throw new BadRequestError(
      `cursor ${cursor} is not a cursor this API returned (use next_cursor of the previous page)`,
    );
  }
  return parsed as Record<number, number>;
}

/** The embedded log's side: reads straight from the log, long-polling on its append notifications. */
export function embeddedBackend(log: EmbeddedLog): TopicBackend {
  const readOnce = (topic: string, positions: Map<number, number>, limit: number): LogRecord[] => {
    const out: LogRecord[] = [];
    for (const [partition, from] of positions) {
      if (out.length >= limit) break;
      out.push(...log.read({ topic, partition }, from, { maxRecords: limit - out.length }));
    }
    return out;
  };
  return {
    async deleteTopic(name) {
      await log.deleteTopic(name);
    },
    async topicConfigs(name) {
      const spec = log.describeTopic(name);
      if (!spec) return {};
      const configs: Record<string, string> = { 'cleanup.policy': spec.cleanupPolicy ?? 'delete' };
      if (spec.retentionMs !== undefined) configs['retention.ms'] = String(spec.retentionMs);
      if (spec.retentionBytes !== undefined) configs['retention.bytes'] = String(spec.retentionBytes);
      if (spec.deleteRetentionMs !== undefined) configs['delete.retention.ms'] = String(spec.deleteRetentionMs);
      if (spec.minCompactionLagMs !== undefined) configs['min.compaction.lag.ms'] = String(spec.minCompactionLagMs);
      return configs;
    },
    async read(topic, positions, limit, waitMs) {
      const first = readOnce(topic, positions, limit);
      if (first.length > 0 || waitMs <= 0) return first;
      const abort = new AbortController();
      try {
        await Promise.race(
          [...positions].map(([partition, from]) =>
            log.waitForAppend({ topic, partition }, from - 1, waitMs, abort.signal),
          ),
        );
      } finally {
        abort.abort();
      }
      return readOnce(topic, positions, limit);
    },
    async close() {},
  };
}
