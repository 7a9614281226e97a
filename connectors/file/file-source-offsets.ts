/**
 * FileStreamSourceConnector.alterOffsets, as Kafka Connect's: offsets need the file to be
 * configured (stdin has none); an offset is null (a reset, allowed for any partition so stale
 * entries can be cleaned up) or `{"position": <non-negative byte position>}`. Tributary also
 * refuses an offset for a partition other than `{"filename": <file>}`, which would never be read.
 */
import type { SourceOffset, SourcePartition } from '../../sdk/data.ts';
import { OffsetFields } from '../../sdk/internal/worker-support.ts';

export function alterFileSourceOffsets(
  props: Record<string, string>,
  offsets: Map<SourcePartition, SourceOffset | null>,
): boolean {
  const file = props.file;
  if (!file)
    throw new Error(
      "Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.",
    );
  for (const [partition, offset] of offsets) {
    if (offset === null) continue;
    if (!('filename' in partition))
      throw new Error(`Partition objects should contain the key 'filename', e.g. {"filename":${JSON.stringify(file)}}`);
    OffsetFields.knownPartition(partition, { filename: file }, "the configured 'file'");
    if (!('position' in offset))
      throw new Error(`Offset objects should either be null or contain the key 'position', e.g. {"position":0}`);
    OffsetFields.nonNegativeInteger(offset, 'position', 'the byte position in the file after the last line read');
  }
  return true;
}
