import { describe, expect, it } from 'vitest';
import { type Schema, SourceRecord, SchemaBuilder, Schemas, Struct } from '../../sdk/data.ts';
import { SimpleHeaderConverter, StringConverter } from '../../runtime/converters/simple-converters.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { ToleranceOperator } from '../../runtime/worker/error-handling.ts';
import { SourceRecordProcessor } from '../../runtime/worker/source-record-processor.ts';
import { TaskErrorCounters } from '../../runtime/worker/task-metrics.ts';
import { TransformationChain } from '../../runtime/worker/transformation-chain.ts';
import { javaHashMapOrder } from '../shared/debezium/transaction.ts';
import { sourceStruct, sourceSchemaFor } from './source-info.ts';
import { defaultLayout, WireLayout } from './wire-layout.ts';

const envelope = SchemaBuilder.struct().field('source', sourceSchemaFor('mariadb')).build();
const record = (topic: string) =>
  new SourceRecord({
    topic,
    valueSchema: envelope,
    value: new Struct(envelope).put(
      'source',
      sourceStruct({
        flavor: 'mariadb',
        serverName: 'p',
        tsMicros: 0,
        db: 'd',
        table: 't',
        serverId: 1,
        gtid: null,
        file: 'f',
        pos: 4,
        row: 0,
        thread: null,
        query: null,
      }),
    ),
  });
const headers = (r: SourceRecord) => [...r.headers].map((h) => [h.key, h.value]);

describe('MySQL/MariaDB wire layout', () => {
  it('defaults to the newest served Debezium per connector class', () => {
    expect(defaultLayout('mariadb')).toBe('3.5');
    expect(defaultLayout('mysql')).toBe('3.6');
  });

  it('3.5: source.version 3.5.0.Final and the context headers, none on transaction records', () => {
    const [data, tx] = new WireLayout('3.5', 'mariadb', 'p', true, new Set(['p.transaction'])).apply([
      record('p.d.t'),
      record('p.transaction'),
    ]);
    expect((data.value as Struct).getStruct('source')!.get('version')).toBe('3.5.0.Final');
    const h = headers(data);
    expect(h.slice(0, 3)).toEqual([
      ['__debezium.context.connectorLogicalName', 'p'],
      ['__debezium.context.taskId', '0'],
      ['__debezium.context.connectorName', 'mariadb'],
    ]);
    expect(h[3][0]).toBe('__debezium.context.runId');
    expect(h[3][1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(headers(tx)).toEqual([]);
  });

  it('3.2: source.version 3.2.0.Final, context headers without runId; extended.headers.enabled=false drops them', () => {
    const [old] = new WireLayout('3.2', 'mariadb', 'p', true, new Set()).apply([record('p.d.t')]);
    expect((old.value as Struct).getStruct('source')!.get('version')).toBe('3.2.0.Final');
    expect(headers(old)).toEqual([
      ['__debezium.context.connectorLogicalName', 'p'],
      ['__debezium.context.taskId', '0'],
      ['__debezium.context.connectorName', 'mariadb'],
    ]);
    const [plain] = new WireLayout('3.6', 'mysql', 'p', false, new Set()).apply([record('p.d.t')]);
    expect((plain.value as Struct).getStruct('source')!.get('version')).toBe('3.6.1.Final');
    expect(headers(plain)).toEqual([]);
  });

  it('leaves records without a source block alone apart from headers', () => {
    const s = SchemaBuilder.struct().field('id', Schemas.STRING).build();
    const [r] = new WireLayout('3.5', 'mariadb', 'p', true, new Set()).apply([
      new SourceRecord({ topic: 'x', valueSchema: s, value: new Struct(s).put('id', 'a') }),
    ]);
    expect((r.value as Struct).get('id')).toBe('a');
    expect(headers(r)).toHaveLength(4);
  });

  it('shares its context headers between records, so the worker converts them once, not per record', () => {
    const layout = new WireLayout('3.5', 'mariadb', 'p', true, new Set());
    const [a, b] = layout.apply([record('p.d.t'), record('p.d.t')]);
    expect([...b.headers]).toEqual([...a.headers]);
    [...a.headers].forEach((h, i) => expect([...b.headers][i]).toBe(h));

    let conversions = 0;
    const converter = new SimpleHeaderConverter();
    const counting = Object.assign(Object.create(converter) as SimpleHeaderConverter, {
      fromConnectHeader: (topic: string, key: string, schema: Schema | null, value: unknown) => {
        conversions++;
        return converter.fromConnectHeader(topic, key, schema, value);
      },
    });
    const processor = new SourceRecordProcessor(
      TransformationChain.empty<SourceRecord>(),
      new StringConverter(),
      new StringConverter(),
      counting,
      new ToleranceOperator(
        { retryTimeoutMs: 0, retryDelayMaxMs: 60_000, tolerateAll: false, logErrors: false, logMessages: false },
        silentLogger,
        new TaskErrorCounters(),
      ),
    );
    const plain = (r: SourceRecord) => r.newRecord({ valueSchema: null, value: 'v' });
    const first = processor.processSync(plain(a))!;
    const second = processor.processSync(plain(b))!;
    expect(second.headers).toBe(first.headers);
    expect(conversions).toBe(4);
  });
});

describe('END data_collections order', () => {
  // Expected orders printed by java.util.HashMap.keySet() on JDK 17 for the same insertions.
  it.each([
    [['db.orders', 'db.lines_nopk', 'db.pair_key'], 'db.pair_key,db.orders,db.lines_nopk'],
    [
      [
        's.t1',
        's.t2',
        's.t3',
        's.t4',
        's.t5',
        's.t6',
        's.t7',
        's.t8',
        's.t9',
        's.t10',
        's.t11',
        's.t12',
        's.t13',
        's.t14',
      ],
      's.t6,s.t5,s.t8,s.t7,s.t2,s.t1,s.t4,s.t3,s.t13,s.t12,s.t11,s.t10,s.t9,s.t14',
    ],
    [
      ['inventory.customers', 'inventory.orders', 'inventory.products', 'inventory.addresses', 'ü.表'],
      'ü.表,inventory.customers,inventory.addresses,inventory.orders,inventory.products',
    ],
  ])("%j iterates as Java's HashMap", (keys, expected) => {
    expect(
      javaHashMapOrder(keys.map((k) => [k, 1] as [string, number]))
        .map(([k]) => k)
        .join(','),
    ).toBe(expected);
  });
});
