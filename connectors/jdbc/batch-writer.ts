/**
 * Writes one put() worth of changes: reduce to the last change per key (in order), make sure the
 * tables and columns exist (auto.create / auto.evolve, DDL outside the transaction), then apply
 * truncates, deletes and multi-row upserts in ONE transaction. The caller returns from put() only
 * after COMMIT, so the offsets the worker commits never cover uncommitted rows.
 */
import { ConnectException } from '../../sdk/errors.ts';
import type { JdbcSinkSettings } from './config.ts';
import type { Dialect, ExistingTable, RowBatch } from './dialect.ts';
import { RecordMappingError, type Change, type RowPlan, type TableRef } from './record-mapper.ts';
import { UnmappableTypeError, type ColumnSpec } from './type-mapping.ts';

interface TableWork {
  table: TableRef;
  truncate: boolean;
  /** Last change per key, in first-seen order of the key. */
  byKey: Map<string, Change & { op: 'upsert' | 'delete' }>;
  /** Rows of a table without key (pk.mode=none): every record is an insert. */
  unkeyed: Array<Change & { op: 'upsert' }>;
}

/** A map key for a row key; a one-column key of a string or number (nearly every table) skips JSON. */
function keyString(key: unknown[]): string {
  if (key.length === 1) {
    const v = key[0];
    if (typeof v === 'string') return 's' + v;
    if (typeof v === 'number') return 'n' + v;
  }
  return 'j' + keyJson(key);
}

const keyJson = (key: unknown[]): string =>
  JSON.stringify(key, (_k, v) =>
    typeof v === 'bigint'
      ? `${v}n`
      : v && typeof v === 'object' && v.type === 'Buffer'
        ? `b:${Buffer.from(v.data).toString('base64')}`
        : v,
  );

type WriteStep =
  | { kind: 'truncate'; table: TableRef }
  | { kind: 'delete'; table: TableRef; cols: ColumnSpec[]; keys: unknown[][] }
  | { kind: 'upsert'; batch: RowBatch };

export function reduceChanges(changes: Change[]): Map<string, TableWork> {
  const tables = new Map<string, TableWork>();
  for (const ch of changes) {
    let w = tables.get(ch.table.id);
    if (!w) tables.set(ch.table.id, (w = { table: ch.table, truncate: false, byKey: new Map(), unkeyed: [] }));
    if (ch.op === 'truncate') {
      // Everything before the truncate is gone after it.
      w.truncate = true;
      w.byKey.clear();
      w.unkeyed.length = 0;
    } else if (ch.key.length === 0) {
      if (ch.op === 'upsert') w.unkeyed.push(ch);
    } else {
      const k = keyString(ch.key);
      w.byKey.delete(k);
      w.byKey.set(k, ch);
    }
  }
  return tables;
}

export class BatchWriter {
  private readonly tables = new Map<string, ExistingTable | null>();
  private readonly checkedPlans = new WeakSet<RowPlan>();
  tablesCreated = 0;
  tablesAltered = 0;

  constructor(
    private readonly dialect: Dialect,
    private readonly settings: JdbcSinkSettings,
  ) {}

  /** Forget cached table metadata (after an error the DDL state may have changed). */
  reset(): void {
    this.tables.clear();
  }

  /** Checks every column of a plan has a type on this database; throws for the plan's first record. */
  checkPlan(change: Change): void {
    if (change.op === 'truncate' || this.checkedPlans.has(change.plan)) return;
    try {
      for (const c of change.plan.keyColumns) this.dialect.columnType(c, true);
      for (const c of change.plan.valueColumns) this.dialect.columnType(c, false);
    } catch (err) {
      if (err instanceof UnmappableTypeError) throw new RecordMappingError(change.record, err.message);
      throw err;
    }
    this.checkedPlans.add(change.plan);
  }

  async write(changes: Change[]): Promise<void> {
    const work = reduceChanges(changes);
    for (const w of work.values()) await this.prepareTable(w);
    const d = this.dialect;
    const steps = this.plan(work);
    // One statement is a transaction of its own: BEGIN and COMMIT would only add two round trips.
    const only = steps.length === 1 ? steps[0] : null;
    if (only?.kind === 'upsert' && d.isOneStatement?.(only.batch, this.settings.insertMode, this.settings)) {
      await d.write(only.batch, this.settings.insertMode, this.settings);
      return;
    }
    await d.begin();
    try {
      for (const step of steps) {
        if (step.kind === 'truncate') await d.truncate(step.table);
        else if (step.kind === 'delete') await d.deleteKeys(step.table, step.cols, step.keys, this.settings.batchSize);
        else await d.write(step.batch, this.settings.insertMode, this.settings);
      }
      await d.commit();
    } catch (err) {
      await d.rollback();
      throw err;
    }
  }

  /** The statements of a reduced batch, in order: per table its truncate, deletes, then upserts per layout. */
  private plan(work: Map<string, TableWork>): WriteStep[] {
    const steps: WriteStep[] = [];
    for (const w of work.values()) {
      const existing = this.tables.get(w.table.id);
      if (!existing) continue; // a delete/truncate for a table that does not exist: nothing to do
      if (w.truncate) steps.push({ kind: 'truncate', table: w.table });
      const deletes = new Map<string, { cols: ColumnSpec[]; keys: unknown[][] }>();
      const upserts = new Map<string, { plan: RowPlan; rows: unknown[][] }>();
      for (const ch of [...w.byKey.values(), ...w.unkeyed]) {
        if (ch.op === 'delete') {
          const id = JSON.stringify(ch.plan.keyColumns.map((c) => c.name));
          let g = deletes.get(id);
          if (!g) deletes.set(id, (g = { cols: ch.plan.keyColumns, keys: [] }));
          g.keys.push(ch.key);
        } else {
          let g = upserts.get(ch.plan.layout);
          if (!g) upserts.set(ch.plan.layout, (g = { plan: ch.plan, rows: [] }));
          g.rows.push(ch.key.length ? keyThenValues(ch.key, ch.values) : ch.values);
        }
      }
      for (const g of deletes.values()) steps.push({ kind: 'delete', table: w.table, cols: g.cols, keys: g.keys });
      for (const g of upserts.values())
        steps.push({
          kind: 'upsert',
          batch: { table: w.table, keyColumns: g.plan.keyColumns, valueColumns: g.plan.valueColumns, rows: g.rows },
        });
    }
    return steps;
  }

  private async prepareTable(w: TableWork): Promise<void> {
    const d = this.dialect;
    let existing = this.tables.get(w.table.id);
    if (existing === undefined) {
      existing = await d.describeTable(w.table);
      this.tables.set(w.table.id, existing);
    }
    const plans = new Map<string, RowPlan>();
    let firstRecord: Change['record'] | null = null;
    for (const ch of [...w.byKey.values(), ...w.unkeyed]) {
      if (ch.op !== 'upsert') continue;
      plans.set(ch.plan.layout, ch.plan);
      firstRecord ??= ch.record;
    }
    if (plans.size === 0) return;
    const all = [...plans.values()];
    if (!existing) {
      if (!this.settings.autoCreate) {
        throw new RecordMappingError(
          firstRecord!,
          `table ${d.qualified(w.table)} does not exist; create it or set auto.create=true (schema.evolution=basic)`,
        );
      }
      const keyCols = all[0].keyColumns;
      const valueCols = unionColumns(
        d,
        all.map((p) => p.valueColumns),
        new Set(keyCols.map((c) => c.name)),
      );
      await d.executeDdl(d.createTableSql(w.table, keyCols, valueCols));
      this.tablesCreated++;
      existing = await d.describeTable(w.table);
      this.tables.set(w.table.id, existing);
      if (!existing)
        throw new ConnectException(`Table ${d.qualified(w.table)} was created but cannot be found in the catalog`);
    }
    const missing: ColumnSpec[] = [];
    const seen = new Set<string>();
    for (const p of all) {
      for (const c of [...p.keyColumns, ...p.valueColumns]) {
        const n = d.normalize(c.name);
        if (existing.columns.has(n) || seen.has(n)) continue;
        seen.add(n);
        missing.push(c);
      }
    }
    if (!missing.length) return;
    if (!this.settings.autoEvolve) {
      throw new RecordMappingError(
        firstRecord!,
        `table ${d.qualified(w.table)} has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c.name}"`).join(', ')}; add ${missing.length > 1 ? 'them' : 'it'} or set auto.evolve=true (schema.evolution=basic)`,
      );
    }
    for (const sql of d.addColumnsSql(w.table, missing)) await d.executeDdl(sql);
    this.tablesAltered++;
    this.tables.set(w.table.id, await d.describeTable(w.table));
  }
}

function keyThenValues(key: unknown[], values: unknown[]): unknown[] {
  const k = key.length;
  const row = new Array<unknown>(k + values.length);
  for (let i = 0; i < k; i++) row[i] = key[i];
  for (let i = 0; i < values.length; i++) row[k + i] = values[i];
  return row;
}

/**
 * Every value column of the layouts; one that some layout lacks is created nullable unless a
 * DEFAULT fills it (Debezium's sink, creating the table from the first layout and adding the
 * others' columns, adds a required column with a default as NOT NULL).
 */
function unionColumns(dialect: Dialect, lists: ColumnSpec[][], exclude: Set<string>): ColumnSpec[] {
  const out = new Map<string, ColumnSpec>();
  const count = new Map<string, number>();
  for (const list of lists) {
    for (const c of list) {
      if (exclude.has(c.name)) continue;
      count.set(c.name, (count.get(c.name) ?? 0) + 1);
      if (!out.has(c.name)) out.set(c.name, c);
    }
  }
  return [...out.values()].map((c) =>
    count.get(c.name) === lists.length || dialect.columnDefault(c) !== null ? c : { ...c, optional: true },
  );
}
