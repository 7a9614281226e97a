/**
 * The progress of an incremental snapshot as it is kept in the source offsets, under Debezium's
 * keys (AbstractIncrementalSnapshotContext): `incremental_snapshot_collections` in Debezium's JSON
 * (`[{"incremental_snapshot_collections_id": "db.table", "…_additional_condition": …,
 * "…_surrogate_key": the column or null}]`, the current table first), `incremental_snapshot_correlation_id`,
 * and the last key emitted / the table's largest key. Debezium writes the two keys as hex of a
 * Java-serialized Object[]; Tributary writes a JSON array of the key columns' text values (hex for
 * binary columns). A key in Debezium's form is not read back: that table restarts from its start.
 */
import type { SourceOffset } from '../../../sdk/data.ts';

export const COLLECTIONS_KEY = 'incremental_snapshot_collections';
export const PRIMARY_KEY_KEY = 'incremental_snapshot_primary_key';
export const MAXIMUM_KEY_KEY = 'incremental_snapshot_maximum_key';
export const CORRELATION_ID_KEY = 'incremental_snapshot_correlation_id';

const ID = 'incremental_snapshot_collections_id';
const CONDITION = 'incremental_snapshot_collections_additional_condition';
const SURROGATE = 'incremental_snapshot_collections_surrogate_key';

export interface SnapshotCollection {
  /** `<db>.<table>` (MySQL) or `<schema>.<table>` (PostgreSQL). */
  id: string;
  /** The additional condition (SQL boolean expression), or null. */
  condition: string | null;
  /** The column chunks are read in order by instead of the key (the signal's surrogate-key); absent: the key. */
  surrogateKey?: string;
}

export interface IncrementalState {
  /** Tables still to snapshot, the current one first. */
  collections: SnapshotCollection[];
  /** Text values of the last key read of the current table, null before its first chunk. */
  lastKey: string[] | null;
  /** Text values of the current table's largest key when it was started. */
  maxKey: string[] | null;
  correlationId: string | null;
}

export function collectionsJson(collections: readonly SnapshotCollection[]): string {
  return JSON.stringify(
    collections.map((c) => ({ [ID]: c.id, [CONDITION]: c.condition, [SURROGATE]: c.surrogateKey ?? null })),
  );
}

/** Offset entries of a running snapshot; `lastKey` overrides the state's (per emitted row). */
export function stateOffset(state: IncrementalState, lastKey: string[] | null = state.lastKey): SourceOffset {
  return {
    [PRIMARY_KEY_KEY]: lastKey === null ? null : JSON.stringify(lastKey),
    [MAXIMUM_KEY_KEY]: state.maxKey === null ? null : JSON.stringify(state.maxKey),
    [COLLECTIONS_KEY]: collectionsJson(state.collections),
    [CORRELATION_ID_KEY]: state.correlationId,
  };
}

function keyOf(v: unknown): string[] | null | 'foreign' {
  if (typeof v !== 'string') return null;
  if (!v.startsWith('[')) return 'foreign';
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) && a.every((x) => typeof x === 'string') ? (a as string[]) : 'foreign';
  } catch {
    return 'foreign';
  }
}

/** The snapshot state stored in an offset, null when none runs. `foreignKeys` tells a key was in a form Tributary does not read. */
export function stateFromOffset(o: SourceOffset): { state: IncrementalState; foreignKeys: boolean } | null {
  const raw = o[COLLECTIONS_KEY];
  if (typeof raw !== 'string' || raw === '') return null;
  let list: Array<Record<string, unknown> | string>;
  try {
    list = JSON.parse(raw) as Array<Record<string, unknown> | string>;
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const collections = list
    // Plain names: the form Tributary's PostgreSQL connector wrote before it shared this module.
    .map((x): Record<string, unknown> => (typeof x === 'string' ? { [ID]: x } : x))
    .filter((x) => typeof x?.[ID] === 'string')
    .map((x) => ({
      id: x[ID] as string,
      condition: typeof x[CONDITION] === 'string' && x[CONDITION] !== '' ? (x[CONDITION] as string) : null,
      ...(typeof x[SURROGATE] === 'string' && x[SURROGATE] !== '' ? { surrogateKey: x[SURROGATE] as string } : {}),
    }));
  if (collections.length === 0) return null;
  const last = keyOf(o[PRIMARY_KEY_KEY]);
  const max = keyOf(o[MAXIMUM_KEY_KEY]);
  const foreignKeys = last === 'foreign' || max === 'foreign';
  return {
    state: {
      collections,
      lastKey: foreignKeys ? null : (last as string[] | null),
      maxKey: foreignKeys ? null : (max as string[] | null),
      correlationId: typeof o[CORRELATION_ID_KEY] === 'string' ? (o[CORRELATION_ID_KEY] as string) : null,
    },
    foreignKeys,
  };
}
