/**
 * Reads every partition of some topics from the beginning and keeps following them, read_committed,
 * without a consumer group: what Kafka Connect's KafkaBasedLog does with its consumer's assign()
 * for the internal topics. kafkajs reads only through a group, and a group member lost with a killed
 * coordinator comes back as a new member that the coordinator makes wait for the old one's session
 * to expire (30 s and more, with the worker's view of offsets and configs frozen meanwhile); with no
 * group, a broker failure costs a metadata refresh and a retry against the new leader.
 */
import type { Kafka } from 'kafkajs';
import { createRequire } from 'node:module';
import { clusterOf, type KafkajsBroker, type KafkajsCluster } from './kafkajs-internals.ts';
import { fetchPartitions, type FetchedRecord, type FetchTarget } from './kafka-fetch.ts';
import { isTransientKafkaError } from './kafka-retry.ts';
import { registerKafkaCodecs } from './kafka-compression.ts';
import { sleep } from '../util/sleep.ts';
import type { Logger } from '../logging.ts';

const require = createRequire(import.meta.url);
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error & { retriable?: boolean; type?: string };
};

const OFFSET_OUT_OF_RANGE = 1;
const EARLIEST_TIMESTAMP = '-2';

export interface FollowedRecords {
  topic: string;
  partition: number;
  /** Committed data records, in offset order (possibly none: transaction markers only). */
  records: FetchedRecord[];
  /** The next offset to read: everything before it has been handed over. */
  nextOffset: number;
}

export interface KafkaLogFollowerOptions {
  kafka: Kafka;
  topics: string[];
  logger: Logger;
  /** Called for each partition whose position moved, in offset order per partition. */
  onRecords: (read: FollowedRecords) => void;
  /** Called once if reading stops for good (an error that retrying cannot cure). */
  onFailure: (err: Error) => void;
  /** How long a broker may hold a fetch that finds nothing new (default 200 ms). */
  maxWaitMs?: number;
}

const MAX_BACKOFF_MS = 1000;
const EMPTY_ROUND_MIN_MS = 50;

export class KafkaLogFollower {
  private readonly cluster: KafkajsCluster;
  private readonly positions = new Map<string, { topic: string; partition: number; offset: number }>();
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly opts: KafkaLogFollowerOptions) {
    // Records written compressed (snappy, lz4, zstd) by any producer are read too.
    registerKafkaCodecs();
    this.cluster = clusterOf(opts.kafka);
  }

  /** Learns the topics' partitions and starts reading each from offset 0 in the background. */
  async start(): Promise<void> {
    await this.cluster.connect();
    for (const topic of this.opts.topics) await this.cluster.addTargetTopic(topic);
    await this.cluster.refreshMetadata();
    for (const topic of this.opts.topics) {
      const partitions = this.cluster.findTopicPartitionMetadata(topic);
      if (partitions.length === 0) throw new Error(`Topic ${topic} has no partitions in the cluster's metadata`);
      for (const p of partitions)
        this.positions.set(`${topic}\u0000${p.partitionId}`, { topic, partition: p.partitionId, offset: 0 });
    }
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
    await this.cluster.disconnect();
  }

  private async follow(): Promise<void> {
    let backoffMs = 0;
    while (!this.stopped) {
      try {
        const started = Date.now();
        const moved = await this.fetchRound();
        backoffMs = 0;
        // A broker answers at once, empty, while its high watermark is behind the position (a newly
        // elected leader until its followers fetch): pace such rounds instead of spinning.
        const elapsed = Date.now() - started;
        if (!moved && elapsed < EMPTY_ROUND_MIN_MS)
          await sleep(EMPTY_ROUND_MIN_MS - elapsed, this.abort.signal).catch(() => undefined);
      } catch (err) {
        if (this.stopped) return;
        if (!isTransientKafkaError(err)) {
          this.stopped = true;
          this.opts.onFailure(err as Error);
          return;
        }
        // A broker is gone or leadership moved: learn the new leaders, then try again.
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs === 0 ? 100 : backoffMs * 2);
        this.opts.logger.debug(
          { err: (err as Error).message, retryInMs: backoffMs },
          'Reading the internal topics: retrying',
        );
        await sleep(backoffMs, this.abort.signal).catch(() => undefined);
        await this.cluster.refreshMetadata().catch(() => undefined);
      }
    }
  }

  /** One fetch to each partition leader, in parallel; whether any position moved. Throws the first failure after all have answered. */
  private async fetchRound(): Promise<boolean> {
    const byLeader = new Map<number, FetchTarget[]>();
    for (const topic of this.opts.topics) {
      for (const p of this.cluster.findTopicPartitionMetadata(topic)) {
        const position = this.positions.get(`${topic}\u0000${p.partitionId}`);
        if (!position) continue;
        if (p.leader === undefined || p.leader < 0) throw createErrorFromCode(5); // LEADER_NOT_AVAILABLE
        const list = byLeader.get(p.leader) ?? [];
        list.push({ topic, partition: p.partitionId, fetchOffset: position.offset });
        byLeader.set(p.leader, list);
      }
    }
    const results = await Promise.allSettled([...byLeader].map(([nodeId, targets]) => this.fetchFrom(nodeId, targets)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.some((r) => r.status === 'fulfilled' && r.value);
  }

  /** Fetches `targets` from their leader and hands over what moved; whether anything did. */
  private async fetchFrom(nodeId: number, targets: FetchTarget[]): Promise<boolean> {
    const broker = await this.cluster.findBroker({ nodeId });
    const fetched = await fetchPartitions(broker, targets, {
      maxWaitMs: this.opts.maxWaitMs ?? 200,
      maxBytes: 16 * 1024 * 1024,
      partitionMaxBytes: 1024 * 1024,
    });
    let failure: Error | null = null;
    let moved = false;
    for (const f of fetched) {
      if (this.stopped) return moved;
      const position = this.positions.get(`${f.topic}\u0000${f.partition}`);
      if (!position) continue;
      if (f.errorCode === OFFSET_OUT_OF_RANGE) {
        // The log's start moved past the position (records deleted): go on from the earliest kept, as auto.offset.reset=earliest.
        position.offset = await this.earliest(broker, f.topic, f.partition);
        moved = true;
        continue;
      }
      if (f.errorCode !== 0) {
        failure ??= createErrorFromCode(f.errorCode);
        continue;
      }
      if (f.nextOffset <= position.offset && f.records.length === 0) continue;
      position.offset = f.nextOffset;
      moved = true;
      this.opts.onRecords({ topic: f.topic, partition: f.partition, records: f.records, nextOffset: f.nextOffset });
    }
    if (failure) throw failure;
    return moved;
  }

  private async earliest(broker: KafkajsBroker, topic: string, partition: number): Promise<number> {
    const result = await (
      broker as unknown as {
        listOffsets(
          r: object,
        ): Promise<{ responses: Array<{ partitions: Array<{ partition: number; offset: string }> }> }>;
      }
    ).listOffsets({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic, partitions: [{ partition, timestamp: EARLIEST_TIMESTAMP }] }],
    });
    return Number(result.responses[0].partitions.find((p) => p.partition === partition)!.offset);
  }
}
