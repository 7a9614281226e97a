import { describe, it, expect } from 'vitest';
import { parseSettings, isTableCaptured, isColumnCaptured } from './config.ts';
import { PostgresConnector } from './postgres-connector.ts';
import { createPluginRegistry } from '../../app/builtins.ts';

const base = { 'database.hostname': 'h', 'database.user': 'u', 'database.dbname': 'd', 'topic.prefix': 'p' };

describe('PostgreSQL connector configuration', () => {
  it('applies Debezium defaults', () => {
    const s = parseSettings(base);
    expect(s).toMatchObject({
      port: 5432,
      slotName: 'debezium',
      publicationName: 'dbz_publication',
      publicationAutocreateMode: 'all_tables',
      snapshotMode: 'initial',
      decimalMode: 'precise',
      timePrecisionMode: 'adaptive',
      tombstonesOnDelete: true,
      maxBatchSize: 2048,
      maxQueueSize: 8192,
    });
    expect(parseSettings({ ...base, 'max.queue.size': '100', 'max.queue.size.in.bytes': '0' }).maxQueueSize).toBe(100);
    expect([...s.skippedOperations]).toEqual(['t']);
    expect(parseSettings({ ...base, 'snapshot.mode': 'never' }).snapshotMode).toBe('no_data');
  });

  it.each([
    ['plugin.name', 'decoderbufs', /decoderbufs is not supported; set plugin.name=pgoutput/],
    ['snapshot.mode', 'schema_only', /renamed; use no_data/],
    ['time.precision.mode', 'nanoseconds', /not supported yet/],
    ['slot.name', 'Bad-Name', /lower-case letters, digits and underscores/],
    ['snapshot.isolation.mode', 'read_committed', /cannot give a consistent snapshot/],
    ['incremental.snapshot.watermarking.strategy', 'insert_delete', /not supported yet; use insert_insert/],
    ['xmin.fetch.interval.ms', '1000', /xmin tracking is not supported/],
    ['column.mask.hash.SHA-256.with.salt.x', 'public.t.c', /v1 hash form hashes Java-serialized values/],
    ['column.mask.hash.v2.NOPE.with.salt.x', 'public.t.c', /unknown hash algorithm NOPE/],
    ['message.prefix.include.list', '(', /Invalid regex/],
    ['lsn.flush.mode', 'connector_and_driver', /not supported; use connector/],
    ['tributary.debezium.layout', '3.4', /must be one of 3.6, 3.2/],
    ['snapshot.max.threads', '4', /snapshots run on one thread/],
    ['max.queue.size.in.bytes', '1048576', /not supported by the PostgreSQL connector yet .*remove the key or set 0/],
    ['max.queue.size', '0', /max.queue.size/],
  ])('rejects %s=%s with a clear error', (key, value, message) => {
    expect(() => parseSettings({ ...base, [key]: value })).toThrow(message);
  });

  it('rejects include and exclude lists together', () => {
    expect(() => parseSettings({ ...base, 'table.include.list': 'a\\.b', 'table.exclude.list': 'c\\.d' })).toThrow(
      /cannot both be set/,
    );
  });

  it('matches filters as anchored regular expressions', () => {
    const s = parseSettings({
      ...base,
      'table.include.list': 'public\\.orders,inv\\..*',
      'column.exclude.list': 'public\\.orders\\.secret',
    });
    expect(isTableCaptured(s, 'public', 'orders')).toBe(true);
    expect(isTableCaptured(s, 'public', 'orders2')).toBe(false);
    expect(isTableCaptured(s, 'inv', 'x')).toBe(true);
    expect(isColumnCaptured(s, 'public', 'orders', 'secret')).toBe(false);
    expect(isColumnCaptured(s, 'public', 'orders', 'id')).toBe(true);
  });

  it('captures the signal.data.collection table outside the include lists, as Debezium does', () => {
    const s = parseSettings({
      ...base,
      'schema.include.list': 'inv',
      'table.include.list': 'inv\\.orders',
      'signal.data.collection': 'ops.signals',
    });
    expect(isTableCaptured(s, 'ops', 'signals')).toBe(true);
    expect(isTableCaptured(s, 'ops', 'other')).toBe(false);
    expect(isTableCaptured(s, 'inv', 'orders')).toBe(true);
    const bare = parseSettings({ ...base, 'table.include.list': 'inv\\.orders', 'signal.data.collection': 'sig' });
    expect(isTableCaptured(bare, 'public', 'sig')).toBe(true);
    expect(isTableCaptured(bare, 'public', 'orders')).toBe(false);
  });

  it('validate() reports unsupported pattern keys and the plugin is found by Debezium class name and alias', () => {
    const errors = new PostgresConnector()
      .validate({ ...base, 'column.propagate.source.type': '.*' })
      .filter((v) => v.errorMessages.length > 0);
    expect(errors.map((e) => e.name)).toEqual(['column.propagate.source.type']);
    const registry = createPluginRegistry();
    expect(registry.find('io.debezium.connector.postgresql.PostgresConnector', 'source')).toBeDefined();
    expect(registry.find('PostgresConnector', 'source')).toBeDefined();
    expect(registry.find('tributary.postgres.PostgresSource', 'source')).toBeDefined();
  });
});
