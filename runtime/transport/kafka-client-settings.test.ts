import { describe, expect, it } from 'vitest';
import { adminSettings, consumerSettings, producerSettings } from './kafka-client-settings.ts';
import { clientOverrideErrors, clientOverrides, overridePolicyOf } from './client-override-policy.ts';

describe('Kafka producer settings', () => {
  it("defaults as Kafka's producer (batch.size 16384, max.request.size 1048576), acks=all, idempotent", () => {
    expect(producerSettings({})).toMatchObject({
      acks: -1,
      idempotent: true,
      batchSize: 16384,
      maxRequestSize: 1048576,
      compression: 'none',
      deliveryTimeoutMs: 120000,
      requestTimeoutMs: 30000,
      maxInFlightRequests: 5,
      lingerMs: 0,
      bufferMemory: 33554432,
    });
    expect(producerSettings({ 'producer.enable.idempotence': 'false' }).maxInFlightRequests).toBe(1);
  });

  it("the worker's producer.* keys, then the connector's producer.override.*", () => {
    const s = producerSettings(
      { 'producer.batch.size': '65536', 'producer.compression.type': 'lz4', 'producer.linger.ms': '5' },
      { 'compression.type': 'zstd', 'max.request.size': '4194304' },
    );
    expect(s).toMatchObject({ batchSize: 65536, compression: 'zstd', maxRequestSize: 4194304 });
  });

  it('refuses keys it cannot honour, naming the key and what is supported', () => {
    expect(() => producerSettings({ 'producer.partitioner.class': 'x' })).toThrow(
      /producer.partitioner.class is not supported by the Kafka transport; supported producer keys: .*batch.size/,
    );
    expect(() => producerSettings({}, { 'partitioner.class': 'x' })).toThrow(
      /producer.override.partitioner.class is not supported/,
    );
    expect(() => producerSettings({}, { 'compression.type': 'brotli' })).toThrow(
      /Invalid value brotli for configuration producer.override.compression.type/,
    );
    expect(() => producerSettings({ 'producer.batch.size': '-1' })).toThrow(
      /Invalid value -1 for configuration producer.batch.size: Value must be at least 0/,
    );
  });

  it("refuses settings the idempotent producer cannot keep, as Kafka's producer does", () => {
    expect(() => producerSettings({ 'producer.acks': '1' })).toThrow(
      /producer.acks: the idempotent producer needs acks=all; set acks=all or enable.idempotence=false/,
    );
    expect(producerSettings({ 'producer.acks': '1', 'producer.enable.idempotence': 'false' })).toMatchObject({
      acks: 1,
      idempotent: false,
    });
    expect(() => producerSettings({}, { retries: '0' })).toThrow(
      /producer.override.retries: the idempotent producer needs retries of at least 1/,
    );
    expect(() => producerSettings({ 'producer.max.in.flight.requests.per.connection': '6' })).toThrow(/at most 5/);
  });

  it('exactly-once producers are idempotent whatever is configured', () => {
    expect(producerSettings({ 'producer.enable.idempotence': 'false' }, {}, true).idempotent).toBe(true);
    expect(() => producerSettings({}, { acks: '0' }, true)).toThrow(
      /the idempotent \(exactly-once\) producer needs acks=all/,
    );
  });
});

describe('Kafka consumer and admin settings', () => {
  it("maps consumer keys; admin.listeners is the worker's own", () => {
    expect(
      consumerSettings(
        { 'consumer.session.timeout.ms': '20000', 'consumer.max.poll.records': '10' },
        { 'isolation.level': 'read_uncommitted' },
      ),
    ).toMatchObject({ sessionTimeoutMs: 20000, readUncommitted: true });
    expect(() => consumerSettings({ 'consumer.group.instance.id': 'a' })).toThrow(
      /consumer.group.instance.id is not supported/,
    );
    expect(adminSettings({ 'admin.listeners': 'http://:9000', 'admin.retries': '3' })).toMatchObject({ retries: 3 });
  });
});

describe('connector.client.config.override.policy', () => {
  const config = {
    'producer.override.acks': 'all',
    'producer.override.sasl.mechanism': 'PLAIN',
    'consumer.override.max.poll.records': '5',
    'admin.override.retries': '1',
  };

  it('All (the default) allows every key the transport honours; admin overrides are refused with the fix', () => {
    expect(overridePolicyOf(undefined)).toBe('All');
    expect(clientOverrideErrors(config, 'All')).toEqual([
      {
        key: 'admin.override.retries',
        message: expect.stringMatching(
          /per-connector admin clients are not supported.*set admin.retries on the worker/,
        ),
      },
    ]);
    expect(clientOverrides(config, 'producer', 'All')).toEqual({ acks: 'all', 'sasl.mechanism': 'PLAIN' });
  });

  it("None refuses every override with Kafka Connect's message", () => {
    expect(clientOverrideErrors(config, 'None').map((e) => e.message)).toEqual([
      "The 'None' policy does not allow 'acks' to be overridden in the connector configuration.",
      "The 'None' policy does not allow 'sasl.mechanism' to be overridden in the connector configuration.",
      "The 'None' policy does not allow 'max.poll.records' to be overridden in the connector configuration.",
      "The 'None' policy does not allow 'retries' to be overridden in the connector configuration.",
    ]);
    expect(() => clientOverrides(config, 'producer', 'None')).toThrow(/Client Config Overrides not allowed/);
  });

  it('Principal allows only the login keys; class names are accepted', () => {
    expect(
      overridePolicyOf('org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy'),
    ).toBe('Principal');
    expect(clientOverrideErrors(config, 'Principal', ['producer']).map((e) => e.key)).toEqual([
      'producer.override.acks',
    ]);
    expect(() => overridePolicyOf('Allowlist')).toThrow(
      /connector.client.config.override.policy: use All, None or Principal/,
    );
  });
});
