import type { EmbeddedLog } from '../../runtime/log/embedded-log.ts';
import type { LogRecord, TopicPartition } from '../../runtime/log/types.ts';

/** Every record of a partition of the embedded log, up to its end offset (one read stops at 16 MiB). */
export function readWholePartition(
  log: Pick<EmbeddedLog, 'read' | 'startOffset' | 'endOffset'>,
  tp: TopicPartition,
): LogRecord[] {
  const end = log.endOffset(tp);
  const all: LogRecord[] = [];
  for (let next = log.startOffset(tp); next < end;) {
    const chunk = log.read(tp, next);
    if (chunk.length === 0) break;
    for (const r of chunk) all.push(r);
    next = chunk[chunk.length - 1].offset + 1;
  }
  return all;
}
