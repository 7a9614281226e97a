/** Tombstones: after a delete, the same key with a null value so log compaction can drop the key. */
import type { SourceRecord } from '../../../sdk/data.ts';

export function tombstoneFor(deleteRecord: SourceRecord): SourceRecord {
  return deleteRecord.newRecord({ valueSchema: null, value: null });
}
