/**
 * Column value mappers configured with Debezium's pattern keys: `column.mask.with.<N>.chars`,
 * `column.truncate.to.<N>.chars` and `column.mask.hash.v2.<algorithm>.with.salt.<salt>` (each a
 * list of regular expressions over `<schema>.<table>.<column>`). They apply to string values.
 * The v1 hash form hashes Java-serialized values, which cannot be reproduced, and is rejected.
 */
import { createHash, getHashes } from 'node:crypto';
import { ConfigException } from '../../runtime/errors.ts';

export type StringMapper = (value: string) => string;

interface Rule {
  patterns: RegExp[];
  mapper: (columnLength: number) => StringMapper;
}

const JAVA_TO_NODE_DIGEST: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-224': 'sha224', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', MD5: 'md5', 'SHA-512/224': 'sha512-224', 'SHA-512/256': 'sha512-256', 'SHA3-256': 'sha3-256', 'SHA3-512': 'sha3-512' };

const patternsOf = (value: string): RegExp[] => value.split(/\s*,\s*/).filter((p) => p !== '').map((p) => new RegExp(`^(?:${p})$`, 'i'));

export class ColumnMappers {
  private readonly rules: Rule[] = [];

  constructor(props: Record<string, string>) {
    for (const [key, value] of Object.entries(props)) {
      let m: RegExpExecArray | null;
      if ((m = /^column\.mask\.with\.(\d+)\.chars$/.exec(key))) {
        const mask = '*'.repeat(Number(m[1]));
        this.rules.push({ patterns: patternsOf(value), mapper: () => () => mask });
      } else if ((m = /^column\.truncate\.to\.(\d+)\.chars$/.exec(key))) {
        const n = Number(m[1]);
        this.rules.push({ patterns: patternsOf(value), mapper: () => (v) => (v.length > n ? v.slice(0, n) : v) });
      } else if ((m = /^column\.mask\.hash\.v2\.(.+)\.with\.salt\.(.*)$/.exec(key))) {
        const algorithm = JAVA_TO_NODE_DIGEST[m[1].toUpperCase()] ?? m[1].toLowerCase();
        if (!getHashes().includes(algorithm)) throw new ConfigException(`Configuration ${key}: unknown hash algorithm ${m[1]}; use e.g. SHA-256`, { key });
        const salt = m[2];
        this.rules.push({
          patterns: patternsOf(value),
          mapper: (length) => (v) => {
            const hex = createHash(algorithm).update(salt, 'utf8').update(v, 'utf8').digest('hex');
            return length > 0 && hex.length > length ? hex.slice(0, length) : hex;
          },
        });
      } else if (/^column\.mask\.hash\./.test(key)) {
        throw new ConfigException(`Configuration ${key} is not supported: the v1 hash form hashes Java-serialized values; use column.mask.hash.v2.<algorithm>.with.salt.<salt>`, { key });
      }
    }
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The mappers for a column, composed in configuration order; null when none matches. */
  forColumn(schema: string, table: string, column: string, length: number): StringMapper | null {
    const id = `${schema}.${table}.${column}`;
    const mappers = this.rules.filter((r) => r.patterns.some((p) => p.test(id))).map((r) => r.mapper(length));
    if (mappers.length === 0) return null;
    return (v) => mappers.reduce((acc, f) => f(acc), v);
  }
}
