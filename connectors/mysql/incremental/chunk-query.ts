/**
 * SQL of an incremental snapshot chunk: the rows after the last key read, up to the table's
 * largest key when the table was started, in primary-key order, with the signal's additional
 * condition. Keys travel between chunks (and through the offsets) as text, one string per key
 * column (hex for binary columns); they go back into the SQL as literals of the column's type so
 * that comparisons use the same order as ORDER BY (collation for strings, numeric for numbers,
 * definition order for ENUM/SET).
 */
import mysql from 'mysql2';
import type { ColumnDefinition, TableDefinition } from '../schema/table-definition.ts';

export const ident = (s: string): string => `\`${s.replace(/`/g, '``')}\``;
export const tableIdent = (t: Pick<TableDefinition, 'database' | 'name'>): string =>
  `${ident(t.database)}.${ident(t.name)}`;

const NUMERIC = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
  'year',
]);
const BINARY = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit']);

const isBinary = (c: ColumnDefinition): boolean =>
  BINARY.has(c.dataType) || (c.charset === 'binary' && !NUMERIC.has(c.dataType));

/**
 * The columns chunks are read in order by: the primary key in key order, or the signal's
 * surrogate-key column (empty when the table has no such column; names compare case-insensitively).
 */
export function keyColumns(t: TableDefinition, surrogateKey: string | null = null): ColumnDefinition[] {
  if (surrogateKey !== null) return t.columns.filter((c) => c.name.toLowerCase() === surrogateKey.toLowerCase());
  return t.primaryKey.map((k) => {
    const c = t.columns.find((col) => col.name === k);
    if (!c) throw new Error(`Primary key column ${k} of ${t.database}.${t.name} is not among its columns`);
    return c;
  });
}

/** The text form of a key value as the snapshot connection returns it (a Buffer per column). */
export function keyText(c: ColumnDefinition, raw: Buffer): string {
  return isBinary(c) ? raw.toString('hex') : raw.toString('utf8');
}

/** The key column as it is compared: ENUM and SET compare by their numeric value, like ORDER BY. */
function keyExpr(c: ColumnDefinition): string {
  return c.dataType === 'enum' || c.dataType === 'set' ? `(${ident(c.name)} + 0)` : ident(c.name);
}

/** A literal for a key value in text form, typed so that it compares like the column sorts. */
export function keyLiteral(c: ColumnDefinition, text: string): string {
  if (NUMERIC.has(c.dataType)) {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
      throw new Error(`Key value ${JSON.stringify(text)} of ${c.name} is not a number`);
    return text;
  }
  if (isBinary(c)) {
    if (!/^([0-9a-f]{2})*$/i.test(text)) throw new Error(`Key value ${JSON.stringify(text)} of ${c.name} is not hex`);
    return `X'${text}'`;
  }
  if (c.dataType === 'enum') {
    const i = c.enumValues.indexOf(text);
    return String(i + 1);
  }
  if (c.dataType === 'set') {
    let mask = 0n;
    for (const member of text === '' ? [] : text.split(',')) {
      const i = c.enumValues.indexOf(member);
      if (i >= 0) mask |= 1n << BigInt(i);
    }
    return mask.toString();
  }
  return mysql.escape(text);
}

/** `key > values` in the lexicographic order of the key columns. */
export function keyGreaterThan(cols: ColumnDefinition[], values: readonly string[]): string {
  if (values.length !== cols.length) throw new Error(`Key has ${values.length} values for ${cols.length} key columns`);
  const terms: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const eq = cols.slice(0, i).map((c, j) => `${keyExpr(c)} = ${keyLiteral(c, values[j])}`);
    terms.push(`(${[...eq, `${keyExpr(cols[i])} > ${keyLiteral(cols[i], values[i])}`].join(' AND ')})`);
  }
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
}

export interface ChunkBounds {
  /** The last key already read (exclusive lower bound), null for the first chunk. */
  after: readonly string[] | null;
  /** The largest key when the table was started (inclusive upper bound). */
  upTo: readonly string[];
  /** The signal's additional condition (an SQL boolean expression), or null. */
  condition: string | null;
  /** The signal's surrogate-key column, or null (the primary key). */
  surrogateKey?: string | null;
  limit: number;
}

/** SELECT of the next chunk, the table's columns in definition order. */
export function chunkQuery(t: TableDefinition, b: ChunkBounds): string {
  const cols = keyColumns(t, b.surrogateKey ?? null);
  const where: string[] = [];
  if (b.after) where.push(keyGreaterThan(cols, b.after));
  where.push(`NOT ${keyGreaterThan(cols, b.upTo)}`);
  if (b.condition) where.push(`(${b.condition})`);
  const select = t.columns.map((c) => ident(c.name)).join(', ');
  return `SELECT ${select} FROM ${tableIdent(t)} WHERE ${where.join(' AND ')} ORDER BY ${cols.map(keyExpr).join(', ')} LIMIT ${b.limit}`;
}

/** SELECT of the largest key (within the additional condition), which bounds the table's snapshot. */
export function maxKeyQuery(t: TableDefinition, condition: string | null, surrogateKey: string | null = null): string {
  const cols = keyColumns(t, surrogateKey);
  return `SELECT ${cols.map((c) => ident(c.name)).join(', ')} FROM ${tableIdent(t)}${condition ? ` WHERE (${condition})` : ''} ORDER BY ${cols.map((c) => `${keyExpr(c)} DESC`).join(', ')} LIMIT 1`;
}
