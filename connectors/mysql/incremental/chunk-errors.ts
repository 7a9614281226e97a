/** Helpers of the MySQL incremental snapshot's chunk reads: key identity and the server errors it tells apart. */
import type { Struct } from '../../../sdk/data.ts';

/** A stable text of a key struct's values, equal for the snapshot and the binlog image of a row. */
export function keyString(key: Struct): string {
  return key.schema.fields.map((f) => valueText(key.get(f.name))).join('\u0000');
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return `i${String(v)}`;
  if (v instanceof Uint8Array) return `x${Buffer.from(v).toString('hex')}`;
  if (v instanceof Date) return `d${v.getTime()}`;
  if (typeof v === 'object') {
    const s = String(v);
    return s === '[object Object]' ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x)) : s;
  }
  return `${typeof v}:${String(v)}`;
}

/** Unknown column / table: the server is ahead of the stream's table structures. */
export const isSchemaLag = (err: unknown): boolean => [1054, 1146].includes((err as { errno?: number }).errno ?? 0);

export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; fatal?: boolean };
  return (
    e?.fatal === true ||
    ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(e?.code ?? '') ||
    e?.errno === 2013 ||
    e?.errno === 2006
  );
}

export function isServerError(err: unknown): boolean {
  const e = err as { sqlState?: string; errno?: number; fatal?: boolean };
  return (
    typeof e?.sqlState === 'string' &&
    e.fatal !== true &&
    typeof e.errno === 'number' &&
    e.errno !== 2013 &&
    e.errno !== 2006
  );
}
