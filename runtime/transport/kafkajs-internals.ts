/**
 * The parts of kafkajs 2.2.4 the produce pipeline uses below its public API: the Cluster its
 * producer() makes (connections, metadata, leaders), the Broker's private send method, and its
 * Produce request definition (version negotiation, response decoding). kafkajs 2.2.4 is the last
 * release, so these internals do not move; each lookup fails naming the version it needs.
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { ConnectException } from '../errors.ts';

const require = createRequire(import.meta.url);
/** kafkajs's Produce request definition: picks the version the broker supports and decodes the response. */
export const PRODUCE_DEFINITION = (require('kafkajs/src/protocol/requests') as { requests: { Produce: unknown } })
  .requests.Produce;
export const PRODUCE_API_KEY = 0;

interface ProtocolRequest {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    expectResponse: () => boolean;
    encode: () => Promise<{ buf: Buffer; buffer: Buffer }>;
  };
  response: unknown;
}

export interface KafkajsBroker {
  nodeId: number;
  lookupRequest(apiKey: number, definition: unknown): (data: object) => ProtocolRequest;
  initProducerId(request: {
    transactionalId?: string;
    transactionTimeout: number;
  }): Promise<{ producerId: string | number; producerEpoch: number }>;
}

export type ProduceResponse =
  { topics: Array<{ topicName: string; partitions: Array<{ partition: number; baseOffset: string }> }> } | undefined;

/** kafkajs's Broker sends a protocol request (connection, authentication) through this private method. */
export function sendRequest(broker: KafkajsBroker, request: ProtocolRequest): Promise<ProduceResponse> {
  const proto = Object.getPrototypeOf(broker) as Record<symbol, (r: ProtocolRequest) => Promise<ProduceResponse>>;
  const key = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'private:Broker:sendRequest');
  if (!key)
    throw new ConnectException(
      'The installed kafkajs has no Broker send method where 2.2.4 has it; the Kafka transport needs kafkajs 2.2.x',
    );
  return proto[key].call(broker, request);
}

export interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(node: { nodeId: number | string }): Promise<KafkajsBroker>;
  findControllerBroker(): Promise<KafkajsBroker>;
}

/** kafkajs's Cluster for one client (the same its producer() makes), with no bound on requests per connection. */
export function clusterOf(kafka: Kafka): KafkajsCluster {
  const create = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!create)
    throw new ConnectException(
      'The installed kafkajs has no Cluster factory where 2.2.4 has it; the Kafka transport needs kafkajs 2.2.x',
    );
  const factory = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[create];
  return factory({ allowAutoTopicCreation: true, maxInFlightRequests: null, metadataMaxAge: 300_000 });
}
