/** Debezium's database/table/column include and exclude lists (anchored, case-insensitive regexes). */
import type { MysqlSourceSettings } from './config.ts';

const SYSTEM_DATABASES = new Set(['mysql', 'sys', 'performance_schema', 'information_schema']);

export class Filters {
  constructor(
    private readonly s: Pick<
      MysqlSourceSettings,
      'databaseInclude' | 'databaseExclude' | 'tableInclude' | 'tableExclude' | 'columnInclude' | 'columnExclude'
    >,
  ) {}

  databaseIncluded(db: string): boolean {
    if (SYSTEM_DATABASES.has(db.toLowerCase())) return false;
    if (this.s.databaseInclude) return this.s.databaseInclude.some((r) => r.test(db));
    if (this.s.databaseExclude) return !this.s.databaseExclude.some((r) => r.test(db));
    return true;
  }

  tableIncluded(db: string, table: string): boolean {
    if (!this.databaseIncluded(db)) return false;
    const id = `${db}.${table}`;
    if (this.s.tableInclude) return this.s.tableInclude.some((r) => r.test(id));
    if (this.s.tableExclude) return !this.s.tableExclude.some((r) => r.test(id));
    return true;
  }

  columnIncluded(db: string, table: string, column: string): boolean {
    const id = `${db}.${table}.${column}`;
    if (this.s.columnInclude) return this.s.columnInclude.some((r) => r.test(id));
    if (this.s.columnExclude) return !this.s.columnExclude.some((r) => r.test(id));
    return true;
  }
}
