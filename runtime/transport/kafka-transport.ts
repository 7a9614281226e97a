/**
 * The Kafka transport (kafkajs): source tasks produce through KafkaSender (byte-bounded batches,
 * idempotent, acks=all by default); sink tasks consume in the `connect-<name>` consumer group,
 * whose membership spreads partitions over the connector's tasks; offsets are committed only when
 * the worker says so. Client settings come from the worker's producer.* / consumer.* / admin.* keys
 * and the connectors' overrides (kafka-client-settings.ts).
 */
import { logLevel, type Kafka, type KafkaConfig } from 'kafkajs';
import { MeteredKafka } from '../metrics/kafka-client-metrics.ts';
import { ConnectException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { kafkaClientConfig } from './kafka-client-config.ts';
import { COMPRESSION_TYPES, registerKafkaCodecs } from './kafka-compression.ts';
import { ProducePipeline } from './produce-pipeline.ts';
import { adminSettings, consumerSettings, producerSettings } from './kafka-client-settings.ts';
import { KafkaSender } from './kafka-sender.ts';
import { KafkaAdmin } from './kafka-admin.ts';
import { KafkaReceiver } from './kafka-receiver.ts';
import type { ReceiverOptions, RecordReceiver, RecordSender, SenderOptions, Transport } from './types.ts';

export { KafkaAdmin } from './kafka-admin.ts';

/** kafkajs's producer retries (within one send attempt): with Tributary's own retry around them they ride out a broker failure. */
const PRODUCER_MAX_RETRY_TIME_MS = 5000;
const PRODUCER_INNER_RETRIES = 20;

export interface KafkaTransportOptions {
  /** Worker properties: bootstrap.servers, security.*, sasl.*, producer.* / consumer.* overrides. */
  props: Record<string, string>;
  logger: Logger;
  defaultPartitions: number;
  /** Distributed mode: the internal topic of each store namespace, for transactional senders' store writes. */
  storeTopics?: Record<string, string>;
}

export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly admin: KafkaAdmin;
  private readonly kafka: Kafka;
  private readonly closables: Array<{ close(): Promise<void> }> = [];

  constructor(private readonly opts: KafkaTransportOptions) {
    registerKafkaCodecs();
    const admin = adminSettings(opts.props);
    this.kafka = new MeteredKafka({
      ...this.clientConfig(admin.clientId ?? 'tributary-worker', admin.security),
      requestTimeout: admin.requestTimeoutMs,
      retry: { retries: admin.retries, initialRetryTime: Math.max(1, admin.retryBackoffMs) },
    });
    // Fails the worker start on a producer.* / consumer.* key the transport cannot honour.
    producerSettings(opts.props);
    consumerSettings(opts.props);
    this.admin = new KafkaAdmin(() => this.kafka.admin(), opts.defaultPartitions);
  }

  private clientConfig(clientId: string, security: Record<string, string>): KafkaConfig {
    return { ...kafkaClientConfig({ ...this.opts.props, ...security }, clientId), logLevel: logLevel.NOTHING };
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  createSender(clientId: string, opts: SenderOptions = {}): RecordSender {
    const transactional = opts.transactionalId !== undefined;
    if (transactional && !this.opts.storeTopics)
      throw new ConnectException(
        'Transactional senders need the internal topics (distributed mode with exactly.once.source.support=enabled)',
      );
    const settings = producerSettings(this.opts.props, opts.overrides ?? {}, transactional);
    // kafkajs's connection-level retries (5, some 8 s by default) give up before a dead broker's
    // partitions have a new leader; ~90 s lets the producer ride out a broker failure as Kafka's
    // Java producer does (delivery.timeout.ms). Not for transactional producers: kafkajs nests
    // these retries inside its transaction steps, where they multiply into a task that hangs
    // instead of failing (a failed exactly-once task restarts from its committed offsets).
    const retry = transactional
      ? undefined
      : {
          initialRetryTime: Math.max(1, settings.retryBackoffMs),
          maxRetryTime: PRODUCER_MAX_RETRY_TIME_MS,
          retries: Math.min(settings.retries, PRODUCER_INNER_RETRIES),
        };
    const kafka = new MeteredKafka({
      ...this.clientConfig(settings.clientId ?? clientId, settings.security),
      requestTimeout: settings.requestTimeoutMs,
      ...(retry ? { retry } : {}),
    });
    const senderOpts = {
      ...opts,
      clientId: settings.clientId ?? clientId,
      settings,
      storeTopics: transactional ? this.opts.storeTopics! : null,
    };
    const sender = transactional
      ? new KafkaSender(
          kafka.producer({
            idempotent: true,
            maxInFlightRequests: 1,
            allowAutoTopicCreation: true,
            transactionalId: opts.transactionalId,
            transactionTimeout: settings.transactionTimeoutMs ?? opts.transactionTimeoutMs,
          }),
          this.admin,
          senderOpts,
        )
      : new KafkaSender(
          null,
          this.admin,
          senderOpts,
          new ProducePipeline(kafka, {
            acks: settings.acks,
            idempotent: settings.idempotent,
            compression: COMPRESSION_TYPES[settings.compression],
            maxInFlight: settings.maxInFlightRequests,
            lingerMs: settings.lingerMs,
            requestTimeoutMs: settings.requestTimeoutMs,
            deliveryTimeoutMs: settings.deliveryTimeoutMs,
            retries: settings.retries,
            retryBackoffMs: settings.retryBackoffMs,
            bufferMemory: settings.bufferMemory,
            batchSize: settings.batchSize,
          }),
        );
    this.closables.push(sender);
    return sender;
  }

  createReceiver(groupId: string, clientId: string, opts: ReceiverOptions = {}): RecordReceiver {
    const settings = consumerSettings(this.opts.props, opts.overrides ?? {});
    const kafka = new MeteredKafka({
      ...this.clientConfig(settings.clientId ?? clientId, settings.security),
      requestTimeout: settings.requestTimeoutMs,
      retry: { initialRetryTime: Math.max(1, settings.retryBackoffMs) },
    });
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: true,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      minBytes: settings.minBytes,
      maxBytes: settings.maxBytes,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      readUncommitted: settings.readUncommitted,
    });
    const receiver = new KafkaReceiver(consumer, this.admin, groupId, opts, this.opts.logger);
    this.closables.push(receiver);
    return receiver;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closables.map((c) => c.close()));
    await this.admin.close();
  }
}
