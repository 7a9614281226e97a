/**
 * Shared pieces of the Kafka volume tests: the row count (TRIBUTARY_VOLUME_ROWS, default 200,000;
 * `npm run bench` or a user runs the full 1,000,000), how many records a topic holds, and the
 * figures each run prints.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '../../helpers/wait.ts';

export function volumeRows(): number {
  const raw = process.env.TRIBUTARY_VOLUME_ROWS;
  const n = raw === undefined || raw === '' ? 200_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`TRIBUTARY_VOLUME_ROWS=${raw}: give a positive whole number of rows, e.g. 1000000`);
  return n;
}

/** Generous time for `rows` records on a loaded 2-core machine: the tests assert outcomes, never speed. */
export function volumeTimeoutMs(rows: number): number {
  return 120_000 + rows * 3;
}

/** The sum of a topic's high watermarks (records plus transaction markers). */
export async function topicEnd(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function waitForTopicEnd(
  brokers: string[],
  topic: string,
  atLeast: number,
  timeoutMs: number,
): Promise<void> {
  await waitFor(async () => (await topicEnd(brokers, topic)) >= atLeast, {
    timeoutMs,
    intervalMs: 1000,
    what: `${atLeast} records in ${topic}`,
  });
}

/** Count, valuesDigest (see java-consumer.ts) and first line of a file's lines, read in chunks: a sink's file of many records exceeds what one buffer or string holds. */
export async function fileLinesDigest(file: string): Promise<{ count: number; digest: string; first: string }> {
  let sum = 0n;
  let count = 0;
  let first = '';
  let carry: Buffer = Buffer.alloc(0);
  const line = (b: Buffer) => {
    if (count === 0) first = b.toString();
    count++;
    sum = (sum + createHash('sha256').update(b).digest().readBigUInt64BE(0)) & 0xffffffffffffffffn;
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
    const buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let i = buf.indexOf(10); i >= 0; start = i + 1, i = buf.indexOf(10, start)) line(buf.subarray(start, i));
    carry = Buffer.from(buf.subarray(start));
  }
  if (carry.length > 0) line(carry);
  return { count, digest: sum.toString(16), first };
}

/** Deletes test topics from the shared broker (volume topics hold hundreds of MB each). */
export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const gone = topics.filter((t) => existing.has(t));
    if (gone.length > 0) await admin.deleteTopics({ topics: gone, timeout: 30_000 });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function countLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const buf = fs.readFileSync(file);
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Prints a run's figures (the report quotes them). */
export function report(what: string, records: number, ms: number): void {
  console.log(
    `[volume] ${what}: ${records} records in ${(ms / 1000).toFixed(1)} s = ${Math.round(records / (ms / 1000))} records/s`,
  );
}
