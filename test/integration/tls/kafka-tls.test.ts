/**
 * TLS and SASL to a real Kafka broker (a private one-node KRaft cluster with an SSL listener that
 * requires client certificates and a SASL_SSL listener with PLAIN and SCRAM users; certificates
 * made by the test): a worker whose producer, consumer and admin client all go over SASL_SSL with
 * SCRAM-SHA-256 runs a source → Kafka → sink pipeline; clients built from Kafka's ssl.* keys
 * (PKCS12 and PEM stores) connect; a wrong CA and a wrong host name are refused with one clear
 * message naming the broker and the key to fix.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { PrivateKafkaCluster } from '../../helpers/private-kafka-cluster.ts';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.ts';
import { collectedBySink, testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';
import { kafkaClientConfig } from '../../../runtime/transport/kafka-client-config.ts';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { KafkaBackedStore, STATUS_NAMESPACE } from '../../../runtime/distributed/kafka-backed-store.ts';

let certs: TestCerts;
let cluster: PrivateKafkaCluster;
let worker: RunningWorker | undefined;
let dir: string;
const USERS = { alice: 'alice-secret' };

beforeAll(async () => {
  certs = makeTestCerts();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-tls-kafka-'));
  cluster = await PrivateKafkaCluster.start({ nodes: 1, tls: { certs, users: USERS } });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await cluster?.close();
  certs?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const scram = (mechanism: string, password = USERS.alice): Record<string, string> => ({
  'security.protocol': 'SASL_SSL',
  'sasl.mechanism': mechanism,
  'sasl.jaas.config': `org.apache.kafka.common.security.${mechanism === 'PLAIN' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule'} required username="alice" password="${password}";`,
});

/** Connects an admin client built from Kafka-style props (no retries) and lists topics. */
async function listTopics(props: Record<string, string>): Promise<string[]> {
  const admin = new Kafka({
    ...kafkaClientConfig(props, 'tls-test'),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 5000,
  }).admin();
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Produces one record and reads it back with clients built from the props. */
async function roundTrip(props: Record<string, string>): Promise<string> {
  const kafka = new Kafka({
    ...kafkaClientConfig(props, 'tls-test'),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });
  const topic = `tls-${randomUUID()}`;
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'over tls' }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `g-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = new Promise<string>(
    (resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) }),
  );
  try {
    return await got;
  } finally {
    await consumer.disconnect();
  }
}

describe('Kafka over TLS and SASL', () => {
  it('a worker runs source → Kafka → sink with every client on SASL_SSL + SCRAM-SHA-256 (PKCS12 trust store)', async () => {
    const topic = `tls-pipeline-${randomUUID().slice(0, 8)}`;
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': path.join(dir, 'data'),
        'offset.flush.interval.ms': '200',
        'bootstrap.servers': cluster.saslSslBrokers.join(','),
        ...scram('SCRAM-SHA-256'),
        'ssl.truststore.location': certs.caP12,
        'ssl.truststore.type': 'PKCS12',
        'ssl.truststore.password': certs.storePassword,
      },
      { logger: silentLogger, plugins: testPlugins },
    );
    const post = (name: string, config: Record<string, string>) =>
      fetch(`${worker!.url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, config }),
      });
    const converters = {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    };
    expect(
      (await post('tls-src', { 'connector.class': 'test.CounterSourceConnector', topic, ...converters })).status,
    ).toBe(201);
    const before = collectedBySink.length;
    expect(
      (await post('tls-sink', { 'connector.class': 'test.RejectingSinkConnector', topics: topic, ...converters }))
        .status,
    ).toBe(201);
    await waitFor(() => collectedBySink.length - before >= 50, {
      timeoutMs: 60_000,
      what: '50 records through Kafka over SASL_SSL',
    });
    expect(
      collectedBySink
        .slice(before)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 50 }, (_x, i) => i + 1));
  });

  it("distributed mode's internal-topic store writes and follows its topics over SASL_SSL (its group-less reader authenticates too)", async () => {
    const props = {
      'bootstrap.servers': cluster.saslSslBrokers.join(','),
      ...scram('SCRAM-SHA-256'),
      'ssl.truststore.location': certs.caP12,
      'ssl.truststore.type': 'PKCS12',
      'ssl.truststore.password': certs.storePassword,
    };
    const topic = `tls-store-${randomUUID().slice(0, 8)}`;
    const stores = ['a', 'b'].map(
      (id) =>
        new KafkaBackedStore({
          props,
          clientId: `tls-store-${id}`,
          topics: [{ namespace: STATUS_NAMESPACE, topic, partitions: 1, replicationFactor: 1 }],
          logger: silentLogger,
        }),
    );
    try {
      for (const s of stores) await s.start();
      await stores[0].put([{ namespace: STATUS_NAMESPACE, key: 'k', value: 'over sasl_ssl' }]);
      await waitFor(() => stores[1].get(STATUS_NAMESPACE, 'k') === 'over sasl_ssl', {
        timeoutMs: 30_000,
        what: 'the write read by the other store',
      });
    } finally {
      await Promise.allSettled(stores.map((s) => s.close()));
    }
  });

  it('SASL_SSL with PLAIN and SCRAM-SHA-512 (PEM trust store); a wrong SCRAM password is refused', async () => {
    const trust = {
      'bootstrap.servers': cluster.saslSslBrokers.join(','),
      'ssl.truststore.location': certs.caCert,
      'ssl.truststore.type': 'PEM',
    };
    expect(await roundTrip({ ...trust, ...scram('PLAIN') })).toBe('over tls');
    expect(await roundTrip({ ...trust, ...scram('SCRAM-SHA-512') })).toBe('over tls');
    await expect(listTopics({ ...trust, ...scram('SCRAM-SHA-256', 'wrong') })).rejects.toThrow(
      /SASL SCRAM SHA256 authentication failed/,
    );
  });

  it('SSL with a client certificate from a PKCS12 key store or inline PEM (the listener requires one)', async () => {
    const ssl = {
      'bootstrap.servers': cluster.sslBrokers.join(','),
      'security.protocol': 'SSL',
      'ssl.truststore.location': certs.caCert,
    };
    expect(
      await roundTrip({
        ...ssl,
        'ssl.keystore.location': certs.clientP12,
        'ssl.keystore.type': 'PKCS12',
        'ssl.keystore.password': certs.storePassword,
        'ssl.key.password': certs.storePassword,
      }),
    ).toBe('over tls');
    expect(
      await roundTrip({
        ...ssl,
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.certificate.chain': fs.readFileSync(certs.clientCert, 'utf8'),
        'ssl.keystore.key': fs.readFileSync(certs.clientKey, 'utf8'),
      }),
    ).toBe('over tls');
  });

  it('refuses a broker whose certificate is not signed by ssl.truststore.location, naming the broker and the key', async () => {
    const props = {
      'bootstrap.servers': cluster.saslSslBrokers.join(','),
      ...scram('SCRAM-SHA-256'),
      'ssl.truststore.location': certs.wrongCaCert,
    };
    await expect(listTopics(props)).rejects.toThrow(
      `TLS connection to Kafka broker ${cluster.saslSslBrokers[0]} refused: the server's certificate is not signed by a CA in ssl.truststore.location=${certs.wrongCaCert}`,
    );
    // The worker's own clients read the producer./consumer./admin. forms over the plain keys.
    await expect(
      listTopicsAs('admin', {
        ...props,
        'ssl.truststore.location': certs.caCert,
        'admin.ssl.truststore.location': certs.wrongCaCert,
      }),
    ).rejects.toThrow(/not signed by a CA in admin\.ssl\.truststore\.location=/);
  });

  it('a worker started with the wrong CA fails to start with the clear message', async () => {
    const start = startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': path.join(dir, 'wrong-ca'),
        'bootstrap.servers': cluster.sslBrokers.join(','),
        'security.protocol': 'SSL',
        'ssl.truststore.location': certs.wrongCaCert,
        'ssl.keystore.location': certs.clientP12,
        'ssl.keystore.password': certs.storePassword,
      },
      { logger: silentLogger },
    );
    await expect(start).rejects.toThrow(
      `TLS connection to Kafka broker ${cluster.sslBrokers[0]} refused: the server's certificate is not signed by a CA in ssl.truststore.location=${certs.wrongCaCert}`,
    );
  }, 180_000);

  it('checks the broker host name unless ssl.endpoint.identification.algorithm is empty', async () => {
    const byIp = {
      'bootstrap.servers': cluster.sslBrokers[0].replace('localhost', '127.0.0.1'),
      'security.protocol': 'SSL',
      'ssl.truststore.location': certs.caCert,
      'ssl.keystore.location': certs.clientP12,
      'ssl.keystore.password': certs.storePassword,
    };
    await expect(listTopics(byIp)).rejects.toThrow(
      /TLS connection to Kafka broker 127\.0\.0\.1:\d+ refused: the server's certificate does not name the host "127\.0\.0\.1".*set ssl\.endpoint\.identification\.algorithm= \(empty\) to skip the host name check/,
    );
    // Without the host check the bootstrap connection succeeds; the broker then advertises localhost.
    expect(await listTopics({ ...byIp, 'ssl.endpoint.identification.algorithm': '' })).toBeInstanceOf(Array);
  });

  it('refuses TLS keys on a plaintext protocol and unsupported SASL mechanisms with the fix', () => {
    expect(() =>
      kafkaClientConfig({ 'bootstrap.servers': 'localhost:1', 'ssl.truststore.location': certs.caCert }, 'x'),
    ).toThrow(
      'ssl.truststore.location is set but security.protocol=PLAINTEXT does not use TLS: set security.protocol=SSL, or remove ssl.truststore.location',
    );
    expect(() =>
      kafkaClientConfig(
        {
          'bootstrap.servers': 'localhost:1',
          'security.protocol': 'SASL_SSL',
          'sasl.mechanism': 'GSSAPI',
          'sasl.jaas.config': 'x',
        },
        'x',
      ),
    ).toThrow(/sasl\.mechanism: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512/);
  });
});

async function listTopicsAs(role: 'admin', props: Record<string, string>): Promise<string[]> {
  const admin = new Kafka({
    ...kafkaClientConfig(props, 'tls-test', role),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 5000,
  }).admin();
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
