import type { ConfigDef } from '../config/config-def.ts';
import type { ConnectRecord } from '../data/records.ts';

/** A source or a sink record. */
export type AnyRecord = ConnectRecord<any>;

/** A single message transform: returns the new record, or null to drop it. Must be synchronous and pure. */
export interface Transformation<R extends AnyRecord = AnyRecord> {
  configure(props: Record<string, string>): void;
  apply(record: R): R | null;
  config(): ConfigDef;
  close?(): void;
  version?(): string;
}

/** A condition on records that decides whether a transform applies (`transforms.<alias>.predicate`, negated with `negate`). */
export interface Predicate<R extends AnyRecord = AnyRecord> {
  configure(props: Record<string, string>): void;
  test(record: R): boolean;
  config(): ConfigDef;
  close?(): void;
  version?(): string;
}
