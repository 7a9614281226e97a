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

interface KafkajsConnection {
  clientId: string;
  socket: { cork(): void; uncork(): void; write(chunk: Buffer): boolean };
  requestQueue: {
    push(request: {
      entry: object;
      expectResponse: boolean;
      requestTimeout: number | null;
      sendRequest: () => void;
    }): void;
    maybeThrottle(ms: number | undefined): void;
  };
  isAuthenticated(): boolean;
  failIfNotConnected(): void;
  nextCorrelationId(): number;
}

interface ResponseDefinition {
  decode(payload: Buffer): Promise<{ clientSideThrottleTime?: number }>;
  parse(decoded: unknown): Promise<ProduceResponse>;
}

/** A kafkajs private member keyed by a Symbol with this description: on the object itself or its prototype. */
function privateMember<T>(target: object, description: string, what: string): T {
  for (const holder of [target, Object.getPrototypeOf(target) as object]) {
    const key = Object.getOwnPropertySymbols(holder).find((s) => s.description === description);
    if (key) return (holder as Record<symbol, T>)[key];
  }
  throw new ConnectException(
    `The installed kafkajs has no ${what} where 2.2.4 has it; the Kafka transport needs kafkajs 2.2.x`,
  );
}

/**
 * Sends a request whose body is already encoded in `body` (written as is, no copy): what kafkajs's
 * Connection.send does, less its framing (protocol/request.js copies every request twice into
 * zero-filled, power-of-two-grown buffers, the producer's largest allocations). The 4-byte size and
 * the request header v1 (api key, version, correlation id, client id: what the Produce versions
 * kafkajs negotiates, v3–v7, use) go in a small buffer of their own, written together with the body
 * (one writev). `queued` runs once the request is in the connection's queue, so a later request of
 * the same connection is written after it.
 */
export async function sendEncoded(
  broker: KafkajsBroker,
  request: { apiKey: number; apiVersion: number; apiName: string },
  body: Buffer[],
  expectResponse: boolean,
  response: unknown,
  queued: () => void,
): Promise<ProduceResponse> {
  const pool = (
    broker as unknown as { connectionPool: { getConnectionByRequest(r: object): Promise<KafkajsConnection> } }
  ).connectionPool;
  try {
    const connection = await pool.getConnectionByRequest({ request });
    if (!connection.isAuthenticated())
      await privateMember<() => Promise<void>>(
        connection,
        'private:Connection:authenticate',
        'Connection authenticate',
      ).call(connection);
    connection.failIfNotConnected();
    const clientId = connection.clientId;
    const clientIdBytes = clientId == null ? 0 : Buffer.byteLength(clientId);
    let size = 2 + 2 + 4 + 2 + clientIdBytes;
    for (const b of body) size += b.length;
    const correlationId = connection.nextCorrelationId();
    const header = Buffer.allocUnsafe(4 + 2 + 2 + 4 + 2 + clientIdBytes);
    let at = header.writeInt32BE(size, 0);
    at = header.writeInt16BE(request.apiKey, at);
    at = header.writeInt16BE(request.apiVersion, at);
    at = header.writeInt32BE(correlationId, at);
    at = header.writeInt16BE(clientId == null ? -1 : clientIdBytes, at);
    if (clientIdBytes > 0) header.write(clientId, at, 'utf8');
    const { payload } = await new Promise<{ payload: Buffer }>((resolve, reject) => {
      try {
        connection.failIfNotConnected();
        const { apiKey, apiName, apiVersion } = request;
        connection.requestQueue.push({
          entry: { apiKey, apiName, apiVersion, correlationId, resolve, reject },
          expectResponse,
          requestTimeout: null,
          sendRequest: () => {
            const socket = connection.socket;
            socket.cork();
            socket.write(header);
            for (const b of body) socket.write(b);
            socket.uncork();
          },
        });
        queued();
      } catch (err) {
        reject(err);
      }
    });
    if (!expectResponse) return undefined;
    const definition = response as ResponseDefinition;
    const decoded = await definition.decode(payload);
    connection.requestQueue.maybeThrottle(decoded.clientSideThrottleTime);
    return await definition.parse(decoded);
  } catch (err) {
    // As kafkajs's Broker: a closed connection is dropped so the next request connects again.
    if ((err as Error).name === 'KafkaJSConnectionClosedError')
      await (broker as unknown as { disconnect(): Promise<void> }).disconnect();
    throw err;
  }
}

/**
 * Sends a request of a definition of our own (`request` encodes it, `response` decodes and parses
 * the answer) on the broker's connection, as its own request methods do, with its handling of a
 * closed connection.
 */
export async function sendRequest<T>(
  broker: KafkajsBroker,
  protocolRequest: {
    request: { apiKey: number; apiVersion: number; apiName: string };
    response: { decode(payload: Buffer): Promise<unknown>; parse(decoded: unknown): Promise<unknown> };
    requestTimeout: number;
  },
): Promise<T> {
  const send = privateMember<(r: object) => Promise<T>>(broker, 'private:Broker:sendRequest', 'Broker sendRequest');
  return send.call(broker, protocolRequest);
}

export interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
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
