/**
 * Bounded fuzzing of the record batch decoder (untrusted bytes: whatever is on disk): mutated
 * batches of every version (1, 2 and the cleaner's 3) either decode or fail with CorruptChunkError, never another error, a
 * hang, or an allocation sized by a garbage length field. Deterministic (seeded), so a failure
 * reproduces with the printed seed and iteration.
 */
import { describe, expect, it } from 'vitest';
import { CorruptChunkError, decodeChunkInto, findTimestampInChunk, verifyChunk } from './chunk-decoder.ts';
import { encodeChunks } from './chunk-encoder.ts';
import { encodeCompactedChunk } from './compacted-chunk.ts';
import type { AppendRecord, LogRecord } from './types.ts';
import { seededRandom as prng } from '../../test/helpers/seeded-random.ts';

function sampleRecords(rnd: () => number): AppendRecord[] {
  const n = 1 + Math.floor(rnd() * 6);
  return Array.from({ length: n }, (_, i) => ({
    key: rnd() < 0.3 ? null : Buffer.alloc(Math.floor(rnd() * 20), i),
    value: rnd() < 0.1 ? null : Buffer.alloc(Math.floor(rnd() * 200), i + 1),
    timestamp: 1_700_000_000_000 + i,
    headers: rnd() < 0.5 ? [] : [{ key: `h${i}`, value: rnd() < 0.5 ? null : Buffer.from('v') }],
  }));
}

/** The same batch in the pre-checksum layout (version 1). */
function toV1(v2: Buffer): Buffer {
  const out = Buffer.alloc(v2.length - 4);
  out[0] = v2[0];
  out[1] = 1;
  v2.copy(out, 4, 8, 20); // count, max timestamp
  v2.copy(out, 16, 20);
  return out;
}

/** The same records as the cleaner writes them (version 3): offsets with random gaps, maybe a tombstone horizon. */
function toV3(records: AppendRecord[], rnd: () => number): Buffer {
  let offset = 0;
  const kept = records.map((r, i) => {
    offset += 1 + Math.floor(rnd() * 3);
    return { offset, timestamp: r.timestamp ?? i, key: r.key, value: r.value, headers: r.headers ?? [] };
  });
  return encodeCompactedChunk(
    0,
    offset + 1 + Math.floor(rnd() * 3),
    rnd() < 0.3 ? [] : kept,
    rnd() < 0.5 ? -1 : 1_700_000_000_000,
    1_700_000_000_000,
  );
}

function mutate(buf: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(buf);
  const kind = Math.floor(rnd() * 4);
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++)
      b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
  } else if (kind === 1) {
    const at = Math.floor(rnd() * (b.length - 4));
    b.writeUInt32BE(Math.floor(rnd() * 4294967296), at); // a garbage length or count
  } else if (kind === 2) {
    return b.subarray(0, Math.floor(rnd() * b.length)); // truncated
  } else {
    return Buffer.concat([b, Buffer.alloc(1 + Math.floor(rnd() * 16), 0xff)]); // trailing garbage
  }
  return b;
}

describe('record batch decoder fuzzing', () => {
  it('mutated batches decode or fail with CorruptChunkError, nothing else', () => {
    const seed = 20261206;
    const rnd = prng(seed);
    let corrupt = 0;
    let decoded = 0;
    for (let iter = 0; iter < 20_000; iter++) {
      const records = sampleRecords(rnd);
      const [chunk] = encodeChunks(records, 1_700_000_000_000);
      const pick = rnd();
      const original = pick < 0.34 ? chunk.buf : pick < 0.67 ? toV1(chunk.buf) : toV3(records, rnd);
      const bytes = mutate(original, rnd);
      const out: LogRecord[] = [];
      try {
        decodeChunkInto(bytes, 0, 0, Number.MAX_SAFE_INTEGER, 't', 0, out, { records: Infinity, bytes: Infinity });
        findTimestampInChunk(bytes, 0, 0, Number.MAX_SAFE_INTEGER, 0);
        verifyChunk(bytes);
        decoded++;
      } catch (err) {
        if (!(err instanceof CorruptChunkError))
          throw new Error(`seed ${seed} iteration ${iter}: ${(err as Error).name}: ${(err as Error).message}`);
        corrupt++;
      }
    }
    expect(corrupt).toBeGreaterThan(10_000);
    expect(decoded).toBeGreaterThan(0); // e.g. flips inside a version-1 value: undetectable without a checksum
  });

  it('every single-bit flip of a version-2 or version-3 batch is detected', () => {
    const records = sampleRecords(prng(7));
    const [chunk] = encodeChunks(records, 1_700_000_000_000);
    for (const buf of [chunk.buf, toV3(records, prng(8))]) {
      for (let i = 0; i < buf.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const b = Buffer.from(buf);
          b[i] ^= 1 << bit;
          expect(() => verifyChunk(b), `version ${buf[1]} byte ${i} bit ${bit}`).toThrow(CorruptChunkError);
        }
      }
    }
  });
});
