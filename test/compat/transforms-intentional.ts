/**
 * The transforms differential's intentional differences (docs/compatibility.md), each bound to the
 * cases that show it and to the exact shape of the difference, so a change on either side fails.
 */
import type { CaseResult } from './transforms-oracle.ts';

export interface Intentional {
  reason: string;
  matches(java: CaseResult, tributary: CaseResult): boolean;
}

const LOGICAL_WHOLE_CAST: Intentional = {
  reason:
    'Cast of a whole Connect Date/Time/Timestamp/Decimal value: Kafka keeps the logical name on the new type and its JsonConverter then refuses the record (the task fails); Tributary drops the name and the record converts',
  matches: (java, tributary) =>
    !java.ok && /DataException: Invalid type for (Timestamp|Date|Time|Decimal)/.test(java.error) && tributary.ok,
};

/** Case id → the documented difference it shows. */
export const INTENTIONAL: Record<string, Intentional> = {
  'Cast Value timestamp before 1582 to string': LOGICAL_WHOLE_CAST,
};
