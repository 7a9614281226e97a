/**
 * Rows inserted into the signal table (`signal.data.collection`, columns id, type, data) as
 * Debezium's source signalling channel defines them, parsed into actions. Watermark rows written
 * by the incremental snapshot itself (`<chunk id>-open` / `<chunk id>-close`) are signals too.
 * Shared by the PostgreSQL and MySQL/MariaDB connectors; a malformed signal is rejected with the
 * reason (the task logs it and goes on), never half-applied.
 */
import { ConfigException } from '../../../sdk/errors.ts';
import { compileJavaRegex } from '../../../sdk/java-regex.ts';

export interface AdditionalCondition {
  /** Java regular expression matching whole `<db>.<table>` / `<schema>.<table>` names. */
  collection: CollectionPattern;
  filter: string;
}

/** A signal's collection pattern: Debezium compiles it with Pattern.compile and calls matches() (case-sensitive). */
export interface CollectionPattern {
  test(name: string): boolean;
}

export type SignalAction =
  | {
      kind: 'execute-snapshot';
      collections: string[];
      conditions: AdditionalCondition[];
      /** A column to read chunks in order by instead of the primary key (Debezium's surrogate-key). */
      surrogateKey: string | null;
    }
  | { kind: 'stop-snapshot'; collections: string[] | null }
  | { kind: 'pause-snapshot' }
  | { kind: 'resume-snapshot' }
  | { kind: 'window-open'; id: string }
  | { kind: 'window-close'; id: string }
  | { kind: 'log'; message: string };

/** A signal that cannot be carried out; the task logs it and goes on streaming. */
export class SignalRejected extends Error {}

const anchored = (p: string): CollectionPattern => {
  try {
    const compiled = compileJavaRegex(p, 'data-collections');
    return { test: (name) => compiled.matches(name) };
  } catch (err) {
    throw new SignalRejected(`"${p}" is not a regular expression (${(err as Error).message})`);
  }
};

function parseData(type: string, data: string | null): Record<string, unknown> {
  if (data === null || data.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch (err) {
    throw new SignalRejected(`${type} signal data is not JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SignalRejected(`${type} signal data must be a JSON object`);
  return v as Record<string, unknown>;
}

function stringList(type: string, key: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new SignalRejected(`${type} signal: "${key}" must be an array of strings`);
  return v as string[];
}

function snapshotKind(type: string, d: Record<string, unknown>): void {
  const kind = String(d.type ?? 'incremental').toLowerCase();
  if (kind !== 'incremental')
    throw new SignalRejected(
      `${type} signal: only "type":"incremental" snapshots are supported, not "${String(d.type)}"`,
    );
}

/** The action of one signal row; null for types that are not Debezium signals this connector knows. */
export function parseSignal(id: string, type: string, data: string | null): SignalAction | null {
  switch (type) {
    case 'execute-snapshot': {
      const d = parseData(type, data);
      snapshotKind(type, d);
      const surrogate = d['surrogate-key'];
      if (surrogate !== undefined && surrogate !== null && typeof surrogate !== 'string')
        throw new SignalRejected('execute-snapshot signal: "surrogate-key" must be a column name (a string)');
      const collections = stringList(type, 'data-collections', d['data-collections']);
      if (collections.length === 0) throw new SignalRejected('execute-snapshot signal: "data-collections" is empty');
      for (const c of collections) anchored(c);
      const conditions: AdditionalCondition[] = [];
      const list = d['additional-conditions'];
      if (list !== undefined && list !== null) {
        if (!Array.isArray(list))
          throw new SignalRejected(
            'execute-snapshot signal: "additional-conditions" must be an array of {"data-collection", "filter"}',
          );
        for (const c of list as Array<Record<string, unknown>>) {
          if (typeof c?.['data-collection'] !== 'string' || typeof c.filter !== 'string') {
            throw new SignalRejected(
              'execute-snapshot signal: each additional condition needs string "data-collection" and "filter"',
            );
          }
          conditions.push({ collection: anchored(c['data-collection']), filter: c.filter });
        }
      }
      // Before Debezium 2.3 one condition applied to every collection of the signal.
      if (typeof d['additional-condition'] === 'string' && d['additional-condition'] !== '')
        conditions.push({ collection: { test: () => true }, filter: d['additional-condition'] });
      return { kind: 'execute-snapshot', collections, conditions, surrogateKey: surrogate ? surrogate : null };
    }
    case 'stop-snapshot': {
      const d = parseData(type, data);
      snapshotKind(type, d);
      const list = d['data-collections'];
      const collections = list === undefined || list === null ? null : stringList(type, 'data-collections', list);
      for (const c of collections ?? []) anchored(c);
      return { kind: 'stop-snapshot', collections: collections && collections.length > 0 ? collections : null };
    }
    case 'pause-snapshot':
      return { kind: 'pause-snapshot' };
    case 'resume-snapshot':
      return { kind: 'resume-snapshot' };
    case 'snapshot-window-open':
      return { kind: 'window-open', id };
    case 'snapshot-window-close':
      return { kind: 'window-close', id };
    case 'log': {
      const d = parseData(type, data);
      return { kind: 'log', message: String(d.message ?? '') };
    }
    default:
      return null;
  }
}

/** The `data` of Debezium's watermark rows (SignalMetadata): timestamps as Java's Instant prints them. */
export function windowOpenData(openedAt: Date): string {
  return `{"openWindowTimestamp": "${openedAt.toISOString()}"}`;
}

export function windowCloseData(openedAt: Date, closedAt: Date): string {
  return `{"openWindowTimestamp": "${openedAt.toISOString()}", "closeWindowTimestamp": "${closedAt.toISOString()}"}`;
}

/** Whether a pattern list names a collection (anchored regexes, as in the signal). */
export const matchesAny = (patterns: readonly string[], name: string): boolean =>
  patterns.some((p) => anchored(p).test(name));

/**
 * Refuses an additional condition that could end the statement early (a `;` outside string
 * literals): it is spliced into the chunk and maximum-key queries as an SQL boolean expression.
 */
export function checkAdditionalCondition(condition: string): void {
  if (/;/.test(condition.replace(/'(?:[^'\\]|\\.|'')*'/g, "''")))
    throw new ConfigException(
      `additional-conditions filter ${JSON.stringify(condition)} must be a single SQL expression (no ';')`,
    );
}
