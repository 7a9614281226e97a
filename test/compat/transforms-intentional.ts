/**
 * The transforms differential's intentional differences (docs/compatibility.md), each bound to the
 * cases that show it and to the exact shape of the difference, so a change on either side fails.
 */
import type { CaseResult } from './transforms-oracle.ts';

export interface Intentional { reason: string; matches(java: CaseResult, tributary: CaseResult): boolean }

const LOGICAL_WHOLE_CAST: Intentional = {
  reason: "Cast of a whole Connect Date/Time/Timestamp/Decimal value: Kafka keeps the logical name on the new type and its JsonConverter then refuses the record (the task fails); Tributary drops the name and the record converts",
  matches: (java, tributary) => !java.ok && /DataException: Invalid type for (Timestamp|Date|Time|Decimal)/.test(java.error) && tributary.ok,
};


const EXPAND_JSON: Intentional = {
  reason: 'table.expand.json.payload=true (outbox EventRouter) is refused at configuration with an error naming the key and the fix; Debezium expands the JSON string into a structure',
  matches: (java, tributary) => java.ok && !tributary.ok && /table\.expand\.json\.payload/.test(tributary.error),
};

/** Case id → the documented difference it shows. */
export const INTENTIONAL: Record<string, Intentional> = {
  'Cast Value timestamp before 1582 to string': LOGICAL_WHOLE_CAST,
  'EventRouter expand json payload': EXPAND_JSON,
  'EventRouter expand json with null field, ignore': EXPAND_JSON,
  'EventRouter expand json with null field, optional bytes': EXPAND_JSON,
  'EventRouter expand invalid json': EXPAND_JSON,
};
