/**
 * The shared relational keys are Debezium's (CommonConnectorConfig, RelationalDatabaseConnectorConfig,
 * AbstractTopicNamingStrategy, Heartbeat, Debezium 3.6 sources) in both database connectors.
 */
import { describe, expect, it } from 'vitest';
import { POSTGRES_CONFIG, parseSettings } from '../../postgres/config.ts';
import { MYSQL_SOURCE_CONFIG, parseMysqlSettings, validateMysqlConfig } from '../../mysql/config.ts';
import { relationalConfig } from './relational-config.ts';

/** Debezium's Field definitions: type, default (undefined: required), importance. */
const DEBEZIUM: Record<string, [string, unknown, string]> = {
  'database.hostname': ['STRING', undefined, 'HIGH'],
  'database.user': ['STRING', undefined, 'HIGH'],
  'database.password': ['PASSWORD', null, 'HIGH'],
  'topic.prefix': ['STRING', undefined, 'HIGH'],
  'topic.delimiter': ['STRING', '.', 'LOW'],
  'topic.heartbeat.prefix': ['STRING', '__debezium-heartbeat', 'LOW'],
  'topic.transaction': ['STRING', 'transaction', 'LOW'],
  'table.include.list': ['LIST', null, 'HIGH'],
  'table.exclude.list': ['LIST', null, 'MEDIUM'],
  'column.include.list': ['LIST', null, 'MEDIUM'],
  'column.exclude.list': ['LIST', null, 'MEDIUM'],
  'message.key.columns': ['STRING', null, 'MEDIUM'],
  'decimal.handling.mode': ['STRING', 'precise', 'MEDIUM'],
  'binary.handling.mode': ['STRING', 'bytes', 'LOW'],
  'event.processing.failure.handling.mode': ['STRING', 'fail', 'MEDIUM'],
  'unavailable.value.placeholder': ['STRING', '__debezium_unavailable_value', 'MEDIUM'],
  'tombstones.on.delete': ['BOOLEAN', true, 'MEDIUM'],
  'skipped.operations': ['LIST', ['t'], 'LOW'],
  'provide.transaction.metadata': ['BOOLEAN', false, 'LOW'],
  'extended.headers.enabled': ['BOOLEAN', true, 'LOW'],
  'heartbeat.interval.ms': ['INT', 0, 'MEDIUM'],
  'max.batch.size': ['INT', 2048, 'MEDIUM'],
  'poll.interval.ms': ['LONG', 500, 'MEDIUM'],
  'signal.data.collection': ['STRING', null, 'MEDIUM'],
  'signal.enabled.channels': ['LIST', ['source'], 'MEDIUM'],
  'incremental.snapshot.chunk.size': ['INT', 1024, 'MEDIUM'],
  'incremental.snapshot.watermarking.strategy': ['STRING', 'insert_insert', 'LOW'],
};

const CONNECTORS = [
  ['PostgreSQL', POSTGRES_CONFIG, 5432, 10240, 'adaptive'],
  ['MySQL', MYSQL_SOURCE_CONFIG, 3306, null, 'adaptive_time_microseconds'],
] as const;

describe('shared relational configuration keys', () => {
  it.each(CONNECTORS)('%s defines every shared key as Debezium does', (_name, def, port, fetchSize, timePrecision) => {
    for (const [key, [type, dflt, importance]] of Object.entries(DEBEZIUM)) {
      const k = def.keys.get(key);
      expect(k, key).toBeDefined();
      expect([k!.type, typeof k!.defaultValue === 'symbol' ? undefined : k!.defaultValue, k!.importance], key).toEqual([
        type,
        dflt,
        importance,
      ]);
    }
    expect(def.keys.get('database.port')).toMatchObject({ type: 'INT', defaultValue: port, importance: 'HIGH' });
    expect(def.keys.get('snapshot.fetch.size')).toMatchObject({ defaultValue: fetchSize, importance: 'MEDIUM' });
    expect(def.keys.get('time.precision.mode')).toMatchObject({
      type: 'STRING',
      defaultValue: timePrecision,
      importance: 'MEDIUM',
    });
  });

  it('the two connectors no longer differ on a shared key (the divergences fixed)', () => {
    // Before: table.include.list MEDIUM (PostgreSQL) vs HIGH; table.exclude.list HIGH (MySQL) vs MEDIUM;
    // binary.handling.mode MEDIUM (MySQL) vs LOW; heartbeat.interval.ms LOW (MySQL) vs MEDIUM;
    // poll.interval.ms INT (MySQL) vs LONG; event.processing.failure.handling.mode LOW (MySQL) vs MEDIUM;
    // list defaults '' vs null.
    for (const key of Object.keys(DEBEZIUM)) {
      const a = POSTGRES_CONFIG.keys.get(key)!;
      const b = MYSQL_SOURCE_CONFIG.keys.get(key)!;
      expect([b.type, b.defaultValue, b.importance], key).toEqual([a.type, a.defaultValue, a.importance]);
    }
    expect(MYSQL_SOURCE_CONFIG.keys.get('snapshot.mode')!.importance).toBe('LOW'); // BinlogConnectorConfig
    expect(POSTGRES_CONFIG.keys.get('snapshot.mode')!.importance).toBe('MEDIUM'); // PostgresConnectorConfig
  });

  it('documents each key with Debezium’s description and the connector’s note', () => {
    const def = relationalConfig({
      defaultPort: 1,
      snapshotFetchSize: null,
      timePrecision: { defaultValue: 'connect', supported: ['connect'] },
      notes: { 'topic.delimiter': 'x.' },
    });
    expect(def.keys.get('topic.delimiter')!.documentation).toBe('Specify the delimiter for topic name. Tributary: x.');
    expect(def.keys.get('table.include.list')!.documentation).toBe('The tables for which changes are to be captured');
  });

  const pgBase = { 'database.hostname': 'h', 'database.user': 'u', 'database.dbname': 'd', 'topic.prefix': 'p' };
  const myBase = {
    'database.hostname': 'h',
    'database.user': 'u',
    'topic.prefix': 'p',
    'schema.history.internal.file.filename': '/tmp/h.dat',
  };

  it.each([
    ['table.include.list', 'table.exclude.list'],
    ['column.include.list', 'column.exclude.list'],
  ])('both connectors refuse %s with %s, as Debezium’s validateExcludeField (MySQL accepted both)', (inc, exc) => {
    const props = { [inc]: 'a\\.b', [exc]: 'c\\.d' };
    expect(() => parseSettings({ ...pgBase, ...props })).toThrow(`${inc} and ${exc} cannot both be set`);
    expect(() => parseMysqlSettings({ ...myBase, ...props })).toThrow(`${inc} and ${exc} cannot both be set`);
    const errors = validateMysqlConfig({ ...myBase, ...props }).find((v) => v.name === exc)!.errorMessages;
    expect(errors.join()).toContain('cannot both be set');
  });

  it('MySQL refuses database.include.list with database.exclude.list', () => {
    expect(() => parseMysqlSettings({ ...myBase, 'database.include.list': 'a', 'database.exclude.list': 'b' })).toThrow(
      'database.include.list and database.exclude.list cannot both be set',
    );
  });

  it('MySQL refuses an empty database.user and a port out of range, as PostgreSQL', () => {
    expect(() => parseMysqlSettings({ ...myBase, 'database.user': '' })).toThrow(/database.user/);
    expect(() => parseMysqlSettings({ ...myBase, 'database.port': '70000' })).toThrow(/database.port/);
  });
});
