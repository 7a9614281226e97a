/** Reads every JSON-lines object of a topic partition back and checks the bucket holds the topic exactly once. */
import { createHash } from 'node:crypto';
import { getObject, jsonLines, listKeys } from './helpers.ts';

export interface BucketContents {
  objects: number;
  ids: number[];
  /** Offsets covered by the objects, in key order: [start, start + records). */
  ranges: Array<[number, number]>;
}

export async function readPartition(bucket: string, prefix: string): Promise<BucketContents> {
  const keys = (await listKeys(bucket, prefix)).filter((k) => /\+\d+\.json$/.test(k));
  keys.sort((a, b) => Number(/\+(\d+)\.json$/.exec(a)![1]) - Number(/\+(\d+)\.json$/.exec(b)![1]));
  const ids: number[] = [];
  const ranges: Array<[number, number]> = [];
  for (const k of keys) {
    const start = Number(/\+(\d+)\.json$/.exec(k)![1]);
    const rows = jsonLines(await getObject(bucket, k)) as Array<{ id: number }>;
    ranges.push([start, start + rows.length]);
    ids.push(...rows.map((r) => r.id));
  }
  return { objects: keys.length, ids, ranges };
}

export const idsChecksum = (ids: number[]): string => createHash('sha256').update(ids.join(',')).digest('hex');

/** Whether the objects cover offsets 0..n-1 back to back, no gap and no overlap. */
export function contiguous(ranges: Array<[number, number]>, n: number): boolean {
  let next = 0;
  for (const [a, b] of ranges) {
    if (a !== next) return false;
    next = b;
  }
  return next === n;
}
