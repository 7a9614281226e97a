/**
 * Debezium's KafkaSchemaHistory: one HistoryRecord JSON document per message (null key, partition
 * 0) on a single-partition topic, created when missing with cleanup.policy=delete and unlimited
 * retention. `start` reads the topic from the beginning to its end offset (failing after
 * recovery.attempts polls in a row bring nothing); `append` resolves once the broker acknowledged
 * the record (acks=all), so a position is never committed ahead of the schema it needs.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { ConnectException } from '../../../sdk/errors.ts';
import type { Logger } from '../../../sdk/logging.ts';
import { kafkaClientConfig } from '../../../sdk/internal/kafka-client.ts';
import type { KafkaHistorySettings } from './kafka-history-config.ts';
import type { HistoryRecord, SchemaHistory } from './schema-history.ts';

const PARTITION = 0;
/** kafkajs' ConfigResourceTypes.TOPIC (the enum is not a named export Node's ESM loader can see in kafkajs' CommonJS build). */
const TOPIC_RESOURCE = 2;
/** Debezium's topic settings: Long.MAX_VALUE retention, no size limit. */
export const HISTORY_TOPIC_CONFIG = {
  'cleanup.policy': 'delete',
  'retention.ms': '9223372036854775807',
  'retention.bytes': '-1',
} as const;
const FIVE_YEARS_MS = 5 * 365 * 86_400_000;
/** Longest wait for the recovery consumer to join its (private) group and get the partition. */
const JOIN_TIMEOUT_MS = 60_000;

export class KafkaSchemaHistory implements SchemaHistory {
  private readonly producerKafka: Kafka;
  private readonly consumerKafka: Kafka;
  private admin: Admin | null = null;
  private producer: Producer | null = null;
  private list: HistoryRecord[] = [];

  constructor(
    private readonly s: KafkaHistorySettings,
    private readonly clientId: string,
    private readonly logger: Logger,
  ) {
    const producerClientId = s.producerProps['client.id'] ?? clientId;
    const consumerClientId = s.consumerProps['client.id'] ?? clientId;
    this.producerKafka = new Kafka({
      ...kafkaClientConfig(s.producerProps, producerClientId),
      logLevel: logLevel.NOTHING,
    });
    this.consumerKafka = new Kafka({
      ...kafkaClientConfig(s.consumerProps, consumerClientId),
      logLevel: logLevel.NOTHING,
    });
  }

  get topic(): string {
    return this.s.topic;
  }

  async start(): Promise<void> {
    const admin = this.producerKafka.admin();
    await admin.connect();
    this.admin = admin;
    await this.ensureTopic(admin);
    this.list = await this.recover(admin);
    const producer = this.producerKafka.producer({
      allowAutoTopicCreation: false,
      maxInFlightRequests: 1,
      idempotent: false,
    });
    await producer.connect();
    this.producer = producer;
    this.logger.info({ topic: this.s.topic, records: this.list.length }, 'Schema history recovered from Kafka');
  }

  exists(): boolean {
    return this.list.length > 0;
  }

  records(): HistoryRecord[] {
    return this.list;
  }

  async append(record: HistoryRecord): Promise<void> {
    if (!this.producer) throw new ConnectException(`The Kafka schema history on ${this.s.topic} is not started`);
    const value = JSON.stringify(record);
    try {
      await this.producer.send({
        topic: this.s.topic,
        acks: -1,
        messages: [{ partition: PARTITION, key: null, value }],
      });
    } catch (err) {
      throw new ConnectException(
        `Could not write to the schema history topic ${this.s.topic}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.list.push(JSON.parse(value) as HistoryRecord);
  }

  /** Deletes every record of the topic (DeleteRecords up to the high watermark). */
  async reset(): Promise<void> {
    if (!this.admin) throw new ConnectException(`The Kafka schema history on ${this.s.topic} is not started`);
    const { low, high } = await this.bounds(this.admin);
    if (high > low) {
      try {
        await this.admin.deleteTopicRecords({
          topic: this.s.topic,
          partitions: [{ partition: PARTITION, offset: '-1' }],
        });
      } catch (err) {
        throw new ConnectException(
          `Could not clear the schema history topic ${this.s.topic} for a new snapshot: ${(err as Error).message}; delete the topic (or its records) and restart`,
          { cause: err },
        );
      }
    }
    this.list = [];
  }

  async stop(): Promise<void> {
    const producer = this.producer;
    const admin = this.admin;
    this.producer = null;
    this.admin = null;
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  private async ensureTopic(admin: Admin): Promise<void> {
    const topics = await admin.listTopics();
    if (!topics.includes(this.s.topic)) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          timeout: this.s.createTimeoutMs,
          topics: [
            {
              topic: this.s.topic,
              numPartitions: 1,
              configEntries: Object.entries(HISTORY_TOPIC_CONFIG).map(([name, value]) => ({ name, value })),
            },
          ],
        });
        this.logger.info({ topic: this.s.topic }, 'Created the schema history topic');
      } catch (err) {
        if (!/already exists/i.test((err as Error).message)) {
          throw new ConnectException(
            `Creation of the schema history topic ${this.s.topic} failed (${(err as Error).message}); create it with one partition, cleanup.policy=delete and retention.ms=-1`,
            { cause: err },
          );
        }
      }
    }
    const meta = await admin.fetchTopicMetadata({ topics: [this.s.topic] });
    const partitions = meta.topics.find((t) => t.name === this.s.topic)?.partitions.length ?? 0;
    if (partitions !== 1) {
      throw new ConnectException(
        `The schema history topic ${this.s.topic} has ${partitions} partitions; it must have exactly one (records of one history must stay in order). Use a new single-partition topic`,
      );
    }
    await this.warnOnTopicSettings(admin);
  }

  /** Debezium's topic settings check: wrong settings risk losing history, so they are logged. */
  private async warnOnTopicSettings(admin: Admin): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${this.s.queryTimeoutMs} ms`)),
          this.s.queryTimeoutMs,
        );
      });
      const query = admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: TOPIC_RESOURCE,
            name: this.s.topic,
            configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes'],
          },
        ],
      });
      const res = await Promise.race([query, timeout]).finally(() => clearTimeout(timer));
      const entries = new Map(res.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? []);
      const policy = entries.get('cleanup.policy');
      const bytes = Number(entries.get('retention.bytes') ?? -1);
      const ms = Number(entries.get('retention.ms') ?? -1);
      if (policy !== undefined && policy !== 'delete')
        this.logger.warn(
          { topic: this.s.topic, policy },
          'Schema history topic option cleanup.policy should be delete',
        );
      if (bytes !== -1)
        this.logger.warn({ topic: this.s.topic, bytes }, 'Schema history topic option retention.bytes should be -1');
      if (ms !== -1 && ms < FIVE_YEARS_MS)
        this.logger.warn(
          { topic: this.s.topic, ms },
          'Schema history topic option retention.ms should be -1 or more than 5 years',
        );
    } catch (err) {
      this.logger.info(
        { topic: this.s.topic, err: (err as Error).message },
        'Could not check the schema history topic settings',
      );
    }
  }

  private async bounds(admin: Admin): Promise<{ low: number; high: number }> {
    const offsets = await admin.fetchTopicOffsets(this.s.topic);
    const p = offsets.find((o) => o.partition === PARTITION);
    return { low: Number(p?.low ?? 0), high: Number(p?.high ?? 0) };
  }

  /** Reads the topic from its first to its last record. */
  private async recover(admin: Admin): Promise<HistoryRecord[]> {
    const { low, high } = await this.bounds(admin);
    if (high <= low) return [];
    const records: HistoryRecord[] = [];
    // kafkajs reads only through a consumer group: a private one that commits nothing.
    const consumer = this.consumerKafka.consumer({
      groupId: `${this.clientId}-schemahistory-${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: Math.max(10, this.s.recoveryPollIntervalMs),
      sessionTimeout: 10_000,
    });
    const idleLimitMs = this.s.recoveryAttempts * Math.max(1, this.s.recoveryPollIntervalMs);
    let next = low;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.s.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        let lastProgress = Date.now();
        let joined = false;
        const started = Date.now();
        const timer = setInterval(
          () => {
            const now = Date.now();
            if (!joined && now - started > JOIN_TIMEOUT_MS)
              fail(
                new ConnectException(
                  `Could not start reading the schema history topic ${this.s.topic} within ${JOIN_TIMEOUT_MS} ms`,
                ),
              );
            else if (joined && now - lastProgress > idleLimitMs) {
              fail(
                new ConnectException(
                  `The schema history couldn't be recovered from ${this.s.topic}: read up to offset ${next} of ${high}, then nothing for ${idleLimitMs} ms; consider increasing schema.history.internal.kafka.recovery.poll.interval.ms or .recovery.attempts`,
                ),
              );
            }
          },
          Math.max(10, Math.min(1000, this.s.recoveryPollIntervalMs)),
        );
        const fail = (err: Error) => {
          clearInterval(timer);
          reject(err);
        };
        const done = () => {
          clearInterval(timer);
          resolve();
        };
        consumer.on(consumer.events.GROUP_JOIN, () => {
          joined = true;
          lastProgress = Date.now();
        });
        consumer.on(consumer.events.CRASH, (e) => {
          const payload = e.payload as { error?: Error; restart?: boolean };
          if (!payload.restart)
            fail(
              new ConnectException(
                `Reading the schema history topic ${this.s.topic} failed: ${payload.error?.message ?? 'unknown error'}`,
              ),
            );
        });
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages) {
                const offset = Number(m.offset);
                if (offset < next || offset >= high) continue;
                next = offset + 1;
                lastProgress = Date.now();
                const rec = this.parse(m.value, offset);
                if (rec) records.push(rec);
              }
              // Offsets without a record (compacted away) count as read too.
              if (batch.messages.length > 0) next = Math.max(next, Number(batch.lastOffset()) + 1);
              if (next >= high) done();
            },
          })
          .catch(fail);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return records;
  }

  private parse(value: Buffer | null, offset: number): HistoryRecord | null {
    if (value === null) {
      this.logger.warn({ topic: this.s.topic, offset }, 'Skipping a null schema history record');
      return null;
    }
    try {
      const rec = JSON.parse(value.toString('utf8')) as HistoryRecord;
      if (rec && typeof rec === 'object' && rec.position && rec.source) return rec;
    } catch {
      // reported below
    }
    this.logger.warn({ topic: this.s.topic, offset }, 'Skipping an invalid schema history record');
    return null;
  }
}
