/**
 * Shared pieces of the Kafka volume tests: the row count (TRIBUTARY_VOLUME_ROWS, default 200,000;
 * `npm run bench` or a user runs the full 1,000,000), how many records a topic holds, and the
 * figures each run prints.
 */
import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '../../helpers/wait.ts';

export function volumeRows(): number {
  const raw = process.env.TRIBUTARY_VOLUME_ROWS;
  const n = raw === undefined || raw === '' ? 200_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`TRIBUTARY_VOLUME_ROWS=${raw}: give a positive whole number of rows, e.g. 1000000`);
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

export async function waitForTopicEnd(brokers: string[], topic: string, atLeast: number, timeoutMs: number): Promise<void> {
  await waitFor(async () => (await topicEnd(brokers, topic)) >= atLeast, { timeoutMs, intervalMs: 1000, what: `${atLeast} records in ${topic}` });
}

/** The lines of a file (e.g. what FileStreamSink wrote) as buffers, without the trailing empty one: files of many records exceed a string's limit. */
export function fileLines(file: string): Buffer[] {
  if (!fs.existsSync(file)) return [];
  const buf = fs.readFileSync(file);
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(10); i >= 0; start = i + 1, i = buf.indexOf(10, start)) out.push(buf.subarray(start, i));
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
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
  console.log(`[volume] ${what}: ${records} records in ${(ms / 1000).toFixed(1)} s = ${Math.round(records / (ms / 1000))} records/s`);
}
