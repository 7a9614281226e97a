/**
 * Shared pieces of the decoder fuzz tests (`*.fuzz.test.ts`, fast-check): run counts (small in
 * `npm test`, raised by FUZZ_RUNS in `npm run fuzz`), mutations of valid encodings (bit flips,
 * truncation, length fields set huge, inserted/removed bytes, random bytes) and the property every
 * decoder of untrusted bytes must hold: it returns, or throws one of its documented errors with a
 * message naming the position, within a bounded time — never a RangeError/TypeError from inside.
 */
import fc from 'fast-check';

/** fast-check parameters: `base` runs (npm test) or FUZZ_RUNS; fixed seed unless FUZZ_RUNS/FUZZ_SEED ask otherwise. */
export function fuzzParams(base: number): { numRuns: number; seed?: number; endOnFailure: boolean } {
  const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : base;
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? undefined : 20261206;
  return { numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: false };
}

/** vitest timeout for a fuzz test: generous, and unbounded-ish under `npm run fuzz`. */
export const FUZZ_TIMEOUT_MS = process.env.FUZZ_RUNS ? 3_600_000 : 60_000;

const HUGE = [
  0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0x00ffffff, 0xffff, 0x7fff, 0x8000, 0xff, 0xfe, 0xfc, 0xfd,
];

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge'; at: number; value: number; width: 1 | 2 | 4; le: boolean }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; n: number }
  | { kind: 'byte'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at: fc.nat(),
      value: fc.constantFrom(...HUGE),
      width: fc.constantFrom(1 as const, 2 as const, 4 as const),
      le: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  },
);

function apply(input: Buffer, m: Mutation): Buffer {
  if (input.length === 0) return m.kind === 'insert' ? Buffer.from(m.bytes) : input;
  const at = m.at % input.length;
  const b = Buffer.from(input);
  switch (m.kind) {
    case 'flip':
      b[at] ^= 1 << m.bit;
      return b;
    case 'byte':
      b[at] = m.value;
      return b;
    case 'truncate':
      return b.subarray(0, at);
    case 'huge': {
      const start = Math.min(at, Math.max(0, b.length - m.width));
      const width = Math.min(m.width, b.length - start);
      const v = m.value % 2 ** (8 * width);
      if (m.le) b.writeUIntLE(v, start, width);
      else b.writeUIntBE(v, start, width);
      return b;
    }
    case 'insert':
      return Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    case 'delete':
      return Buffer.concat([b.subarray(0, at), b.subarray(at + m.n)]);
  }
}

/** A valid encoding from `seeds` with 1–4 mutations applied (or, now and then, random bytes). */
export function mutatedBytes(seeds: readonly Buffer[], opts: { from?: number } = {}): fc.Arbitrary<Buffer> {
  const from = opts.from ?? 0; // bytes before `from` are kept (e.g. a tag the test wants to reach past)
  const mutated = fc
    .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([i, ms]) => {
      const seed = seeds[i];
      const head = seed.subarray(0, from);
      return Buffer.concat([head, ms.reduce((b, m) => apply(b, m), seed.subarray(from))]);
    });
  const random = fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a));
  return fc.oneof({ weight: 9, arbitrary: mutated }, { weight: 1, arbitrary: random });
}

export interface DecoderContract {
  /** The decoder's documented errors. */
  allowed: (err: unknown) => boolean;
  /** Every error message must match this (it names the position/offset/column). */
  names: RegExp;
  /** Per-case time bound. */
  maxMs?: number;
}

/** Runs one decode; fails unless it returns or throws an allowed, positioned error, in time. */
export function checkDecode<T>(contract: DecoderContract, decode: () => T): T | undefined {
  const started = performance.now();
  let result: T | undefined;
  try {
    result = decode();
  } catch (err) {
    if (!contract.allowed(err)) {
      throw new Error(`decoder threw ${(err as Error)?.name}: ${(err as Error)?.message}`, { cause: err });
    }
    const message = (err as Error).message;
    if (!contract.names.test(message))
      throw new Error(`error message does not name the position (${contract.names}): ${message}`, { cause: err });
  }
  const ms = performance.now() - started;
  if (ms > (contract.maxMs ?? 2_000)) throw new Error(`decode took ${Math.round(ms)} ms`);
  return result;
}

/** Async form of checkDecode (REST bodies, converters with async paths). */
export async function checkDecodeAsync<T>(contract: DecoderContract, decode: () => Promise<T>): Promise<T | undefined> {
  const started = performance.now();
  let result: T | undefined;
  try {
    result = await decode();
  } catch (err) {
    if (!contract.allowed(err))
      throw new Error(`decoder threw ${(err as Error)?.name}: ${(err as Error)?.message}`, { cause: err });
    const message = (err as Error).message;
    if (!contract.names.test(message))
      throw new Error(`error message does not name the position (${contract.names}): ${message}`, { cause: err });
  }
  const ms = performance.now() - started;
  if (ms > (contract.maxMs ?? 2_000)) throw new Error(`decode took ${Math.round(ms)} ms`);
  return result;
}
