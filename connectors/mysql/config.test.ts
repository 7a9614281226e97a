import { describe, expect, it } from 'vitest';
import { ConfigException } from '../../sdk/errors.ts';
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

describe('MySQL connector config', () => {
  it('reads Debezium keys with their defaults', () => {
    const s = parseMysqlSettings(base);
    expect(s).toMatchObject({
      host: 'db',
      port: 3306,
      serverId: 184054,
      snapshotMode: 'initial',
      decimalMode: 'precise',
      timePrecisionMode: 'adaptive_time_microseconds',
      bigintUnsignedMode: 'long',
      binaryMode: 'bytes',
      tombstonesOnDelete: true,
      includeSchemaChanges: true,
      historyKind: 'file',
    });
    expect([...s.skippedOperations]).toEqual(['t']);
    expect(parseMysqlSettings({ ...base, 'snapshot.mode': 'schema_only' }).snapshotMode).toBe('no_data');
    expect(
      parseMysqlSettings({ ...base, 'table.include.list': 'inv\\.cust.*' }).tableInclude![0].test('inv.customers'),
    ).toBe(true);
  });

  it('refuses what is not implemented, naming the key and the fix', () => {
    expect(() => parseMysqlSettings({ ...base, converters: 'boolean' })).toThrow(/converters=boolean is not supported/);
    expect(() => parseMysqlSettings({ ...base, 'schema.history.internal.ddl.filter': 'CREATE INDEX.*' })).toThrow(
      /schema\.history\.internal\.ddl\.filter=CREATE INDEX\.\* is not supported.*default DDL filter/,
    );
    expect(() => parseMysqlSettings({ ...base, 'column.mask.hash.SHA-256.with.salt.x': 'a.b.c' })).toThrow(
      ConfigException,
    );
    expect(() => parseMysqlSettings({ ...base, 'snapshot.locking.mode': 'extended' })).toThrow(
      /snapshot\.locking\.mode/,
    );
    expect(() => parseMysqlSettings({ ...base, 'time.precision.mode': 'adaptive' })).toThrow(/time\.precision\.mode/);
    const { 'schema.history.internal.file.filename': _f, ...noFile } = base;
    expect(() => parseMysqlSettings(noFile)).toThrow(/schema\.history\.internal\.file\.filename/);
    const errors = validateMysqlConfig({
      ...base,
      'signal.data.collection': 'signals',
      'read.only': 'true',
      'incremental.snapshot.watermarking.strategy': 'insert_delete',
      'signal.enabled.channels': 'source,kafka',
    }).filter((v) => v.errorMessages.length);
    expect(errors.map((e) => e.name).sort()).toEqual([
      'incremental.snapshot.watermarking.strategy',
      'read.only',
      'signal.data.collection',
      'signal.enabled.channels',
    ]);
  });

  it('reads the signal table and the incremental snapshot chunk size', () => {
    expect(parseMysqlSettings(base)).toMatchObject({ signalTable: null, incrementalChunkSize: 1024 });
    expect(
      parseMysqlSettings({
        ...base,
        'signal.data.collection': 'inv.debezium_signal',
        'incremental.snapshot.chunk.size': '50',
      }),
    ).toMatchObject({ signalTable: { database: 'inv', table: 'debezium_signal' }, incrementalChunkSize: 50 });
  });
});
