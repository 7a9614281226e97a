/**
 * Debezium's `message.key.columns`: `<table>:<column>,<column>;<table>:<column>…`, where the table
 * part is a regular expression over the fully-qualified table name (`<db>.<table>` for MySQL,
 * `<schema>.<table>` for PostgreSQL) and each column part a regular expression over a column name
 * (both Java regexes matched whole and case-insensitively, as Debezium's Key.CustomKeyMapper). A matching table is keyed
 * by the columns the entry names, in the table's column order, instead of its primary key.
 */
import { ConfigException, DataException } from '../../sdk/errors.ts';
import { namePattern, type NamePattern } from './name-patterns.ts';

export const MESSAGE_KEY_COLUMNS = 'message.key.columns';

interface Entry {
  text: string;
  table: NamePattern;
  columns: Array<{ text: string; pattern: NamePattern }>;
}

/** Java regex, whole name, case-insensitive (Debezium's Predicates); errors name the key. */
const anchored = (key: string, text: string): NamePattern => namePattern(text, key);

export class MessageKeyColumns {
  private constructor(private readonly entries: Entry[]) {}

  /** Parses the setting; null when it is unset or empty. Throws a ConfigException naming the bad part. */
  static parse(value: string | null | undefined, key = MESSAGE_KEY_COLUMNS): MessageKeyColumns | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    const entries: Entry[] = [];
    for (const raw of value.split(';')) {
      const part = raw.trim();
      if (part === '') continue;
      const colon = part.lastIndexOf(':');
      const table = colon < 0 ? '' : part.slice(0, colon).trim();
      const columns =
        colon < 0
          ? []
          : part
              .slice(colon + 1)
              .split(',')
              .map((c) => c.trim())
              .filter((c) => c !== '');
      if (table === '' || columns.length === 0) {
        throw new ConfigException(
          `Invalid value ${value} for configuration ${key}: "${part}" is not <fully-qualified table>:<column>[,<column>…] (entries separated by ';', e.g. inventory.customers:pk1,pk2;(.*).purchaseorders:pk3)`,
          { key },
        );
      }
      entries.push({
        text: part,
        table: anchored(key, table),
        columns: columns.map((c) => ({ text: c, pattern: anchored(key, c) })),
      });
    }
    return entries.length ? new MessageKeyColumns(entries) : null;
  }

  /**
   * The key columns of table `tableId` (`<db>.<table>`), in table order, or null when no entry
   * names the table (the primary key applies). A column part matching no column is an error.
   */
  keyColumnsFor(tableId: string, columnNames: readonly string[]): string[] | null {
    const matching = this.entries.filter((e) => e.table.test(tableId));
    if (matching.length === 0) return null;
    const patterns: NamePattern[] = [];
    for (const e of matching) {
      for (const c of e.columns) {
        if (!columnNames.some((n) => c.pattern.test(n))) {
          throw new DataException(
            `${MESSAGE_KEY_COLUMNS} entry "${e.text}" names column ${c.text}, which table ${tableId} does not have (columns: ${columnNames.join(', ')}); fix the column name or narrow the table pattern`,
          );
        }
        patterns.push(c.pattern);
      }
    }
    return columnNames.filter((n) => patterns.some((p) => p.test(n)));
  }
}
