/**
 * The librdkafka reference of the Kafka benchmark: node-rdkafka's producer (acks=all, idempotent)
 * and consumer moving the same 1 KB records. node-rdkafka is a native addon, so it is not a
 * project dependency: it is used when installed — in this project or where TRIBUTARY_RDKAFKA_PATH
 * points (a node-rdkafka package directory). Built against Debian's librdkafka with
 * `apt-get install librdkafka-dev && BUILD_LIBRDKAFKA=0 npm install --no-save node-rdkafka`.
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

interface RdMessage {
  value: Buffer | null;
}
interface RdProducer {
  connect(): void;
  on(event: 'ready', cb: () => void): void;
  on(event: 'event.error', cb: (err: Error) => void): void;
  on(event: 'delivery-report', cb: (err: Error | null) => void): void;
  setPollInterval(ms: number): void;
  produce(topic: string, partition: number | null, value: Buffer, key: null, timestamp: number): boolean;
  poll(): void;
  flush(timeoutMs: number, cb: (err: Error | null) => void): void;
  disconnect(cb: () => void): void;
}
interface RdConsumer {
  connect(): void;
  on(event: 'ready', cb: () => void): void;
  on(event: 'data', cb: (m: RdMessage) => void): void;
  on(event: 'event.error', cb: (err: Error) => void): void;
  subscribe(topics: string[]): void;
  consume(): void;
  disconnect(cb: () => void): void;
}
interface RdKafka {
  Producer: new (conf: Record<string, unknown>, topicConf: Record<string, unknown>) => RdProducer;
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf: Record<string, unknown>) => RdConsumer;
  librdkafkaVersion: string;
}

export function loadRdkafka(): { lib: RdKafka } | { missing: string } {
  const require = createRequire(import.meta.url);
  const where = process.env.TRIBUTARY_RDKAFKA_PATH ?? 'node-rdkafka';
  try {
    return { lib: require(where) as RdKafka };
  } catch (err) {
    return {
      missing: `node-rdkafka not installed (${(err as Error).message.split('\n')[0]}); apt-get install librdkafka-dev && BUILD_LIBRDKAFKA=0 npm install --no-save node-rdkafka, or set TRIBUTARY_RDKAFKA_PATH`,
    };
  }
}

const until = async (check: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('librdkafka reference timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Seconds to produce `n` records of `payload` (acks=all, all delivery reports in) and to consume them back. */
export async function runRdkafkaReference(
  lib: RdKafka,
  brokers: string[],
  n: number,
  payload: Buffer,
): Promise<{ produceSeconds: number; consumeSeconds: number; version: string }> {
  const topic = `bench-rdkafka-${randomUUID()}`;
  const producer = new lib.Producer(
    {
      'metadata.broker.list': brokers.join(','),
      dr_cb: true,
      'enable.idempotence': true,
      'linger.ms': 5,
      'queue.buffering.max.messages': 200_000,
    },
    { 'request.required.acks': -1 },
  );
  let delivered = 0;
  let failure: Error | null = null;
  producer.on('delivery-report', (err) => {
    if (err) failure = err;
    delivered++;
  });
  await new Promise<void>((resolve, reject) => {
    producer.on('ready', resolve);
    producer.on('event.error', reject);
    producer.connect();
  });
  producer.setPollInterval(10);
  const t0 = Date.now();
  for (let i = 0; i < n;) {
    try {
      producer.produce(topic, null, payload, null, Date.now());
      i++;
    } catch {
      // Local queue full: let delivery reports drain it.
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  await until(() => delivered >= n || failure !== null, 300_000);
  if (failure) throw failure;
  const produceSeconds = (Date.now() - t0) / 1000;
  await new Promise<void>((resolve) => producer.disconnect(() => resolve()));

  const consumer = new lib.KafkaConsumer(
    { 'metadata.broker.list': brokers.join(','), 'group.id': `bench-${randomUUID()}`, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  let consumed = 0;
  consumer.on('data', () => {
    consumed++;
  });
  const t1 = Date.now();
  await new Promise<void>((resolve, reject) => {
    consumer.on('ready', () => {
      consumer.subscribe([topic]);
      consumer.consume();
      resolve();
    });
    consumer.on('event.error', reject);
    consumer.connect();
  });
  await until(() => consumed >= n, 300_000);
  const consumeSeconds = (Date.now() - t1) / 1000;
  await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  return { produceSeconds, consumeSeconds, version: lib.librdkafkaVersion };
}
