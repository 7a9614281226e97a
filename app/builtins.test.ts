import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinPlugins, createPluginRegistry, loadedPluginRegistry } from './builtins.ts';
import { CONFLUENT_CLASS, DEBEZIUM_CLASS } from '../connectors/jdbc/config.ts';
import { JDBC_SINK_VERSION } from '../connectors/jdbc/jdbc-sink-task.ts';
import { MARIADB_CONNECTOR_CLASS, MYSQL_CONNECTOR_CLASS } from '../connectors/mysql/config-keys.ts';
import { CONNECTOR_VERSION as MYSQL_VERSION } from '../connectors/mysql/mysql-source-task.ts';
import { POSTGRES_CONNECTOR_VERSION } from '../connectors/postgres/postgres-source-task.ts';
import { S3_SINK_CLASS } from '../connectors/s3/config.ts';
import type { Connector } from '../runtime/spi/connector.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

  it("lists each connector under its module's class name and version, as the loaded connector reports it", async () => {
    const registry = await loadedPluginRegistry();
    for (const [className, version] of [
      [CONFLUENT_CLASS, JDBC_SINK_VERSION],
      [DEBEZIUM_CLASS, JDBC_SINK_VERSION],
      [MYSQL_CONNECTOR_CLASS, MYSQL_VERSION],
      [MARIADB_CONNECTOR_CLASS, MYSQL_VERSION],
      ['io.debezium.connector.postgresql.PostgresConnector', POSTGRES_CONNECTOR_VERSION],
      [S3_SINK_CLASS, '1.0.0'],
    ]) {
      const d = registry.get(className, ['source', 'sink']);
      expect(d.className).toBe(className);
      expect(d.version).toBe(version);
    }
    for (const d of registry.list(['source', 'sink'])) {
      const connector = d.create() as Connector;
      expect([d.className, connector.version()]).toEqual([d.className, d.version]);
      expect([d.className, connector.type]).toEqual([d.className, d.type]);
    }
    for (const d of registry.list()) {
      const plugin = d.create() as { version?(): string; config(): unknown };
      if (typeof plugin.version === 'function')
        expect([d.className, plugin.version()]).toEqual([d.className, d.version]);
      expect(plugin.config()).toBeDefined();
    }
  });

  it('lists and finds every built-in without loading any plugin code; a plugin loads its own on first use', async () => {
    const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-builtins-')), 'modules.txt');
    const script = `
      const { createPluginRegistry } = await import(${JSON.stringify(path.join(ROOT, 'app/builtins.ts'))});
      const fs = await import('node:fs');
      const registry = createPluginRegistry();
      const listed = registry.list().length;
      registry.get('PostgresConnector', 'source');
      registry.get('io.confluent.connect.avro.AvroConverter', 'converter');
      fs.appendFileSync(${JSON.stringify(record)}, '--- listed ' + listed + '\\n');
      await registry.load(registry.get('FileStreamSource', 'source'));
      fs.appendFileSync(${JSON.stringify(record)}, '--- loaded\\n');
    `;
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        path.join(ROOT, 'bench/startup/module-recorder.mjs'),
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: ROOT, env: { ...process.env, TRIBUTARY_MODULE_RECORD: record }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const lines = fs.readFileSync(record, 'utf8').split('\n');
    const listedAt = lines.findIndex((l) => l.startsWith('--- listed'));
    expect(lines[listedAt]).toBe(`--- listed ${builtinPlugins().length}`);
    const beforeListing = lines.slice(0, listedAt).map((f) => path.relative(ROOT, f));
    const pluginCode = beforeListing.filter(
      (f) =>
        /^(connectors|smt)\//.test(f) &&
        !/^(connectors\/[^/]+|smt)\/index\.ts$/.test(f) &&
        f !== 'connectors/s3/version.ts',
    );
    expect(pluginCode).toEqual([]);
    const converterCode = beforeListing.filter((f) =>
      /^runtime\/converters\/(?!converter-plugins|registry-converters)/.test(f),
    );
    expect(converterCode).toEqual([]);
    const libraries = beforeListing.filter((f) =>
      /node_modules\/(pg|mysql2|avsc|protobufjs|hyparquet-writer|@aws-sdk|node-forge|snappyjs|@bokuweb)\//.test(f),
    );
    expect(libraries).toEqual([]);
    const afterLoad = lines.slice(listedAt + 1, lines.indexOf('--- loaded')).map((f) => path.relative(ROOT, f));
    expect(afterLoad).toContain('connectors/file/file-stream-source.ts');
    expect(afterLoad.filter((f) => /^connectors\/(?!file\/)/.test(f))).toEqual([]);
  }, 60_000);
});
