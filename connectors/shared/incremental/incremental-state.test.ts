import { describe, expect, it } from 'vitest';
import { stateFromOffset, stateOffset } from './incremental-state.ts';

describe('incremental snapshot offsets', () => {
  it("writes Debezium's keys and reads them back", () => {
    const state = {
      collections: [
        { id: 'inv.orders', condition: 'id > 5' },
        { id: 'inv.items', condition: null },
      ],
      lastKey: ['17', 'a'],
      maxKey: ['99', 'z'],
      correlationId: 'ad-hoc-1',
    };
    const o = stateOffset(state);
    expect(o).toEqual({
      incremental_snapshot_primary_key: '["17","a"]',
      incremental_snapshot_maximum_key: '["99","z"]',
      incremental_snapshot_collections:
        '[{"incremental_snapshot_collections_id":"inv.orders","incremental_snapshot_collections_additional_condition":"id > 5","incremental_snapshot_collections_surrogate_key":null},' +
        '{"incremental_snapshot_collections_id":"inv.items","incremental_snapshot_collections_additional_condition":null,"incremental_snapshot_collections_surrogate_key":null}]',
      incremental_snapshot_correlation_id: 'ad-hoc-1',
    });
    expect(stateFromOffset({ file: 'f', pos: 4, ...o })).toEqual({ state, foreignKeys: false });
    expect(stateOffset(state, ['18', 'b']).incremental_snapshot_primary_key).toBe('["18","b"]');
  });

  it('keeps a surrogate-key column in the collections entry', () => {
    const state = {
      collections: [{ id: 'inv.log', condition: null, surrogateKey: 'seq' }],
      lastKey: ['3'],
      maxKey: ['9'],
      correlationId: 'x',
    };
    const o = stateOffset(state);
    expect(JSON.parse(o.incremental_snapshot_collections as string)).toEqual([
      {
        incremental_snapshot_collections_id: 'inv.log',
        incremental_snapshot_collections_additional_condition: null,
        incremental_snapshot_collections_surrogate_key: 'seq',
      },
    ]);
    expect(stateFromOffset(o)?.state).toEqual(state);
  });

  it("has no state without collections, and restarts the table on keys in Debezium's serialized form", () => {
    expect(stateFromOffset({ file: 'f', pos: 4 })).toBeNull();
    expect(stateFromOffset({ incremental_snapshot_collections: '[]' })).toBeNull();
    const debezium = stateFromOffset({
      incremental_snapshot_collections:
        '[{"incremental_snapshot_collections_id":"inv.orders","incremental_snapshot_collections_additional_condition":"","incremental_snapshot_collections_surrogate_key":""}]',
      incremental_snapshot_primary_key:
        'aced0005757200135b4c6a6176612e6c616e672e4f626a6563743b90ce589f1073296c020000787000000001',
      incremental_snapshot_maximum_key: 'aced0005',
    });
    expect(debezium).toEqual({
      state: { collections: [{ id: 'inv.orders', condition: null }], lastKey: null, maxKey: null, correlationId: null },
      foreignKeys: true,
    });
  });
});
