/**
 * Differential test of the fast paths: random copybooks (text, zoned with every sign convention
 * and beyond 15 digits, packed up to 25 digits, COMP/COMP-5, floats, edited, P scaling, groups,
 * OCCURS, REDEFINES, FILLER) under random options (invalid.data.policy, trimming, code pages,
 * improved null detection, truncation), records of valid values, blanks, low-values, random and
 * mutated bytes, values repeated from the record before, some records cut short. For every record the decoder with fast paths gives exactly the
 * values or the error of the decoder with the exact field decoders only, and the JSON lines
 * writer writes exactly JSON.stringify(JsonView.toJson(...)) or hands the record back (-1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, fuzzParams } from '../../../test/helpers/fuzz.ts';
import { parseLayout, type LayoutField } from '../copybook/layout.ts';
import type { TrimPolicy } from '../codec/text.ts';
import { JsonLinesWriter } from './json-lines-writer.ts';
import { JsonView } from './json-view.ts';
import { DEFAULT_DECODE_OPTIONS, type DecodeOptions, type InvalidDataPolicy } from './options.ts';
import { RecordDecoder } from './record-decoder.ts';
import { seededRandom as rng } from '../../../test/helpers/seeded-random.ts';

const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function picture(r: () => number): string {
  const digits = int(r, 1, 20);
  const scale = r() < 0.5 ? 0 : int(r, 1, Math.min(digits, 6));
  const num = `${r() < 0.6 ? 'S' : ''}9(${digits - scale})${scale ? `V9(${scale})` : ''}`.replace('9(0)', '');
  switch (int(r, 0, 11)) {
    case 0:
    case 1:
      return `PIC X(${int(r, 1, 24)})`;
    case 2:
    case 3:
      return `PIC ${num}`;
    case 4:
      return `PIC ${num} SIGN ${pick(r, ['LEADING', 'TRAILING', 'LEADING SEPARATE', 'TRAILING SEPARATE'])}`;
    case 5:
    case 6:
      return `PIC ${num.replace(/9\((\d+)\)/, (_, d) => `9(${Math.min(Number(d), 25 - scale)})`)} COMP-3`;
    case 7:
      return `PIC ${r() < 0.5 ? 'S' : ''}9(${int(r, 1, 18)})${r() < 0.2 ? 'V99' : ''} ${pick(r, ['COMP', 'COMP-5', 'BINARY'])}`;
    case 8:
      return pick(r, ['COMP-1', 'COMP-2']);
    case 9:
      return pick(r, ['PIC Z(3)9.99-', 'PIC 9(4).9(2)', 'PIC +ZZ9', 'PIC $$$9.99CR']);
    case 10:
      return pick(r, ['PIC 9(3)PP', 'PIC SVPP9(3)', 'PIC S9(3)PP COMP-3']);
    default:
      return `PIC 9(${int(r, 1, 15)})`;
  }
}

/** A random copybook: elementary items, a group with OCCURS, a REDEFINES, FILLERs. */
function copybook(r: () => number): string {
  const lines = ['       01  REC.'];
  const n = int(r, 1, 10);
  for (let i = 0; i < n; i++) {
    const kind = r();
    if (kind < 0.12) {
      lines.push(
        `           05  GRP-${i} OCCURS ${int(r, 1, 3)} TIMES.`,
        `               10  A-${i} ${picture(r)}.`,
        `               10  B-${i} ${picture(r)}.`,
      );
    } else if (
      kind < 0.2 &&
      i > 0 &&
      !lines[lines.length - 1].includes('OCCURS') &&
      !lines[lines.length - 1].startsWith('               ')
    ) {
      lines.push(`           05  R-${i} REDEFINES ${lines[lines.length - 1].trim().split(/\s+/)[1]} PIC X(1).`);
    } else if (kind < 0.25) {
      lines.push(`           05  FILLER ${picture(r)}.`);
    } else {
      lines.push(`           05  F-${i} ${picture(r)}.`);
    }
  }
  return lines.join('\n');
}

/** Each elementary occurrence and its offset; `shift`: how far the enclosing occurrence is from the first. */
function primitives(fields: LayoutField[], shift: number, out: Array<{ f: LayoutField; at: number }>): void {
  for (const f of fields) {
    const count = f.occurs?.max ?? 1;
    for (let k = 0; k < count; k++) {
      if (f.kind === 'primitive') out.push({ f, at: f.offset + shift + k * f.size });
      else primitives(f.children, shift + k * f.size, out);
    }
  }
}

function digitsBytes(r: () => number, n: number): number[] {
  return Array.from({ length: n }, () => (r() < 0.3 ? 0 : int(r, 0, 9)));
}

/** Field bytes: a valid value, blanks, low-values, random bytes or a valid value with one byte changed. */
function fieldBytes(r: () => number, f: LayoutField): Buffer {
  const t = f.type!;
  const size = f.size;
  const mode = r();
  if (mode < 0.06) return Buffer.alloc(size, 0x40);
  if (mode < 0.1) return Buffer.alloc(size, 0x00);
  if (mode < 0.18) return Buffer.from(Array.from({ length: size }, () => int(r, 0, 255)));
  let b: Buffer;
  if (t.kind === 'zoned') {
    b = Buffer.from(digitsBytes(r, size).map((d) => 0xf0 | d));
    const sign = pick(r, [0xc0, 0xd0, 0xf0, 0xf0, 0xa0, 0xb0, 0xe0]);
    const at = t.signPosition === 'leading' ? 0 : size - 1;
    if (t.signSeparate) b[at] = pick(r, [0x4e, 0x60, 0x40]);
    else b[at] = sign | (b[at] & 0x0f);
    if (r() < 0.1) b[0] = 0x40;
  } else if (t.kind === 'packed') {
    const nib = digitsBytes(r, size * 2 - 1);
    nib.push(pick(r, [0x0c, 0x0d, 0x0f, 0x0c, 0x0a, 0x0b, 0x0e]));
    b = Buffer.from(Array.from({ length: size }, (_, i) => (nib[2 * i] << 4) | nib[2 * i + 1]));
  } else if (t.kind === 'text') {
    const len = int(r, 0, size);
    b = Buffer.alloc(size, 0x40);
    for (let i = 0; i < len; i++)
      b[i] = r() < 0.7 ? pick(r, [0xc1, 0xc2, 0xf1, 0x7f, 0xe0, 0x4b, 0x40, 0x05, 0x25, 0x00]) : int(r, 0, 255);
  } else {
    b = Buffer.from(Array.from({ length: size }, () => int(r, 0, 255)));
  }
  if (mode < 0.28) b[int(r, 0, size - 1)] = pick(r, [0x40, 0x4b, 0x00, 0xc1, 0xfa, 0x6b, int(r, 0, 255)]);
  return b;
}

function options(r: () => number): DecodeOptions {
  return {
    ...DEFAULT_DECODE_OPTIONS,
    invalidData: pick<InvalidDataPolicy>(r, ['fail', 'null', 'lenient']),
    trim: pick<TrimPolicy>(r, ['right', 'right', 'both', 'left', 'none', 'keep_all']),
    codePage: pick(r, ['cp037', 'cp037', 'cp1047', 'cp273', 'cp875', 'cp1025', 'common', 'cp037_extended']),
    improvedNullDetection: r() < 0.6,
    binaryTruncation: pick(r, ['bin', 'std'] as const),
    dropValueFillers: r() < 0.2 ? false : undefined,
  };
}

type Outcome = { values: unknown[]; errors: unknown[] } | { error: string };

function outcome(d: RecordDecoder, buf: Buffer, start: number, end: number): Outcome {
  try {
    const { values, errors } = d.decode(buf, start, end);
    return { values, errors };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('fast paths against the exact decoders', () => {
  const totals = { records: 0, fastJson: 0 };

  it(
    'same values, errors and JSON lines for random copybooks, options and bytes',
    () => {
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const r = rng(seed);
          let layout;
          try {
            layout = parseLayout(copybook(r));
          } catch {
            return;
          }
          const o = options(r);
          const fast = new RecordDecoder(layout, o);
          const exact = new RecordDecoder(layout, { ...o, fastPaths: false });
          const retention = r() < 0.8 ? 'collapse_root' : 'keep_original';
          const writer = JsonLinesWriter.create(fast, retention);
          const view = new JsonView(exact, retention);
          const fields: Array<{ f: LayoutField; at: number }> = [];
          primitives(layout.records, 0, fields);
          let previous: Buffer | null = null;
          let previousStart = 0;
          for (let rec = 0; rec < 8; rec++) {
            const buf = Buffer.alloc(layout.size + 8, 0x40);
            const start = int(r, 0, 8);
            for (const { f, at } of fields) {
              // values repeated from the record before (codes, flags), and their near misses
              if (previous !== null && r() < 0.35) {
                previous.copy(buf, start + at, previousStart + at, previousStart + at + f.size);
                if (r() < 0.3) buf[start + at + int(r, 0, f.size - 1)] = pick(r, [0x40, 0xc1, 0x00]);
              } else if (r() < 0.95) fieldBytes(r, f).copy(buf, start + at);
            }
            previous = buf;
            previousStart = start;
            const end = r() < 0.1 ? start + int(r, 0, layout.size) : start + layout.size;
            const want = outcome(exact, buf, start, end);
            expect(outcome(fast, buf, start, end)).toEqual(want);
            totals.records++;
            if (!writer) continue;
            const out = Buffer.alloc(writer.maxLineBytes + 16, 0xee);
            const n = writer.write(buf, start, end, out, 3);
            if ('error' in want) {
              expect(n).toBe(-1);
              continue;
            }
            if (n < 0) continue;
            totals.fastJson++;
            expect(out.toString('utf8', 3, n)).toBe(`${JSON.stringify(view.toJson(want.values))}\n`);
          }
        }),
        fuzzParams(400),
      );
      // the comparison is worth something only if the fast forms were taken
      expect(totals.fastJson).toBeGreaterThan(totals.records / 20);
    },
    FUZZ_TIMEOUT_MS,
  );
});
