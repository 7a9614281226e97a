import { describe, it, expect } from 'vitest';
import { parseSettings } from './config.ts';
import { postgresSource, postgresSourceSchema } from './source-info.ts';
import { uuidV7 } from './context-headers.ts';

const base = { 'database.hostname': 'h', 'database.user': 'u', 'database.dbname': 'd', 'topic.prefix': 'p' };
const values = {
  serverName: 'p',
  db: 'd',
  schema: 's',
  table: 't',
  tsMicros: 1n,
  txId: 7,
  lsn: 10n,
  lastCommitLsn: null,
};

describe('PostgreSQL wire layout (tributary.debezium.layout)', () => {
  it('defaults to Debezium 3.6: source.origin/origin_lsn, version 3.6.1.Final, context headers with a UUIDv7 runId', () => {
    const s = parseSettings(base);
    expect(s.layout).toBe('3.6');
    expect(s.contextHeaders?.map(([k]) => k)).toEqual([
      '__debezium.context.connectorLogicalName',
      '__debezium.context.taskId',
      '__debezium.context.connectorName',
      '__debezium.context.runId',
    ]);
    expect(s.contextHeaders?.slice(0, 3).map(([, v]) => v)).toEqual(['p', '0', 'postgresql']);
    expect(s.contextHeaders?.[3][1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const src = postgresSource(values, '3.6');
    expect(
      postgresSourceSchema('3.6')
        .fields.map((f) => f.name)
        .slice(-3),
    ).toEqual(['xmin', 'origin', 'origin_lsn']);
    expect(src.get('version')).toBe('3.6.1.Final');
    expect(src.get('origin')).toBeNull();
  });

  it('extended.headers.enabled=false drops the context headers only', () => {
    const s = parseSettings({ ...base, 'extended.headers.enabled': 'false' });
    expect(s.layout).toBe('3.6');
    expect(s.contextHeaders).toBeNull();
  });

  it('3.2: no origin fields, version 3.2.0.Final, the context headers without runId (as Debezium 3.2.0 writes them)', () => {
    const s = parseSettings({ ...base, 'tributary.debezium.layout': '3.2' });
    expect(s.contextHeaders).toEqual([
      ['__debezium.context.connectorLogicalName', 'p'],
      ['__debezium.context.taskId', '0'],
      ['__debezium.context.connectorName', 'postgresql'],
    ]);
    expect(
      parseSettings({ ...base, 'tributary.debezium.layout': '3.2', 'extended.headers.enabled': 'false' })
        .contextHeaders,
    ).toBeNull();
    expect(
      postgresSourceSchema('3.2')
        .fields.map((f) => f.name)
        .at(-1),
    ).toBe('xmin');
    expect(postgresSource(values, '3.2').get('version')).toBe('3.2.0.Final');
  });

  it('runIds are time-ordered UUIDv7s', () => {
    expect(uuidV7(0x01a24e395311).startsWith('01a24e39-5311-7')).toBe(true);
    expect(uuidV7()).not.toBe(uuidV7());
  });
});
