/**
 * The schema history: one record per DDL (and one per table at snapshot time) with the binlog
 * position it became effective at, so a restart rebuilds the table structures that were current
 * at the stored offset. The file form is Debezium's FileSchemaHistory: one HistoryRecord JSON
 * document per line, appended and fsynced before the position it describes is committed. The Kafka
 * form (KafkaSchemaHistory) is in kafka-schema-history.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConnectException } from '../../../sdk/errors.ts';
import { type JsonTableChange, parseTableIdText, tableFromJson } from './table-changes.ts';
import { type TableDefinition, tableKey } from './table-definition.ts';

export interface HistoryPosition {
  file: string;
  pos: number;
  gtids?: string;
  snapshot?: boolean | string;
  ts_sec?: number;
  server_id?: number;
}

export interface HistoryRecord {
  source: { server: string };
  position: HistoryPosition;
  ts_ms: number;
  databaseName: string;
  schemaName?: string | null;
  ddl: string;
  tableChanges: JsonTableChange[];
}

export interface SchemaHistory {
  /** Opens the store and loads its records (the Kafka store reads its topic to the end). */
  start(): Promise<void>;
  /** True when the store holds at least one record. */
  exists(): boolean;
  /** Stores a record durably before resolving. */
  append(record: HistoryRecord): Promise<void>;
  records(): HistoryRecord[];
  /** Drops every record (a new initial snapshot starts a new history). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Compares binlog coordinates: file sequence number first, then position. */
export function compareBinlogPositions(a: { file: string; pos: number }, b: { file: string; pos: number }): number {
  const na = binlogSequence(a.file);
  const nb = binlogSequence(b.file);
  if (na !== nb) return na < nb ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.pos - b.pos;
}

function binlogSequence(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  return m ? Number(m[1]) : -1;
}

export class FileSchemaHistory implements SchemaHistory {
  constructor(readonly filename: string) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  exists(): boolean {
    try {
      return fs.statSync(this.filename).size > 0;
    } catch {
      return false;
    }
  }

  async append(record: HistoryRecord): Promise<void> {
    fs.mkdirSync(path.dirname(this.filename), { recursive: true });
    const fd = fs.openSync(this.filename, 'a');
    try {
      fs.writeSync(fd, JSON.stringify(record) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  async reset(): Promise<void> {
    if (this.exists()) fs.truncateSync(this.filename, 0);
  }

  records(): HistoryRecord[] {
    if (!this.exists()) return [];
    const text = fs.readFileSync(this.filename, 'utf8');
    const out: HistoryRecord[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as HistoryRecord);
      } catch (err) {
        // A torn last line (crash during append) is dropped; anything else is corruption.
        if (i >= lines.length - 2) break;
        throw new ConnectException(
          `Schema history ${this.filename} line ${i + 1} is not valid JSON (${(err as Error).message}); restore the file or re-snapshot with snapshot.mode=when_needed after deleting it and the offsets`,
        );
      }
    }
    return out;
  }
}

export class MemorySchemaHistory implements SchemaHistory {
  private readonly list: HistoryRecord[] = [];
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  exists(): boolean {
    return this.list.length > 0;
  }
  async append(record: HistoryRecord): Promise<void> {
    this.list.push(JSON.parse(JSON.stringify(record)) as HistoryRecord);
  }
  records(): HistoryRecord[] {
    return this.list;
  }
  async reset(): Promise<void> {
    this.list.length = 0;
  }
}

/** Replays records up to (and including) `upTo` and returns the table structures then current. */
export function recoverTables(
  history: SchemaHistory,
  upTo: { file: string; pos: number } | null,
  onRecovered?: () => void,
): Map<string, TableDefinition> {
  const tables = new Map<string, TableDefinition>();
  for (const rec of history.records()) {
    if (upTo && compareBinlogPositions(rec.position, upTo) > 0) continue;
    applyRecord(tables, rec);
    onRecovered?.();
  }
  return tables;
}

export function applyRecord(tables: Map<string, TableDefinition>, rec: HistoryRecord): void {
  for (const ch of rec.tableChanges) {
    const id = parseTableIdText(ch.id);
    if (ch.previousId) {
      const prev = parseTableIdText(ch.previousId);
      tables.delete(tableKey(prev.database, prev.table));
    }
    if (ch.type === 'DROP') tables.delete(tableKey(id.database, id.table));
    else if (ch.table)
      tables.set(tableKey(id.database, id.table), tableFromJson(id.database, id.table, ch.table, ch.comment));
  }
}
