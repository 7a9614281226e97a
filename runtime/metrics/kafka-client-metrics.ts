/**
 * Kafka client metrics as Kafka's Java clients register them — the network (Selector) metrics of
 * `kafka.producer:type=producer-metrics,client-id=…`, `kafka.consumer:type=consumer-metrics,…`,
 * `kafka.admin.client:type=admin-client-metrics,…` and, for the distributed worker's group
 * client, `kafka.connect:type=connect-metrics,…` — measured on the kafkajs clients:
 * - bytes, connections, requests and responses from the client's sockets (a socketFactory
 *   wrapping the configured one): kafkajs writes each request as one socket write; responses are
 *   counted by their size-prefixed frames, and each response's latency is the time since the
 *   request with its correlation id was written (requests never answered — acks=0 produce — are
 *   forgotten after MAX_UNANSWERED newer ones);
 * - the bean's lifetime from kafkajs's instrumentation event `disconnect` (a Java client
 *   unregisters its metrics on close). Clusters made straight from a MeteredKafka (the produce
 *   pipeline's) are listed while they hold a connection.
 * Bytes are those of the Kafka protocol (before TLS). As JMX, the beans are per process: every
 * worker of a process lists every live client. Prometheus names: prometheus.ts.
 */
import net from 'node:net';
import tls from 'node:tls';
import {
  Kafka,
  type Admin,
  type AdminConfig,
  type Consumer,
  type ConsumerConfig,
  type ISocketFactory,
  type KafkaConfig,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import { MBean, WindowedStat } from './mbean.ts';
import { liveKafkaClientBeans } from './kafka-client-beans.ts';

export { kafkaClientBeans } from './kafka-client-beans.ts';

/** `connect`: the distributed worker's group-membership client (Kafka Connect's WorkerGroupMember). */
export type KafkaClientKind = 'producer' | 'consumer' | 'admin' | 'connect';

const BEANS: Record<KafkaClientKind, { domain: string; type: string }> = {
  producer: { domain: 'kafka.producer', type: 'producer-metrics' },
  consumer: { domain: 'kafka.consumer', type: 'consumer-metrics' },
  admin: { domain: 'kafka.admin.client', type: 'admin-client-metrics' },
  connect: { domain: 'kafka.connect', type: 'connect-metrics' },
};

const KEEP_ALIVE_MS = 60_000;
/** Requests awaiting an answer that are remembered per connection (more are in flight only with acks=0). */
const MAX_UNANSWERED = 1024;

/** kafkajs's own default (src/network/socketFactory.js), used when the config has none. */
const plainSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_MS);
  return socket;
};

const live = liveKafkaClientBeans;

class ClientMeter {
  connections = 0;
  readonly created = new WindowedStat();
  readonly closed = new WindowedStat();
  readonly outgoing = new WindowedStat();
  readonly incoming = new WindowedStat();
  /** One sample per request written, its size. */
  readonly requests = new WindowedStat();
  readonly responses = new WindowedStat();
  /** One sample per response, the request's round trip in ms. */
  readonly latency = new WindowedStat();
  readonly networkIo = new WindowedStat();
  readonly authenticated = new WindowedStat();
  /** Called when the last connection closed. */
  onIdle: (() => void) | null = null;
  onOpen: (() => void) | null = null;

  wrap(inner: ISocketFactory): ISocketFactory {
    return (args) => {
      let open = false;
      const socket = inner({
        ...args,
        onConnect: () => {
          open = true;
          this.connections++;
          this.created.record(1);
          // A PLAINTEXT or TLS channel is ready on connect, as Kafka's Selector counts it (SASL is a request exchange on it).
          this.authenticated.record(1);
          this.onOpen?.();
          args.onConnect();
        },
      });
      const sentAt = new Map<number, number>();
      const write = socket.write.bind(socket) as (...a: unknown[]) => boolean;
      socket.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const n =
          typeof chunk === 'string'
            ? Buffer.byteLength(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8')
            : chunk.byteLength;
        this.outgoing.record(n);
        this.requests.record(n);
        this.networkIo.record(1);
        // A request: int32 size, int16 api key, int16 api version, int32 correlation id, …
        if (typeof chunk !== 'string' && chunk.byteLength >= 12) {
          sentAt.set(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).readInt32BE(8), Date.now());
          if (sentAt.size > MAX_UNANSWERED) sentAt.delete(sentAt.keys().next().value!);
        }
        return write(chunk, ...rest);
      }) as typeof socket.write;
      const frames = new FrameCounter();
      socket.on('data', (chunk: Buffer) => {
        this.incoming.record(chunk.length);
        this.networkIo.record(1);
        for (const correlationId of frames.feed(chunk)) {
          const t = sentAt.get(correlationId);
          sentAt.delete(correlationId);
          this.responses.record(1);
          if (t !== undefined) this.latency.record(Date.now() - t);
        }
      });
      socket.once('close', () => {
        if (!open) return;
        open = false;
        this.connections--;
        this.closed.record(1);
        if (this.connections === 0) this.onIdle?.();
      });
      return socket;
    };
  }

  bean(kind: KafkaClientKind, clientId: string): MBean {
    const { domain, type } = BEANS[kind];
    const b = new MBean(type, { 'client-id': clientId }, domain);
    const stat = (name: string, s: WindowedStat) =>
      b.define(`${name}-total`, () => s.count).define(`${name}-rate`, () => s.countRate());
    b.define('connection-count', () => this.connections);
    stat('connection-creation', this.created);
    stat('connection-close', this.closed);
    b.define('outgoing-byte-total', () => this.outgoing.total).define('outgoing-byte-rate', () => this.outgoing.rate());
    b.define('incoming-byte-total', () => this.incoming.total).define('incoming-byte-rate', () => this.incoming.rate());
    stat('request', this.requests);
    b.define('request-size-avg', () => this.requests.avg()).define('request-size-max', () => this.requests.max());
    stat('response', this.responses);
    b.define('request-latency-avg', () => this.latency.avg()).define('request-latency-max', () => this.latency.max());
    stat('network-io', this.networkIo);
    // Share of wall time the client waited on the network: round trips in flight per second of the window, at most 1.
    b.define('io-ratio', () => Math.min(1, this.latency.rate() / 1000));
    stat('successful-authentication', this.authenticated);
    // kafkajs reports a refused SASL handshake as a connection error of the request, not to instrumentation: counted as none.
    b.define('failed-authentication-total', () => 0).define('failed-authentication-rate', () => 0);
    return b;
  }
}

/** Splits a Kafka response stream into its frames (int32 size, then int32 correlation id and the rest): the correlation ids of the frames each chunk completes. */
class FrameCounter {
  private head = Buffer.alloc(0);
  private remaining = 0;
  private correlationId = 0;

  feed(chunk: Buffer): number[] {
    const done: number[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) done.push(this.correlationId);
        continue;
      }
      const need = 8 - this.head.length;
      this.head = Buffer.concat([this.head, chunk.subarray(at, at + need)]);
      at += Math.min(need, chunk.length - at);
      if (this.head.length < 8) break;
      this.remaining = this.head.readInt32BE(0) - 4;
      this.correlationId = this.head.readInt32BE(4);
      this.head = Buffer.alloc(0);
      if (this.remaining <= 0) {
        this.remaining = 0;
        done.push(this.correlationId);
      }
    }
    return done;
  }
}

interface Instrumented {
  on(event: string, listener: () => void): unknown;
  events: { DISCONNECT: string };
}

function metered<T extends Instrumented>(kind: KafkaClientKind, config: KafkaConfig, make: (kafka: Kafka) => T): T {
  const meter = new ClientMeter();
  const clientId = config.clientId ?? 'kafkajs';
  const client = make(new Kafka({ ...config, socketFactory: meter.wrap(config.socketFactory ?? plainSocketFactory) }));
  const bean = meter.bean(kind, clientId);
  live.set(bean.objectName, bean);
  client.on(client.events.DISCONNECT, () => {
    if (live.get(bean.objectName) === bean) live.delete(bean.objectName);
  });
  return client;
}

/**
 * A kafkajs `Kafka` whose producers, consumers and admin clients are metered (each its own bean
 * named after the config's clientId). `consumerKind: 'connect'` names consumers as the Connect
 * group client (`kafka.connect:type=connect-metrics`).
 */
export class MeteredKafka extends Kafka {
  constructor(
    private readonly config: KafkaConfig,
    private readonly consumerKind: 'consumer' | 'connect' = 'consumer',
  ) {
    // A cluster made from this object itself (the produce pipeline's, through kafkajs's cluster factory) is a producer's.
    const direct = new ClientMeter();
    super({ ...config, socketFactory: direct.wrap(config.socketFactory ?? plainSocketFactory) });
    const bean = direct.bean('producer', config.clientId ?? 'kafkajs');
    direct.onOpen = () => live.set(bean.objectName, bean);
    direct.onIdle = () => {
      if (live.get(bean.objectName) === bean) live.delete(bean.objectName);
    };
  }

  override producer(config?: ProducerConfig): Producer {
    return metered('producer', this.config, (k) => k.producer(config) as Producer & Instrumented);
  }

  override consumer(config: ConsumerConfig): Consumer {
    return metered(this.consumerKind, this.config, (k) => k.consumer(config) as Consumer & Instrumented);
  }

  override admin(config?: AdminConfig): Admin {
    return metered('admin', this.config, (k) => k.admin(config) as Admin & Instrumented);
  }
}
