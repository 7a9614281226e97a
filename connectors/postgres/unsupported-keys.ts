/** Debezium PostgreSQL keys Tributary accepts only at their "feature off" values, or refuses. */
import { ConfigException } from '../../sdk/errors.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';

/** Pattern keys (column.mask.*, column.truncate.*, …) that Debezium accepts and Tributary does not implement yet. */
const UNSUPPORTED_KEY_PATTERNS: Array<[RegExp, string]> = [
  [/^column\.propagate\.source\.type$/, 'source type propagation is not supported yet'],
  [/^datatype\.propagate\.source\.type$/, 'source type propagation is not supported yet'],
  [/^converters$/, 'custom converters are not supported'],
  [/^snapshot\.select\.statement\.overrides/, 'snapshot select overrides are not supported yet'],
];

/** Debezium keys accepted only at the values that mean "feature off" (anything else is not implemented). */
const ONLY_VALUES: Array<[string, string[], string]> = [
  ['database.initial.statements', [''], 'initial statements are not supported'],
  [
    'database.sslfactory',
    [''],
    'custom SSL socket factories are not supported; database.sslmode=require skips certificate checks, verify-ca/verify-full check against database.sslrootcert',
  ],
  [
    'snapshot.include.collection.list',
    [''],
    'use table.include.list; a separate snapshot collection list is not supported',
  ],
  ['snapshot.max.threads', ['1'], 'snapshots run on one thread'],
  ['snapshot.delay.ms', ['0'], 'snapshot delays are not supported'],
  ['slot.stream.params', [''], 'extra pgoutput parameters are not supported'],
  ['slot.failover', ['false'], 'failover slots are not supported'],
  ['include.schema.comments', ['false'], 'column comments in schemas are not supported'],
  ['notification.enabled.channels', [''], 'notifications are not supported'],
  ['offset.mismatch.strategy', ['no_validation'], 'only no_validation is supported'],
  [
    'schema.refresh.mode',
    ['columns_diff', 'columns_diff_exclude_unchanged_toast'],
    'must be columns_diff or columns_diff_exclude_unchanged_toast (both behave the same here: schemas follow Relation messages)',
  ],
];

export function rejectUnsupportedKeys(props: Record<string, string>): void {
  new ColumnMappers(props); // validates column.mask.* / column.truncate.* keys
  for (const [key, allowed, why] of ONLY_VALUES) {
    const v = props[key];
    if (v !== undefined && !allowed.includes(v.trim().toLowerCase()))
      throw new ConfigException(`Configuration ${key}=${v} is not supported: ${why}.`, { key });
  }
  for (const key of Object.keys(props)) {
    for (const [re, why] of UNSUPPORTED_KEY_PATTERNS) {
      if (re.test(key) && props[key] !== '')
        throw new ConfigException(`Configuration ${key}=${props[key]} is not supported: ${why}. Remove the key.`, {
          key,
        });
    }
  }
}
