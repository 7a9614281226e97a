import { describe, expect, it } from 'vitest';
import { parseMysqlSettings, validateMysqlConfig } from './config.ts';

const base = {
  'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
  'database.hostname': 'db',
  'database.user': 'u',
  'database.password': 'secret',
  'database.server.id': '184054',
  'topic.prefix': 'dbserver1',
  'schema.history.internal.file.filename': '/tmp/h.jsonl',
};
const KAFKA = 'io.debezium.storage.kafka.history.KafkaSchemaHistory';

describe('MySQL config: column mappers, message.key.columns, Kafka schema history', () => {
  it('accepts column.mask.* / column.truncate.* / hash v2 and refuses the v1 hash form with its reason', () => {
    const s = parseMysqlSettings({
      ...base,
      'column.mask.with.5.chars': 'inv\\.c\\.ssn',
      'column.truncate.to.3.chars': 'inv\\.c\\.note',
      'column.mask.hash.v2.SHA-256.with.salt.s': 'inv\\.c\\.email',
    });
    expect(s.columnMappers.ruleFor('inv', 'c', 'ssn')?.kind).toBe('mask');
    expect(s.columnMappers.ruleFor('inv', 'c', 'note')?.kind).toBe('truncate');
    expect(s.columnMappers.ruleFor('inv', 'c', 'email')?.kind).toBe('hash');
    expect(() => parseMysqlSettings({ ...base, 'column.mask.hash.SHA-256.with.salt.s': 'inv\\.c\\.email' })).toThrow(
      /v1 hash form hashes Java-serialized values/,
    );
    const errors = validateMysqlConfig({ ...base, 'column.mask.hash.v2.NOPE.with.salt.s': 'a.b.c' }).filter(
      (v) => v.errorMessages.length,
    );
    expect(errors.map((e) => e.name)).toEqual(['column.mask.hash.v2.NOPE.with.salt.s']);
  });

  it('parses message.key.columns and reports a malformed value on its key', () => {
    expect(parseMysqlSettings(base).messageKeyColumns).toBeNull();
    const s = parseMysqlSettings({ ...base, 'message.key.columns': 'inv.orders:customer_id,order_no' });
    expect(s.messageKeyColumns!.keyColumnsFor('inv.orders', ['id', 'order_no', 'customer_id'])).toEqual([
      'order_no',
      'customer_id',
    ]);
    const errors = validateMysqlConfig({ ...base, 'message.key.columns': 'inv.orders' }).filter(
      (v) => v.errorMessages.length,
    );
    expect(errors.map((e) => e.name)).toEqual(['message.key.columns']);
    expect(errors[0].errorMessages[0]).toMatch(/<fully-qualified table>:<column>/);
  });

  it('selects the Kafka schema history with its Debezium defaults and pass-through client keys', () => {
    const s = parseMysqlSettings({
      ...base,
      'schema.history.internal': KAFKA,
      'schema.history.internal.kafka.topic': 'schemahistory.inv',
      'schema.history.internal.kafka.bootstrap.servers': 'k1:9092,k2:9092',
      'schema.history.internal.producer.security.protocol': 'SASL_PLAINTEXT',
      'schema.history.internal.producer.sasl.mechanism': 'PLAIN',
      'schema.history.internal.producer.sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
    });
    expect(s.historyKind).toBe('kafka');
    expect(s.kafkaHistory).toMatchObject({
      topic: 'schemahistory.inv',
      recoveryPollIntervalMs: 100,
      recoveryAttempts: 100,
      queryTimeoutMs: 3000,
      createTimeoutMs: 30000,
      producerProps: {
        'bootstrap.servers': 'k1:9092,k2:9092',
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
      },
      consumerProps: { 'bootstrap.servers': 'k1:9092,k2:9092' },
    });
    // The file name is not needed with the Kafka store.
    const { 'schema.history.internal.file.filename': _f, ...noFile } = base;
    expect(
      parseMysqlSettings({
        ...noFile,
        'schema.history.internal': KAFKA,
        'schema.history.internal.kafka.topic': 't',
        'schema.history.internal.kafka.bootstrap.servers': 'k:1',
      }).historyKind,
    ).toBe('kafka');
  });

  it('refuses a Kafka history without topic or brokers, and pass-through keys kafkajs cannot honour', () => {
    expect(() =>
      parseMysqlSettings({
        ...base,
        'schema.history.internal': KAFKA,
        'schema.history.internal.kafka.bootstrap.servers': 'k:1',
      }),
    ).toThrow(/Missing schema\.history\.internal\.kafka\.topic/);
    expect(() =>
      parseMysqlSettings({ ...base, 'schema.history.internal': KAFKA, 'schema.history.internal.kafka.topic': 't' }),
    ).toThrow(/Missing schema\.history\.internal\.kafka\.bootstrap\.servers/);
    const errors = validateMysqlConfig({
      ...base,
      'schema.history.internal': KAFKA,
      'schema.history.internal.kafka.topic': 't',
      'schema.history.internal.kafka.bootstrap.servers': 'k:1',
      'schema.history.internal.consumer.max.poll.records': '5',
      'schema.history.internal.producer.security.protocol': 'KERBEROS',
    }).filter((v) => v.errorMessages.length);
    expect(errors.map((e) => e.name).sort()).toEqual([
      'schema.history.internal.consumer.max.poll.records',
      'schema.history.internal.producer.security.protocol',
    ]);
    expect(errors.find((e) => e.name.endsWith('max.poll.records'))!.errorMessages[0]).toMatch(
      /not supported by the Kafka schema history/,
    );
  });
});
