/**
 * Object names and the restart position. Names are Confluent's:
 * `<topics.dir>/<topic>/<encoded partition>/<topic><file.delim><partition><file.delim><start offset, zero-padded>.<ext>`.
 * The last object completed when a commit round finishes carries `x-amz-meta-tributary-next-offset`:
 * the offset after the round. On open() the task lists the partition's objects and takes the marker
 * of the newest object that has one, so records already in the bucket are never written again even
 * when the worker died before it committed the consumer offsets. An object of an unfinished round
 * has no marker: its round is written again, under the same names, replacing it.
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export const NEXT_OFFSET_METADATA = 'tributary-next-offset';
/** Newest objects whose metadata is read looking for a marker before the search gives up. */
export const MAX_HEADS = 1000;

export interface ObjectNaming {
  topicsDir: string;
  directoryDelim: string;
  fileDelim: string;
  offsetPadWidth: number;
  extension: string;
}

export function objectName(
  n: ObjectNaming,
  partitionPath: string,
  topic: string,
  kafkaPartition: number,
  startOffset: number,
): string {
  return `${partitionPath}${n.directoryDelim}${topic}${n.fileDelim}${kafkaPartition}${n.fileDelim}${String(startOffset).padStart(n.offsetPadWidth, '0')}${n.extension}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CommittedPosition {
  /** Offset to resume from, or null when no object of the partition carries a marker. */
  nextOffset: number | null;
  objects: number;
}

/** Lists the partition's objects under `<topics.dir>/<topic>/` and finds the newest marker. */
export async function findCommittedPosition(
  client: S3Client,
  bucket: string,
  n: ObjectNaming,
  topic: string,
  kafkaPartition: number,
): Promise<CommittedPosition> {
  const prefix = `${n.topicsDir}${n.directoryDelim}${topic}${n.directoryDelim}`;
  const name = new RegExp(
    `${escapeRe(n.directoryDelim)}${escapeRe(topic)}${escapeRe(n.fileDelim)}${kafkaPartition}${escapeRe(n.fileDelim)}(\\d+)${escapeRe(n.extension)}$`,
  );
  const found: Array<{ key: string; start: number }> = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      const m = o.Key ? name.exec(o.Key) : null;
      if (m) found.push({ key: o.Key!, start: Number(m[1]) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  found.sort((a, b) => b.start - a.start);
  for (const o of found.slice(0, MAX_HEADS)) {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key }));
    const marker = head.Metadata?.[NEXT_OFFSET_METADATA];
    if (marker !== undefined && /^\d+$/.test(marker)) return { nextOffset: Number(marker), objects: found.length };
  }
  return { nextOffset: null, objects: found.length };
}
