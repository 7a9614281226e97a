/**
 * kill -9 test: a child process appends continuously (three concurrent appenders, records plus an
 * atomic key-value write per append) and prints every acknowledged offset; it is SIGKILLed at random
 * moments, several times in a row on the same directory. After each kill the log is reopened and
 * must hold every acknowledged record, intact (SHA-256 in each value), with dense offsets, and the
 * key-value writes must match the records exactly (atomicity).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EmbeddedLog } from './embedded-log.ts';
import { runUntilKilled } from './fixtures/kill-child.ts';
import { CRASH_KV_NAMESPACE, CRASH_PARTITIONS, CRASH_TOPIC, checkRecordValue } from './fixtures/crash-payload.ts';
import type { SyncPolicy } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'fixtures', 'crash-appender.ts');

interface RunResult {
  acked: number[]; // highest acknowledged offset per partition (-1: none)
  acks: number;
  stderr: string;
}

/** Runs the appender until `killAfterMs` after its first acknowledgement, then SIGKILLs it. */
async function runAndKill(dir: string, sync: SyncPolicy, round: number, killAfterMs: number): Promise<RunResult> {
  const acked = new Array<number>(CRASH_PARTITIONS).fill(-1);
  let acks = 0;
  const { stderr } = await runUntilKilled({
    script: childScript,
    args: [dir, sync, String(round)],
    armOn: /^ACK /,
    killAfterMs,
    what: 'crash appender',
    onLine: (line) => {
      const m = /^ACK (\d+) (\d+)$/.exec(line);
      if (!m) return;
      const p = Number(m[1]);
      acked[p] = Math.max(acked[p], Number(m[2]));
      acks++;
    },
  });
  return { acked, acks, stderr };
}

/** Checks the whole log; returns the end offset per partition. */
async function verify(dir: string, ackedSoFar: number[], rounds: number): Promise<number[]> {
  const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
  try {
    const ends: number[] = [];
    // appender sequence numbers seen in the log, per "<round>/<appender>"
    const seqs = new Map<string, Map<number, { n: number; seen: number }>>();
    for (let p = 0; p < CRASH_PARTITIONS; p++) {
      const tp = { topic: CRASH_TOPIC, partition: p };
      const end = log.endOffset(tp);
      expect(log.startOffset(tp)).toBe(0);
      expect(end).toBeGreaterThan(ackedSoFar[p]); // every acknowledged record survived
      let next = 0;
      while (next < end) {
        const batch = log.read(tp, next, { maxRecords: 5000 });
        expect(batch.length).toBeGreaterThan(0);
        for (const r of batch) {
          // plain checks in the hot loop (expect() per record would dominate the run time)
          if (r.offset !== next) throw new Error(`offsets not dense: expected ${next}, got ${r.offset}`);
          next++;
          if (!r.key || !r.value || !checkRecordValue(r.key, r.value))
            throw new Error(`record ${p}/${r.offset} is corrupt`);
          const [round, appender, seq, , n] = r.key.toString().split('/');
          if (
            r.headers.length !== 1 ||
            r.headers[0].key !== 'appender' ||
            r.headers[0].value?.toString() !== appender
          ) {
            throw new Error(`record ${p}/${r.offset} has wrong headers`);
          }
          const k = `${round}/${appender}`;
          let m = seqs.get(k);
          if (!m) seqs.set(k, (m = new Map()));
          const e = m.get(Number(seq)) ?? { n: Number(n), seen: 0 };
          e.seen++;
          m.set(Number(seq), e);
        }
      }
      expect(log.read(tp, end)).toEqual([]);
      ends.push(end);
    }
    // Atomicity of records + key-value writes: the stored sequence number of each appender is exactly
    // its last append in the log, and every append is complete.
    for (let round = 0; round < rounds; round++) {
      for (let appender = 0; appender < 3; appender++) {
        const k = `${round}/${appender}`;
        const stored = log.kvGet(CRASH_KV_NAMESPACE, k);
        const m = seqs.get(k) ?? new Map<number, { n: number; seen: number }>();
        const last = stored === undefined ? -1 : Number(stored);
        expect([...m.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
        for (const e of m.values()) expect(e.seen).toBe(e.n);
      }
    }
    return ends;
  } finally {
    await log.close();
  }
}

describe('embedded log survives kill -9', () => {
  for (const sync of ['durable', 'os'] as const) {
    it(`loses no acknowledged record and exposes no torn write (sync=${sync})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trib-log-crash-${sync}-`));
      try {
        const acked = new Array<number>(CRASH_PARTITIONS).fill(-1);
        const rounds = 5;
        let totalAcks = 0;
        for (let round = 0; round < rounds; round++) {
          const res = await runAndKill(dir, sync, round, 30 + Math.floor(Math.random() * 700));
          totalAcks += res.acks;
          for (let p = 0; p < CRASH_PARTITIONS; p++) acked[p] = Math.max(acked[p], res.acked[p]);
          const ends = await verify(dir, acked, round + 1);
          for (let p = 0; p < CRASH_PARTITIONS; p++) acked[p] = Math.max(acked[p], ends[p] - 1);
        }
        expect(totalAcks).toBeGreaterThan(rounds);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});
