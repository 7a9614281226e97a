/** RecordIsTombstone (org.apache.kafka.connect.transforms.predicates.RecordIsTombstone): true when the record value is null. */
import { ConfigDef } from '../../sdk/config.ts';
import type { AnyRecord, Predicate } from '../../sdk/spi.ts';

export const RECORD_IS_TOMBSTONE_CONFIG = new ConfigDef();

export class RecordIsTombstone implements Predicate {
  config(): ConfigDef {
    return RECORD_IS_TOMBSTONE_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }
  configure(): void {}

  test(record: AnyRecord): boolean {
    return record.value === null || record.value === undefined;
  }

  toString(): string {
    return 'RecordIsTombstone{}';
  }
}
