/**
 * The transport over the embedded log: no Kafka needed. Records and source offsets commit in one
 * LMDB transaction, so a source task's offsets can never run ahead of (or behind) its records.
 */
import type { EmbeddedLog } from '../log/embedded-log.ts';
import type { LogRecord, TopicPartition } from '../log/types.ts';
import { topicSpecFromConfigs } from '../log/topic-configs.ts';
import { ConnectException } from '../errors.ts';
import { partitionForKey } from './murmur2.ts';
import { sleep } from '../util/sleep.ts';
import type {
  DeliveredRecord,
  KeyValueStore,
  OutgoingRecord,
  RebalanceListener,
  ReceiverOptions,
  RecordReceiver,
  RecordSender,
  SenderOptions,
  StoreWrite,
  Subscription,
  TopicInfo,
  Transport,
  TransportAdmin,
} from './types.ts';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

export class EmbeddedTransport implements Transport, KeyValueStore {
  readonly kind = 'embedded' as const;
  readonly admin: TransportAdmin;

  constructor(
    readonly log: EmbeddedLog,
    private readonly defaultPartitions = 1,
  ) {
    this.admin = new EmbeddedAdmin(log);
  }

  createSender(_clientId: string, opts: SenderOptions = {}): RecordSender {
    return new EmbeddedSender(this.log, this.defaultPartitions, opts);
  }

  createReceiver(groupId: string, _clientId: string, opts: ReceiverOptions = {}): RecordReceiver {
    return new EmbeddedReceiver(this.log, groupId, opts);
  }

  get(namespace: string, key: string): string | undefined {
    return this.log.kvGet(namespace, key);
  }

  entries(namespace: string, keyPrefix?: string): Array<{ key: string; value: string }> {
    return this.log.kvEntries(namespace, keyPrefix);
  }

  put(writes: StoreWrite[]): Promise<void> {
    return this.log.kvPut(writes);
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}

class EmbeddedSender implements RecordSender {
  readonly atomicStoreWrites = true;
  private roundRobin = 0;

  constructor(
    private readonly log: EmbeddedLog,
    private readonly defaultPartitions: number,
    private readonly opts: SenderOptions,
  ) {}

  async send(records: OutgoingRecord[], storeWrites?: StoreWrite[]): Promise<DeliveredRecord[]> {
    const batches = new Map<
      string,
      {
        topic: string;
        partition: number;
        records: OutgoingRecord[];
        indexes: number[];
      }
    >();
    let b: { topic: string; partition: number; records: OutgoingRecord[]; indexes: number[] } | undefined;
    let specTopic: string | null = null;
    let partitions = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let partition = r.partition;
      if (partition === null) {
        if (r.topic !== specTopic) {
          partitions = this.log.describeTopic(r.topic)?.partitions ?? 0;
          specTopic = r.topic;
        }
        // No await per record: only a topic that does not exist yet needs one (to create it).
        if (partitions > 0) partition = this.partitionIn(partitions, r);
        else {
          partition = await this.choosePartition(r);
          specTopic = null;
        }
      }
      // Records of one batch mostly go to the partition of the record before: no key built for those.
      if (b === undefined || b.topic !== r.topic || b.partition !== partition) {
        const k = tpKey({ topic: r.topic, partition });
        b = batches.get(k);
        if (!b) {
          b = { topic: r.topic, partition, records: [], indexes: [] };
          batches.set(k, b);
        }
      }
      // The outgoing record is the appended one (key, value, timestamp, headers; the rest is not read).
      b.records.push(r);
      b.indexes.push(i);
    }
    const list = [...batches.values()];
    for (const b of list) {
      const spec = this.log.describeTopic(b.topic);
      if (spec && b.partition >= spec.partitions)
        throw new ConnectException(
          `Partition ${b.partition} does not exist for topic ${b.topic} (it has ${spec.partitions})`,
        );
    }
    const bases = await this.log.append(
      list.map((b) => ({ topic: b.topic, partition: b.partition, records: b.records })),
      storeWrites,
    );
    const out: DeliveredRecord[] = new Array(records.length);
    list.forEach((b, bi) => {
      b.indexes.forEach((recordIndex, j) => {
        out[recordIndex] = {
          topic: b.topic,
          partition: b.partition,
          offset: bases[bi] + j,
          timestamp: b.records[j].timestamp,
        };
      });
    });
    return out;
  }

  /** The partitioner: murmur2 of the key, round-robin for null keys. */
  private partitionIn(partitions: number, r: OutgoingRecord): number {
    if (partitions === 1) return 0;
    if (r.key) return partitionForKey(r.key, partitions);
    return this.roundRobin++ % partitions;
  }

  private async choosePartition(r: OutgoingRecord): Promise<number> {
    let spec = this.log.describeTopic(r.topic);
    if (!spec) {
      const rule = this.opts.topicCreation?.(r.topic);
      const configs = rule?.configs ?? {};
      await this.log.createTopic(
        topicSpecFromConfigs(r.topic, rule && rule.partitions > 0 ? rule.partitions : this.defaultPartitions, configs),
      );
      spec = this.log.describeTopic(r.topic)!;
    }
    return this.partitionIn(spec.partitions, r);
  }

  async close(): Promise<void> {}
}

class EmbeddedReceiver implements RecordReceiver {
  private assigned: TopicPartition[] = [];
  private readonly positions = new Map<string, number>();
  private readonly paused = new Set<string>();
  private next = 0;
  private subscription: Subscription | null = null;
  private listener: RebalanceListener | null = null;
  private lastAssignmentCheck = 0;

  constructor(
    private readonly log: EmbeddedLog,
    private readonly groupId: string,
    private readonly opts: ReceiverOptions,
  ) {}

  private initialPosition(tp: TopicPartition): number {
    if (this.opts.startTimestampMs !== undefined)
      return this.log.offsetForTimestamp(tp, this.opts.startTimestampMs) ?? this.log.endOffset(tp);
    return (this.opts.autoOffsetReset ?? 'earliest') === 'earliest' ? this.log.startOffset(tp) : this.log.endOffset(tp);
  }

  async subscribe(subscription: Subscription, listener: RebalanceListener): Promise<void> {
    this.subscription = subscription;
    this.listener = listener;
    // Subscribed topics that do not exist yet are created, as Kafka's auto-create does.
    for (const t of subscription.topics)
      if (!this.log.describeTopic(t)) await this.log.createTopic({ name: t, partitions: 1 });
    await this.rebalanceIfNeeded(true);
  }

  /** The group's partitions spread over its members round-robin, like Kafka's round-robin assignor. */
  private targetAssignment(): TopicPartition[] {
    const sub = this.subscription!;
    const all: TopicPartition[] = [];
    for (const t of this.log.listTopics()) {
      if (sub.topics.includes(t.name) || (sub.regex && sub.regex.test(t.name))) {
        for (let p = 0; p < t.partitions; p++) all.push({ topic: t.name, partition: p });
      }
    }
    all.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const { index, count } = this.opts.member ?? { index: 0, count: 1 };
    return all.filter((_tp, i) => i % count === index);
  }

  private async rebalanceIfNeeded(force: boolean): Promise<void> {
    if (!this.subscription || !this.listener) return;
    if (!force && Date.now() - this.lastAssignmentCheck < 2000) return;
    this.lastAssignmentCheck = Date.now();
    const target = this.targetAssignment();
    const targetKeys = new Set(target.map(tpKey));
    const currentKeys = new Set(this.assigned.map(tpKey));
    const revoked = this.assigned.filter((tp) => !targetKeys.has(tpKey(tp)));
    const added = target.filter((tp) => !currentKeys.has(tpKey(tp)));
    if (revoked.length === 0 && added.length === 0) return;
    if (revoked.length > 0) await this.listener.revoked(revoked);
    for (const tp of revoked) this.positions.delete(tpKey(tp));
    const committed = new Map(this.log.committedOffsets(this.groupId).map((c) => [tpKey(c), c.offset]));
    for (const tp of added) {
      const c = committed.get(tpKey(tp));
      this.positions.set(tpKey(tp), c !== undefined ? Math.max(c, this.log.startOffset(tp)) : this.initialPosition(tp));
    }
    this.assigned = target;
    if (added.length > 0) await this.listener.assigned(added);
  }

  assignment(): TopicPartition[] {
    return this.assigned.map((p) => ({ ...p }));
  }

  async poll(maxRecords: number, timeoutMs: number, signal?: AbortSignal): Promise<LogRecord[]> {
    await this.rebalanceIfNeeded(false);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = this.readAvailable(maxRecords);
      if (out.length > 0 || signal?.aborted) return out;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return out;
      const active = this.assigned.filter((tp) => !this.paused.has(tpKey(tp)));
      if (active.length === 0) {
        await sleep(Math.min(remaining, 100), signal);
        continue;
      }
      // Wake on the first append to any assigned partition.
      const ac = new AbortController();
      const onAbort = () => ac.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race(
          active.map((tp) => this.log.waitForAppend(tp, this.positions.get(tpKey(tp))! - 1, remaining, ac.signal)),
        );
      } finally {
        ac.abort();
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  private readAvailable(maxRecords: number): LogRecord[] {
    const out: LogRecord[] = [];
    const n = this.assigned.length;
    for (let i = 0; i < n && out.length < maxRecords; i++) {
      const tp = this.assigned[(this.next + i) % n];
      const k = tpKey(tp);
      if (this.paused.has(k)) continue;
      let pos = this.positions.get(k)!;
      const start = this.log.startOffset(tp);
      if (pos < start) pos = start; // retention deleted what we had not read: continue from the log start, as auto.offset.reset=earliest
      const records = this.log.read(tp, pos, { maxRecords: maxRecords - out.length });
      if (records.length > 0) {
        this.positions.set(k, records[records.length - 1].offset + 1);
        out.push(...records);
      } else {
        this.positions.set(k, pos);
      }
    }
    this.next = n === 0 ? 0 : (this.next + 1) % n;
    return out;
  }

  seek(tp: TopicPartition, offset: number): void {
    this.positions.set(tpKey(tp), offset);
  }

  position(tp: TopicPartition): number {
    const p = this.positions.get(tpKey(tp));
    if (p === undefined) throw new ConnectException(`Partition ${tp.topic}-${tp.partition} is not assigned`);
    return p;
  }

  pause(tps: TopicPartition[]): void {
    for (const tp of tps) this.paused.add(tpKey(tp));
  }

  resume(tps: TopicPartition[]): void {
    for (const tp of tps) this.paused.delete(tpKey(tp));
  }

  commit(offsets: Array<TopicPartition & { offset: number }>): Promise<void> {
    return this.log.commitOffsets(this.groupId, offsets);
  }

  async close(): Promise<void> {}
}

class EmbeddedAdmin implements TransportAdmin {
  constructor(private readonly log: EmbeddedLog) {}

  async createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<boolean> {
    return this.log.createTopic(topicSpecFromConfigs(name, partitions > 0 ? partitions : 1, configs));
  }

  async listTopics(): Promise<TopicInfo[]> {
    return this.log.listTopics().map((t) => ({ name: t.name, partitions: t.partitions }));
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    const t = this.log.describeTopic(name);
    return t ? { name: t.name, partitions: t.partitions } : undefined;
  }

  async endOffset(tp: TopicPartition): Promise<number> {
    return this.log.endOffset(tp);
  }

  async startOffset(tp: TopicPartition): Promise<number> {
    return this.log.startOffset(tp);
  }

  async offsetForTimestamp(tp: TopicPartition, timestampMs: number): Promise<number | null> {
    return this.log.offsetForTimestamp(tp, timestampMs);
  }

  async groupOffsets(groupId: string): Promise<Array<TopicPartition & { offset: number }>> {
    return this.log.committedOffsets(groupId);
  }

  async alterGroupOffsets(groupId: string, offsets: Array<TopicPartition & { offset: number | null }>): Promise<void> {
    const current = new Map(this.log.committedOffsets(groupId).map((o) => [tpKey(o), o]));
    for (const o of offsets) {
      if (o.offset === null) current.delete(tpKey(o));
      else current.set(tpKey(o), { topic: o.topic, partition: o.partition, offset: o.offset });
    }
    await this.log.deleteGroup(groupId);
    if (current.size > 0) await this.log.commitOffsets(groupId, [...current.values()]);
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.log.deleteGroup(groupId);
  }
}
