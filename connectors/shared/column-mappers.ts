/**
 * Column value mappers configured with Debezium's pattern keys: `column.mask.with.<N>.chars`,
 * `column.truncate.to.<N>.chars` and `column.mask.hash.v2.<algorithm>.with.salt.<salt>` (each a
 * list of regular expressions over `<schema-or-database>.<table>.<column>`).
 * The v1 hash form hashes Java-serialized values, which cannot be reproduced, and is rejected.
 *
 * Patterns are Java regular expressions matched case-insensitively against the whole name, as
 * Debezium's Predicates.includes. `ruleFor` returns the one rule Debezium's ColumnMappers picks for
 * a column (the first match: truncation rules, then masks, then hashes, each in configuration
 * order); column-mapping.ts applies it to the column's schema and values.
 */
import { createHash, getHashes } from 'node:crypto';
import { ConfigException } from '../../sdk/errors.ts';
import { namePatterns, type NamePattern } from './name-patterns.ts';

export type StringMapper = (value: string) => string;

export type ColumnMapperKind = 'truncate' | 'mask' | 'hash';

/** One configured rule, as Debezium's MaskStrings / TruncateColumn. */
export interface ColumnMapperRule {
  readonly kind: ColumnMapperKind;
  /** The configuration key the rule comes from (for messages). */
  readonly key: string;
  /** truncate: the maximum length N. */
  readonly maxLength: number;
  /**
   * The value mapper for a column of declared length `length` (-1 when the type has none):
   * mask → the fixed mask, hash → hex digest cut to the length, truncate → first N characters.
   */
  stringMapper(length: number): StringMapper;
}

interface Rule extends ColumnMapperRule {
  patterns: NamePattern[];
  /** Debezium registers truncation, then masks, then hashes; within a kind, configuration order. */
  rank: number;
}

const KIND_RANK: Record<ColumnMapperKind, number> = { truncate: 0, mask: 1, hash: 2 };

const JAVA_TO_NODE_DIGEST: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  MD5: 'md5',
  'SHA-512/224': 'sha512-224',
  'SHA-512/256': 'sha512-256',
  'SHA3-256': 'sha3-256',
  'SHA3-512': 'sha3-512',
};

const patternsOf = (key: string, value: string): NamePattern[] => namePatterns([value], key);

/** Truncates a string to `n` UTF-16 code units, as Java's String.substring(0, n). */
export const truncateString = (v: string, n: number): string => (v.length > n ? v.slice(0, n) : v);

export class ColumnMappers {
  private readonly rules: Rule[] = [];

  constructor(props: Record<string, string>) {
    let order = 0;
    for (const [key, value] of Object.entries(props)) {
      let m: RegExpExecArray | null;
      if ((m = /^column\.mask\.with\.(\d+)\.chars$/.exec(key))) {
        const mask = '*'.repeat(Number(m[1]));
        this.rules.push({
          kind: 'mask',
          key,
          maxLength: 0,
          patterns: patternsOf(key, value),
          rank: order++,
          stringMapper: () => () => mask,
        });
      } else if ((m = /^column\.truncate\.to\.(\d+)\.chars$/.exec(key))) {
        const n = Number(m[1]);
        if (n <= 0)
          throw new ConfigException(
            `Configuration ${key}: the length must be positive (Debezium's TruncateColumn); use column.mask.with.0.chars for an empty value`,
            { key },
          );
        this.rules.push({
          kind: 'truncate',
          key,
          maxLength: n,
          patterns: patternsOf(key, value),
          rank: order++,
          stringMapper: () => (v) => truncateString(v, n),
        });
      } else if ((m = /^column\.mask\.hash\.v2\.([^.]+)\.with\.salt\.(.*)$/.exec(key))) {
        const algorithm = JAVA_TO_NODE_DIGEST[m[1].toUpperCase()] ?? m[1].toLowerCase();
        if (!getHashes().includes(algorithm))
          throw new ConfigException(`Configuration ${key}: unknown hash algorithm ${m[1]}; use e.g. SHA-256`, { key });
        const salt = m[2];
        this.rules.push({
          kind: 'hash',
          key,
          maxLength: 0,
          patterns: patternsOf(key, value),
          rank: order++,
          stringMapper: (length) => (v) => {
            const hex = createHash(algorithm).update(salt, 'utf8').update(v, 'utf8').digest('hex');
            return length > 0 && hex.length > length ? hex.slice(0, length) : hex;
          },
        });
      } else if (/^column\.mask\.hash\./.test(key)) {
        throw new ConfigException(
          `Configuration ${key} is not supported: the v1 hash form hashes Java-serialized values; use column.mask.hash.v2.<algorithm>.with.salt.<salt>`,
          { key },
        );
      }
    }
    this.rules.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.rank - b.rank);
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The rule Debezium applies to a column (the first that matches), or null. */
  ruleFor(schema: string, table: string, column: string): ColumnMapperRule | null {
    const id = `${schema}.${table}.${column}`;
    return this.rules.find((r) => r.patterns.some((p) => p.test(id))) ?? null;
  }
}
