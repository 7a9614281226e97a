/** Per-table snapshot progress (rows scanned, row estimates, tables done) reported as a SnapshotProgress. */
import type { SnapshotProgress } from './snapshot-progress.ts';

interface TableEntry {
  table: string;
  rowsScanned: number;
  rowsEstimated: number | null;
  estimated: boolean;
  done: boolean;
}

export class TableProgress {
  private tables = new Map<string, TableEntry>();
  started = false;

  /** Starts a new run over `tables` (forgetting the previous run). */
  start(tables: readonly string[]): void {
    this.tables = new Map();
    this.started = true;
    this.add(tables);
  }

  add(tables: readonly string[]): void {
    for (const t of tables)
      if (!this.tables.has(t))
        this.tables.set(t, { table: t, rowsScanned: 0, rowsEstimated: null, estimated: false, done: false });
  }

  remove(tables: readonly string[]): void {
    for (const t of tables) if (!this.tables.get(t)?.done) this.tables.delete(t);
  }

  /** Tables whose row estimate was not read yet. */
  withoutEstimate(): string[] {
    return [...this.tables.values()].filter((e) => !e.estimated).map((e) => e.table);
  }

  estimate(table: string, rows: number | null): void {
    const e = this.tables.get(table);
    if (e) {
      e.rowsEstimated = rows;
      e.estimated = true;
    }
  }

  scanned(table: string, rows: number): void {
    const e = this.tables.get(table);
    if (e) e.rowsScanned += rows;
  }

  done(table: string): void {
    const e = this.tables.get(table);
    if (e) e.done = true;
  }

  finish(): void {
    for (const e of this.tables.values()) e.done = true;
  }

  snapshot(phase: SnapshotProgress['phase'], currentTable: string | null = null): SnapshotProgress {
    const tables = [...this.tables.values()].map((e) => ({
      table: e.table,
      rowsScanned: e.rowsScanned,
      rowsEstimated: e.rowsEstimated,
      done: e.done,
    }));
    const estimates = tables.map((t) => t.rowsEstimated);
    return {
      phase,
      tablesTotal: tables.length,
      tablesDone: tables.filter((t) => t.done).length,
      rowsScanned: tables.reduce((n, t) => n + t.rowsScanned, 0),
      rowsEstimated: estimates.some((n) => n !== null) ? estimates.reduce<number>((a, b) => a + (b ?? 0), 0) : null,
      currentTable,
      tables,
    };
  }
}
