/**
 * Kafka client metrics measured on real kafkajs clients against the test broker: the beans Kafka's
 * Java clients register (Selector metrics), under the names Strimzi's and Confluent's exporter
 * rules give them, and gone when the client disconnects.
 */
import { describe, expect, it } from 'vitest';
import { logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { MeteredKafka, kafkaClientBeans } from '../../../runtime/metrics/kafka-client-metrics.ts';
import { MetricsRegistry } from '../../../runtime/metrics/registry.ts';
import { testKafkaBrokers } from '../../setup/env.ts';

const bean = (type: string, clientId: string) =>
  kafkaClientBeans().find((b) => b.type === type && b.tags['client-id'] === clientId);

describe('Kafka client metrics', () => {
  it(
    'counts the bytes, connections, requests and responses of kafkajs clients; Strimzi and Confluent names',
    { timeout: 60_000 },
    async () => {
      const id = randomUUID().slice(0, 8);
      const kafka = new MeteredKafka({
        clientId: `metered-${id}`,
        brokers: testKafkaBrokers(),
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      const producer = kafka.producer();
      const topic = `metered-${id}`;
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await producer.connect();
      await producer.send({
        topic,
        messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(500) })),
      });

      const p = bean('producer-metrics', `metered-${id}`)!.read();
      expect(p['connection-count'] as number).toBeGreaterThanOrEqual(1);
      expect(p['connection-creation-total']).toBe(p['connection-count']);
      expect(p['outgoing-byte-total'] as number).toBeGreaterThan(20 * 500);
      expect(p['incoming-byte-total'] as number).toBeGreaterThan(0);
      expect(p['request-total'] as number).toBeGreaterThanOrEqual(3); // ApiVersions, Metadata, Produce at least
      // Every request of a producer with acks=-1 is answered: responses are counted by their frames.
      expect(p['response-total']).toBe(p['request-total']);
      expect(p['request-size-max'] as number).toBeGreaterThan(20 * 500);
      expect(p['request-latency-avg'] as number).toBeGreaterThanOrEqual(0);
      const a = bean('admin-client-metrics', `metered-${id}`)!.read();
      expect(a['request-total'] as number).toBeGreaterThan(0);

      const text = new MetricsRegistry().toPrometheus();
      const line = (re: RegExp) => text.split('\n').find((l) => re.test(l));
      expect(line(new RegExp(`^kafka_producer_outgoing_byte_total\\{clientid="metered-${id}"\\} \\d+`))).toBeDefined();
      expect(line(new RegExp(`^kafka_producer_connection_count\\{clientid="metered-${id}"\\} [1-9]`))).toBeDefined();
      expect(
        line(new RegExp(`^kafka_admin_client_connection_count\\{clientid="metered-${id}"\\} [1-9]`)),
      ).toBeDefined();
      expect(
        line(
          new RegExp(
            `^kafka_producer_producer_metrics_outgoing_byte_rate\\{client_type="producer",client_id="metered-${id}"\\} `,
          ),
        ),
      ).toBeDefined();
      // Strimzi's rule exports counters and a few gauge suffixes only, not rates; Confluent's blacklists admin clients.
      expect(line(/^kafka_producer_outgoing_byte_rate\{/)).toBeUndefined();
      expect(line(/^kafka_admin_client_admin_client_metrics_/)).toBeUndefined();
      expect(new MetricsRegistry(['confluent']).toPrometheus()).not.toContain('kafka_producer_outgoing_byte_total{');

      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
      expect(bean('producer-metrics', `metered-${id}`)).toBeUndefined();
      expect(bean('admin-client-metrics', `metered-${id}`)).toBeUndefined();
    },
  );

  it("names a group client as Kafka Connect's connect-metrics, in all three rule sets", async () => {
    const id = randomUUID().slice(0, 8);
    const consumer = new MeteredKafka(
      { clientId: `group-${id}`, brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING },
      'connect',
    ).consumer({ groupId: `g-${id}` });
    await consumer.connect();
    try {
      const text = new MetricsRegistry().toPrometheus();
      expect(text).toContain(`kafka_connect_connect_metrics_request_rate{client_id="group-${id}"}`);
      // jmx_exporter 1.x drops _total from untyped names: kafka-connect-cluster queries this one.
      expect(text).toContain(`kafka_connect_connect_metrics_failed_authentication{client_id="group-${id}"} 0`);
      expect(text).toContain(`kafka_connect_metrics_incoming_byte_rate{client="group-${id}"}`);
      expect(text).toContain(`kafka_connect_connection_count{clientid="group-${id}"}`);
    } finally {
      await consumer.disconnect();
    }
  });
});
