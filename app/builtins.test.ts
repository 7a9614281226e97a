import { describe, it, expect } from 'vitest';
import { builtinPlugins, createPluginRegistry } from './builtins.ts';

describe('built-in plugins (the composition root)', () => {
  it('registers every built-in once, each under its Kafka Connect / Debezium class name', () => {
    const registry = createPluginRegistry();
    expect(registry.list().length).toBe(builtinPlugins().length);
    for (const [name, type] of [
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
      ['io.debezium.connector.postgresql.PostgresConnector', 'source'],
      ['io.debezium.connector.mysql.MySqlConnector', 'source'],
      ['io.confluent.connect.jdbc.JdbcSinkConnector', 'sink'],
      ['io.confluent.connect.s3.S3SinkConnector', 'sink'],
      ['org.apache.kafka.connect.json.JsonConverter', 'converter'],
      ['io.confluent.connect.avro.AvroConverter', 'converter'],
      ['org.apache.kafka.connect.storage.SimpleHeaderConverter', 'header_converter'],
      ['org.apache.kafka.connect.transforms.InsertField$Value', 'transformation'],
    ] as const) {
      expect(registry.get(name, type).className).toBe(name);
    }
  });

  it.each(['FileStreamSourceConnector', 'FileStreamSource', 'tributary.file.FileStreamSource'])(
    'finds the file source by %s',
    (name) => {
      expect(createPluginRegistry().get(name, 'source').className).toBe(
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
      );
    },
  );

  it('refuses an extra plugin that reuses a built-in class name', () => {
    const r = createPluginRegistry();
    expect(() => createPluginRegistry([r.get('FileStreamSource', 'source')])).toThrow(/registered twice/);
  });
});
