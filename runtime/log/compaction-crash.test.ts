/**
 * kill -9 during compaction: a child appends keyed records to a compacted topic while the log
 * cleaner runs in a loop (small budgets: many passes, each one write transaction), and is
 * SIGKILLed at random moments after compaction has started, several times on the same directory.
 * After each kill the partition must hold either the old or the new version of every rewritten
 * range, never both or neither: `verify` finds the batches following each other without gap or
 * overlap and every checksum right; every acknowledged record is there or superseded by a later
 * record of its key; every record sits at the offset it was appended at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EmbeddedLog } from './embedded-log.ts';
import { COMPACT_BATCH, COMPACT_TOPIC, compactKeyOf } from './fixtures/compaction-payload.ts';
import { checkRecordValue, makeRecordValue } from './fixtures/crash-payload.ts';
import { runUntilKilled } from './fixtures/kill-child.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'fixtures', 'compaction-appender.ts');
const tp = { topic: COMPACT_TOPIC, partition: 0 };

interface RunResult {
  /** base offset of each acknowledged append, by its sequence number */
  acks: Map<number, number>;
  cleaned: number;
}

async function runAndKill(dir: string, firstSeq: number, killAfterMs: number): Promise<RunResult> {
  const acks = new Map<number, number>();
  let cleaned = 0;
  await runUntilKilled({
    script: childScript,
    args: [dir, String(firstSeq)],
    armOn: /^CLEANED /,
    killAfterMs,
    what: 'compaction appender',
    onLine: (line) => {
      const ack = /^ACK (\d+) (\d+)$/.exec(line);
      if (ack) acks.set(Number(ack[1]), Number(ack[2]));
      const clean = /^CLEANED (\d+)$/.exec(line);
      if (clean) cleaned += Number(clean[1]);
    },
  });
  return { acks, cleaned };
}

/** Reads the whole partition, checking order, integrity and that acknowledged records sit at their offsets. */
function readAll(log: EmbeddedLog, expectedKeyAt: Map<number, string>): Array<{ offset: number; key: string }> {
  const out: Array<{ offset: number; key: string }> = [];
  let next = 0;
  let last = -1;
  for (;;) {
    const batch = log.read(tp, next, { maxRecords: 5000 });
    if (batch.length === 0) break;
    for (const r of batch) {
      if (r.offset <= last) throw new Error(`offsets not increasing: ${r.offset} after ${last}`);
      last = r.offset;
      if (!r.key || !r.value || !checkRecordValue(r.key, r.value))
        throw new Error(`record at offset ${r.offset} is corrupt`);
      const key = r.key.toString();
      const expected = expectedKeyAt.get(r.offset);
      if (expected !== undefined && expected !== key)
        throw new Error(`offset ${r.offset} holds key ${key}, it was appended with ${expected}`);
      out.push({ offset: r.offset, key });
    }
    next = last + 1;
  }
  return out;
}

describe('embedded log compaction survives kill -9', () => {
  it('leaves the old or the new batches of a pass, never both or neither, and loses no latest record', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-compact-crash-'));
    try {
      const expectedKeyAt = new Map<number, string>();
      const latestAcked = new Map<string, number>();
      let cleaned = 0;
      for (let round = 0; round < 4; round++) {
        const res = await runAndKill(dir, round * 1_000_000, Math.floor(Math.random() * 400));
        cleaned += res.cleaned;
        for (const [seq, base] of res.acks) {
          for (let j = 0; j < COMPACT_BATCH; j++) {
            const key = compactKeyOf(seq, j);
            expectedKeyAt.set(base + j, key);
            latestAcked.set(key, Math.max(latestAcked.get(key) ?? -1, base + j));
          }
        }
        const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
        try {
          const [report] = log.verify();
          expect(report.corrupt).toBeNull();
          expect(log.startOffset(tp)).toBe(0);
          expect(log.endOffset(tp)).toBeGreaterThan(Math.max(...latestAcked.values()));
          const latestInLog = new Map<string, number>();
          for (const r of readAll(log, expectedKeyAt)) latestInLog.set(r.key, r.offset);
          for (const [key, offset] of latestAcked)
            expect(latestInLog.get(key) ?? -1, key).toBeGreaterThanOrEqual(offset);
        } finally {
          await log.close();
        }
      }
      expect(cleaned).toBeGreaterThan(0);

      // Cleaning to the end leaves exactly the latest record of each key below the active batch.
      const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
      try {
        const before = new Map<string, number>();
        for (const r of readAll(log, expectedKeyAt)) before.set(r.key, r.offset);
        await log.append([
          {
            topic: COMPACT_TOPIC,
            partition: 0,
            records: [{ key: Buffer.from('sentinel'), value: makeRecordValue(Buffer.from('sentinel')) }],
          },
        ]);
        while ((await log.compact()).partitions > 0);
        const after = readAll(log, expectedKeyAt).filter((r) => r.key !== 'sentinel');
        expect(new Map(after.map((r) => [r.key, r.offset]))).toEqual(before);
        expect(after).toHaveLength(before.size);
        expect(log.verify()[0].corrupt).toBeNull();
      } finally {
        await log.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
