/**
 * The Kafka transport's admin side (kafkajs's admin client): topics, partition counts, a topic's
 * max.message.bytes, watermarks and consumer group offsets, with the client replaced when kafkajs
 * gets stuck on a deleted topic.
 */
import kafkajs, { type Admin } from 'kafkajs';
import { ConnectException, GroupNotEmptyError } from '../errors.ts';
import { isKafkaError } from './kafka-errors.ts';
import { awaitTopicMetadata } from './kafka-topic-metadata.ts';
import { retryTransient } from './kafka-retry.ts';
import { tpKey } from './kafka-topic-partition.ts';
import type { TopicCreationSpec, TopicInfo, TopicPartition, TransportAdmin } from './types.ts';

// kafkajs is CommonJS: Node's ESM loader sees only the names its lexer finds, and not this one.
const { ConfigResourceTypes } = kafkajs;

/** Kafka's default message.max.bytes, for a topic whose configuration cannot be read. */
const BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1048588;

export class KafkaAdmin implements TransportAdmin {
  private connected: Promise<void> | null = null;
  private readonly partitionCounts = new Map<string, number>();
  private readonly maxMessageBytesByTopic = new Map<string, Promise<number>>();

  private admin: Admin;

  /** `newAdmin` makes the kafkajs admin client, again when the one in use is stuck on a deleted topic. */
  constructor(
    private readonly newAdmin: () => Admin,
    private readonly defaultPartitions: number,
  ) {
    this.admin = newAdmin();
  }

  /**
   * Runs an admin request. kafkajs's admin refreshes the metadata of every topic it has read so
   * far; once one of them is deleted, every later request fails with "This server does not host
   * this topic-partition" whatever it asks. Then the client is replaced by a new one (which knows
   * no topics yet) and the request runs once more.
   */
  private async call<T>(request: (admin: Admin) => Promise<T>): Promise<T> {
    await this.connect();
    const used = this.admin;
    try {
      return await request(used);
    } catch (err) {
      if (!isUnknownTopic(err)) throw err;
      await this.replaceAdmin(used);
      return request(this.admin);
    }
  }

  private async replaceAdmin(used: Admin): Promise<void> {
    if (this.admin === used) {
      this.admin = this.newAdmin();
      this.connected = null;
      void used.disconnect().catch(() => undefined);
    }
    await this.connect();
  }

  /**
   * Runs an offsets request. kafkajs answers those from its cached metadata, which it refreshes only
   * every few minutes; while the cache shows a partition without a leader (a topic created a moment
   * before it was first read), its fetchTopicOffsets finds no broker to ask and fails with a TypeError
   * from inside kafkajs. Then wait until every partition has a leader and ask again with a new client,
   * whose cache is fresh.
   */
  private async offsetsRequest<T>(topic: string, request: (admin: Admin) => Promise<T>): Promise<T> {
    const used = this.admin;
    try {
      return await retryTransient(() => this.call(request));
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      await this.call((a) => awaitTopicMetadata(a, [topic]));
      await this.replaceAdmin(used);
      return retryTransient(() => this.call(request));
    }
  }

  /** The topic's max.message.bytes (its own or the broker's message.max.bytes), read once per topic. */
  maxMessageBytes(topic: string): Promise<number> {
    let cached = this.maxMessageBytesByTopic.get(topic);
    if (!cached) {
      cached = this.readMaxMessageBytes(topic);
      this.maxMessageBytesByTopic.set(topic, cached);
      cached.catch(() => this.maxMessageBytesByTopic.delete(topic));
    }
    return cached;
  }

  /** After the broker refused a batch as too large: read the topic's limit again next time. */
  forgetLimits(topic: string): void {
    this.maxMessageBytesByTopic.delete(topic);
  }

  private async readMaxMessageBytes(topic: string): Promise<number> {
    let res: Awaited<ReturnType<Admin['describeConfigs']>>;
    try {
      res = await retryTransient(() =>
        this.call((a) =>
          a.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
          }),
        ),
      );
    } catch (err) {
      // A principal without DescribeConfigs on the topic (Kafka's producer needs none): assume the
      // broker default; a batch the broker still refuses fails naming the topic's limit.
      if (/AUTHORIZATION_FAILED/.test(String((err as { type?: string }).type))) return BROKER_DEFAULT_MAX_MESSAGE_BYTES;
      throw err;
    }
    const entry = res.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes');
    const value = Number(entry?.configValue);
    return Number.isSafeInteger(value) && value > 0 ? value : BROKER_DEFAULT_MAX_MESSAGE_BYTES;
  }

  connect(): Promise<void> {
    this.connected ??= this.admin.connect();
    return this.connected;
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
  }

  async partitionCount(topic: string, spec?: TopicCreationSpec): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached) return cached;
    await this.ensureTopic(topic, spec);
    const [meta] = await this.call((a) => awaitTopicMetadata(a, [topic]));
    this.partitionCounts.set(topic, meta.partitions.length);
    return meta.partitions.length;
  }

  async ensureTopic(topic: string, spec?: TopicCreationSpec): Promise<void> {
    if (await this.describeTopic(topic)) return;
    await this.call((a) =>
      a.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic,
            numPartitions: spec ? spec.partitions : this.defaultPartitions,
            replicationFactor: spec ? spec.replicationFactor : -1,
            configEntries: Object.entries(spec?.configs ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
    await this.call((a) => awaitTopicMetadata(a, [topic]));
  }

  async createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<boolean> {
    const created = await this.call((a) =>
      a.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic: name,
            numPartitions: partitions > 0 ? partitions : this.defaultPartitions,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
    await this.call((a) => awaitTopicMetadata(a, [name]));
    return created;
  }

  async listTopics(): Promise<TopicInfo[]> {
    const meta = await this.call((a) => a.fetchTopicMetadata());
    return meta.topics
      .filter((t) => !t.name.startsWith('__'))
      .map((t) => ({ name: t.name, partitions: t.partitions.length }));
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    const names = await retryTransient(() => this.call((a) => a.listTopics()));
    if (!names.includes(name)) return undefined;
    // Another broker than the one that listed it may not know a topic created a moment ago.
    const [meta] = await this.call((a) => awaitTopicMetadata(a, [name]));
    return { name, partitions: meta.partitions.length };
  }

  private async watermarks(tp: TopicPartition): Promise<{ low: number; high: number }> {
    const offsets = await this.offsetsRequest(tp.topic, (a) => a.fetchTopicOffsets(tp.topic));
    const p = offsets.find((o) => o.partition === tp.partition);
    if (!p) throw new ConnectException(`Partition ${tp.topic}-${tp.partition} does not exist`);
    return { low: Number(p.low), high: Number(p.high) };
  }

  async endOffset(tp: TopicPartition): Promise<number> {
    return (await this.watermarks(tp)).high;
  }

  async startOffset(tp: TopicPartition): Promise<number> {
    return (await this.watermarks(tp)).low;
  }

  async offsetForTimestamp(tp: TopicPartition, timestampMs: number): Promise<number | null> {
    const found = (
      await this.offsetsRequest(tp.topic, (a) => a.fetchTopicOffsetsByTimestamp(tp.topic, timestampMs))
    ).find((o) => o.partition === tp.partition);
    if (!found || Number(found.offset) < 0) return null;
    // Kafka answers the log end offset when no record is that recent.
    return Number(found.offset) >= (await this.endOffset(tp)) ? null : Number(found.offset);
  }

  async committedFor(groupId: string, topics: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const t of await retryTransient(() =>
      this.call((a) => a.fetchOffsets({ groupId, topics: [...new Set(topics)] })),
    )) {
      for (const p of t.partitions)
        if (Number(p.offset) >= 0) out.set(tpKey({ topic: t.topic, partition: p.partition }), Number(p.offset));
    }
    return out;
  }

  async groupOffsets(groupId: string): Promise<Array<TopicPartition & { offset: number }>> {
    const out: Array<TopicPartition & { offset: number }> = [];
    for (const t of await retryTransient(() => this.call((a) => a.fetchOffsets({ groupId })))) {
      for (const p of t.partitions)
        if (Number(p.offset) >= 0) out.push({ topic: t.topic, partition: p.partition, offset: Number(p.offset) });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  async alterGroupOffsets(groupId: string, offsets: Array<TopicPartition & { offset: number | null }>): Promise<void> {
    await this.connect();
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const o of offsets) {
      // Kafka cannot delete one partition's committed offset here; "reset" moves it to the log start.
      const offset = o.offset === null ? await this.startOffset(o) : o.offset;
      byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(offset) }]);
    }
    // kafkajs refuses a group with members by message only: ask the group's state first, so the refusal has a code.
    const [group] = (await this.call((a) => a.describeGroups([groupId]))).groups;
    if (group && group.state !== 'Empty' && group.state !== 'Dead')
      throw new GroupNotEmptyError(
        `The consumer group ${groupId} must have no running instances to change its offsets, current state: ${group.state}`,
      );
    for (const [topic, partitions] of byTopic) await this.call((a) => a.setOffsets({ groupId, topic, partitions }));
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.call((a) => a.deleteGroups([groupId]));
    } catch (err) {
      if (isKafkaError(err, 'GROUP_ID_NOT_FOUND')) return;
      if (isKafkaError(err, 'NON_EMPTY_GROUP'))
        throw new GroupNotEmptyError(`The consumer group ${groupId} still has members, so it cannot be deleted yet`, {
          cause: err,
        });
      throw err;
    }
  }
}

/** kafkajs's error for a topic the broker does not know (deleted, or never made). */
function isUnknownTopic(err: unknown): boolean {
  return isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION');
}
